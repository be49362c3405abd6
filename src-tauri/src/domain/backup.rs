//! Backups of the store's database and their restore: what the administrator sees and
//! sends.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One backup file, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Respaldo {
    /// Full path of the file.
    pub archivo: String,
    /// File name (`mostrador-AAAAMMDD-HHMMSS-<motivo>.sqlite3`).
    pub nombre: String,
    /// When it was taken, store-local time `AAAA-MM-DD HH:MM:SS`.
    pub tomado: String,
    /// Size in bytes.
    pub bytes: i64,
    /// `manual`, `cierre` (a register closed) or `diario` (the daily time).
    pub motivo: String,
}

/// When and where automatic backups are taken, and how many are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSettings {
    /// Store-local time of the daily backup, `HH:MM`.
    pub hora_diaria: String,
    /// A second folder (a USB stick, a network share) each automatic backup is also copied to.
    pub carpeta_extra: Option<String>,
    /// Automatic backups kept: the newest of each of the last N days…
    pub conservar_diarios: i64,
    /// …and the newest of each of the last M months.
    pub conservar_mensuales: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct BackupSettingsInput {
    pub hora_diaria: String,
    /// Empty or absent: no second folder.
    pub carpeta_extra: Option<String>,
    pub conservar_diarios: i64,
    pub conservar_mensuales: i64,
}

/// The backups screen: where automatic backups go, the settings and every backup found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupOverview {
    /// The data folder's backup folder.
    pub carpeta: String,
    pub ajustes: BackupSettings,
    /// Newest first, from the backup folder and the second folder.
    pub respaldos: Vec<Respaldo>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct BackupNowInput {
    /// The folder to write to; absent or empty: the data folder's backup folder.
    pub carpeta: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct RestoreInput {
    /// The backup file to restore.
    pub archivo: String,
    /// The logged-in administrator's PIN.
    pub pin: String,
}

/// A restore asked for from the damaged-database screen, before anyone logs in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct RestoreDamagedInput {
    /// The backup the screen named (the newest good one); any other file is refused.
    pub archivo: String,
    /// An active administrator of the damaged database, checked against its operators.
    pub nombre: String,
    pub pin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RestoreOutcome {
    /// The file restored.
    pub archivo: String,
    /// Where the database as it was before the restore was kept.
    pub anterior: String,
    /// Provider calls not acknowledged in the backup: each is asked about before anything
    /// is sent again.
    pub llamadas_en_duda: i64,
}
