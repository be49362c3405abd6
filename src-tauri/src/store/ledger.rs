//! The double-entry ledger: accounts and immutable transfers. Balances are the sum of
//! transfers; the cached `accounts.balance` is kept by a trigger and its CHECK refuses a
//! negative balance on accounts that may not go negative.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::Money;

/// Kinds of transfer, stored as text on each row.
pub mod kind {
    pub const OPENING_FLOAT: &str = "APERTURA";
    pub const OPENING_ADJUSTMENT: &str = "AJUSTE_APERTURA";
    pub const CASH_IN: &str = "INGRESO";
    pub const CASH_OUT: &str = "EGRESO";
    pub const CLOSE_DIFFERENCE: &str = "DIFERENCIA_CIERRE";
    pub const CLOSE_TO_VAULT: &str = "CIERRE_A_BOVEDA";
}

pub const EXTERNAL: &str = "external";
pub const OVER_SHORT: &str = "over_short";

pub fn drawer_code(session_id: i64) -> String {
    format!("drawer:{session_id}")
}

pub fn vault_code(register_id: i64) -> String {
    format!("vault:{register_id}")
}

/// Creates an account and returns its id.
pub fn create_account(conn: &Connection, code: &str, may_go_negative: bool) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO accounts (code, may_go_negative) VALUES (?1, ?2)",
        params![code, may_go_negative],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn account_id(conn: &Connection, code: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM accounts WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()
}

/// The cached balance of an account.
pub fn balance(conn: &Connection, account: i64) -> rusqlite::Result<Money> {
    conn.prepare_cached("SELECT balance FROM accounts WHERE id = ?1")?
        .query_row([account], |r| r.get(0))
}

/// The balance recomputed from the transfers alone.
pub fn balance_from_transfers(conn: &Connection, account: i64) -> rusqlite::Result<Money> {
    conn.query_row(
        "SELECT COALESCE((SELECT SUM(amount) FROM transfers WHERE to_account = ?1), 0)
              - COALESCE((SELECT SUM(amount) FROM transfers WHERE from_account = ?1), 0)",
        [account],
        |r| r.get(0),
    )
}

/// Codes of accounts whose cached balance differs from the sum of their transfers.
pub fn mismatched_accounts(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "WITH sums AS (
             SELECT account, SUM(delta) AS total FROM (
                 SELECT to_account AS account, amount AS delta FROM transfers
                 UNION ALL
                 SELECT from_account, -amount FROM transfers)
             GROUP BY account)
         SELECT a.code FROM accounts a LEFT JOIN sums s ON s.account = a.id
         WHERE a.balance <> COALESCE(s.total, 0) ORDER BY a.code",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// One transfer to post; all of an operation's transfers go in the same transaction.
#[derive(Debug, Clone, Copy)]
pub struct Transfer<'a> {
    pub from: i64,
    pub to: i64,
    pub amount: Money,
    pub kind: &'a str,
    pub session_id: Option<i64>,
    pub operator_id: i64,
    /// The operation the transfer belongs to ("agente:12", "recarga:3"), so a void can
    /// reverse exactly its transfers.
    pub operation: Option<&'a str>,
}

/// Appends a transfer and returns its id. The caller has checked the balance rules; the
/// accounts' CHECK constraint refuses the write if it did not.
pub fn post(conn: &Connection, transfer: Transfer<'_>, at: &str) -> rusqlite::Result<i64> {
    insert(conn, transfer, None, at)
}

/// Posts the reversal of transfer `original` as a new transfer pointing back at it; the
/// UNIQUE on `reverses` makes a second reversal of the same transfer impossible.
pub fn post_reversal(conn: &Connection, original: i64, transfer: Transfer<'_>, at: &str) -> rusqlite::Result<i64> {
    insert(conn, transfer, Some(original), at)
}

fn insert(conn: &Connection, transfer: Transfer<'_>, reverses: Option<i64>, at: &str) -> rusqlite::Result<i64> {
    debug_assert!(transfer.amount.is_positive());
    conn.prepare_cached(
        "INSERT INTO transfers (from_account, to_account, amount, kind, session_id, operator_id, operation, reverses, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        transfer.from,
        transfer.to,
        transfer.amount,
        transfer.kind,
        transfer.session_id,
        transfer.operator_id,
        transfer.operation,
        reverses,
        at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// An account that a set of transfers would take below zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub account_code: String,
    pub balance: Money,
    pub needed: Money,
}

/// Checks a whole operation's transfers against the balance rules before any is posted,
/// so the caller can say which account is short. The accounts' CHECK stays the backstop.
pub fn shortfall(conn: &Connection, transfers: &[Transfer<'_>]) -> rusqlite::Result<Option<Shortfall>> {
    let mut net: Vec<(i64, i64)> = Vec::new();
    for t in transfers {
        for (account, delta) in [(t.from, -t.amount.centavos()), (t.to, t.amount.centavos())] {
            match net.iter_mut().find(|(a, _)| *a == account) {
                Some((_, total)) => *total += delta,
                None => net.push((account, delta)),
            }
        }
    }
    let mut stmt = conn.prepare_cached("SELECT code, balance, may_go_negative FROM accounts WHERE id = ?1")?;
    for (account, delta) in net.into_iter().filter(|(_, d)| *d < 0) {
        let (code, balance, may_go_negative): (String, i64, bool) =
            stmt.query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if !may_go_negative && balance + delta < 0 {
            return Ok(Some(Shortfall {
                account_code: code,
                balance: Money::from_centavos(balance),
                needed: Money::from_centavos(-delta),
            }));
        }
    }
    Ok(None)
}

/// The exact reversing transfers of an operation, newest first, marked as reversals.
pub fn reversal_of(conn: &Connection, operation: &str) -> rusqlite::Result<Vec<(i64, i64, i64, Money, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, to_account, from_account, amount, kind FROM transfers
         WHERE operation = ?1 AND reverses IS NULL ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([operation], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    rows.collect()
}
