//! The store's float with a connected wallet against the wallet's own balance
//! (`GET v2/account/balance`, seeds/002 L28): asked after «Sincronizar ahora», at the end
//! of the day, and by the worker's automatic passes at most every [`AUTOMATIC_EVERY`] per
//! wallet; each answer kept as a balance check (append-only) that the sync centre
//! and the end-of-day report show with its difference.

use std::path::Path;
use std::time::Duration;

use crate::domain::clock::{stamp, Clock};
use crate::domain::{AccountCode, BalanceCheck, Contrato, CoreError, CoreResult, ErrorCode, MomentoSaldo, Money};
use crate::secrets::SecretStore;
use crate::store::{self, provider_rules, providers};

/// Asks one wallet for its balance and records the comparison with the store's float.
/// Uses its own connection; the app's writer is not held while the wallet answers.
pub async fn check(
    db_path: &Path,
    secrets: &SecretStore,
    clock: &dyn Clock,
    provider: &str,
    momento: MomentoSaldo,
    timeout: Duration,
) -> CoreResult<BalanceCheck> {
    let unavailable = |detail: String| CoreError::new(ErrorCode::ProveedorNoDisponible, "banco", detail);
    let connector = {
        let conn = store::open(db_path)?;
        let link = providers::link(&conn, provider)?
            .filter(|l| l.contract == Contrato::BilleteraV2)
            .ok_or_else(|| unavailable(format!("El «banco» {provider} no está conectado como billetera: no hay saldo que consultar.")))?;
        let secret = super::stored_secret(&conn, secrets, provider).map_err(unavailable)?;
        super::build_connector(link.contract, &link.base_url, &link.settings, &secret, timeout).map_err(unavailable)?
    };
    let remote =
        connector.wallet_balance().await.map_err(|e| unavailable(format!("No se pudo consultar el saldo de {provider}: {e}")))?;
    let mut conn = store::open(db_path)?;
    record(&mut conn, clock, provider, momento, remote)
}

/// Records the wallet's answer `remote` against the store's float as it stands now.
pub fn record(conn: &mut rusqlite::Connection, clock: &dyn Clock, provider: &str, momento: MomentoSaldo, remote: Money) -> CoreResult<BalanceCheck> {
    let now = stamp(clock.now());
    let tx = store::write(conn)?;
    let ours: Money = store::ledger::balance_of(&tx, &AccountCode::ProviderFloat(provider.to_string()))?;
    let id = provider_rules::insert_balance_check(&tx, provider, momento, ours, remote, &now)?;
    tx.commit()?;
    Ok(BalanceCheck {
        id,
        banco: provider.to_string(),
        fecha: now,
        momento,
        saldo_tienda: ours,
        saldo_proveedor: remote,
        diferencia: Money::from_centavos(remote.centavos() - ours.centavos()),
    })
}

/// How often, at most, the worker's automatic passes ask each connected wallet for its
/// balance (any earlier check of that wallet, manual or at end of day, counts): a wallet
/// is asked only in a pass that reached it, so an offline counter asks nothing. The
/// worker's `balance_every` overrides it (`None` turns the automatic check off).
pub const AUTOMATIC_EVERY: Duration = Duration::from_secs(15 * 60);

/// Whether a wallet last checked at `last` (a stored stamp) is due again at `now`.
pub fn due(last: Option<&str>, now: chrono::DateTime<chrono::Utc>, every: Duration) -> bool {
    let Some(last) = last.and_then(|l| chrono::DateTime::parse_from_rfc3339(l).ok()) else { return true };
    let elapsed = now.signed_duration_since(last.with_timezone(&chrono::Utc));
    // A stamp ahead of the clock (the clock was set back) does not silence the check.
    elapsed.to_std().map_or(true, |e| e >= every)
}

/// Checks every wallet connected with the v2 contract; one that cannot be asked is
/// skipped (its last check stays), the others are recorded.
pub async fn check_all(db_path: &Path, secrets: &SecretStore, clock: &dyn Clock, momento: MomentoSaldo, timeout: Duration) -> Vec<CoreResult<BalanceCheck>> {
    let wallets = match connected_wallets(db_path) {
        Ok(wallets) => wallets,
        Err(e) => return vec![Err(e)],
    };
    let mut done = Vec::with_capacity(wallets.len());
    for wallet in wallets {
        done.push(check(db_path, secrets, clock, &wallet, momento, timeout).await);
    }
    done
}

fn connected_wallets(db_path: &Path) -> CoreResult<Vec<String>> {
    let conn = store::open(db_path)?;
    Ok(providers::with_contract(&conn, Contrato::BilleteraV2)?)
}
