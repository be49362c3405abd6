//! Copies of the database file through SQLite's online backup API, their verification,
//! and what a restored file needs before it is used: every provider call it does not hold
//! as acknowledged becomes an unknown outcome.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{params, Connection, OpenFlags};

use super::StoreError;

/// Pages copied per step of an online backup (4 KiB each): small, so a step takes well
/// under a millisecond and the counter's writes never wait behind it.
pub const PAGES_PER_STEP: i32 = 64;

/// Tables every Mostrador database has had since its first schema.
const MOSTRADOR_TABLES: [&str; 5] = ["refinery_schema_history", "accounts", "transfers", "settings", "audit_log"];

/// Why a file cannot be restored.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("no es una base de datos SQLite")]
    NotSqlite,
    #[error("está dañado: {0}")]
    Corrupt(String),
    #[error("no es una base de datos de Mostrador")]
    NotMostrador,
    #[error("fue escrito por una versión más nueva de Mostrador (esquema {found}, esta versión conoce hasta {supported})")]
    Newer { found: i64, supported: i64 },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for Refused {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Refused::NotSqlite,
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => Refused::Corrupt(err.to_string()),
            _ => Refused::Store(StoreError::Sqlite(err)),
        }
    }
}

/// Copies the database at `source` to `dest` while other connections keep writing to it.
///
/// The copy is one consistent snapshot: a read transaction is held on the source for the
/// whole copy (in WAL mode a reader never blocks a writer), and pages are copied
/// [`PAGES_PER_STEP`] at a time with `pause` between steps. The copy is written to a
/// temporary name, switched to a single self-contained file (rollback journal), flushed
/// and only then renamed to `dest`, so a crash never leaves a half backup under a
/// backup's name.
pub fn copy_online(source: &Path, dest: &Path, pause: Duration) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| StoreError::Io { path, source }
    };
    let partial = partial_name(dest);
    let _ = std::fs::remove_file(&partial);
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    src.busy_timeout(Duration::from_secs(5))?;
    src.execute_batch("BEGIN DEFERRED; SELECT COUNT(*) FROM sqlite_master;")?;
    let mut copy = Connection::open(&partial)?;
    let result = step_all(&src, &mut copy, pause);
    src.execute_batch("COMMIT")?;
    result?;
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    drop(copy);
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io(&partial))?;
    std::fs::rename(&partial, dest).map_err(io(dest))?;
    sync_dir(dest).map_err(io(dest))?;
    Ok(())
}

fn step_all(src: &Connection, copy: &mut Connection, pause: Duration) -> rusqlite::Result<()> {
    let backup = Backup::new(src, copy)?;
    loop {
        match backup.step(PAGES_PER_STEP)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {
                if !pause.is_zero() {
                    std::thread::sleep(pause)
                }
            }
            // The copy is a file of its own; a busy source only delays a step.
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// The name a copy has until it is complete.
pub fn partial_name(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".parcial");
    PathBuf::from(name)
}

/// Flushes the directory entry of `path` (a rename is durable only once its folder is).
pub fn sync_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

/// Checks a file before it is listed as a backup or restored: a SQLite file that passes
/// `PRAGMA integrity_check`, holds Mostrador's tables, and has a schema this version
/// knows. Returns its schema version. Opened read-only: nothing in it changes.
pub fn verify(path: &Path) -> Result<i64, Refused> {
    let mut magic = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .map_err(|_| Refused::NotSqlite);
    if read.is_err() || &magic != b"SQLite format 3\0" {
        return Err(Refused::NotSqlite);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let messages = super::settings::integrity_messages(&conn)?;
    if messages != ["ok"] {
        return Err(Refused::Corrupt(messages.into_iter().take(3).collect::<Vec<_>>().join("; ")));
    }
    for table in MOSTRADOR_TABLES {
        let present: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if !present {
            return Err(Refused::NotMostrador);
        }
    }
    if super::setting(&conn, "install_id")?.is_none() {
        return Err(Refused::NotMostrador);
    }
    let found = super::schema_version(&conn)?;
    let supported = super::supported_schema_version();
    if found > supported {
        return Err(Refused::Newer { found, supported });
    }
    Ok(found)
}

/// Replaces the whole content of `conn`'s database with the file at `source`, in one
/// write transaction (other connections see the old content or the new, never a mix).
pub fn restore_into(conn: &mut Connection, source: &Path) -> Result<(), StoreError> {
    let src = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let backup = Backup::new(&src, conn)?;
    let mut busy = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ if busy < 100 => {
                busy += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None))),
        }
    }
}

/// `error_code` of a bank call a restore left in doubt (the bank offers no lookup).
pub const RESTORED_IN_DOUBT: &str = "RESTAURADO_EN_DUDA";

/// After a restore: every call the restored file does not hold as acknowledged or
/// cancelled may have reached its provider after the backup was taken. Each becomes an
/// unknown outcome, so the worker asks the provider before it sends anything; a bank
/// call (the bank contract has no lookup) waits for a person with the bank's statement.
/// Returns how many calls are in doubt. Runs inside the caller's transaction.
pub fn calls_in_doubt_after_restore(conn: &Connection, now: &str) -> rusqlite::Result<i64> {
    let doubted = conn.execute(
        "UPDATE outbox SET outcome_unknown = 1, updated_at = ?1
         WHERE state IN ('queued', 'sending', 'retry_wait', 'needs_attention')",
        [now],
    )?;
    conn.execute(
        "UPDATE outbox SET state = 'needs_attention', error_code = ?2, error_text = ?3, updated_at = ?1
         WHERE state IN ('queued', 'sending', 'retry_wait') AND call IN ('DEPOSITO', 'REVERSO')",
        params![
            now,
            RESTORED_IN_DOUBT,
            "Restaurado desde un respaldo: esta llamada pudo llegar al banco después del respaldo y el \
             banco no permite consultarla. Confírmela con el extracto antes de reenviarla."
        ],
    )?;
    Ok(doubted as i64)
}

/// The last closed cash session's id (0 when none): an automatic backup follows each close.
pub fn last_closed_session(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(id), 0) FROM cash_sessions WHERE status = 'CERRADA'", [], |r| r.get(0))
}

/// Every voucher path a record names (relative to the data folder).
pub fn named_vouchers(conn: &Connection) -> rusqlite::Result<std::collections::HashSet<String>> {
    conn.prepare("SELECT url_comprobante FROM agent_transactions WHERE url_comprobante IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// A provider call's key, as a restore carries it over.
#[derive(Debug, Clone)]
pub struct CallKey {
    pub outbox_id: i64,
    pub provider: String,
    pub call: String,
    pub key: String,
    pub state: String,
}

/// Every call key the database holds: its outbox and the keys earlier restores retired.
pub fn call_keys(conn: &Connection) -> rusqlite::Result<Vec<CallKey>> {
    conn.prepare(
        "SELECT id, provider, call, idempotency_key, state FROM outbox
         UNION ALL SELECT outbox_id, provider, call, idempotency_key, state FROM outbox_retired",
    )?
    .query_map([], |r| Ok(CallKey { outbox_id: r.get(0)?, provider: r.get(1)?, call: r.get(2)?, key: r.get(3)?, state: r.get(4)? }))?
    .collect()
}

/// After a restore: the keys the database had before it that the restored outbox does not
/// hold are kept in `outbox_retired`, so no new call is given their id or key (a provider
/// may remember them). Returns how many were retired. Runs inside the caller's transaction.
pub fn retire_lost_keys(conn: &Connection, before: &[CallKey], now: &str) -> rusqlite::Result<i64> {
    let mut retire = conn.prepare(
        "INSERT INTO outbox_retired (outbox_id, provider, call, idempotency_key, state, retired_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE provider = ?2 AND call = ?3 AND idempotency_key = ?4)
         ON CONFLICT (provider, call, idempotency_key) DO NOTHING",
    )?;
    let mut retired = 0;
    for k in before {
        retired += retire.execute(params![k.outbox_id, k.provider, k.call, k.key, k.state, now])? as i64;
    }
    Ok(retired)
}
