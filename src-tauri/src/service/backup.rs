//! Backups of the store: taken by an administrator into a folder they choose, taken
//! automatically after each register close and at the daily time (into the data folder
//! and an optional second folder, with retention), verified, listed; and the restore of
//! one, which leaves every provider call the backup does not hold as acknowledged in
//! doubt, so nothing reaches a provider twice.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::json;

use super::Mostrador;
use crate::domain::clock::{stamp, store_offset};
use crate::domain::{
    BackupNowInput, BackupOverview, BackupSettings, BackupSettingsInput, CoreError, CoreResult, ErrorCode, Respaldo,
    RestoreDamagedInput, RestoreInput, RestoreOutcome, Role,
};
use crate::store::backup::{self as files, Refused};
use crate::store::records::audit;
use crate::store::{self, settings::put_setting};

/// The data folder's backup folder.
pub const BACKUP_DIR: &str = "respaldos";
const PREFIX: &str = "mostrador-";
const SUFFIX: &str = ".sqlite3";

const KEY_HOUR: &str = "respaldo_hora_diaria";
const KEY_EXTRA: &str = "respaldo_carpeta_extra";
const KEY_DAILY: &str = "respaldo_diarios";
const KEY_MONTHLY: &str = "respaldo_mensuales";
/// The last closed session an automatic backup already covers.
const KEY_LAST_CLOSE: &str = "respaldo_ultimo_cierre";
/// The store-local date of the last daily backup.
const KEY_LAST_DAILY: &str = "respaldo_ultimo_diario";

const DEFAULT_HOUR: &str = "21:00";
const DEFAULT_DAILY: i64 = 7;
const DEFAULT_MONTHLY: i64 = 12;

/// Why a backup was taken (the last part of its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motivo {
    Manual,
    Cierre,
    Diario,
}

impl Motivo {
    fn as_str(self) -> &'static str {
        match self {
            Motivo::Manual => "manual",
            Motivo::Cierre => "cierre",
            Motivo::Diario => "diario",
        }
    }
}

/// A backup to take: made under the core's lock, run without it (the copy does not need
/// the core's connection, so the counter keeps working while it runs).
#[derive(Debug, Clone)]
pub struct BackupJob {
    source: PathBuf,
    folders: Vec<PathBuf>,
    at: DateTime<Utc>,
    motivo: Motivo,
    /// Automatic backups prune the older automatic ones: (days, months) kept.
    retention: Option<(i64, i64)>,
    /// Sleep between copy steps (the benchmark's knob; zero by default).
    pub pause: Duration,
}

impl BackupJob {
    /// A job that copies the database at `source` into `folder` (the data folder's backup
    /// folder when `None`), for the headless `respaldar` and the tests.
    pub fn new(source: &Path, folder: Option<&Path>, at: DateTime<Utc>) -> Self {
        let folder = folder.map(Path::to_path_buf).unwrap_or_else(|| backup_dir(source));
        BackupJob { source: source.to_path_buf(), folders: vec![folder], at, motivo: Motivo::Manual, retention: None, pause: Duration::ZERO }
    }

    /// Copies, verifies and lists the backup in each folder; returns the first folder's.
    /// A copy that fails its verification is deleted and reported. For an automatic
    /// backup, a second folder that cannot be written (a USB stick not plugged in) is
    /// logged and skipped: the data folder's copy still counts.
    pub fn run(&self) -> CoreResult<Respaldo> {
        let name = file_name(self.at, self.motivo);
        let mut first = None;
        for (index, folder) in self.folders.iter().enumerate() {
            match self.copy_into(folder, &name, index == 0) {
                Ok(listed) => {
                    first.get_or_insert(listed);
                }
                Err(err) if index > 0 && self.retention.is_some() => {
                    log::warn!("respaldo automático: segunda carpeta omitida: {}", err.message)
                }
                Err(err) => return Err(err),
            }
        }
        first.ok_or_else(|| CoreError::internal("ninguna carpeta de respaldo"))
    }

    /// Only the first folder is created when missing (the data folder's `respaldos`): a
    /// second folder that is not there is a stick not plugged in, never a folder to make.
    fn copy_into(&self, folder: &Path, name: &str, create: bool) -> CoreResult<Respaldo> {
        if create {
            std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, &e))?;
        } else if !folder.is_dir() {
            return Err(folder_error(folder, &"la carpeta no está"));
        }
        let dest = folder.join(name);
        files::copy_online(&self.source, &dest, self.pause).map_err(|e| folder_error(folder, &e))?;
        if let Err(refused) = files::verify(&dest) {
            let _ = std::fs::remove_file(&dest);
            return Err(CoreError::internal(format!("el respaldo recién copiado no pasó la verificación: {refused}")));
        }
        if let Some((days, months)) = self.retention {
            prune(folder, days, months);
        }
        describe(&dest).ok_or_else(|| CoreError::internal("el respaldo copiado no aparece"))
    }
}

fn folder_error(folder: &Path, err: &dyn std::fmt::Display) -> CoreError {
    CoreError::new(ErrorCode::ArchivoInvalido, "carpeta", format!("No se pudo escribir el respaldo en la «carpeta» {}: {err}.", folder.display()))
}

/// `<data folder>/respaldos` for the database at `db_path`.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join(BACKUP_DIR)
}

fn file_name(at: DateTime<Utc>, motivo: Motivo) -> String {
    let local = at.with_timezone(&store_offset());
    format!("{PREFIX}{}-{}{SUFFIX}", local.format("%Y%m%d-%H%M%S"), motivo.as_str())
}

/// A backup file's listing, from its name and size; `None` for another file.
fn describe(path: &Path) -> Option<Respaldo> {
    let nombre = path.file_name()?.to_str()?.to_string();
    let (taken, motivo) = parse_name(&nombre).map(|(t, m)| (t, m.to_string()))?;
    let bytes = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len() as i64;
    Some(Respaldo {
        archivo: path.to_string_lossy().into_owned(),
        nombre,
        tomado: taken.format("%Y-%m-%d %H:%M:%S").to_string(),
        bytes,
        motivo,
    })
}

fn parse_name(name: &str) -> Option<(NaiveDateTime, &str)> {
    let stem = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (time, motivo) = stem.rsplit_once('-')?;
    let taken = NaiveDateTime::parse_from_str(time, "%Y%m%d-%H%M%S").ok()?;
    ["manual", "cierre", "diario"].contains(&motivo).then_some((taken, motivo))
}

/// Every backup in `folders`, newest first.
pub fn list(folders: &[PathBuf]) -> Vec<Respaldo> {
    let mut found: Vec<Respaldo> = folders
        .iter()
        .filter_map(|folder| std::fs::read_dir(folder).ok())
        .flatten()
        .filter_map(|entry| describe(&entry.ok()?.path()))
        .collect();
    found.sort_by(|a, b| (&b.tomado, &b.archivo).cmp(&(&a.tomado, &a.archivo)));
    found
}

/// Keeps, among the automatic backups of `folder`, the newest of each of the last `days`
/// days and the newest of each of the last `months` months; deletes the other automatic
/// ones. Manual backups are never deleted.
fn prune(folder: &Path, days: i64, months: i64) {
    let automatic: Vec<Respaldo> = list(&[folder.to_path_buf()]).into_iter().filter(|r| r.motivo != "manual").collect();
    for path in pruned(&automatic, days, months) {
        let _ = std::fs::remove_file(path);
    }
}

/// The files [`prune`] deletes, from backups listed newest first.
pub fn pruned(newest_first: &[Respaldo], days: i64, months: i64) -> Vec<String> {
    let (mut kept_days, mut kept_months) = (BTreeSet::new(), BTreeSet::new());
    let mut delete = Vec::new();
    for backup in newest_first {
        let (day, month) = (&backup.tomado[..10], &backup.tomado[..7]);
        let mut keep = false;
        if kept_days.contains(day) || (kept_days.len() as i64) < days {
            keep |= kept_days.insert(day.to_string());
        }
        if kept_months.contains(month) || (kept_months.len() as i64) < months {
            keep |= kept_months.insert(month.to_string());
        }
        if !keep {
            delete.push(backup.archivo.clone());
        }
    }
    delete
}

fn settings_of(conn: &rusqlite::Connection) -> CoreResult<BackupSettings> {
    let number = |key: &str, default: i64| -> CoreResult<i64> {
        Ok(store::setting(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(default))
    };
    Ok(BackupSettings {
        hora_diaria: store::setting(conn, KEY_HOUR)?.unwrap_or_else(|| DEFAULT_HOUR.into()),
        carpeta_extra: store::setting(conn, KEY_EXTRA)?,
        conservar_diarios: number(KEY_DAILY, DEFAULT_DAILY)?,
        conservar_mensuales: number(KEY_MONTHLY, DEFAULT_MONTHLY)?,
    })
}

/// A folder given by a person: it must exist and be a folder.
fn existing_folder(field: &str, text: &str) -> CoreResult<PathBuf> {
    let path = PathBuf::from(text.trim());
    if text.trim().is_empty() {
        return Err(CoreError::required(field));
    }
    if text.contains('\0') || !path.is_absolute() {
        return Err(CoreError::invalid(field, "debe ser la ruta completa de una carpeta"));
    }
    if !path.is_dir() {
        return Err(CoreError::new(ErrorCode::ArchivoInvalido, field, format!("«{}»: la carpeta {} no existe.", capitalized_label(field), path.display())));
    }
    Ok(path)
}

fn check_settings(input: &BackupSettingsInput) -> CoreResult<BackupSettings> {
    let hora = input.hora_diaria.trim();
    if hora.is_empty() {
        return Err(CoreError::required("hora_diaria"));
    }
    let hora = NaiveTime::parse_from_str(hora, "%H:%M")
        .map_err(|_| CoreError::invalid("hora_diaria", "debe ser una hora HH:MM (00:00 a 23:59)"))?;
    let extra = match input.carpeta_extra.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Some(existing_folder("carpeta_extra", text)?.to_string_lossy().into_owned()),
        None => None,
    };
    if !(1..=366).contains(&input.conservar_diarios) {
        return Err(CoreError::invalid("conservar_diarios", "debe estar entre 1 y 366"));
    }
    if !(0..=120).contains(&input.conservar_mensuales) {
        return Err(CoreError::invalid("conservar_mensuales", "debe estar entre 0 y 120"));
    }
    Ok(BackupSettings {
        hora_diaria: hora.format("%H:%M").to_string(),
        carpeta_extra: extra,
        conservar_diarios: input.conservar_diarios,
        conservar_mensuales: input.conservar_mensuales,
    })
}

impl Mostrador {
    /// The backups screen: settings and every backup in the data folder and the second folder.
    pub fn backup_overview(&self) -> CoreResult<BackupOverview> {
        self.admin("ver los respaldos")?;
        let ajustes = settings_of(&self.conn)?;
        let carpeta = backup_dir(&self.path);
        Ok(BackupOverview { carpeta: carpeta.to_string_lossy().into_owned(), respaldos: list(&self.backup_folders()?), ajustes })
    }

    /// Where backups are kept: the data folder's `respaldos/` and the optional second folder.
    pub(super) fn backup_folders(&self) -> CoreResult<Vec<PathBuf>> {
        let mut folders = vec![backup_dir(&self.path)];
        folders.extend(settings_of(&self.conn)?.carpeta_extra.map(PathBuf::from));
        Ok(folders)
    }

    pub fn update_backup_settings(&mut self, input: BackupSettingsInput) -> CoreResult<BackupSettings> {
        let actor = self.admin("configurar los respaldos")?.clone();
        let valid = check_settings(&input)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        put_setting(&tx, KEY_HOUR, Some(&valid.hora_diaria))?;
        put_setting(&tx, KEY_EXTRA, valid.carpeta_extra.as_deref())?;
        put_setting(&tx, KEY_DAILY, Some(&valid.conservar_diarios.to_string()))?;
        put_setting(&tx, KEY_MONTHLY, Some(&valid.conservar_mensuales.to_string()))?;
        audit(&tx, Some(actor.id), "update_backup_settings", "settings", None, serde_json::to_value(&valid).unwrap_or_default(), &now)?;
        tx.commit()?;
        Ok(valid)
    }

    /// Checks who asks and where to, and returns the job to run (outside the core's lock).
    pub fn prepare_backup(&self, input: BackupNowInput) -> CoreResult<BackupJob> {
        self.admin("tomar un respaldo")?;
        let folder = match input.carpeta.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => Some(existing_folder("carpeta", text)?),
            None => None,
        };
        Ok(BackupJob::new(&self.path, folder.as_deref(), self.clock.now()))
    }

    /// Takes a backup now (what the command does, with the copy run under the caller's lock).
    pub fn backup_now(&self, input: BackupNowInput) -> CoreResult<Respaldo> {
        self.prepare_backup(input)?.run()
    }
}

/// What an automatic pass found due.
fn due(conn: &rusqlite::Connection, now: DateTime<Utc>) -> CoreResult<Option<(Motivo, i64, NaiveDate)>> {
    let closed = files::last_closed_session(conn)?;
    let covered: i64 = store::setting(conn, KEY_LAST_CLOSE)?.and_then(|v| v.parse().ok()).unwrap_or(0);
    let local = now.with_timezone(&store_offset());
    let today = local.date_naive();
    if closed > covered {
        return Ok(Some((Motivo::Cierre, closed, today)));
    }
    let hour = NaiveTime::parse_from_str(&settings_of(conn)?.hora_diaria, "%H:%M").unwrap_or(NaiveTime::MIN);
    let last_daily = store::setting(conn, KEY_LAST_DAILY)?;
    let done_today = last_daily.as_deref() == Some(today.to_string().as_str());
    Ok((local.time() >= hour && !done_today).then_some((Motivo::Diario, closed, today)))
}

/// One pass of the automatic backups for the database at `db_path`: a backup after a
/// register closed since the last one, and the daily one once its time has passed. Each
/// goes to the data folder and to the second folder when one is set, and the older
/// automatic backups beyond the retention are deleted. Returns the backup taken, if any.
pub fn automatic_pass(db_path: &Path, now: DateTime<Utc>) -> CoreResult<Option<Respaldo>> {
    let mut conn = store::open(db_path)?;
    let removed = clean_orphan_vouchers(&conn, db_path, std::time::SystemTime::now())?;
    if removed > 0 {
        log::info!("{removed} comprobante(s) sin registro eliminados");
    }
    let Some((motivo, closed, today)) = due(&conn, now)? else {
        return Ok(None);
    };
    let settings = settings_of(&conn)?;
    let mut folders = vec![backup_dir(db_path)];
    folders.extend(settings.carpeta_extra.as_ref().map(PathBuf::from));
    let job = BackupJob {
        source: db_path.to_path_buf(),
        folders,
        at: now,
        motivo,
        retention: Some((settings.conservar_diarios, settings.conservar_mensuales)),
        pause: Duration::ZERO,
    };
    let taken = job.run()?;
    let tx = store::write(&mut conn)?;
    put_setting(&tx, KEY_LAST_CLOSE, Some(&closed.to_string()))?;
    if motivo == Motivo::Diario {
        put_setting(&tx, KEY_LAST_DAILY, Some(&today.to_string()))?;
    }
    audit(&tx, None, "backup", "database", None, json!({"motivo": motivo.as_str(), "archivo": taken.archivo}), &stamp(now))?;
    tx.commit()?;
    Ok(Some(taken))
}

/// Where vouchers are kept, beside the database (`service::agents` writes them).
const VOUCHER_DIR: &str = "comprobantes";
/// A voucher file no row names is removed only once it is this old: a transaction that
/// copied it may still be about to commit.
pub const ORPHAN_AGE: Duration = Duration::from_secs(600);

/// Removes the voucher files no record names and older than [`ORPHAN_AGE`] at `now` (a
/// crash between copying a voucher and committing its transaction leaves one; harmless,
/// nothing reads it). Returns how many were removed.
pub fn clean_orphan_vouchers(conn: &rusqlite::Connection, db_path: &Path, now: std::time::SystemTime) -> CoreResult<usize> {
    let dir = db_path.parent().unwrap_or(Path::new(".")).join(VOUCHER_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(0);
    };
    let named = files::named_vouchers(conn)?;
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old_enough = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| now.duration_since(modified).is_ok_and(|age| age >= ORPHAN_AGE));
        if old_enough && !named.contains(&format!("{VOUCHER_DIR}/{name}")) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Runs [`automatic_pass`] every `every` for as long as the process lives (the window
/// starts it on a thread of its own). A failed pass is logged and tried again.
pub fn run_automatic(db_path: PathBuf, clock: std::sync::Arc<dyn crate::domain::clock::Clock>, every: Duration) {
    loop {
        match automatic_pass(&db_path, clock.now()) {
            Ok(Some(taken)) => log::info!("respaldo automático: {} ({} bytes)", taken.archivo, taken.bytes),
            Ok(None) => {}
            Err(err) => log::warn!("respaldo automático no realizado: {}", err.message),
        }
        std::thread::sleep(every);
    }
}

impl Mostrador {
    /// Restores the backup file an administrator chose, after their PIN. The file is
    /// verified first (a copy of it, so the chosen file is never touched); a corrupt file,
    /// one from a newer version or one that is not a Mostrador database is refused with
    /// nothing changed. The current database is kept beside it, the backup's content
    /// replaces it, every provider call not acknowledged in the backup is put in doubt,
    /// and the keys of calls made after the backup are retired (never given again).
    /// Everyone is logged out: the restored store has its own operators.
    pub fn restore_backup(&mut self, input: RestoreInput) -> CoreResult<RestoreOutcome> {
        let me = self.admin("restaurar un respaldo")?.clone();
        let chosen = input.archivo.trim();
        if chosen.is_empty() {
            return Err(CoreError::required("archivo"));
        }
        let chosen = PathBuf::from(chosen);
        if !chosen.is_file() {
            return Err(refused_file(&chosen, "el archivo no existe"));
        }
        if input.pin.is_empty() {
            return Err(CoreError::required("pin"));
        }
        self.check_credentials(&me.name, &input.pin, "pin")?;
        self.restore_file(&chosen, &me.name, Aside::Online)
    }

    /// Restores, from the damaged-database screen and before any login, the backup that
    /// screen names (the newest good one), after the name and PIN of an active
    /// administrator, checked against the damaged database's own operators. Allowed only
    /// when the start-up check failed. The damaged file is kept aside byte for byte (with
    /// its WAL), then the restore goes as [`Mostrador::restore_backup`]'s. When the damaged
    /// database cannot answer for its operators or its calls, it refuses and says how to
    /// restore by hand: nothing else can vouch for the person or keep a key from reuse.
    pub fn restore_damaged(&mut self, input: RestoreDamagedInput) -> CoreResult<RestoreOutcome> {
        let check = self.startup_check()?;
        let label = crate::domain::error::label("archivo");
        let not_now = |message: String| CoreError::new(ErrorCode::EstadoNoPermite, "archivo", message);
        if check.ok {
            return Err(not_now(format!(
                "La base de datos pasó su verificación al iniciar: elija el «{label}» en Administración, con su sesión iniciada."
            )));
        }
        let Some(named) = check.ultimo_respaldo else {
            return Err(not_now(format!("No hay un «{label}» verificado en la carpeta de datos ni en la segunda carpeta.")));
        };
        let chosen = input.archivo.trim();
        if chosen.is_empty() {
            return Err(CoreError::required("archivo"));
        }
        if chosen != named.archivo {
            return Err(refused_file(Path::new(chosen), "no es el último respaldo bueno, el que nombra esta pantalla"));
        }
        let name = input.nombre.trim();
        if name.is_empty() {
            // The login's field: "nombre" alone is the store's name in messages.
            return Err(CoreError::required("name"));
        }
        if input.pin.is_empty() {
            return Err(CoreError::required("pin"));
        }
        if self.damaged_refusals >= super::auth::MAX_FAILED_LOGINS {
            return Err(CoreError::new(
                ErrorCode::OperadorBloqueado,
                "pin",
                "PIN: demasiados intentos fallidos en esta pantalla; cierre Mostrador y vuelva a abrirlo para intentar de nuevo.",
            ));
        }
        // The damaged file is copied aside at the first attempt, before any credential
        // check writes to it (a failed attempt is counted there); later attempts keep that
        // copy, and it is removed if Mostrador closes without restoring.
        if self.damaged_aside.is_none() {
            self.damaged_aside = Some(KeptAside::take(&self.path, &self.clock.now())?);
        }
        let me = match self.check_credentials(name, &input.pin, "pin") {
            Ok(me) => me,
            Err(e) => {
                // Counted here too: a database that cannot record a failure keeps no lockout.
                self.damaged_refusals += 1;
                if matches!(e.code, ErrorCode::CredencialesInvalidas | ErrorCode::OperadorBloqueado) {
                    return Err(e);
                }
                return Err(self.restore_by_hand(&named.archivo, &e.message));
            }
        };
        if me.role != Role::Administrador {
            return Err(CoreError::forbidden("restaurar un respaldo"));
        }
        let aside = self.damaged_aside.as_ref().map(|k| k.path.clone()).ok_or_else(|| CoreError::internal("sin copia aparte"))?;
        let outcome = self.restore_file(Path::new(chosen), &me.name, Aside::Kept(aside))?;
        if let Some(kept) = self.damaged_aside.take() {
            kept.keep();
        }
        Ok(outcome)
    }

    /// The refusal when the damaged database cannot answer what a restore needs.
    fn restore_by_hand(&self, backup: &str, why: &str) -> CoreError {
        CoreError::general(
            ErrorCode::EstadoNoPermite,
            format!(
                "La base dañada no permite comprobar lo necesario para restaurar ({why}). Restaure a mano: \
                 cierre Mostrador, guarde una copia de «{}» y reemplácelo por el respaldo «{backup}».",
                self.path.display()
            ),
        )
    }

    /// Replaces the database with the verified copy of `chosen`, keeping the current one
    /// aside; puts in doubt every call the backup does not acknowledge and retires the keys
    /// it does not hold. Logs everyone out.
    fn restore_file(&mut self, chosen: &Path, by: &str, aside_as: Aside) -> CoreResult<RestoreOutcome> {
        let now = self.clock.now();
        let tag = now.with_timezone(&store_offset()).format("%Y%m%d-%H%M%S").to_string();
        let dir = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let staged = dir.join(format!("restaurando-{tag}.sqlite3"));
        let staged_guard = RemoveOnDrop(staged.clone());
        std::fs::copy(chosen, &staged).map_err(|e| refused_file(chosen, &e.to_string()))?;
        files::verify(&staged).map_err(|r| refusal(chosen, r))?;
        let from_damaged = matches!(aside_as, Aside::Kept(_));
        let keys_before = match files::call_keys(&self.conn) {
            Ok(keys) => keys,
            Err(e) if from_damaged => return Err(self.restore_by_hand(&chosen.to_string_lossy(), &e.to_string())),
            Err(e) => return Err(e.into()),
        };
        let aside = match aside_as {
            Aside::Online => {
                let aside = dir.join(format!("antes-de-restaurar-{tag}.sqlite3"));
                files::copy_online(&self.path, &aside, Duration::ZERO)?;
                aside
            }
            Aside::Kept(aside) => aside,
        };
        files::restore_into(&mut self.conn, &staged)?;
        drop(staged_guard);
        // Reopened: an older backup is migrated to this version's schema.
        self.conn = store::open(&self.path)?;
        super::health::forget_startup_check(&self.path);
        let stamped = stamp(now);
        let tx = store::write(&mut self.conn)?;
        let in_doubt = files::calls_in_doubt_after_restore(&tx, &stamped)?;
        let retired = files::retire_lost_keys(&tx, &keys_before, &stamped)?;
        let detail = json!({
            "archivo": chosen.to_string_lossy(), "anterior": aside.to_string_lossy(),
            "en_duda": in_doubt, "claves_retiradas": retired, "por": by,
            "desde_base_danada": from_damaged,
        });
        audit(&tx, None, "restore_backup", "database", None, detail, &stamped)?;
        tx.commit()?;
        self.current = None;
        Ok(RestoreOutcome {
            archivo: chosen.to_string_lossy().into_owned(),
            anterior: aside.to_string_lossy().into_owned(),
            llamadas_en_duda: in_doubt,
        })
    }
}

/// How the database being replaced is kept aside.
enum Aside {
    /// Through SQLite's backup API: a consistent copy of a sound database.
    Online,
    /// Already copied there: the damaged file and its WAL as they were, byte for byte
    /// (for whoever examines it), taken before anything was written to them.
    Kept(PathBuf),
}

/// The damaged database and its WAL copied aside as `antes-de-restaurar-<time>.sqlite3`
/// (and `-wal`); removed when dropped unless [`KeptAside::keep`] is called.
pub(super) struct KeptAside {
    path: PathBuf,
    armed: bool,
}

impl KeptAside {
    fn take(db: &Path, now: &chrono::DateTime<chrono::Utc>) -> CoreResult<KeptAside> {
        let tag = now.with_timezone(&store_offset()).format("%Y%m%d-%H%M%S");
        let path = db.parent().unwrap_or(Path::new(".")).join(format!("antes-de-restaurar-{tag}.sqlite3"));
        let kept = KeptAside { path, armed: true };
        std::fs::copy(db, &kept.path).map_err(CoreError::internal)?;
        let wal = PathBuf::from(format!("{}-wal", db.display()));
        if wal.exists() {
            std::fs::copy(&wal, kept.wal()).map_err(CoreError::internal)?;
        }
        Ok(kept)
    }

    fn wal(&self) -> PathBuf {
        PathBuf::from(format!("{}-wal", self.path.display()))
    }

    fn keep(mut self) {
        self.armed = false;
    }
}

impl Drop for KeptAside {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
            let _ = std::fs::remove_file(self.wal());
        }
    }
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn capitalized_label(field: &str) -> String {
    let label = crate::domain::error::label(field);
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn refused_file(path: &Path, why: &str) -> CoreError {
    CoreError::new(ErrorCode::ArchivoInvalido, "archivo", format!("«{}» {}: {why}. No se cambió nada.", capitalized_label("archivo"), path.display()))
}

fn refusal(path: &Path, refused: Refused) -> CoreError {
    match refused {
        Refused::Newer { .. } => CoreError::new(
            ErrorCode::BaseDeDatosMasNueva,
            "archivo",
            format!("«{}» {}: {refused}. No se cambió nada.", capitalized_label("archivo"), path.display()),
        ),
        other => refused_file(path, &other.to_string()),
    }
}
