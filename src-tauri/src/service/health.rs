//! The installation's health: the database's checks, its size, the log file's newest
//! lines and the last backup, for the administrator's screen and the start-up check.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Mostrador;
use crate::domain::*;
use crate::store;

/// The log file's name in [`log_dir`], without its `.log` extension.
pub const LOG_FILE_NAME: &str = "mostrador";
/// Largest size of the log file before it is rotated, in bytes.
pub const LOG_MAX_BYTES: u128 = 2 * 1024 * 1024;
/// Rotated log files kept besides the current one.
pub const LOG_KEPT_FILES: usize = 5;
/// Log lines the health screen shows.
pub const LOG_LINES_SHOWN: usize = 40;

/// The OS log folder for the app (`~/.local/share/bo.mostrador.pos/logs` on Linux, what
/// Tauri calls the app log dir), or `MOSTRADOR_LOG_DIR` when set (the end-to-end test).
pub fn log_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MOSTRADOR_LOG_DIR").filter(|d| !d.is_empty()) {
        return dir.into();
    }
    dirs::data_local_dir().unwrap_or_else(|| PathBuf::from(".")).join("bo.mostrador.pos").join("logs")
}

pub fn log_file() -> PathBuf {
    log_dir().join(format!("{LOG_FILE_NAME}.log"))
}

/// The last `count` lines of the file (reading at most its last 256 KiB); none when it
/// does not exist yet.
pub fn last_lines(path: &Path, count: usize) -> std::io::Result<Vec<String>> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let start = len.saturating_sub(256 * 1024);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<&str> = text.lines().collect();
    if start > 0 && !lines.is_empty() {
        lines.remove(0); // cut in the middle
    }
    let from = lines.len().saturating_sub(count);
    Ok(lines[from..].iter().map(|l| l.to_string()).collect())
}

/// The database file and its write-ahead log, in bytes.
fn database_bytes(path: &Path) -> i64 {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    i64::try_from(size(path) + size(&wal)).unwrap_or(i64::MAX)
}

/// The start-up check's result per database file, so it runs once per process.
static STARTUP: Mutex<Option<HashMap<PathBuf, Vec<String>>>> = Mutex::new(None);

impl Mostrador {
    /// The newest backup in the data folder or the second folder. Only copies that passed
    /// their check when taken keep their name (a failed copy is deleted), so it is not
    /// checked again here: at start-up that would read the whole file.
    pub fn last_good_backup(&self) -> CoreResult<Option<BackupSummary>> {
        let newest = super::backup::list(&self.backup_folders()?).into_iter().next();
        Ok(newest.map(|r| BackupSummary { creado: local_to_rfc3339(&r.tomado), archivo: r.archivo, tamano_bytes: r.bytes }))
    }

    /// What the administrator's health screen shows.
    pub fn system_health(&self) -> CoreResult<SystemHealth> {
        let integridad = self.integrity_check()?;
        let log = log_file();
        let ultimas_lineas_log = last_lines(&log, LOG_LINES_SHOWN).map_err(CoreError::internal)?;
        Ok(SystemHealth {
            integridad,
            ruta_base: self.path().display().to_string(),
            tamano_base_bytes: database_bytes(self.path()),
            archivo_log: log.display().to_string(),
            ultimas_lineas_log,
            ultimo_respaldo: self.last_good_backup()?,
        })
    }

    /// `PRAGMA quick_check` of the database, once per process (later calls repeat the
    /// first answer); asked before anyone logs in, so it needs no operator.
    pub fn startup_check(&self) -> CoreResult<StartupCheck> {
        let path = self.path().to_path_buf();
        let cached = STARTUP.lock().unwrap_or_else(|p| p.into_inner()).as_ref().and_then(|m| m.get(&path).cloned());
        let mensajes = match cached {
            Some(messages) => messages,
            None => {
                let messages = store::settings::quick_check_messages(&self.conn)
                    .unwrap_or_else(|e| vec![format!("No se pudo verificar: {e}")]);
                if messages != ["ok"] {
                    log::error!("base de datos: la verificación al iniciar falló: {}", messages.join("; "));
                }
                let mut slot = STARTUP.lock().unwrap_or_else(|p| p.into_inner());
                slot.get_or_insert_with(HashMap::new).insert(path.clone(), messages.clone());
                messages
            }
        };
        Ok(StartupCheck {
            ok: mensajes == ["ok"],
            mensajes,
            ruta_base: path.display().to_string(),
            ultimo_respaldo: self.last_good_backup()?,
        })
    }
}

/// Drops the remembered start-up check of `path` (after a restore replaced its content),
/// so the next [`Mostrador::startup_check`] checks the database again.
pub(crate) fn forget_startup_check(path: &Path) {
    if let Some(map) = STARTUP.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
        map.remove(path);
    }
}

/// A backup's store-local `AAAA-MM-DD HH:MM:SS` as RFC 3339 with the store's offset.
fn local_to_rfc3339(local: &str) -> String {
    chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S")
        .ok()
        .and_then(|t| t.and_local_timezone(crate::domain::clock::store_offset()).single())
        .map_or_else(|| local.to_string(), |t| t.to_rfc3339())
}
