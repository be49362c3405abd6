//! The offline queue: the outbox written with each operation, the worker that sends it
//! to the providers, and the end-of-day reconciliation.

pub mod balance;
pub mod outbox;
pub mod reconcile;
pub mod worker;

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::connectors::{Connector, ConnectorConfig, ProviderSecret};
use crate::domain::{AjustesContrato, CoreError, CoreResult, Contrato, ErrorCode, ReconciliationReport};
use crate::secrets::SecretStore;
use crate::domain::clock::{stamp, Clock};
use crate::store::{self, providers};
pub use worker::{DrainSummary, SyncHandle, WorkerConfig};

/// The keyring entry of a provider's credentials: per database, so two stores (or a
/// test) on one machine never read each other's.
pub fn credential_key(conn: &Connection, provider: &str) -> CoreResult<String> {
    let install = store::setting(conn, "install_id")?.unwrap_or_else(|| "0".into());
    Ok(format!("{provider}@{install}"))
}

/// The provider's credentials as stored (JSON), or why they cannot be had.
pub fn stored_secret(conn: &Connection, secrets: &SecretStore, provider: &str) -> Result<String, String> {
    let key = credential_key(conn, provider).map_err(|e| e.message)?;
    secrets
        .get(&key)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("Faltan las credenciales de {provider}: guárdelas en «Conexiones y credenciales»."))
}

pub fn build_connector(
    contract: Contrato,
    base_url: &str,
    settings: &AjustesContrato,
    secret_json: &str,
    timeout: Duration,
) -> Result<Connector, String> {
    let secret: ProviderSecret =
        serde_json::from_str(secret_json).map_err(|_| "Las credenciales guardadas no se pueden leer.".to_string())?;
    let config = ConnectorConfig {
        contract,
        base_url: base_url.to_string(),
        secret,
        timeout,
        settings: settings.clone(),
    };
    Connector::new(config).map_err(|e| e.to_string())
}

/// Reconciles one provider for a store-local day: fetches its transaction list, matches
/// it with the store's calls and stores the report with its audit row, stamped by
/// `clock`. Uses its own
/// connection, so the app's writer is not held while the provider answers.
pub async fn reconcile(
    db_path: &Path,
    secrets: &SecretStore,
    clock: &dyn Clock,
    provider: &str,
    day: NaiveDate,
    operator: Option<i64>,
    timeout: Duration,
) -> CoreResult<ReconciliationReport> {
    let mut conn = store::open(db_path)?;
    let contract = reconcile::check_reconcilable(&conn, provider)?;
    let link = providers::link(&conn, provider)?;
    let base_url = link.as_ref().map(|l| l.base_url.clone()).unwrap_or_default();
    let settings = link.map(|l| l.settings).unwrap_or_default();
    let unavailable = |detail: String| CoreError::new(ErrorCode::ProveedorNoDisponible, "banco", detail);
    let secret = stored_secret(&conn, secrets, provider).map_err(unavailable)?;
    let connector = build_connector(contract, &base_url, &settings, &secret, timeout).map_err(unavailable)?;
    let remote = connector
        .transactions(day)
        .await
        .map_err(|e| unavailable(format!("No se pudo obtener la lista de {provider}: {e}")))?;
    let now = stamp(clock.now());
    let tx = store::write(&mut conn)?;
    let report = reconcile::record(&tx, provider, day, operator, &now, &remote)?;
    // Audited like the statement path (`reconcile_statement`); no operator for the
    // headless end-of-day job.
    let detail = serde_json::json!({"banco": provider, "dia": report.dia});
    store::records::audit(&tx, operator, "reconcile_provider", "reconciliation", Some(report.id), detail, &now)?;
    tx.commit()?;
    Ok(report)
}
