//! SQLite storage: one file, WAL, `synchronous=FULL`, foreign keys on, STRICT tables,
//! migrations embedded in the binary and run at start-up.

pub mod agents;
pub mod backup;
pub mod audit;
pub mod call_states;
pub mod ledger;
pub mod operators;
pub mod outbox;
pub mod payments;
pub mod provider_rules;
pub mod printing;
pub mod providers;
pub mod query;
pub mod recargas;
pub mod reconciliation;
pub mod records;
pub mod reports;
pub mod sessions;
pub mod settings;

pub use settings::setting;

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, TransactionBehavior};

mod embedded {
    refinery::embed_migrations!("migrations");
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("error de SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no se pudo migrar la base de datos: {0}")]
    Migration(#[from] refinery::Error),
    #[error(
        "la base de datos fue escrita por una versión más nueva de Mostrador (esquema {found}, \
         esta versión conoce hasta {supported}); actualice la aplicación, no se modificó nada"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("la base de datos {0} ya está abierta en otra ventana de Mostrador")]
    InUse(PathBuf),
    #[error("no se pudo abrir {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl From<StoreError> for crate::domain::CoreError {
    fn from(err: StoreError) -> Self {
        use crate::domain::{CoreError, ErrorCode};
        match &err {
            StoreError::NewerSchema { .. } => CoreError::general(ErrorCode::BaseDeDatosMasNueva, err.to_string()),
            StoreError::InUse(_) => CoreError::general(ErrorCode::BaseDeDatosEnUso, err.to_string()),
            _ => CoreError::internal(err),
        }
    }
}

/// The newest schema version this binary knows.
pub fn supported_schema_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

/// The schema version recorded in a database file, 0 for a new one.
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    let has_history: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history')",
        [],
        |r| r.get(0),
    )?;
    if !has_history {
        return Ok(0);
    }
    conn.query_row("SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history", [], |r| r.get(0))
}

/// Opens (creating if needed) the database at `path`, applies the connection pragmas and
/// runs pending migrations. A file written by a newer version is refused untouched.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Room for every statement the commands cache, so a busy day never re-parses them.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // The version is read before the pragmas: switching a file to WAL rewrites its header,
    // and a newer file must be left exactly as it was.
    let found = schema_version(&conn)?;
    let supported = supported_schema_version();
    if found > supported {
        return Err(StoreError::NewerSchema { found, supported });
    }
    configure(&conn)?;
    embedded::migrations::runner().run(&mut conn)?;
    Ok(conn)
}

/// Cached prepared statements per connection (rusqlite keeps 16 by default).
const STATEMENT_CACHE: usize = 256;

/// The connection settings every store connection has (the benchmarks' bare baseline
/// uses them too).
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Plans must not depend on bound values. Without this, a join over a table with a
    // partial index (cash_sessions' one-open-session indexes) is re-prepared at every
    // call with a new parameter, which cost more than the rest of an operation's SQL.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so a
/// check made inside it still holds when it commits.
pub fn write(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

/// Holds an exclusive OS lock on `<db>.lock` so one database has one running instance.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

impl InstanceLock {
    pub fn acquire(db_path: &Path) -> Result<Self, StoreError> {
        let lock_path = db_path.with_extension("lock");
        if let Some(dir) = lock_path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| StoreError::Io { path: lock_path.clone(), source })?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse(db_path.to_path_buf())),
            Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Io { path: lock_path, source }),
        }
    }
}
