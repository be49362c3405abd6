//! The X/Z report's sections: per-session totals of the agent, top-up and payment
//! records (voided ones left out) and the count of voids.

use rusqlite::{params, Connection};

use super::sessions::{self, Moment};
use crate::domain::{AccountCode, AgentTotal, CarrierTotal, PaymentTotal};

pub fn agent_totals(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<AgentTotal>> {
    conn.prepare_cached(
        "SELECT banco, tipo_operacion, COUNT(*), SUM(monto), SUM(comision_cliente), SUM(comision_banco)
         FROM agent_transactions WHERE id_caja_sesion = ?1 AND voided_at IS NULL
         GROUP BY banco, tipo_operacion ORDER BY banco, tipo_operacion",
    )?
    .query_map([session_id], |r| {
        Ok(AgentTotal {
            banco: r.get(0)?,
            tipo_operacion: r.get(1)?,
            cantidad: r.get(2)?,
            monto: r.get(3)?,
            comision_cliente: r.get(4)?,
            comision_banco: r.get(5)?,
        })
    })?
    .collect()
}

/// Each carrier's balance at open and close, from the snapshots (an open session shows the
/// live balance as its closing figure), with its top-ups and injections in the session.
pub fn carrier_totals(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<CarrierTotal>> {
    let mut activity = conn.prepare_cached(
        "SELECT (SELECT COUNT(*) FROM topups WHERE id_caja_sesion = ?1 AND operadora = ?2 AND voided_at IS NULL),
                (SELECT COALESCE(SUM(monto), 0) FROM topups WHERE id_caja_sesion = ?1 AND operadora = ?2 AND voided_at IS NULL),
                (SELECT COUNT(*) FROM injections WHERE id_caja_sesion = ?1 AND operadora = ?2 AND voided_at IS NULL),
                (SELECT COALESCE(SUM(monto), 0) FROM injections WHERE id_caja_sesion = ?1 AND operadora = ?2 AND voided_at IS NULL),
                (SELECT COALESCE(SUM(bonificacion), 0) FROM injections WHERE id_caja_sesion = ?1 AND operadora = ?2 AND voided_at IS NULL)",
    )?;
    let mut totals = Vec::new();
    for carrier in super::recargas::carriers(conn)? {
        let opening = sessions::carrier_snapshot(conn, session_id, Moment::Opening, carrier)?;
        let closing = match sessions::carrier_snapshot(conn, session_id, Moment::Close, carrier)? {
            Some(saldo) => saldo,
            None => super::ledger::balance_of(conn, &AccountCode::CarrierFloat(carrier))?,
        };
        let total = activity.query_row(params![session_id, carrier], |r| {
            Ok(CarrierTotal {
                operadora: carrier,
                saldo_apertura: opening.unwrap_or_default(),
                saldo_cierre: closing,
                recargas: r.get(0)?,
                monto_recargas: r.get(1)?,
                inyecciones: r.get(2)?,
                monto_inyecciones: r.get(3)?,
                bonificacion: r.get(4)?,
            })
        })?;
        totals.push(total);
    }
    Ok(totals)
}

pub fn payment_totals(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<PaymentTotal>> {
    conn.prepare_cached(
        "SELECT metodo_pago, COUNT(*), SUM(monto) FROM payments
         WHERE id_caja_sesion = ?1 AND vigente = 1 GROUP BY metodo_pago ORDER BY metodo_pago",
    )?
    .query_map([session_id], |r| Ok(PaymentTotal { metodo_pago: r.get(0)?, cantidad: r.get(1)?, monto: r.get(2)? }))?
    .collect()
}

/// How many records of the session were voided.
pub fn void_count(conn: &Connection, session_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT (SELECT COUNT(*) FROM agent_transactions WHERE id_caja_sesion = ?1 AND voided_at IS NOT NULL)
              + (SELECT COUNT(*) FROM topups WHERE id_caja_sesion = ?1 AND voided_at IS NOT NULL)
              + (SELECT COUNT(*) FROM injections WHERE id_caja_sesion = ?1 AND voided_at IS NOT NULL)
              + (SELECT COUNT(*) FROM payments WHERE id_caja_sesion = ?1 AND vigente = 0)",
    )?
    .query_row([session_id], |r| r.get(0))
}

/// What kind of operation an activity stamp is, for the chart of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Agente,
    Recarga,
    Pago,
    Movimiento,
}

/// When each operation of the session happened (UTC stamps), voided ones left out; cash
/// movements are the cashier's own (income and expenses, not the operations' cash legs).
pub fn activity_stamps(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<(String, ActivityKind)>> {
    let mut stamps = Vec::new();
    let sources: [(&str, ActivityKind); 4] = [
        ("SELECT fecha FROM agent_transactions WHERE id_caja_sesion = ?1 AND voided_at IS NULL", ActivityKind::Agente),
        ("SELECT fecha FROM topups WHERE id_caja_sesion = ?1 AND voided_at IS NULL", ActivityKind::Recarga),
        ("SELECT created_at FROM payments WHERE id_caja_sesion = ?1 AND vigente = 1", ActivityKind::Pago),
        ("SELECT created_at FROM cash_movements WHERE session_id = ?1", ActivityKind::Movimiento),
    ];
    for (sql, kind) in sources {
        let mut stmt = conn.prepare_cached(sql)?;
        for stamp in stmt.query_map([session_id], |r| r.get::<_, String>(0))? {
            stamps.push((stamp?, kind));
        }
    }
    Ok(stamps)
}
