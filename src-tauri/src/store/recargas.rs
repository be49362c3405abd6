//! Carriers, top-ups and injections: the queries and row mappers.

use rusqlite::{params, Connection, OptionalExtension};

use super::query::{self, Filter, Listing, Paging};
use crate::domain::{InyeccionOperadora, Money, Carrier, Page, RecargaCliente};

/// The carriers the store sells top-ups for, in name order.
pub fn carriers(conn: &Connection) -> rusqlite::Result<Vec<Carrier>> {
    conn.prepare_cached("SELECT operadora FROM carriers ORDER BY operadora")?.query_map([], |r| r.get(0))?.collect()
}

/// The bonus a carrier adds to each injection, in hundredths of a percent.
pub fn bonus_basis_points(conn: &Connection, carrier: Carrier) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT bonus_basis_points FROM carriers WHERE operadora = ?1")?.query_row([carrier], |r| r.get(0))
}

pub fn set_bonus_basis_points(conn: &Connection, carrier: Carrier, basis_points: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE carriers SET bonus_basis_points = ?2 WHERE operadora = ?1", params![carrier, basis_points])?;
    Ok(())
}

const TOPUP_COLUMNS: &str = "id, operadora, telefono, monto, fecha, id_caja_sesion, operator_id, voided_at, void_reason";

fn topup_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecargaCliente> {
    Ok(RecargaCliente {
        id: r.get(0)?,
        operadora: r.get(1)?,
        telefono: r.get(2)?,
        monto: r.get(3)?,
        fecha: r.get(4)?,
        id_caja_sesion: r.get(5)?,
        id_usuario: r.get(6)?,
        anulada_en: r.get(7)?,
        motivo_anulacion: r.get(8)?,
    })
}

const TOPUPS: Listing<RecargaCliente> =
    Listing { from: "topups", columns: TOPUP_COLUMNS, order: "fecha DESC, id DESC", row: topup_from_row };

pub fn load_topup(conn: &Connection, id: i64) -> rusqlite::Result<Option<RecargaCliente>> {
    conn.prepare_cached(&format!("SELECT {TOPUP_COLUMNS} FROM topups WHERE id = ?1"))?
        .query_row([id], topup_from_row)
        .optional()
}

pub fn insert_topup(
    conn: &Connection,
    carrier: Carrier,
    phone: &str,
    amount: Money,
    session_id: i64,
    operator_id: i64,
    at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO topups (operadora, telefono, monto, fecha, id_caja_sesion, operator_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![carrier, phone, amount, at, session_id, operator_id])?;
    Ok(conn.last_insert_rowid())
}

const INJECTION_COLUMNS: &str = "id, operadora, monto, bonificacion, fecha, id_caja_sesion, operator_id, voided_at, void_reason";

fn injection_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InyeccionOperadora> {
    Ok(InyeccionOperadora {
        id: r.get(0)?,
        operadora: r.get(1)?,
        monto: r.get(2)?,
        bonificacion: r.get(3)?,
        fecha: r.get(4)?,
        id_caja_sesion: r.get(5)?,
        id_usuario: r.get(6)?,
        anulada_en: r.get(7)?,
        motivo_anulacion: r.get(8)?,
    })
}

const INJECTIONS: Listing<InyeccionOperadora> =
    Listing { from: "injections", columns: INJECTION_COLUMNS, order: "fecha DESC, id DESC", row: injection_from_row };

pub fn load_injection(conn: &Connection, id: i64) -> rusqlite::Result<Option<InyeccionOperadora>> {
    conn.prepare_cached(&format!("SELECT {INJECTION_COLUMNS} FROM injections WHERE id = ?1"))?
        .query_row([id], injection_from_row)
        .optional()
}

#[allow(clippy::too_many_arguments)]
pub fn insert_injection(
    conn: &Connection,
    carrier: Carrier,
    amount: Money,
    bonus: Money,
    session_id: i64,
    operator_id: i64,
    at: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO injections (operadora, monto, bonificacion, fecha, id_caja_sesion, operator_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![carrier, amount, bonus, at, session_id, operator_id])?;
    Ok(conn.last_insert_rowid())
}

/// The filter of the top-up and injection lists.
pub struct RecargaQuery {
    pub session_id: Option<i64>,
    /// Only the sessions of this operator (a cashier's own).
    pub owner: Option<i64>,
    pub carrier: Option<Carrier>,
    pub from: Option<String>,
    pub before: Option<String>,
}

impl RecargaQuery {
    fn filter(self) -> Filter {
        let mut filter = Filter::default();
        filter
            .and_some("id_caja_sesion = ?", self.session_id)
            .and_some(super::sessions::OWNED_BY, self.owner)
            .and_some("operadora = ?", self.carrier.map(|c| c.as_str().to_string()))
            .and_some("fecha >= ?", self.from)
            .and_some("fecha < ?", self.before);
        filter
    }
}

pub fn list_topups(conn: &Connection, q: RecargaQuery, paging: Paging) -> rusqlite::Result<Page<RecargaCliente>> {
    query::page(conn, &TOPUPS, &q.filter(), paging, None)
}

pub fn list_injections(conn: &Connection, q: RecargaQuery, paging: Paging) -> rusqlite::Result<Page<InyeccionOperadora>> {
    query::page(conn, &INJECTIONS, &q.filter(), paging, None)
}
