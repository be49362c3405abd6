//! The store's float with a connected wallet against the wallet's own balance
//! (`GET v2/account/balance`, seeds/002 L28): asked after each sync pass and at the end
//! of the day, each answer kept as a balance check (append-only) that the sync centre
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
    let now = stamp(clock.now());
    let tx = store::write(&mut conn)?;
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
