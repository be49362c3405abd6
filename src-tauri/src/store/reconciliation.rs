//! `reconciliations` and `reconciliation_lines`: the stored end-of-day reports, and the
//! store's calls of a day they are matched from. The matching itself is `sync::reconcile`.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{EstadoEnvio, LlamadaApi, Money, ReconciliationLine, ReconciliationReport};

/// A call the store made (or still owes) that the provider should list.
#[derive(Debug, Clone)]
pub struct LocalCall {
    pub agent_transaction_id: i64,
    pub call: LlamadaApi,
    pub key: String,
    pub provider_ref: Option<String>,
    pub amount: Money,
    pub state: EstadoEnvio,
    /// The body as stored (a cashout's CUIT and CVU, a cash-in check's amount).
    pub body: String,
}

/// The store's calls to `provider` that are not cancelled, for operations stamped from
/// `from` (inclusive) to `to` (exclusive); reversals are not listed by the providers.
pub fn local_calls(conn: &Connection, provider: &str, from: &str, to: &str) -> rusqlite::Result<Vec<LocalCall>> {
    let mut stmt = conn.prepare(
        "SELECT o.agent_transaction_id, o.call, o.idempotency_key, o.provider_ref, o.amount, o.state, o.body
         FROM outbox o JOIN agent_transactions a ON a.id = o.agent_transaction_id
         WHERE o.provider = ?1 AND o.call IN ('CASHOUT', 'VERIFICAR_COBRO', 'DEPOSITO') AND o.state != 'cancelled'
           AND a.fecha >= ?2 AND a.fecha < ?3
         ORDER BY o.id",
    )?;
    let rows = stmt.query_map(params![provider, from, to], |r| {
        Ok(LocalCall {
            agent_transaction_id: r.get(0)?,
            call: r.get(1)?,
            key: r.get(2)?,
            provider_ref: r.get(3)?,
            amount: r.get(4)?,
            state: r.get(5)?,
            body: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// Stores a report (its `id` is ignored) with its lines in order; returns its id.
pub fn insert(conn: &Connection, report: &ReconciliationReport, operator: Option<i64>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO reconciliations (provider, dia, created_at, operator_id, conciliadas, faltan_en_proveedor, desconocidas)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            report.banco,
            report.dia,
            report.creado,
            operator,
            report.conciliadas,
            report.faltan_en_proveedor,
            report.desconocidas
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut insert = conn.prepare(
        "INSERT INTO reconciliation_lines (reconciliation_id, line, estado, agent_transaction_id, referencia, provider_ref, monto, detalle)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (n, l) in report.lineas.iter().enumerate() {
        insert.execute(params![id, n as i64 + 1, l.estado, l.id_transaccion, l.referencia, l.referencia_proveedor, l.monto, l.detalle])?;
    }
    Ok(id)
}

pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<ReconciliationReport>> {
    let head = conn
        .query_row(
            "SELECT provider, dia, created_at, conciliadas, faltan_en_proveedor, desconocidas FROM reconciliations WHERE id = ?1",
            [id],
            |r| {
                Ok(ReconciliationReport {
                    id,
                    banco: r.get(0)?,
                    dia: r.get(1)?,
                    creado: r.get(2)?,
                    conciliadas: r.get(3)?,
                    faltan_en_proveedor: r.get(4)?,
                    desconocidas: r.get(5)?,
                    lineas: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(head) = head else { return Ok(None) };
    let lineas = conn
        .prepare(
            "SELECT estado, agent_transaction_id, referencia, provider_ref, monto, detalle FROM reconciliation_lines
             WHERE reconciliation_id = ?1 ORDER BY line",
        )?
        .query_map([id], |r| {
            Ok(ReconciliationLine {
                estado: r.get(0)?,
                id_transaccion: r.get(1)?,
                referencia: r.get(2)?,
                referencia_proveedor: r.get(3)?,
                monto: r.get(4)?,
                detalle: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(ReconciliationReport { lineas, ..head }))
}
