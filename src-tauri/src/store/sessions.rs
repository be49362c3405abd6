//! Cash sessions, their cash movements and close counts: the queries and row mappers.

use rusqlite::{params, Connection, OptionalExtension};

use super::query::{self, Filter, Listing, Paging};
use crate::domain::{
    AccountCode, CashSession, CloseResult, Denomination, Money, MovementKind, MovementReason, Carrier, Page,
    SessionStatus, Specialty,
};

const COLUMNS: &str = "s.id, s.register_id, r.name, s.operator_id, o.name, s.status, s.opened_at,
     s.closed_at, s.opening_float, s.opening_adjustment, s.counted, s.expected, s.difference, s.result";

const FROM: &str = "cash_sessions s JOIN registers r ON r.id = s.register_id JOIN operators o ON o.id = s.operator_id";

fn session_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CashSession> {
    Ok(CashSession {
        id: r.get(0)?,
        register_id: r.get(1)?,
        register_name: r.get(2)?,
        operator_id: r.get(3)?,
        operator_name: r.get(4)?,
        status: r.get(5)?,
        opened_at: r.get(6)?,
        closed_at: r.get(7)?,
        opening_float: r.get(8)?,
        opening_adjustment: r.get(9)?,
        counted: r.get(10)?,
        expected: r.get(11)?,
        difference: r.get(12)?,
        result: r.get(13)?,
    })
}

pub const LISTING: Listing<CashSession> =
    Listing { from: FROM, columns: COLUMNS, order: "s.opened_at DESC, s.id DESC", row: session_from_row };

pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<CashSession>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE s.id = ?1"))?
        .query_row([id], session_from_row)
        .optional()
}

/// The operator a session belongs to.
pub fn owner(conn: &Connection, session_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT operator_id FROM cash_sessions WHERE id = ?1")?.query_row([session_id], |r| r.get(0)).optional()
}

/// The condition that keeps a list to the sessions of one operator, on a table whose
/// session column is `id_caja_sesion`.
pub const OWNED_BY: &str = "id_caja_sesion IN (SELECT id FROM cash_sessions WHERE operator_id = ?)";

/// What a movement or a close needs to know about its session, in one indexed read.
pub struct Drawer {
    pub operator_id: i64,
    pub status: SessionStatus,
    /// The drawer's account id.
    pub account: i64,
    pub balance: Money,
}

pub fn drawer(conn: &Connection, session_id: i64) -> rusqlite::Result<Option<Drawer>> {
    conn.prepare_cached(
        "SELECT s.operator_id, s.status, a.id, a.balance
         FROM cash_sessions s JOIN accounts a ON a.code = ?2 WHERE s.id = ?1",
    )?
    .query_row(params![session_id, AccountCode::Drawer(session_id)], |r| {
        Ok(Drawer { operator_id: r.get(0)?, status: r.get(1)?, account: r.get(2)?, balance: r.get(3)? })
    })
    .optional()
}

/// What an operation needs to know about the session it is recorded in.
pub struct OperationSession {
    pub operator_id: i64,
    pub status: SessionStatus,
    pub drawer: i64,
    pub specialty: Specialty,
}

pub fn for_operation(conn: &Connection, session_id: i64) -> rusqlite::Result<Option<OperationSession>> {
    conn.prepare_cached(
        "SELECT s.operator_id, s.status, a.id, r.specialty
         FROM cash_sessions s JOIN registers r ON r.id = s.register_id
         JOIN accounts a ON a.code = ?2 WHERE s.id = ?1",
    )?
    .query_row(params![session_id, AccountCode::Drawer(session_id)], |r| {
        Ok(OperationSession { operator_id: r.get(0)?, status: r.get(1)?, drawer: r.get(2)?, specialty: r.get(3)? })
    })
    .optional()
}

pub fn register_has_open_session(conn: &Connection, register_id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cash_sessions WHERE register_id = ?1 AND status = 'ABIERTA')",
        [register_id],
        |r| r.get(0),
    )
}

/// The operator's open session, if any.
pub fn open_session_of(conn: &Connection, operator_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM cash_sessions WHERE operator_id = ?1 AND status = 'ABIERTA'", [operator_id], |r| r.get(0))
        .optional()
}

pub fn register_of(conn: &Connection, session_id: i64) -> rusqlite::Result<i64> {
    conn.query_row("SELECT register_id FROM cash_sessions WHERE id = ?1", [session_id], |r| r.get(0))
}

/// Inserts an open session and returns its id.
pub fn insert_open(
    conn: &Connection,
    register_id: i64,
    operator_id: i64,
    opening_float: Money,
    adjustment: Money,
    at: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO cash_sessions (register_id, operator_id, status, opened_at, opening_float, opening_adjustment)
         VALUES (?1, ?2, 'ABIERTA', ?3, ?4, ?5)",
        params![register_id, operator_id, at, opening_float, adjustment],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A blind close's outcome, as the session row keeps it.
pub struct Closing<'a> {
    pub session_id: i64,
    pub closed_by: i64,
    pub counted: Money,
    pub expected: Money,
    pub difference: Money,
    pub result: CloseResult,
    pub authorized_by: Option<i64>,
    pub note: Option<&'a str>,
    pub counts: &'a [(Denomination, i64)],
}

/// Marks the session closed and keeps its count by denomination.
pub fn close(conn: &Connection, closing: &Closing<'_>, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE cash_sessions SET status = 'CERRADA', closed_at = ?2, closed_by = ?3, counted = ?4, expected = ?5,
             difference = ?6, result = ?7, authorized_by = ?8, close_note = ?9
         WHERE id = ?1",
        params![
            closing.session_id,
            at,
            closing.closed_by,
            closing.counted,
            closing.expected,
            closing.difference,
            closing.result,
            closing.authorized_by,
            closing.note
        ],
    )?;
    let mut insert = conn.prepare_cached("INSERT INTO close_counts (session_id, denomination, quantity) VALUES (?1, ?2, ?3)")?;
    for (denomination, quantity) in closing.counts {
        insert.execute(params![closing.session_id, denomination, quantity])?;
    }
    Ok(())
}

/// The close count of a session, by denomination as stored.
pub fn close_counts(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<(Denomination, i64)>> {
    conn.prepare_cached("SELECT denomination, quantity FROM close_counts WHERE session_id = ?1")?
        .query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// When a carrier balance snapshot is taken.
#[derive(Debug, Clone, Copy)]
pub enum Moment {
    Opening,
    Close,
}

impl Moment {
    fn as_str(self) -> &'static str {
        match self {
            Moment::Opening => "APERTURA",
            Moment::Close => "CIERRE",
        }
    }
}

/// Records each carrier's balance when a session opens or closes, for the X/Z report.
pub fn snapshot_carriers(conn: &Connection, session_id: i64, moment: Moment) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO session_carrier_balances (session_id, moment, operadora, saldo)
         SELECT ?1, ?2, ?3, balance FROM accounts WHERE code = ?4",
    )?;
    for carrier in super::recargas::carriers(conn)? {
        insert.execute(params![session_id, moment.as_str(), carrier, AccountCode::CarrierFloat(carrier)])?;
    }
    Ok(())
}

/// A carrier's balance snapshot of a session, if taken.
pub fn carrier_snapshot(conn: &Connection, session_id: i64, moment: Moment, carrier: Carrier) -> rusqlite::Result<Option<Money>> {
    conn.prepare_cached("SELECT saldo FROM session_carrier_balances WHERE session_id = ?1 AND moment = ?2 AND operadora = ?3")?
        .query_row(params![session_id, moment.as_str(), carrier], |r| r.get(0))
        .optional()
}

/// A cash movement's row; its id is the id of the transfer that moved the cash.
pub struct MovementRow<'a> {
    pub transfer_id: i64,
    pub session_id: i64,
    pub kind: MovementKind,
    pub reason: MovementReason,
    pub amount: Money,
    pub note: Option<&'a str>,
    pub operator_id: i64,
}

pub fn insert_movement(conn: &Connection, m: &MovementRow<'_>, at: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO cash_movements (id, session_id, kind, reason, amount, note, operator_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![m.transfer_id, m.session_id, m.kind, m.reason, m.amount, m.note, m.operator_id, at])?;
    Ok(())
}

/// Movements of a session grouped by kind, reason and operator.
pub struct MovementGroup {
    pub kind: MovementKind,
    pub reason: MovementReason,
    pub operator_id: i64,
    pub operator_name: String,
    pub count: i64,
    pub total: Money,
}

/// One pass over the session's range of the clustered `cash_movements` (no temporary B-tree).
pub fn movement_groups(conn: &Connection, session_id: i64) -> rusqlite::Result<Vec<MovementGroup>> {
    conn.prepare_cached(
        "SELECT m.kind, m.reason, m.operator_id, o.name, m.count, m.total FROM (
             SELECT kind, reason, operator_id, COUNT(*) AS count, SUM(amount) AS total
             FROM cash_movements WHERE session_id = ?1 GROUP BY kind, reason, operator_id) m
         JOIN operators o ON o.id = m.operator_id",
    )?
    .query_map([session_id], |r| {
        Ok(MovementGroup {
            kind: r.get(0)?,
            reason: r.get(1)?,
            operator_id: r.get(2)?,
            operator_name: r.get(3)?,
            count: r.get(4)?,
            total: r.get(5)?,
        })
    })?
    .collect()
}

/// The session list's filter: register, operator, status and an opened-at range.
pub struct SessionQuery {
    pub register_id: Option<i64>,
    pub operator_id: Option<i64>,
    pub status: Option<SessionStatus>,
    pub opened_from: Option<String>,
    pub opened_before: Option<String>,
}

pub fn list(conn: &Connection, q: SessionQuery, paging: Paging) -> rusqlite::Result<Page<CashSession>> {
    let mut filter = Filter::default();
    filter
        .and_some("s.register_id = ?", q.register_id)
        .and_some("s.operator_id = ?", q.operator_id)
        .and_some("s.status = ?", q.status.map(|s| s.as_str().to_string()))
        .and_some("s.opened_at >= ?", q.opened_from)
        .and_some("s.opened_at < ?", q.opened_before);
    query::page(conn, &LISTING, &filter, paging, None)
}
