//! The double-entry ledger: accounts and immutable transfers. Balances are the sum of
//! transfers; the cached `accounts.balance` is kept by a trigger and its CHECK refuses a
//! negative balance on accounts that may not go negative.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{AccountCode, CoreError, CoreResult, Money, OperationKey, TransferKind};

/// Creates an account and returns its id.
pub fn create_account(conn: &Connection, code: &AccountCode, may_go_negative: bool) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO accounts (code, may_go_negative) VALUES (?1, ?2)")?
        .execute(params![code, may_go_negative])?;
    Ok(conn.last_insert_rowid())
}

pub fn account_id(conn: &Connection, code: &AccountCode) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM accounts WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()
}

/// The id of an account the schema or an earlier write created; its absence is a bug.
pub fn existing(conn: &Connection, code: &AccountCode) -> CoreResult<i64> {
    account_id(conn, code)?.ok_or_else(|| CoreError::internal(format!("falta la cuenta {code}")))
}

/// The cached balance of an account.
pub fn balance(conn: &Connection, account: i64) -> rusqlite::Result<Money> {
    conn.prepare_cached("SELECT balance FROM accounts WHERE id = ?1")?
        .query_row([account], |r| r.get(0))
}

/// The cached balance of an account by code; zero for an account never created.
pub fn balance_of(conn: &Connection, code: &AccountCode) -> rusqlite::Result<Money> {
    Ok(conn
        .prepare_cached("SELECT balance FROM accounts WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?
        .unwrap_or(Money::ZERO))
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
    pub kind: TransferKind,
    pub session_id: Option<i64>,
    pub operator_id: i64,
    /// The operation the transfer belongs to, so a void can reverse exactly its transfers.
    pub operation: Option<&'a OperationKey>,
}

impl Transfer<'_> {
    /// The same transfer in the other direction.
    pub fn flipped(self) -> Self {
        Transfer { from: self.to, to: self.from, ..self }
    }
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
    debug_assert_ne!(transfer.from, transfer.to);
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
    pub account: AccountCode,
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
        let (code, balance, may_go_negative): (AccountCode, i64, bool) =
            stmt.query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if !may_go_negative && balance + delta < 0 {
            return Ok(Some(Shortfall {
                account: code,
                balance: Money::from_centavos(balance),
                needed: Money::from_centavos(-delta),
            }));
        }
    }
    Ok(None)
}

/// An original transfer of an operation, seen from its reversal.
#[derive(Debug, Clone, Copy)]
pub struct Reversible {
    pub original: i64,
    /// The reversal's source: the original's destination.
    pub from: i64,
    pub to: i64,
    pub amount: Money,
    pub kind: TransferKind,
}

/// The exact reversing transfers of an operation, newest first.
pub fn reversal_of(conn: &Connection, operation: &OperationKey) -> rusqlite::Result<Vec<Reversible>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, to_account, from_account, amount, kind FROM transfers
         WHERE operation = ?1 AND reverses IS NULL ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([operation], |r| {
        Ok(Reversible { original: r.get(0)?, from: r.get(1)?, to: r.get(2)?, amount: r.get(3)?, kind: r.get(4)? })
    })?;
    rows.collect()
}
