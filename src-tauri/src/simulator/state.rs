//! The simulator's persistent state, in its own SQLite file: accounts and balances, every
//! committed operation, idempotency records (key, hash of the canonical request, stored
//! response), issued tokens, cash-in orders, sale points and Transfiya transfers.
//!
//! An idempotent write checks its key, applies the operation and stores the response in
//! one `BEGIN IMMEDIATE` transaction, so a reply lost after the commit is found again by
//! the retry, and two concurrent requests with one key cannot both apply.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

use super::SimulatorConfig;
use crate::domain::Money;

pub const WALLET: &str = "wallet";
pub const BANK: &str = "bank";

/// One connection behind a mutex: the simulator's writes are tiny, and a single writer
/// makes every check-then-write atomic without retry loops.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    pub fn open(config: &SimulatorConfig) -> rusqlite::Result<Db> {
        if let Some(dir) = config.state_path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut conn = Connection::open(&config.state_path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.execute_batch(SCHEMA)?;
        seed(&mut conn, config)?;
        Ok(Db { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` on the connection in the blocking pool (SQLite's fsync must not stall the
    /// async workers). The closure runs to completion even if the request is abandoned.
    pub async fn call<T, F>(&self, f: F) -> T
    where
        F: FnOnce(&mut Connection) -> T + Send + 'static,
        T: Send + 'static,
    {
        let conn = self.conn.clone();
        let result = tokio::task::spawn_blocking(move || {
            // A panic inside a transaction rolled it back; the connection is still sound.
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn)
        })
        .await;
        match result {
            Ok(value) => value,
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        }
    }

    /// `idempotent` through `call`: `apply` runs once for `key` under `scope`; the same key
    /// again replays the stored reply when `request_hash` matches, else is a conflict.
    pub async fn keyed<E, F>(&self, scope: String, key: String, request_hash: String, apply: F) -> Result<Keyed, E>
    where
        E: From<rusqlite::Error> + Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<(Reply, Option<i64>), E> + Send + 'static,
    {
        self.call(move |conn| idempotent(conn, &Key { scope, key: &key, request_hash: &request_hash }, apply)).await
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS accounts (
    contract TEXT NOT NULL,
    account TEXT NOT NULL,
    holder TEXT NOT NULL,
    balance INTEGER NOT NULL CHECK (balance >= 0),
    pocket INTEGER NOT NULL DEFAULT 0 CHECK (pocket >= 0),
    PRIMARY KEY (contract, account)
) STRICT;
CREATE TABLE IF NOT EXISTS operations (
    id INTEGER PRIMARY KEY,
    contract TEXT NOT NULL,
    owner TEXT NOT NULL,
    operation TEXT NOT NULL,
    idempotency_key TEXT,
    amount INTEGER NOT NULL,
    fee INTEGER NOT NULL DEFAULT 0,
    from_account TEXT,
    to_account TEXT,
    counterpart TEXT,
    holder TEXT,
    cuit TEXT,
    concept TEXT,
    description TEXT,
    status TEXT NOT NULL,
    reference TEXT,
    related_id INTEGER REFERENCES operations (id),
    qr_order_id INTEGER,
    link_id INTEGER,
    sale_point_name TEXT,
    income INTEGER NOT NULL DEFAULT 0,
    planted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS operations_by_owner ON operations (contract, owner, created_at);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    operation_id INTEGER REFERENCES operations (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT;
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    contract TEXT NOT NULL,
    subject TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount INTEGER,
    concept TEXT,
    description TEXT,
    sale_point_id INTEGER,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS sale_points (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS transfiya (
    pse_trn_code TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    from_account TEXT,
    from_cell TEXT NOT NULL,
    to_cell TEXT NOT NULL,
    amount INTEGER NOT NULL,
    fee INTEGER NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
";

/// Creates the configured accounts that the file does not have yet; existing balances
/// are never touched, so a restart keeps the state.
fn seed(conn: &mut Connection, config: &SimulatorConfig) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let wallet = &config.wallet;
    tx.execute(
        "INSERT OR IGNORE INTO accounts (contract, account, holder, balance) VALUES (?1, ?2, ?3, ?4)",
        params![WALLET, wallet.username, wallet.holder, wallet.opening_balance],
    )?;
    for account in &config.bank.accounts {
        tx.execute(
            "INSERT OR IGNORE INTO accounts (contract, account, holder, balance) VALUES (?1, ?2, ?3, ?4)",
            params![BANK, account.acct_id, account.holder, account.balance],
        )?;
    }
    tx.commit()
}

/// Empties the state and seeds it again from the configuration.
pub fn wipe(conn: &mut Connection, config: &SimulatorConfig) -> rusqlite::Result<()> {
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         DELETE FROM idempotency; DELETE FROM operations; DELETE FROM accounts; DELETE FROM tokens;
         DELETE FROM orders; DELETE FROM sale_points; DELETE FROM transfiya;
         COMMIT;",
    )?;
    seed(conn, config)
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Bolivian wall-clock time (UTC−4, the providers' and the store's) as the wallet prints
/// it, `YYYY-MM-DD HH:MM:SS`, whatever the machine's time zone.
pub fn now_local() -> String {
    chrono::Utc::now().with_timezone(&super::store_offset()).format("%Y-%m-%d %H:%M:%S").to_string()
}

// ---------------------------------------------------------------------------------------
// Idempotent writes

/// A response as it was (or will be) sent: status code and JSON text.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json<T: Serialize>(status: u16, body: &T) -> Reply {
        Reply { status, body: serde_json::to_string(body).expect("a reply serializes") }
    }
}

pub enum Keyed {
    /// First time for this key: applied and committed.
    Fresh(Reply),
    /// The key was seen with the same request: the first response, unchanged.
    Replayed(Reply),
    /// The key was seen with a different request.
    Conflict,
}

/// Where a key lives: the contract, the client and the operation it guards.
pub struct Key<'a> {
    pub scope: String,
    pub key: &'a str,
    pub request_hash: &'a str,
}

/// Looks the key up, and if it is new runs `apply` and stores its reply under the key, all
/// in one transaction. A rejection (`Err`) rolls back and does not consume the key, so the
/// same request can succeed later (after the float is topped up, say).
pub fn idempotent<E: From<rusqlite::Error>>(
    conn: &mut Connection,
    key: &Key<'_>,
    apply: impl FnOnce(&Transaction<'_>) -> Result<(Reply, Option<i64>), E>,
) -> Result<Keyed, E> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let seen: Option<(String, u16, String)> = tx
        .query_row(
            "SELECT request_hash, status, response FROM idempotency WHERE scope = ?1 AND key = ?2",
            params![key.scope, key.key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((hash, status, body)) = seen {
        return Ok(if hash == key.request_hash { Keyed::Replayed(Reply { status, body }) } else { Keyed::Conflict });
    }
    let (reply, operation_id) = apply(&tx)?;
    tx.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, response, operation_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![key.scope, key.key, key.request_hash, reply.status, reply.body, operation_id, now_local()],
    )?;
    tx.commit()?;
    Ok(Keyed::Fresh(reply))
}

/// A write without an idempotency key: applied in one transaction, nothing remembered.
pub fn write<T, E: From<rusqlite::Error>>(
    conn: &mut Connection,
    apply: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = apply(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// The operation committed under a key, if any.
pub fn keyed_operation(conn: &Connection, scope: &str, key: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT operation_id FROM idempotency WHERE scope = ?1 AND key = ?2", params![scope, key], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}

// ---------------------------------------------------------------------------------------
// Accounts

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub contract: String,
    pub account: String,
    pub holder: String,
    pub balance: Money,
    pub pocket: Money,
}

pub fn account(conn: &Connection, contract: &str, account: &str) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        "SELECT contract, account, holder, balance, pocket FROM accounts WHERE contract = ?1 AND account = ?2",
        params![contract, account],
        account_row,
    )
    .optional()
}

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account { contract: r.get(0)?, account: r.get(1)?, holder: r.get(2)?, balance: r.get(3)?, pocket: r.get(4)? })
}

pub fn accounts(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut stmt =
        conn.prepare("SELECT contract, account, holder, balance, pocket FROM accounts ORDER BY contract, account")?;
    let rows = stmt.query_map([], account_row)?;
    rows.collect()
}

/// The bank account, opened on first use: every well-formed account number exists in the
/// simulated bank (the configured missing ones are refused before this is called).
pub fn bank_account(tx: &Transaction<'_>, acct_id: &str) -> rusqlite::Result<Account> {
    let holder = default_holder(acct_id);
    tx.execute(
        "INSERT OR IGNORE INTO accounts (contract, account, holder, balance) VALUES (?1, ?2, ?3, 0)",
        params![BANK, acct_id, holder],
    )?;
    Ok(account(tx, BANK, acct_id)?.expect("the account was just ensured"))
}

/// The name a bank account opened on first use is given: its last four characters.
pub fn default_holder(acct_id: &str) -> String {
    let chars: Vec<char> = acct_id.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("TITULAR CUENTA {tail}")
}

/// Adds `delta` centavos to a balance (negative to debit); the caller checked funds, and
/// the table's CHECK refuses a negative balance anyway.
pub fn add_balance(tx: &Transaction<'_>, contract: &str, account: &str, delta: i64) -> rusqlite::Result<Money> {
    tx.query_row(
        "UPDATE accounts SET balance = balance + ?3 WHERE contract = ?1 AND account = ?2 RETURNING balance",
        params![contract, account, delta],
        |r| r.get(0),
    )
}

pub fn add_pocket(tx: &Transaction<'_>, account: &str, delta: i64) -> rusqlite::Result<Money> {
    tx.query_row(
        "UPDATE accounts SET pocket = pocket + ?2 WHERE contract = ?1 AND account = ?3 RETURNING pocket",
        params![BANK, delta, account],
        |r| r.get(0),
    )
}

// ---------------------------------------------------------------------------------------
// Operations

/// A committed operation as stored; `/_sim/records` lists these.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Operation {
    pub id: i64,
    pub contract: String,
    pub owner: String,
    pub operation: String,
    pub idempotency_key: Option<String>,
    pub amount: Money,
    pub fee: Money,
    pub from_account: Option<String>,
    pub to_account: Option<String>,
    pub counterpart: Option<String>,
    pub holder: Option<String>,
    pub cuit: Option<String>,
    pub concept: Option<String>,
    pub description: Option<String>,
    pub status: String,
    pub reference: Option<String>,
    pub related_id: Option<i64>,
    pub qr_order_id: Option<i64>,
    pub link_id: Option<i64>,
    pub sale_point_name: Option<String>,
    pub income: bool,
    pub planted: bool,
    pub created_at: String,
}

const OPERATION_COLUMNS: &str = "id, contract, owner, operation, idempotency_key, amount, fee, from_account, \
    to_account, counterpart, holder, cuit, concept, description, status, reference, related_id, qr_order_id, \
    link_id, sale_point_name, income, planted, created_at";

fn operation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Operation> {
    Ok(Operation {
        id: r.get(0)?,
        contract: r.get(1)?,
        owner: r.get(2)?,
        operation: r.get(3)?,
        idempotency_key: r.get(4)?,
        amount: r.get(5)?,
        fee: r.get(6)?,
        from_account: r.get(7)?,
        to_account: r.get(8)?,
        counterpart: r.get(9)?,
        holder: r.get(10)?,
        cuit: r.get(11)?,
        concept: r.get(12)?,
        description: r.get(13)?,
        status: r.get(14)?,
        reference: r.get(15)?,
        related_id: r.get(16)?,
        qr_order_id: r.get(17)?,
        link_id: r.get(18)?,
        sale_point_name: r.get(19)?,
        income: r.get(20)?,
        planted: r.get(21)?,
        created_at: r.get(22)?,
    })
}

/// Stores an operation (its `id` is ignored; an empty `created_at` means now) and returns its id.
pub fn insert_operation(tx: &Transaction<'_>, op: &Operation) -> rusqlite::Result<i64> {
    let created_at = if op.created_at.is_empty() { now_local() } else { op.created_at.clone() };
    tx.execute(
        "INSERT INTO operations (contract, owner, operation, idempotency_key, amount, fee, from_account, to_account,
            counterpart, holder, cuit, concept, description, status, reference, related_id, qr_order_id, link_id,
            sale_point_name, income, planted, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        params![
            op.contract,
            op.owner,
            op.operation,
            op.idempotency_key,
            op.amount,
            op.fee,
            op.from_account,
            op.to_account,
            op.counterpart,
            op.holder,
            op.cuit,
            op.concept,
            op.description,
            op.status,
            op.reference,
            op.related_id,
            op.qr_order_id,
            op.link_id,
            op.sale_point_name,
            op.income,
            op.planted,
            created_at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn operation(conn: &Connection, id: i64) -> rusqlite::Result<Option<Operation>> {
    conn.query_row(&format!("SELECT {OPERATION_COLUMNS} FROM operations WHERE id = ?1"), [id], operation_row).optional()
}

pub fn set_status(tx: &Transaction<'_>, id: i64, status: &str) -> rusqlite::Result<()> {
    tx.execute("UPDATE operations SET status = ?2 WHERE id = ?1", params![id, status])?;
    Ok(())
}

/// Filters of `/_sim/records` and of the wallet's transaction list.
#[derive(Debug, Default)]
pub struct OperationFilter {
    pub contract: Option<String>,
    pub owner: Option<String>,
    pub operations: Vec<String>,
    /// Inclusive local dates, `YYYY-MM-DD`.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub limit: Option<i64>,
    pub offset: i64,
}

impl OperationFilter {
    fn where_clause(&self) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let mut clauses = vec!["1 = 1".to_string()];
        let mut values: Vec<Value> = Vec::new();
        let mut push = |clause: &str, value: Value, values: &mut Vec<Value>| {
            values.push(value);
            clauses.push(clause.replace('?', &format!("?{}", values.len())));
        };
        if let Some(c) = &self.contract {
            push("contract = ?", Value::Text(c.clone()), &mut values);
        }
        if let Some(o) = &self.owner {
            push("owner = ?", Value::Text(o.clone()), &mut values);
        }
        if let Some(d) = &self.date_from {
            push("substr(created_at, 1, 10) >= ?", Value::Text(d.clone()), &mut values);
        }
        if let Some(d) = &self.date_to {
            push("substr(created_at, 1, 10) <= ?", Value::Text(d.clone()), &mut values);
        }
        if !self.operations.is_empty() {
            let mut placeholders = Vec::new();
            for op in &self.operations {
                values.push(Value::Text(op.clone()));
                placeholders.push(format!("?{}", values.len()));
            }
            clauses.push(format!("operation IN ({})", placeholders.join(", ")));
        }
        (clauses.join(" AND "), values)
    }
}

pub fn operations(conn: &Connection, filter: &OperationFilter) -> rusqlite::Result<Vec<Operation>> {
    let (clause, values) = filter.where_clause();
    let sql = format!(
        "SELECT {OPERATION_COLUMNS} FROM operations WHERE {clause} ORDER BY created_at, id LIMIT {} OFFSET {}",
        filter.limit.unwrap_or(-1),
        filter.offset
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), operation_row)?;
    rows.collect()
}

pub fn count_operations(conn: &Connection, filter: &OperationFilter) -> rusqlite::Result<i64> {
    let (clause, values) = filter.where_clause();
    conn.query_row(
        &format!("SELECT COUNT(*) FROM operations WHERE {clause}"),
        rusqlite::params_from_iter(values),
        |r| r.get(0),
    )
}

// ---------------------------------------------------------------------------------------
// Tokens

pub fn insert_token(
    conn: &Connection,
    token: &str,
    contract: &str,
    subject: &str,
    expires_ms: i64,
) -> rusqlite::Result<()> {
    // Expired tokens are useless; dropping them here keeps the table small.
    conn.execute("DELETE FROM tokens WHERE expires_ms < ?1", [now_ms() - 3_600_000])?;
    conn.execute(
        "INSERT INTO tokens (token, contract, subject, expires_ms) VALUES (?1, ?2, ?3, ?4)",
        params![token, contract, subject, expires_ms],
    )?;
    Ok(())
}

/// `(subject, expires_ms)` of a token issued for `contract`.
pub fn token(conn: &Connection, token: &str, contract: &str) -> rusqlite::Result<Option<(String, i64)>> {
    conn.query_row(
        "SELECT subject, expires_ms FROM tokens WHERE token = ?1 AND contract = ?2",
        params![token, contract],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Makes every issued token expired now; returns how many there were.
pub fn expire_tokens(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute("UPDATE tokens SET expires_ms = MIN(expires_ms, ?1)", [now_ms() - 1])
}

// ---------------------------------------------------------------------------------------
// Cash-in orders and sale points (wallet)

#[derive(Debug, Clone)]
pub struct Order {
    pub amount: Option<Money>,
    pub concept: Option<String>,
    pub description: Option<String>,
    pub sale_point_id: Option<i64>,
}

pub fn insert_order(
    conn: &Connection,
    owner: &str,
    kind: &str,
    amount: Option<Money>,
    concept: Option<&str>,
    description: Option<&str>,
    sale_point_id: Option<i64>,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO orders (owner, kind, amount, concept, description, sale_point_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![owner, kind, amount, concept, description, sale_point_id, now_local()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn order(conn: &Connection, owner: &str, id: i64) -> rusqlite::Result<Option<Order>> {
    conn.query_row(
        "SELECT amount, concept, description, sale_point_id FROM orders WHERE owner = ?1 AND id = ?2",
        params![owner, id],
        |r| Ok(Order { amount: r.get(0)?, concept: r.get(1)?, description: r.get(2)?, sale_point_id: r.get(3)? }),
    )
    .optional()
}

#[derive(Debug, Clone, Serialize)]
pub struct SalePoint {
    pub id: i64,
    pub name: String,
    pub status: String,
}

pub fn sale_points(conn: &Connection, owner: &str) -> rusqlite::Result<Vec<SalePoint>> {
    let mut stmt = conn.prepare("SELECT id, name, status FROM sale_points WHERE owner = ?1 ORDER BY id")?;
    let rows = stmt.query_map([owner], |r| Ok(SalePoint { id: r.get(0)?, name: r.get(1)?, status: r.get(2)? }))?;
    rows.collect()
}

pub fn sale_point(conn: &Connection, owner: &str, id: i64) -> rusqlite::Result<Option<SalePoint>> {
    conn.query_row("SELECT id, name, status FROM sale_points WHERE owner = ?1 AND id = ?2", params![owner, id], |r| {
        Ok(SalePoint { id: r.get(0)?, name: r.get(1)?, status: r.get(2)? })
    })
    .optional()
}

pub fn insert_sale_point(conn: &Connection, owner: &str, name: &str) -> rusqlite::Result<i64> {
    conn.execute("INSERT INTO sale_points (owner, name, status) VALUES (?1, ?2, 'active')", params![owner, name])?;
    Ok(conn.last_insert_rowid())
}

/// Marks an active sale point inactive; false if there was none.
pub fn deactivate_sale_point(conn: &Connection, owner: &str, id: i64) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE sale_points SET status = 'inactive' WHERE owner = ?1 AND id = ?2 AND status = 'active'",
        params![owner, id],
    )?;
    Ok(changed == 1)
}

// ---------------------------------------------------------------------------------------
// Transfiya transfers (bank)

#[derive(Debug, Clone)]
pub struct Transfiya {
    pub pse_trn_code: String,
    pub from_account: Option<String>,
    pub from_cell: String,
    pub to_cell: String,
    pub amount: Money,
    pub description: String,
    pub status: String,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_transfiya(
    tx: &Transaction<'_>,
    pse_trn_code: &str,
    owner: &str,
    from_account: Option<&str>,
    from_cell: &str,
    to_cell: &str,
    amount: Money,
    fee: Money,
    description: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO transfiya (pse_trn_code, owner, from_account, from_cell, to_cell, amount, fee, description,
            status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9)",
        params![pse_trn_code, owner, from_account, from_cell, to_cell, amount, fee, description, now_local()],
    )?;
    Ok(())
}

fn transfiya_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Transfiya> {
    Ok(Transfiya {
        pse_trn_code: r.get(0)?,
        from_account: r.get(1)?,
        from_cell: r.get(2)?,
        to_cell: r.get(3)?,
        amount: r.get(4)?,
        description: r.get(5)?,
        status: r.get(6)?,
    })
}

const TRANSFIYA_COLUMNS: &str = "pse_trn_code, from_account, from_cell, to_cell, amount, description, status";

pub fn transfiya(conn: &Connection, pse_trn_code: &str) -> rusqlite::Result<Option<Transfiya>> {
    conn.query_row(
        &format!("SELECT {TRANSFIYA_COLUMNS} FROM transfiya WHERE pse_trn_code = ?1"),
        [pse_trn_code],
        transfiya_row,
    )
    .optional()
}

/// Pending transfers to `to_cell`, oldest first; `initial` is 1-based as in the contract.
pub fn pending_transfiya(
    conn: &Connection,
    to_cell: &str,
    initial: i64,
    count: i64,
) -> rusqlite::Result<Vec<Transfiya>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {TRANSFIYA_COLUMNS} FROM transfiya WHERE to_cell = ?1 AND status = 'pending'
         ORDER BY created_at, rowid LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![to_cell, count, initial.max(1) - 1], transfiya_row)?;
    rows.collect()
}

pub fn set_transfiya_status(tx: &Transaction<'_>, pse_trn_code: &str, status: &str) -> rusqlite::Result<()> {
    tx.execute("UPDATE transfiya SET status = ?2 WHERE pse_trn_code = ?1", params![pse_trn_code, status])?;
    Ok(())
}
