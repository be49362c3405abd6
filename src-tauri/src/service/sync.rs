//! Provider connections, their credentials in the OS keyring, and the outbox as the
//! manager sees it: status, list, retry, cancel, reconciliation reports.

use serde_json::json;

use super::agents::provider_code;
use super::ops;
use super::{audit, Mostrador};
use crate::domain::{
    text, AjustesContrato, ReenvioIncierto, ResolveOutboundInput, AlmacenCredenciales, CancelOutboundInput, EstadoCredenciales, ConfigureProviderInput, Contrato, CoreError, CoreResult, ErrorCode,
    EstadoEnvio, Money, OutboundItem, OutboxFilter, Page, ProviderConnection, ProviderCredentialsInput, PuntoServicio,
    ReconciliationReport, SyncStatus, TipoDeposito, UnidadExpiracion, UnidadSaldo,
};
use crate::secrets::{SecretBackend, SecretStore};
use crate::store::{self, outbox as outbox_rows, providers};
use crate::sync::{self, outbox, reconcile};

/// Offline limits a new connection gets unless the administrator says otherwise.
pub const DEFAULT_LIMIT_SINGLE: Money = Money::from_centavos(500_000);
pub const DEFAULT_LIMIT_QUEUED: Money = Money::from_centavos(5_000_000);

/// A bank's point of service from the connection form: every part is required when the
/// bank is sent deposits; otherwise it may be left out whole.
fn service_point(input: &ConfigureProviderInput, required: bool) -> CoreResult<Option<PuntoServicio>> {
    let parts = [&input.punto_codigo, &input.punto_nombre, &input.punto_ciudad_id, &input.punto_ciudad, &input.punto_departamento];
    if !required && parts.iter().all(|p| p.as_deref().is_none_or(|p| p.trim().is_empty())) {
        return Ok(None);
    }
    let digits = |field: &str, value: &Option<String>, lengths: std::ops::RangeInclusive<usize>, rule: &str| {
        let value = value.as_deref().map(str::trim).unwrap_or_default();
        if value.is_empty() {
            return Err(CoreError::required(field));
        }
        if !lengths.contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::invalid(field, rule));
        }
        Ok(value.to_string())
    };
    Ok(Some(PuntoServicio {
        codigo: digits("punto_codigo", &input.punto_codigo, 1..=15, "debe tener de 1 a 15 dígitos, como lo asignó el banco")?,
        nombre: text::required("punto_nombre", input.punto_nombre.as_deref().unwrap_or_default(), 40)?,
        ciudad_id: digits("punto_ciudad_id", &input.punto_ciudad_id, 5..=6, "debe ser el código DANE del municipio, de 5 o 6 dígitos")?,
        ciudad: text::required("punto_ciudad", input.punto_ciudad.as_deref().unwrap_or_default(), 40)?,
        departamento: digits("punto_departamento", &input.punto_departamento, 2..=2, "debe ser el código DANE del departamento, de 2 dígitos")?,
    }))
}

fn credentials_error(err: crate::secrets::SecretError) -> CoreError {
    CoreError::general(ErrorCode::CredencialesNoDisponibles, format!("No se pudo usar el almacén de credenciales del sistema: {err}"))
}

impl Mostrador {
    /// The OS keyring, probed on first use.
    pub fn secrets(&self) -> &SecretStore {
        self.secrets.get_or_init(|| SecretStore::detect(super::KEYRING_SERVICE))
    }

    /// Uses this worker for status and wakes it after each queued operation.
    pub fn attach_sync(&mut self, handle: sync::SyncHandle) {
        self.sync = Some(handle);
    }

    pub(crate) fn wake_sync(&self) {
        if let Some(handle) = &self.sync {
            handle.wake();
        }
    }

    /// One connection; its credentials state as the keyring answers now.
    fn connection_of(&self, banco: &str) -> CoreResult<ProviderConnection> {
        self.connection_with(banco, &mut None)
    }

    /// Whether `banco`'s credentials are usable, without prompting. A store-wide answer
    /// (locked, silent, unavailable) is kept in `store_wide`, so the next providers get it
    /// without another call: a locked keyring answers at once, a silent one costs one
    /// bound, not one per provider.
    fn credentials_state(&self, banco: &str, store_wide: &mut Option<EstadoCredenciales>) -> CoreResult<EstadoCredenciales> {
        use crate::secrets::SecretError;
        if let Some(state) = *store_wide {
            return Ok(state);
        }
        let key = sync::credential_key(&self.conn, banco)?;
        Ok(match self.secrets().get(&key) {
            Ok(Some(_)) => EstadoCredenciales::Guardadas,
            Ok(None) => EstadoCredenciales::Faltan,
            Err(SecretError::Corrupt(_) | SecretError::Ambiguous(_)) => EstadoCredenciales::Danadas,
            Err(e) => {
                log::warn!("credenciales de {banco}: {e}");
                let state = if e == SecretError::Locked { EstadoCredenciales::Bloqueado } else { EstadoCredenciales::NoDisponible };
                *store_wide = Some(state);
                state
            }
        })
    }

    fn connection_with(&self, banco: &str, store_wide: &mut Option<EstadoCredenciales>) -> CoreResult<ProviderConnection> {
        let mut connection = match outbox::link(&self.conn, banco)? {
            Some(link) => ProviderConnection {
                banco: banco.to_string(),
                contrato: Some(link.contract),
                url_base: Some(link.base_url),
                enviar_deposito: link.send_deposito,
                enviar_retiro: link.send_retiro,
                enviar_qr: link.send_qr,
                cuenta_tienda: link.store_account,
                punto_servicio: link.point,
                ajustes: link.settings,
                limite_operacion: link.max_single,
                limite_pendiente: link.max_queued,
                credenciales: EstadoCredenciales::Faltan,
            },
            None => ProviderConnection {
                banco: banco.to_string(),
                contrato: None,
                url_base: None,
                enviar_deposito: false,
                enviar_retiro: false,
                enviar_qr: false,
                cuenta_tienda: None,
                punto_servicio: None,
                ajustes: AjustesContrato::default(),
                limite_operacion: DEFAULT_LIMIT_SINGLE,
                limite_pendiente: DEFAULT_LIMIT_QUEUED,
                credenciales: EstadoCredenciales::Faltan,
            },
        };
        connection.credenciales = self.credentials_state(banco, store_wide)?;
        Ok(connection)
    }

    /// Every provider with how it is connected (record-only ones included), each with its
    /// credentials state: a locked or silent keyring does not keep the list from showing.
    pub fn list_provider_connections(&self) -> CoreResult<Vec<ProviderConnection>> {
        self.operator()?;
        let mut store_wide = None;
        providers::codes(&self.conn)?.iter().map(|code| self.connection_with(code, &mut store_wide)).collect()
    }

    /// Connects a provider to its API (or makes it record-only with "NINGUNO").
    pub fn configure_provider(&mut self, input: ConfigureProviderInput) -> CoreResult<ProviderConnection> {
        let actor = self.admin("configurar la conexión con un banco o billetera")?.id;
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        let contrato = contract(&input.contrato)?;
        let now = self.now();
        self.check_contract_change(&banco, contrato)?;
        let Some(contrato) = contrato else { return self.disconnect_provider(actor, &banco, &now) };
        let link = link_from(&input, contrato)?;
        let tx = store::write(&mut self.conn)?;
        providers::save(&tx, &banco, &link, &now)?;
        let detail = json!({
            "banco": banco,
            "contrato": contrato,
            "url_base": link.base_url,
            "limite_operacion": link.max_single,
            "limite_pendiente": link.max_queued,
            "punto_servicio": link.point,
            "ajustes": link.settings,
        });
        audit(&tx, Some(actor), "configure_provider", "provider", None, detail, &now)?;
        tx.commit()?;
        self.wake_sync();
        self.connection_of(&banco)
    }

    /// Calls already queued were built for the current contract: it may only change once
    /// they are sent or cancelled.
    fn check_contract_change(&self, banco: &str, contrato: Option<Contrato>) -> CoreResult<()> {
        let current = outbox::link(&self.conn, banco)?.map(|link| link.contract);
        if current.is_none() || current == contrato {
            return Ok(());
        }
        let pending = outbox_rows::unacked_count(&self.conn, banco)?;
        if pending > 0 {
            return Err(CoreError::new(
                ErrorCode::EstadoNoPermite,
                "contrato",
                format!("No se puede cambiar el «contrato» de {banco}: tiene {pending} envíos sin confirmar; envíelos o cancélelos antes."),
            ));
        }
        Ok(())
    }

    /// Makes the provider record-only.
    fn disconnect_provider(&mut self, actor: i64, banco: &str, now: &str) -> CoreResult<ProviderConnection> {
        let tx = store::write(&mut self.conn)?;
        providers::disconnect(&tx, banco)?;
        audit(&tx, Some(actor), "configure_provider", "provider", None, json!({"banco": banco, "contrato": "NINGUNO"}), now)?;
        tx.commit()?;
        self.connection_of(banco)
    }

    /// Stores a provider's credentials in the OS keyring; they are never read back to
    /// the UI, written to SQLite or logged.
    pub fn set_provider_credentials(&mut self, input: ProviderCredentialsInput) -> CoreResult<ProviderConnection> {
        let actor = self.admin("guardar credenciales de un banco o billetera")?.id;
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        let usuario = text::required("usuario", &input.usuario, 100)?;
        if input.secreto.trim().is_empty() {
            return Err(CoreError::required("secreto"));
        }
        if input.secreto.chars().count() > 200 {
            return Err(CoreError::new(ErrorCode::TextoDemasiadoLargo, "secreto", "El campo «contraseña o secreto» admite hasta 200 caracteres."));
        }
        let secret = serde_json::to_string(&crate::connectors::ProviderSecret { user: usuario, secret: input.secreto.clone() })
            .map_err(CoreError::internal)?;
        let key = sync::credential_key(&self.conn, &banco)?;
        self.secrets().set(&key, &secret).map_err(credentials_error)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        audit(&tx, Some(actor), "set_provider_credentials", "provider", None, json!({"banco": banco}), &now)?;
        tx.commit()?;
        self.wake_sync();
        self.connection_of(&banco)
    }

    pub fn sync_status(&self) -> CoreResult<SyncStatus> {
        // The UI polls this: it must not keep an idle session alive.
        self.quiet_operator()?;
        let (pendientes, monto_pendiente, requieren_atencion) = outbox_rows::backlog(&self.conn)?;
        let proveedores = self.sync.as_ref().map(|h| h.links()).unwrap_or_default();
        let backend = self.secrets().backend();
        Ok(SyncStatus {
            en_linea: proveedores.iter().all(|p| p.en_linea != Some(false)),
            proveedores,
            pendientes,
            monto_pendiente,
            requieren_atencion,
            enviando: self.sync.as_ref().is_some_and(|h| h.sending()),
            almacen_credenciales: match backend {
                SecretBackend::SecretService => AlmacenCredenciales::SecretService,
                SecretBackend::KernelKeyutils => AlmacenCredenciales::Keyutils,
            },
            credenciales_persistentes: backend.persistent(),
        })
    }

    /// Outbox rows, newest first, by state and provider; a cashier's list holds only the
    /// calls of their own sessions' operations.
    pub fn list_outbox(&self, filter: OutboxFilter) -> CoreResult<Page<OutboundItem>> {
        let owner = self.reader_scope()?;
        let paging = ops::paging(filter.page, filter.size, 1)?;
        let estado = match filter.estado.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(estado) => Some(EstadoEnvio::parse(estado).ok_or_else(|| {
                CoreError::invalid("estado", "debe ser queued, sending, retry_wait, acked, needs_attention o cancelled")
            })?),
            None => None,
        };
        let banco = match filter.banco.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(banco) => Some(provider_code(&self.conn, "banco", banco)?),
            None => None,
        };
        Ok(outbox_rows::page(&self.conn, estado, banco.as_deref(), owner, paging)?)
    }

    /// Sends a call again now: one that needs attention (after the cause is fixed) or one
    /// waiting for its next attempt. Its idempotency key stays the same.
    pub fn retry_outbound(&mut self, id: i64) -> CoreResult<OutboundItem> {
        let actor = self.admin("reintentar envíos")?.id;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let item = outbox::load_item(&tx, id)?;
        if !matches!(item.estado, EstadoEnvio::NeedsAttention | EstadoEnvio::RetryWait) {
            return Err(state_error(&item, "reintentar"));
        }
        let voided = outbox_rows::operation_voided(&tx, id)?;
        // A voided operation's call whose outcome is unknown may be asked about again
        // (the worker only confirms it, never sends it anew).
        if voided && item.revierte.is_none() && !item.resultado_incierto {
            return Err(CoreError::new(
                ErrorCode::EstadoNoPermite,
                "id",
                "El envío indicado en «identificador» es de una operación anulada: no se reintenta (cancélelo).",
            ));
        }
        if item.codigo_error.as_deref() == Some(outbox::NO_REVERSAL) {
            return Err(CoreError::new(
                ErrorCode::EstadoNoPermite,
                "id",
                "El envío indicado en «identificador» es un reverso de billetera, que su contrato no ofrece: solo se puede cancelar, una vez resuelto con el cliente.",
            ));
        }
        outbox_rows::requeue(&tx, id, &now)?;
        audit(&tx, Some(actor), "retry_outbound", "outbox", Some(id), json!({"estado_anterior": item.estado}), &now)?;
        let item = outbox::load_item(&tx, id)?;
        tx.commit()?;
        self.wake_sync();
        Ok(item)
    }

    /// Cancels a call that has not reached the provider; the operation itself stands
    /// (void it to undo it in the ledger).
    pub fn cancel_outbound(&mut self, input: CancelOutboundInput) -> CoreResult<OutboundItem> {
        let actor = self.admin("cancelar envíos")?.id;
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let item = outbox::load_item(&tx, input.id)?;
        if !matches!(item.estado, EstadoEnvio::Queued | EstadoEnvio::RetryWait | EstadoEnvio::NeedsAttention) {
            return Err(state_error(&item, "cancelar"));
        }
        let waiting = || {
            CoreError::new(
                ErrorCode::EsperandoProveedor,
                "id",
                "El envío indicado en «identificador» pudo llegar al proveedor: se espera su respuesta (o el extracto) antes de poder cancelarlo; reintente para consultarlo.",
            )
        };
        // Nor the reversal (or the wallet's note) of a call whose outcome is unknown: it is
        // what undoes the call if it was applied.
        let original_unknown = match item.revierte {
            Some(original) => outbox::load_item(&tx, original)?.resultado_incierto,
            None => false,
        };
        if item.resultado_incierto || original_unknown {
            return Err(waiting());
        }
        if !outbox::cancel(&tx, input.id, Some(actor), &motivo, &now)? {
            return Err(waiting());
        }
        audit(&tx, Some(actor), "cancel_outbound", "outbox", Some(input.id), json!({"motivo": motivo}), &now)?;
        let item = outbox::load_item(&tx, input.id)?;
        tx.commit()?;
        Ok(item)
    }

    /// A person resolves, with the provider's statement, a call whose outcome is unknown:
    /// applied (acknowledged, `CONFIRMADA_CON_EXTRACTO`; a voided operation's reversal may
    /// then go out), or not applied (sent again with its key; the original call of a
    /// voided operation is cancelled instead, a reversal is always sent again).
    pub fn resolve_outbound(&mut self, input: ResolveOutboundInput) -> CoreResult<OutboundItem> {
        let actor = self.admin("resolver envíos inciertos")?.id;
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let item = outbox::load_item(&tx, input.id)?;
        let open = matches!(item.estado, EstadoEnvio::Queued | EstadoEnvio::RetryWait | EstadoEnvio::NeedsAttention);
        if !open || !item.resultado_incierto {
            return Err(CoreError::new(
                ErrorCode::EstadoNoPermite,
                "id",
                "El envío indicado en «identificador» no tiene un resultado incierto: no hay nada que resolver con el extracto.",
            ));
        }
        if input.aplicada {
            let text = format!("Confirmada con el extracto del proveedor: {motivo}");
            outbox_rows::mark_applied_unconfirmed(&tx, input.id, &now, "CONFIRMADA_CON_EXTRACTO", &text)?;
        } else if item.revierte.is_none() && outbox_rows::operation_voided(&tx, input.id)? {
            // The original call of a voided operation: nothing to send. (A reversal not
            // applied is sent again: it is what undoes its deposit.)
            outbox_rows::cancel_resolved(&tx, input.id, &format!("No figura en el extracto del proveedor: {motivo}"), &now)?;
        } else {
            outbox_rows::requeue_not_applied(&tx, input.id, &now)?;
        }
        let detail = json!({"aplicada": input.aplicada, "motivo": motivo, "estado_anterior": item.estado});
        audit(&tx, Some(actor), "resolve_outbound", "outbox", Some(input.id), detail, &now)?;
        let item = outbox::load_item(&tx, input.id)?;
        tx.commit()?;
        self.wake_sync();
        Ok(item)
    }

    pub fn get_reconciliation(&self, id: i64) -> CoreResult<ReconciliationReport> {
        self.admin("ver conciliaciones")?;
        reconcile::load(&self.conn, id)
    }

    /// The reconciliation report as CSV text.
    pub fn reconciliation_csv(&self, id: i64) -> CoreResult<String> {
        Ok(reconcile::to_csv(&self.get_reconciliation(id)?))
    }

    /// Writes the reconciliation report as CSV to `path` (chosen by the manager).
    pub fn export_reconciliation_csv(&self, id: i64, path: &str) -> CoreResult<String> {
        let csv = self.reconciliation_csv(id)?;
        let path = text::required("ruta", path, 1000)?;
        std::fs::write(&path, csv)
            .map_err(|e| CoreError::new(ErrorCode::ArchivoInvalido, "ruta", format!("No se pudo escribir el archivo: {e}.")))?;
        Ok(path)
    }

    /// The provider and store-local day of a reconciliation against the provider's API,
    /// validated.
    pub fn check_reconcile_input(&self, input: &crate::domain::ReconcileInput) -> CoreResult<(String, chrono::NaiveDate)> {
        let (banco, day) = self.reconcile_target(input)?;
        reconcile::check_reconcilable(&self.conn, &banco)?;
        Ok((banco, day))
    }

    /// The provider code and store-local day a reconciliation is for.
    fn reconcile_target(&self, input: &crate::domain::ReconcileInput) -> CoreResult<(String, chrono::NaiveDate)> {
        let banco = provider_code(&self.conn, "banco", &input.banco)?;
        let day = ops::filter_date("fecha", &Some(input.fecha.clone()))?.ok_or_else(|| CoreError::required("fecha"))?;
        Ok((banco, day))
    }

    /// Reconciles a provider's day against its statement (`extracto`), with no call to
    /// the provider: how a bank, whose contract has no transaction list, is reconciled.
    pub fn reconcile_statement(&mut self, input: crate::domain::ReconcileInput) -> CoreResult<ReconciliationReport> {
        let actor = self.admin("conciliar con los proveedores")?.id;
        let (banco, day) = self.reconcile_target(&input)?;
        // A record-only provider is reconciled from its statement too (its operations' references).
        let connected = providers::is_connected(&self.conn, &banco)?;
        let remote = reconcile::parse_statement(input.extracto.as_deref().unwrap_or_default())?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let report = if connected {
            reconcile::record(&tx, &banco, day, Some(actor), &now, &remote)?
        } else {
            super::provider_rules::reconcile_record_only(&tx, &banco, day, actor, &now, &remote)?
        };
        audit(&tx, Some(actor), "reconcile_statement", "reconciliation", Some(report.id), json!({"banco": banco, "dia": report.dia}), &now)?;
        tx.commit()?;
        Ok(report)
    }

    /// Providers whose contract offers a transaction list (the end-of-day job reconciles them).
    pub fn reconcilable_providers(&self) -> CoreResult<Vec<String>> {
        Ok(providers::with_contract(&self.conn, Contrato::BilleteraV2)?)
    }

    /// The logged-in administrator's id, for work done outside the core's lock.
    pub fn require_admin(&self, action: &str) -> CoreResult<i64> {
        Ok(self.admin(action)?.id)
    }

    /// For `unlock_keyring`: checks the operator is an administrator and hands over the
    /// store, to be unlocked outside the core's lock ([`Mostrador::unlock_keyring`]).
    /// Returns the administrator's id, for [`Mostrador::keyring_unlocked`].
    pub fn keyring_to_unlock(&self) -> CoreResult<(i64, SecretStore)> {
        let actor = self.admin("desbloquear el llavero del sistema")?.id;
        Ok((actor, self.secrets().clone()))
    }

    /// Records in the audit log that `actor` had the keyring unlocked.
    pub fn keyring_unlocked(&mut self, actor: i64) -> CoreResult<()> {
        let (now, backend) = (self.now(), self.secrets().backend());
        let tx = store::write(&mut self.conn)?;
        audit(&tx, Some(actor), "unlock_keyring", "keyring", None, json!({"almacen": backend}), &now)?;
        tx.commit()?;
        Ok(())
    }

    /// Asks the desktop to unlock the keyring (its own password prompt), waiting for the
    /// person at most [`crate::secrets::UNLOCK_WAIT`]; a clear error when it stays locked.
    pub fn unlock_keyring(secrets: &SecretStore) -> CoreResult<()> {
        secrets.unlock(crate::secrets::UNLOCK_WAIT).map_err(credentials_error)
    }
}

/// The contract named in the connection form; `None` for "NINGUNO" (record-only).
fn contract(input: &str) -> CoreResult<Option<Contrato>> {
    match input.trim() {
        "NINGUNO" => Ok(None),
        other => Contrato::parse(other)
            .map(Some)
            .ok_or_else(|| CoreError::invalid("contrato", "debe ser BILLETERA_V2, BANCO_V1 o NINGUNO")),
    }
}

/// The connection the form describes for `contrato`, validated.
fn link_from(input: &ConfigureProviderInput, contrato: Contrato) -> CoreResult<providers::Link> {
    let base_url = base_url(input.url_base.as_deref().unwrap_or_default())?;
    if contrato == Contrato::BancoV1 && input.enviar_retiro {
        return Err(CoreError::invalid("enviar_retiro", "no se puede activar: el contrato del banco no permite verificar un retiro"));
    }
    let store_account = store_account(input, contrato)?;
    // Checked whenever any part is given; only a bank keeps it.
    let bank = contrato == Contrato::BancoV1;
    let point = service_point(input, bank && (input.enviar_deposito || input.enviar_qr))?.filter(|_| bank);
    let (max_single, max_queued) = limits(input)?;
    let settings = contract_settings(input, contrato)?;
    Ok(providers::Link {
        contract: contrato,
        base_url,
        send_deposito: input.enviar_deposito,
        send_retiro: input.enviar_retiro,
        send_qr: input.enviar_qr,
        store_account,
        point,
        max_single,
        max_queued,
        settings,
    })
}

/// The bank's `tipo_deposito`, checked whenever given.
fn deposit_type(input: &ConfigureProviderInput) -> CoreResult<Option<TipoDeposito>> {
    match input.tipo_deposito.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(form) => Ok(Some(TipoDeposito::parse(form).ok_or_else(|| {
            CoreError::invalid("tipo_deposito", "debe ser N_R (N / R) o NORMAL_REVERSO (Normal / Reverso)")
        })?)),
        None => Ok(None),
    }
}

/// The bank's `reenvio_incierto`, checked whenever given.
fn unknown_resend(input: &ConfigureProviderInput) -> CoreResult<Option<ReenvioIncierto>> {
    match input.reenvio_incierto.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(mode) => Ok(Some(
            ReenvioIncierto::parse(mode).ok_or_else(|| CoreError::invalid("reenvio_incierto", "debe ser MISMA_CLAVE o EXTRACTO"))?,
        )),
        None => Ok(None),
    }
}

/// What the documents leave open (CONTRACTS.md): every field is checked whenever it is
/// given, whatever the contract; only the contract's own are kept. Empty means the
/// documented default. A bank needs its token URL: its document names none.
fn contract_settings(input: &ConfigureProviderInput, contrato: Contrato) -> CoreResult<AjustesContrato> {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let url_token = match given(&input.url_token) {
        Some(url) => Some(http_url("url_token", &url)?),
        None => None,
    };
    let zona_horaria = match given(&input.zona_horaria) {
        Some(zone) if crate::connectors::bank::parse_offset(&zone).is_none() => {
            return Err(CoreError::invalid("zona_horaria", "debe ser un desfase UTC como -04:00 (entre -14:00 y +14:00)"))
        }
        zone => zone,
    };
    let tipo_deposito = deposit_type(input)?;
    let terminal_id = match given(&input.terminal_id) {
        Some(id) if id.len() > 20 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
            return Err(CoreError::invalid("terminal_id", "debe tener de 1 a 20 letras, dígitos o «-»"))
        }
        id => id,
    };
    let ip = |field: &str, value: &Option<String>| match given(value) {
        Some(ip) if ip.parse::<std::net::IpAddr>().is_err() => {
            Err(CoreError::invalid(field, "debe ser una dirección IP como 192.168.1.20"))
        }
        ip => Ok(ip),
    };
    let ip_terminal = ip("ip_terminal", &input.ip_terminal)?;
    let ip_servidor = ip("ip_servidor", &input.ip_servidor)?;
    let usuario_modificador = match given(&input.usuario_modificador) {
        Some(user) if user.len() > 20 || !user.bytes().all(|b| b.is_ascii_graphic()) => {
            return Err(CoreError::invalid("usuario_modificador", "debe tener hasta 20 letras o dígitos, sin espacios ni acentos"))
        }
        user => user,
    };
    let reenvio_incierto = unknown_resend(input)?;
    let unidad_expiracion = match given(&input.unidad_expiracion) {
        Some(unit) => Some(
            UnidadExpiracion::parse(&unit)
                .ok_or_else(|| CoreError::invalid("unidad_expiracion", "debe ser SECONDS o MILLISECONDS"))?,
        ),
        None => None,
    };
    let unidad_saldo = match given(&input.unidad_saldo) {
        Some(unit) => Some(UnidadSaldo::parse(&unit).ok_or_else(|| CoreError::invalid("unidad_saldo", "debe ser CENTAVOS o BOLIVIANOS"))?),
        None => None,
    };
    let concepto = match given(&input.concepto) {
        Some(concept) if concept.chars().count() > 40 || !concept.chars().all(|c| c.is_ascii_alphanumeric() || "_-. ".contains(c)) => {
            return Err(CoreError::invalid("concepto", "debe ser el código de un concepto de la billetera (letras, dígitos, «_», «-», «.»)"))
        }
        concept => concept,
    };
    let dias_lista_confiable = whole_number("dias_lista_confiable", given(&input.dias_lista_confiable), 1..=3650, "días")?;
    let segundos_espera_consulta =
        whole_number("segundos_espera_consulta", given(&input.segundos_espera_consulta), 1..=86_400, "segundos")?;
    Ok(match contrato {
        Contrato::BancoV1 => AjustesContrato {
            url_token: Some(url_token.ok_or_else(|| CoreError::required("url_token"))?),
            zona_horaria,
            tipo_deposito,
            terminal_id,
            ip_terminal,
            ip_servidor,
            usuario_modificador,
            reenvio_incierto,
            unidad_expiracion: None,
            concepto: None,
            dias_lista_confiable: None,
            segundos_espera_consulta: None,
            unidad_saldo: None,
        },
        Contrato::BilleteraV2 => {
            // Every cashout sends the connection's concept (seeds/002 L35): the document
            // has no default, so a wallet that is sent deposits or QR transfers needs one.
            if concepto.is_none() && (input.enviar_deposito || input.enviar_qr) {
                return Err(CoreError::required("concepto"));
            }
            AjustesContrato {
                unidad_expiracion,
                concepto,
                dias_lista_confiable,
                segundos_espera_consulta,
                unidad_saldo,
                ..AjustesContrato::default()
            }
        }
    })
}

/// A whole number of `unit` within `range` typed in `field`, when given.
fn whole_number(field: &str, typed: Option<String>, range: std::ops::RangeInclusive<i64>, unit: &str) -> CoreResult<Option<i64>> {
    let Some(typed) = typed else { return Ok(None) };
    match typed.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(CoreError::invalid(field, &format!("debe ser un número entero de {unit} entre {} y {}", range.start(), range.end()))),
    }
}

/// A provider URL for `field`: `https`, or `http` only to a loopback host (the bundled
/// simulator, a local test server); a host and no credentials.
fn http_url(field: &str, input: &str) -> CoreResult<String> {
    // The text rules, except that an IPv6 host is written in brackets (`[::1]`).
    text::required(field, &input.replace(['[', ']'], "x"), 200)?;
    let url = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let bad = || CoreError::invalid(field, "debe ser una dirección https:// válida");
    let parsed = reqwest::Url::parse(&url).map_err(|_| bad())?;
    let host = parsed.host_str().ok_or_else(bad)?;
    match parsed.scheme() {
        "https" => {}
        // Money and credentials never cross a network in clear text.
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(CoreError::invalid(
                field,
                "debe usar https://; http:// solo se admite hacia este equipo (127.0.0.1, localhost, [::1])",
            ))
        }
        _ => return Err(bad()),
    }
    // Credentials belong in the keyring, never in a URL stored in SQLite.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(CoreError::invalid(field, "no debe llevar usuario ni contraseña: use el formulario de credenciales"));
    }
    Ok(url)
}

/// 127.0.0.0/8, `[::1]` or `localhost` (a parsed URL's host: IPv6 in brackets, IPv4
/// already in dotted form).
fn is_loopback(host: &str) -> bool {
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    match ip.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// The provider's base URL.
fn base_url(input: &str) -> CoreResult<String> {
    http_url("url_base", input)
}

/// The store's correspondent account: required, as an account number, when the bank is
/// sent deposits.
fn store_account(input: &ConfigureProviderInput, contrato: Contrato) -> CoreResult<Option<String>> {
    let cuenta_tienda = text::optional("cuenta_tienda", input.cuenta_tienda.as_deref(), 20)?;
    // Checked whenever given (a "-1" was once stored while deposits were off).
    if let Some(account) = &cuenta_tienda {
        if !(6..=20).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::invalid("cuenta_tienda", "debe ser un número de cuenta de 6 a 20 dígitos"));
        }
    }
    if contrato == Contrato::BancoV1 && (input.enviar_deposito || input.enviar_qr) && cuenta_tienda.is_none() {
        return Err(CoreError::required("cuenta_tienda"));
    }
    // Only a bank debits a store account.
    Ok(cuenta_tienda.filter(|_| contrato == Contrato::BancoV1))
}

/// The offline limits per operation and pending, the defaults where left empty.
fn limits(input: &ConfigureProviderInput) -> CoreResult<(Money, Money)> {
    let limit = |field: &str, input: &Option<String>, default: Money| match input.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => Money::parse_positive(field, text),
    };
    let max_single = limit("limite_operacion", &input.limite_operacion, DEFAULT_LIMIT_SINGLE)?;
    let max_queued = limit("limite_pendiente", &input.limite_pendiente, DEFAULT_LIMIT_QUEUED)?;
    if max_single > max_queued {
        return Err(CoreError::invalid("limite_operacion", "no puede superar el límite pendiente de envío"));
    }
    Ok((max_single, max_queued))
}

fn state_error(item: &OutboundItem, action: &str) -> CoreError {
    CoreError::new(
        ErrorCode::EstadoNoPermite,
        "id",
        format!("El envío indicado en «identificador» está en estado «{}»: no se puede {action}.", item.estado.as_str()),
    )
}
