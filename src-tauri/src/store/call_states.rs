//! What the counter shows of the outbox: each operation's own call (not its reversal) and a
//! session's calls by provider. Reads only; the outbox's writes stay in `store::outbox`.

use rusqlite::{params, Connection};

use crate::domain::{EstadoEnvio, EstadoLlamada, LlamadaDeOperacion, Money, ProviderSyncTotal};

/// One own call: the transaction, its provider, state, amount and the provider's reference.
struct OwnCall {
    id_transaccion: i64,
    banco: String,
    estado: EstadoLlamada,
    monto: Money,
    referencia: Option<String>,
}

const OWN_CALLS: &str = "SELECT o.agent_transaction_id, o.provider, o.state, o.outcome_unknown, o.amount, o.provider_ref
     FROM outbox o JOIN agent_transactions t ON t.id = o.agent_transaction_id
     JOIN cash_sessions s ON s.id = t.id_caja_sesion
     WHERE o.call <> 'REVERSO' AND o.reverses IS NULL";

fn own_call(r: &rusqlite::Row<'_>) -> rusqlite::Result<OwnCall> {
    let estado: EstadoEnvio = r.get(2)?;
    Ok(OwnCall {
        id_transaccion: r.get(0)?,
        banco: r.get(1)?,
        estado: EstadoLlamada::of(estado, r.get(3)?),
        monto: r.get(4)?,
        referencia: r.get(5)?,
    })
}

/// The call state of each of `ids` that has a call (a record-only operation has none),
/// limited to the sessions of `operator` when given. The latest own call wins.
pub fn of_transactions(conn: &Connection, ids: &[i64], operator: Option<i64>) -> rusqlite::Result<Vec<LlamadaDeOperacion>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{OWN_CALLS} AND o.agent_transaction_id = ?1 AND (?2 IS NULL OR s.operator_id = ?2) ORDER BY o.id DESC LIMIT 1"
    ))?;
    let mut states = Vec::new();
    for id in ids {
        let mut rows = stmt.query(params![id, operator])?;
        if let Some(row) = rows.next()? {
            let call = own_call(row)?;
            states.push(LlamadaDeOperacion {
                id_transaccion: call.id_transaccion,
                estado: call.estado,
                referencia_proveedor: call.referencia.filter(|_| call.estado == EstadoLlamada::Confirmada),
            });
        }
    }
    Ok(states)
}

/// A session's own calls folded by provider (by provider code).
pub fn session_by_provider(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<ProviderSyncTotal>> {
    let calls = conn
        .prepare_cached(&format!("{OWN_CALLS} AND t.id_caja_sesion = ?1 ORDER BY o.provider, o.id"))?
        .query_map([session_id], own_call)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut totals: Vec<ProviderSyncTotal> = Vec::new();
    for call in calls {
        if totals.last().map(|t| t.banco != call.banco).unwrap_or(true) {
            totals.push(ProviderSyncTotal { banco: call.banco.clone(), ..ProviderSyncTotal::default() });
        }
        let total = totals.last_mut().expect("pushed above");
        match call.estado {
            EstadoLlamada::EnCola => total.en_cola += 1,
            EstadoLlamada::Enviada => total.enviadas += 1,
            EstadoLlamada::Confirmada => total.confirmadas += 1,
            EstadoLlamada::RequiereAtencion => total.requieren_atencion += 1,
            EstadoLlamada::Cancelada => total.canceladas += 1,
        }
        if call.estado.sin_confirmar() {
            total.monto_sin_confirmar = total.monto_sin_confirmar.checked_add(call.monto).unwrap_or(total.monto_sin_confirmar);
        }
    }
    Ok(totals)
}
