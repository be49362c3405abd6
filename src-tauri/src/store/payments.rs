//! Work-order payments: the queries and row mappers.

use rusqlite::{params, Connection, OptionalExtension};

use super::query::{self, Filter, Listing, Paging};
use crate::domain::{MetodoPago, Money, Page, Pago};

const COLUMNS: &str = "p.id, p.id_orden_trabajo, p.cliente, o.name, p.monto, p.fecha_pago, p.metodo_pago, p.referencia,
     p.vigente, p.id_caja_sesion, p.corrige_a, p.created_at, p.voided_at, p.void_reason";

const FROM: &str = "payments p JOIN operators o ON o.id = p.operator_id";

fn pago_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Pago> {
    Ok(Pago {
        id: r.get(0)?,
        pendiente_id: r.get(1)?,
        cliente: r.get(2)?,
        empleado: r.get(3)?,
        monto: r.get(4)?,
        fecha_pago: r.get(5)?,
        metodo_pago: r.get(6)?,
        referencia: r.get(7)?,
        vigente: r.get(8)?,
        id_caja_sesion: r.get(9)?,
        corrige_a: r.get(10)?,
        creado_en: r.get(11)?,
        anulada_en: r.get(12)?,
        motivo_anulacion: r.get(13)?,
    })
}

const LISTING: Listing<Pago> = Listing { from: FROM, columns: COLUMNS, order: "p.id DESC", row: pago_from_row };

pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<Pago>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = ?1"))?.query_row([id], pago_from_row).optional()
}

/// Whether a live payment already carries this method's reference.
pub fn reference_taken(conn: &Connection, method: MetodoPago, reference: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM payments WHERE metodo_pago = ?1 AND referencia = ?2 AND vigente = 1)")?
        .query_row(params![method, reference], |r| r.get(0))
}

/// A payment's row as written.
pub struct PaymentRow<'a> {
    pub work_order: i64,
    pub client: &'a str,
    pub amount: Money,
    /// YYYY-MM-DD.
    pub paid_on: String,
    pub method: MetodoPago,
    pub reference: Option<&'a str>,
    pub session_id: i64,
    pub operator_id: i64,
    pub corrects: Option<i64>,
}

pub fn insert(conn: &Connection, p: &PaymentRow<'_>, at: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO payments (id_orden_trabajo, cliente, monto, fecha_pago, metodo_pago, referencia, id_caja_sesion, operator_id, created_at, corrige_a)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![p.work_order, p.client, p.amount, p.paid_on, p.method, p.reference, p.session_id, p.operator_id, at, p.corrects])?;
    Ok(conn.last_insert_rowid())
}

/// Payments, of one session when given and only of `owner`'s sessions when given.
pub fn list(
    conn: &Connection,
    session_id: Option<i64>,
    owner: Option<i64>,
    include_voided: bool,
    paging: Paging,
) -> rusqlite::Result<Page<Pago>> {
    let mut filter = Filter::default();
    if !include_voided {
        filter.and("p.vigente = 1", []);
    }
    filter.and_some("p.id_caja_sesion = ?", session_id).and_some("p.id_caja_sesion IN (SELECT id FROM cash_sessions WHERE operator_id = ?)", owner);
    query::page(conn, &LISTING, &filter, paging, None)
}

/// Every payment of a work order, voided ones included, oldest first; only those of
/// `owner`'s sessions when given.
pub fn of_work_order(conn: &Connection, work_order: i64, owner: Option<i64>) -> rusqlite::Result<Vec<Pago>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE p.id_orden_trabajo = ?1
         AND (?2 IS NULL OR p.id_caja_sesion IN (SELECT id FROM cash_sessions WHERE operator_id = ?2)) ORDER BY p.id"
    ))?
    .query_map(params![work_order, owner], pago_from_row)?
        .collect()
}
