//! Records of the store-side operations from the seed documents: agent transactions,
//! recargas and work-order payments. Field names and enum values on the wire are the
//! seeds' own, so a client written against those documents reads them unchanged.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::money::Money;
use super::wire::wire_enum;

wire_enum!(TipoOperacion { Deposito => "DEPOSITO", Retiro => "RETIRO", TransferenciaQr => "TRANSFERENCIA_QR" });

wire_enum!(
    /// A mobile carrier the store sells top-ups for; «operadora» on the wire and in the UI.
    #[ts(rename = "Operadora")]
    Carrier { Tigo => "Tigo", Entel => "Entel", Viva => "Viva" }
);

wire_enum!(MetodoPago { Bcp => "BCP", Efectivo => "EFECTIVO", LosAndes => "LOS_ANDES", Otro => "OTRO" });

wire_enum!(MovimientoFondo { Fondeo => "FONDEO", Retiro => "RETIRO" });

/// A bank or wallet the store acts as agent for, with the store's e-money float there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Provider {
    pub code: String,
    pub name: String,
    /// The store's float with the provider (`provider_float:<code>`).
    pub saldo: Money,
    /// Bank commissions accrued and not yet paid into the float.
    pub comision_por_cobrar: Money,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewProvider {
    /// Upper-case code such as "BNB" or "TIGO_MONEY".
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ProviderFloatInput {
    pub banco: String,
    #[ts(as = "MovimientoFondo")]
    pub tipo: String,
    pub monto: String,
    #[ts(optional)]
    pub nota: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewAgentTransaction {
    pub banco: String,
    #[ts(as = "TipoOperacion")]
    pub tipo_operacion: String,
    pub monto: String,
    /// Defaults to 0.
    #[ts(optional)]
    pub comision_cliente: Option<String>,
    pub nro_referencia: String,
    pub id_caja_sesion: i64,
    /// A voucher image or PDF on disk; it is copied into the app's data folder.
    #[ts(optional)]
    pub comprobante: Option<String>,
    /// The customer's account (CVU, alias or bank account) a DEPOSITO or
    /// TRANSFERENCIA_QR is sent to; required when the provider is connected.
    #[ts(optional)]
    pub cuenta_cliente: Option<String>,
    /// The customer's CUIT (11 digits; dashes are dropped), asked at the counter when the
    /// operation goes to a wallet: its cashout sends `"cuit": string` (seeds/002 L44).
    /// Checked whenever given.
    #[ts(optional)]
    pub cuit_cliente: Option<String>,
    /// The customer's identity document and name, when the provider's rule asks for it
    /// (`quote_agent_operation` says when); kept with the operation.
    #[ts(optional)]
    pub cliente: Option<super::ClienteIdentidad>,
    /// Why an administrator charges another client commission than the tariff's.
    #[ts(optional)]
    pub motivo_comision: Option<String>,
}

/// `TransaccionAgente` of the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TransaccionAgente {
    pub id: i64,
    pub banco: String,
    pub tipo_operacion: TipoOperacion,
    pub monto: Money,
    pub comision_cliente: Money,
    pub comision_banco: Money,
    pub nro_referencia: String,
    pub url_comprobante: Option<String>,
    pub cuenta_cliente: Option<String>,
    pub fecha: String,
    pub id_caja_sesion: i64,
    pub id_usuario: i64,
    pub anulada_en: Option<String>,
    pub motivo_anulacion: Option<String>,
    /// The customer recorded with the operation (not a field of the seed's record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cliente: Option<super::ClienteIdentidad>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AgentFilter {
    #[ts(optional)]
    pub id_caja_sesion: Option<i64>,
    #[ts(optional)]
    pub banco: Option<String>,
    #[ts(optional, as = "Option<TipoOperacion>")]
    pub tipo_operacion: Option<String>,
    /// Inclusive local dates, YYYY-MM-DD.
    #[ts(optional)]
    pub desde: Option<String>,
    #[ts(optional)]
    pub hasta: Option<String>,
    /// 1-based.
    #[ts(optional)]
    pub page: Option<i64>,
    #[ts(optional)]
    pub size: Option<i64>,
    /// The id of the last row of the previous page: the page starts right after it, found
    /// through the index instead of skipping `(page - 1) * size` rows. `page` is then only
    /// the number shown.
    #[ts(optional)]
    pub despues_de: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub size: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct VoidInput {
    pub id: i64,
    pub motivo: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct SettlementInput {
    pub banco: String,
    /// Lines of `nro_referencia,comision_banco`; a header line is allowed.
    pub csv: String,
    /// The bank has paid what it owes into the store's float: the provider's whole
    /// outstanding commission receivable moves there.
    pub pagado: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettledLine {
    pub linea: i64,
    pub nro_referencia: String,
    pub id_transaccion: i64,
    pub comision_banco: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnmatchedLine {
    pub linea: i64,
    pub texto: String,
    pub motivo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettlementReport {
    pub banco: String,
    pub conciliadas: Vec<SettledLine>,
    /// Lines that matched nothing or could not be read: reported, never dropped.
    pub sin_coincidencia: Vec<UnmatchedLine>,
    /// Accrued by this settlement (the change in comision_banco).
    pub total: Money,
    pub pagado: bool,
    /// Moved from the commission receivable into the provider float (all that was owed).
    pub monto_pagado: Money,
    /// Matched lines whose paid commission is not what the tariff expected.
    #[serde(default)]
    pub diferencias: Vec<super::CommissionDifference>,
}

/// `OperadoraSaldo` of the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OperadoraSaldo {
    pub operadora: Carrier,
    pub saldo_actual: Money,
    /// Bonus the carrier adds to an injection, in percent ("2.50").
    pub bonificacion_porcentaje: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewTopup {
    #[ts(as = "Carrier")]
    pub operadora: String,
    pub telefono: String,
    pub monto: String,
    pub id_caja_sesion: i64,
}

/// `RecargaCliente` of the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecargaCliente {
    pub id: i64,
    pub operadora: Carrier,
    pub telefono: String,
    pub monto: Money,
    pub fecha: String,
    pub id_caja_sesion: i64,
    pub id_usuario: i64,
    pub anulada_en: Option<String>,
    pub motivo_anulacion: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewInjection {
    #[ts(as = "Carrier")]
    pub operadora: String,
    pub monto: String,
    pub id_caja_sesion: i64,
}

/// `InyeccionOperadora` of the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InyeccionOperadora {
    pub id: i64,
    pub operadora: Carrier,
    pub monto: Money,
    /// Carrier bonus credited on top of the amount, booked as income.
    pub bonificacion: Money,
    pub fecha: String,
    pub id_caja_sesion: i64,
    pub id_usuario: i64,
    pub anulada_en: Option<String>,
    pub motivo_anulacion: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CarrierBonusInput {
    #[ts(as = "Carrier")]
    pub operadora: String,
    /// Percent with at most two decimals, 0 to 50.
    pub bonificacion_porcentaje: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct RecargaFilter {
    #[ts(optional)]
    pub id_caja_sesion: Option<i64>,
    #[ts(optional, as = "Option<Carrier>")]
    pub operadora: Option<String>,
    #[ts(optional)]
    pub desde: Option<String>,
    #[ts(optional)]
    pub hasta: Option<String>,
    #[ts(optional)]
    pub page: Option<i64>,
    #[ts(optional)]
    pub size: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct NewPago {
    #[serde(rename = "pendienteId")]
    #[ts(rename = "pendienteId")]
    pub pendiente_id: i64,
    pub cliente: String,
    pub monto: String,
    #[serde(rename = "fechaPago")]
    #[ts(rename = "fechaPago")]
    pub fecha_pago: String,
    #[serde(rename = "metodoPago")]
    #[ts(rename = "metodoPago", as = "MetodoPago")]
    pub metodo_pago: String,
    #[ts(optional)]
    pub referencia: Option<String>,
    pub id_caja_sesion: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct UpdatePago {
    pub id: i64,
    pub pago: NewPago,
    pub motivo: String,
}

/// `Pago` of the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pago {
    pub id: i64,
    #[serde(rename = "pendienteId")]
    #[ts(rename = "pendienteId")]
    pub pendiente_id: i64,
    pub cliente: String,
    pub empleado: String,
    pub monto: Money,
    #[serde(rename = "fechaPago")]
    #[ts(rename = "fechaPago")]
    pub fecha_pago: String,
    #[serde(rename = "metodoPago")]
    #[ts(rename = "metodoPago")]
    pub metodo_pago: MetodoPago,
    pub referencia: Option<String>,
    pub vigente: bool,
    pub id_caja_sesion: i64,
    /// The payment this one corrects, if it is a correction.
    #[serde(rename = "corrigeA")]
    #[ts(rename = "corrigeA")]
    pub corrige_a: Option<i64>,
    /// When it was recorded.
    pub creado_en: String,
    pub anulada_en: Option<String>,
    pub motivo_anulacion: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PagoFilter {
    /// Only the payments of this session.
    #[ts(optional)]
    pub id_caja_sesion: Option<i64>,
    /// Voided payments too (`vigente = false`); by default only live ones, as in the
    /// payments API.
    #[ts(optional)]
    pub incluir_anulados: Option<bool>,
    /// Zero-based, as in the payments API.
    #[ts(optional)]
    pub page: Option<i64>,
    #[ts(optional)]
    pub size: Option<i64>,
}

/// Agent transactions of a session by provider and type (voided ones left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgentTotal {
    pub banco: String,
    pub tipo_operacion: TipoOperacion,
    pub cantidad: i64,
    pub monto: Money,
    pub comision_cliente: Money,
    pub comision_banco: Money,
}

/// A carrier's balance at the session's open and close (or now, while open) and its
/// top-ups and injections in the session (voided ones left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CarrierTotal {
    pub operadora: Carrier,
    pub saldo_apertura: Money,
    pub saldo_cierre: Money,
    pub recargas: i64,
    pub monto_recargas: Money,
    pub inyecciones: i64,
    pub monto_inyecciones: Money,
    pub bonificacion: Money,
}

/// Live payments of a session by method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaymentTotal {
    #[serde(rename = "metodoPago")]
    #[ts(rename = "metodoPago")]
    pub metodo_pago: MetodoPago,
    pub cantidad: i64,
    pub monto: Money,
}

wire_enum!(
    /// Where an operation's call to its provider stands, as the counter shows it: waiting to
    /// go out, sent and not yet answered, confirmed (with the provider's reference), needing
    /// an administrator, or cancelled by one.
    EstadoLlamada {
        EnCola => "EN_COLA",
        Enviada => "ENVIADA",
        Confirmada => "CONFIRMADA",
        RequiereAtencion => "REQUIERE_ATENCION",
        Cancelada => "CANCELADA",
    }
);

impl EstadoLlamada {
    /// Folds the outbox's states: a call whose last attempt may have reached the provider
    /// counts as sent even while it waits to ask again.
    pub fn of(estado: super::EstadoEnvio, resultado_incierto: bool) -> Self {
        use super::EstadoEnvio as E;
        match estado {
            E::Acked => EstadoLlamada::Confirmada,
            E::NeedsAttention => EstadoLlamada::RequiereAtencion,
            E::Cancelled => EstadoLlamada::Cancelada,
            E::Sending => EstadoLlamada::Enviada,
            E::Queued | E::RetryWait if resultado_incierto => EstadoLlamada::Enviada,
            E::Queued | E::RetryWait => EstadoLlamada::EnCola,
        }
    }

    /// Not yet confirmed by the provider and not given up on.
    pub fn sin_confirmar(self) -> bool {
        matches!(self, EstadoLlamada::EnCola | EstadoLlamada::Enviada | EstadoLlamada::RequiereAtencion)
    }
}

/// The call state of one agent transaction (its own call, not a reversal of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LlamadaDeOperacion {
    pub id_transaccion: i64,
    pub estado: EstadoLlamada,
    /// The provider's reference once it confirmed the call.
    pub referencia_proveedor: Option<String>,
}

/// A session's calls to one provider by state, for the X and Z reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderSyncTotal {
    pub banco: String,
    pub en_cola: i64,
    pub enviadas: i64,
    pub confirmadas: i64,
    pub requieren_atencion: i64,
    pub canceladas: i64,
    /// The amount of the calls not yet confirmed (queued, sent or needing attention).
    pub monto_sin_confirmar: Money,
}

/// How many operations of a session fell in one hour of the store's clock (0–23), by type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HourActivity {
    pub hora: i64,
    pub agentes: i64,
    pub recargas: i64,
    pub pagos: i64,
    pub movimientos: i64,
}
