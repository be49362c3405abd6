//! What the administrator's health screen and the start-up check report.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::records::IntegrityReport;

/// A backup the app could restore from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    pub archivo: String,
    /// RFC 3339, when it was taken.
    pub creado: String,
    pub tamano_bytes: i64,
}

/// The administrator's view of the installation's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SystemHealth {
    pub integridad: IntegrityReport,
    pub ruta_base: String,
    /// The database file plus its write-ahead log, in bytes.
    pub tamano_base_bytes: i64,
    pub archivo_log: String,
    /// The newest lines of the log file, oldest first.
    pub ultimas_lineas_log: Vec<String>,
    /// The newest backup, `None` when there is none yet.
    pub ultimo_respaldo: Option<BackupSummary>,
}

/// The check the database gets when the app starts (`PRAGMA quick_check`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StartupCheck {
    pub ok: bool,
    pub mensajes: Vec<String>,
    pub ruta_base: String,
    /// The last backup that passed its own check, to restore from.
    pub ultimo_respaldo: Option<BackupSummary>,
}
