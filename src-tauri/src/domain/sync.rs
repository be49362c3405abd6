//! Records of the offline queue: provider connections, outbox rows, sync status and
//! progress, and reconciliation reports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::money::Money;
use super::wire::wire_enum;

wire_enum!(
    /// Which API contract a provider speaks; a provider without one is record-only.
    Contrato { BilleteraV2 => "BILLETERA_V2", BancoV1 => "BANCO_V1" }
);

wire_enum!(
    /// How a bank writes `trn.type` (seeds/004: "N --> Normal R --> reverso" in the
    /// table, `"type": "Normal"` in the example): the table's codes `N` / `R` (default) or
    /// the words `Normal` / `Reverso`.
    TipoDeposito { CodigoNR => "N_R", Palabras => "NORMAL_REVERSO" }
);

wire_enum!(
    /// What the worker does with a bank deposit whose outcome is unknown (the bank v1
    /// document has no lookup): resend it with the same `trnRqUID`, relying on the
    /// assumption that the bank does not apply it twice (default), or leave it to a
    /// person with the bank's statement.
    ReenvioIncierto { MismaClave => "MISMA_CLAVE", Extracto => "EXTRACTO" }
);

wire_enum!(
    /// The unit of the wallet token's `"expires_at": number` (seeds/002 gives none):
    /// Unix seconds (default) or milliseconds.
    UnidadExpiracion { Segundos => "SECONDS", Milisegundos => "MILLISECONDS" }
);

wire_enum!(
    /// The unit of the wallet balance's `"amount": integer` (seeds/002 L30 gives none):
    /// centavos (default) or whole bolivianos.
    UnidadSaldo { Centavos => "CENTAVOS", Bolivianos => "BOLIVIANOS" }
);

/// What the provider documents leave open, per connection; `None` is the documented
/// default (CONTRACTS.md).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AjustesContrato {
    /// Bank: the OAuth 2 client-credentials URL (the document names none). Required.
    pub url_token: Option<String>,
    /// Bank: its zone as `±HH:MM` for `X-Invoker-ProcessDate` and `transactionHour`;
    /// default `-04:00`.
    pub zona_horaria: Option<String>,
    /// Bank: how `trn.type` is written; default `N_R`.
    pub tipo_deposito: Option<TipoDeposito>,
    /// Bank: `X-Invoker-TerminalId`; default the point of service code.
    pub terminal_id: Option<String>,
    /// Bank: `X-Invoker-UserIPAddress`; default `127.0.0.1`.
    pub ip_terminal: Option<String>,
    /// Bank: `X-Invoker-ServerIPAddress`; default the terminal's IP.
    pub ip_servidor: Option<String>,
    /// Bank: `X-Invoker-ModifierUser`; default one space ("Enviar espacios").
    pub usuario_modificador: Option<String>,
    /// Bank: a deposit whose outcome is unknown; default `MISMA_CLAVE`.
    pub reenvio_incierto: Option<ReenvioIncierto>,
    /// Wallet: unit of the token's `expires_at`; default seconds.
    pub unidad_expiracion: Option<UnidadExpiracion>,
    /// Wallet: the cashout's `concept`, one of `GET v2/payment/concepts`.
    pub concepto: Option<String>,
    /// Wallet: how many days back its transaction list is trusted to reach (1–3650): an
    /// older call in doubt the list does not show is not taken as never applied; default
    /// 30 (`sync::worker::LIST_TRUSTED_DAYS`).
    pub dias_lista_confiable: Option<i64>,
    /// Wallet: seconds after the last attempt whose outcome is unknown before a "not
    /// found" is believed for a voided operation's call (1–86400); default the worker's
    /// quiet period, 300.
    pub segundos_espera_consulta: Option<i64>,
    /// Wallet: the unit of `account/balance`'s integer `amount`; default centavos.
    pub unidad_saldo: Option<UnidadSaldo>,
}

wire_enum!(
    /// The provider call an outbox row makes.
    LlamadaApi {
        Cashout => "CASHOUT",
        VerificarCobro => "VERIFICAR_COBRO",
        Deposito => "DEPOSITO",
        Reverso => "REVERSO",
    }
);

impl LlamadaApi {
    /// The contract the call belongs to: a connector refuses a call of another contract.
    pub fn contrato(self) -> Contrato {
        match self {
            LlamadaApi::Cashout | LlamadaApi::VerificarCobro => Contrato::BilleteraV2,
            LlamadaApi::Deposito | LlamadaApi::Reverso => Contrato::BancoV1,
        }
    }
}

wire_enum!(
    /// `queued → sending → acked`; `sending → retry_wait → sending`;
    /// `sending → needs_attention`; an administrator may cancel what has not gone out.
    EstadoEnvio {
        Queued => "queued",
        Sending => "sending",
        RetryWait => "retry_wait",
        Acked => "acked",
        NeedsAttention => "needs_attention",
        Cancelled => "cancelled",
    }
);

wire_enum!(
    /// A reconciliation line. `REQUIERE_ATENCION`: the provider's list cannot settle the
    /// call (two candidates, both shown; or one listed with an unconfirmed status).
    EstadoConciliacion {
        Conciliada => "CONCILIADA",
        FaltaEnProveedor => "FALTA_EN_PROVEEDOR",
        DesconocidaEnTienda => "DESCONOCIDA_EN_TIENDA",
        RequiereAtencion => "REQUIERE_ATENCION",
    }
);

wire_enum!(
    /// Where provider credentials are kept. Only the Secret Service survives a reboot.
    AlmacenCredenciales { SecretService => "SECRET_SERVICE", Keyutils => "KEYUTILS" }
);

wire_enum!(
    /// Whether a provider's credentials are usable, as the keyring answers now: saved,
    /// missing, in a locked keyring (it must be unlocked first), in a keyring that does not
    /// answer, or saved but unreadable (damaged, or several copies).
    EstadoCredenciales {
        Guardadas => "GUARDADAS",
        Faltan => "FALTAN",
        Bloqueado => "BLOQUEADO",
        NoDisponible => "NO_DISPONIBLE",
        Danadas => "DANADAS"
    }
);

/// How a provider is connected. Credentials are never part of it: only their state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderConnection {
    pub banco: String,
    /// `None`: record only, nothing is sent.
    pub contrato: Option<Contrato>,
    pub url_base: Option<String>,
    pub enviar_deposito: bool,
    pub enviar_retiro: bool,
    pub enviar_qr: bool,
    /// Bank: the store's correspondent account, debited by each deposit.
    pub cuenta_tienda: Option<String>,
    /// Bank: the point of service it assigned to the store, sent with each deposit.
    pub punto_servicio: Option<PuntoServicio>,
    /// What the documents leave open, as configured (`None`: the documented default).
    pub ajustes: AjustesContrato,
    pub limite_operacion: Money,
    pub limite_pendiente: Money,
    /// Read from the keyring without prompting; a locked or silent keyring marks every
    /// connection so, and the list is still given.
    pub credenciales: EstadoCredenciales,
}

/// The point of service a bank assigned to the store (`trn.code`, `branchName`, `cityId`,
/// `city` and `stateProv` of the transfers-management deposit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PuntoServicio {
    /// Up to 15 digits.
    pub codigo: String,
    pub nombre: String,
    /// The municipality's DANE code, 5 or 6 digits.
    pub ciudad_id: String,
    pub ciudad: String,
    /// The department's DANE code, 2 digits.
    pub departamento: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ConfigureProviderInput {
    pub banco: String,
    /// "BILLETERA_V2", "BANCO_V1" or "NINGUNO" (record only).
    pub contrato: String,
    #[ts(optional)]
    pub url_base: Option<String>,
    pub enviar_deposito: bool,
    pub enviar_retiro: bool,
    pub enviar_qr: bool,
    #[ts(optional)]
    pub cuenta_tienda: Option<String>,
    /// Bank: its point of service; required when it sends deposits or QR transfers.
    #[ts(optional)]
    pub punto_codigo: Option<String>,
    #[ts(optional)]
    pub punto_nombre: Option<String>,
    #[ts(optional)]
    pub punto_ciudad_id: Option<String>,
    #[ts(optional)]
    pub punto_ciudad: Option<String>,
    #[ts(optional)]
    pub punto_departamento: Option<String>,
    #[ts(optional)]
    pub limite_operacion: Option<String>,
    #[ts(optional)]
    pub limite_pendiente: Option<String>,
    /// Bank: OAuth 2 client-credentials URL (required for a bank).
    #[ts(optional)]
    pub url_token: Option<String>,
    /// Bank: `±HH:MM` (default `-04:00`).
    #[ts(optional)]
    pub zona_horaria: Option<String>,
    /// Bank: "N_R" (default) or "NORMAL_REVERSO".
    #[ts(optional)]
    pub tipo_deposito: Option<String>,
    /// Bank: `X-Invoker-TerminalId` (default the point of service code).
    #[ts(optional)]
    pub terminal_id: Option<String>,
    /// Bank: `X-Invoker-UserIPAddress` (default 127.0.0.1).
    #[ts(optional)]
    pub ip_terminal: Option<String>,
    /// Bank: `X-Invoker-ServerIPAddress` (default the terminal's IP).
    #[ts(optional)]
    pub ip_servidor: Option<String>,
    /// Bank: `X-Invoker-ModifierUser` (default spaces).
    #[ts(optional)]
    pub usuario_modificador: Option<String>,
    /// Bank: "MISMA_CLAVE" (default: resend an unknown deposit with its trnRqUID) or
    /// "EXTRACTO" (a person resolves it with the statement).
    #[ts(optional)]
    pub reenvio_incierto: Option<String>,
    /// Wallet: "SECONDS" (default) or "MILLISECONDS".
    #[ts(optional)]
    pub unidad_expiracion: Option<String>,
    /// Wallet: the cashout's concept, one of the provider's `payment/concepts`.
    #[ts(optional)]
    pub concepto: Option<String>,
    /// Wallet: days back its transaction list is trusted to reach, 1 to 3650 (default 30).
    #[ts(optional)]
    pub dias_lista_confiable: Option<String>,
    /// Wallet: seconds before a "not found" is believed for a voided operation's call in
    /// doubt, 1 to 86400 (default 300).
    #[ts(optional)]
    pub segundos_espera_consulta: Option<String>,
    /// Wallet: "CENTAVOS" (default) or "BOLIVIANOS", the unit of the balance's `amount`.
    #[ts(optional)]
    pub unidad_saldo: Option<String>,
}

#[derive(Clone, Default, Serialize, Deserialize, TS)]
pub struct ProviderCredentialsInput {
    pub banco: String,
    /// Wallet: user name. Bank: `client_id`.
    pub usuario: String,
    /// Wallet: password. Bank: `client_secret`. Never returned.
    pub secreto: String,
}

impl std::fmt::Debug for ProviderCredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderCredentialsInput").field("banco", &self.banco).finish_non_exhaustive()
    }
}

/// One call in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutboundItem {
    pub id: i64,
    pub banco: String,
    pub llamada: LlamadaApi,
    pub id_transaccion: i64,
    pub tipo_operacion: super::TipoOperacion,
    pub nro_referencia: String,
    /// The outbox row this one reverses.
    pub revierte: Option<i64>,
    /// Idempotency key sent on every attempt.
    pub clave: String,
    pub monto: Money,
    pub estado: EstadoEnvio,
    pub intentos: i64,
    /// When the next attempt is due (UTC, RFC 3339), while waiting.
    pub proximo_intento: Option<String>,
    /// The last attempt may have reached the provider; it is asked before a resend.
    pub resultado_incierto: bool,
    pub referencia_proveedor: Option<String>,
    pub codigo_error: Option<String>,
    pub mensaje_error: Option<String>,
    pub creado: String,
    pub actualizado: String,
    pub confirmado: Option<String>,
    pub motivo_cancelacion: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct OutboxFilter {
    #[ts(optional, as = "Option<EstadoEnvio>")]
    pub estado: Option<String>,
    #[ts(optional)]
    pub banco: Option<String>,
    #[ts(optional)]
    pub page: Option<i64>,
    #[ts(optional)]
    pub size: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CancelOutboundInput {
    pub id: i64,
    pub motivo: String,
}

/// A person's answer, from the provider's statement, to a call whose outcome is unknown:
/// `aplicada` (it is on the statement) or not.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ResolveOutboundInput {
    pub id: i64,
    pub aplicada: bool,
    pub motivo: String,
}

/// One connected provider as the worker last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderLink {
    pub banco: String,
    /// `None` until the worker has tried to reach it.
    pub en_linea: Option<bool>,
    /// Why nothing is being sent to it (no credentials, rejected credentials...).
    pub problema: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncStatus {
    /// Every connected provider answered the last probe (or none is connected).
    pub en_linea: bool,
    pub proveedores: Vec<ProviderLink>,
    /// Calls not yet acknowledged (queued, sending or waiting to retry).
    pub pendientes: i64,
    pub monto_pendiente: Money,
    pub requieren_atencion: i64,
    /// The worker is sending right now.
    pub enviando: bool,
    pub almacen_credenciales: AlmacenCredenciales,
    /// False when credentials will not survive a reboot (kernel keyutils).
    pub credenciales_persistentes: bool,
}

/// Streamed to the UI while a sync runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncProgress {
    /// Calls that were due when the sync started.
    pub total: i64,
    /// Of those, how many have reached a final or waiting state in this run.
    pub hechos: i64,
    pub confirmados: i64,
    pub reintentos: i64,
    pub requieren_atencion: i64,
    pub terminado: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ReconcileInput {
    pub banco: String,
    /// Store-local day, YYYY-MM-DD.
    pub fecha: String,
    /// The provider's statement for that day as CSV (`referencia,monto` per line), to
    /// reconcile against instead of its API: the bank contract has no transaction list.
    #[ts(optional)]
    pub extracto: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReconciliationLine {
    pub estado: EstadoConciliacion,
    pub id_transaccion: Option<i64>,
    /// The store's reference (idempotency key or the customer's transfer reference).
    pub referencia: Option<String>,
    pub referencia_proveedor: Option<String>,
    pub monto: Money,
    pub detalle: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReconciliationReport {
    pub id: i64,
    pub banco: String,
    pub dia: String,
    pub creado: String,
    pub conciliadas: i64,
    pub faltan_en_proveedor: i64,
    pub desconocidas: i64,
    pub lineas: Vec<ReconciliationLine>,
}
