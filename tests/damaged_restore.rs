//! Restoring straight from the damaged-database screen, on real SQLite files damaged for
//! real (pages of the file scribbled over): before any login, with the name and PIN of an
//! administrator checked against the damaged database's own operators, only the backup
//! the screen names, the damaged file kept aside as it was; refusals change nothing, and
//! a database too damaged to vouch for the person is refused with the way to do it by hand.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use rusqlite::Connection;

const PAGE: u64 = 4096;

/// A filler table spanning the file's last pages, the ones [`damage_filler`] damages.
const FILLER: &str = "CREATE TABLE relleno(x BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
    INSERT INTO relleno SELECT randomblob(300) FROM n;";

fn quick_check(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let found = conn.prepare("PRAGMA quick_check").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap_or_default();
    found
}

fn movement_ids(path: &Path) -> Vec<i64> {
    let conn = Connection::open(path).unwrap();
    let found = conn.prepare("SELECT id FROM cash_movements ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    found
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Scribbles over the b-tree header of each page in `pages` (1-based) of the file.
fn scribble(path: &Path, pages: impl IntoIterator<Item = u64>) {
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    for page in pages {
        file.seek(SeekFrom::Start((page - 1) * PAGE)).unwrap();
        file.write_all(&[0xA5; 64]).unwrap();
    }
}

/// A store with one movement, a backup of it in the data folder, a second movement after
/// the backup and a filler table spanning the file's last pages, all checkpointed into
/// the main file. Returns the folder, the database, the backup and the movements backed up.
fn store_with_backup() -> (tempfile::TempDir, PathBuf, String, Vec<i64>) {
    let mut fx = Fixture::new();
    let mixta = fx.mixta.id;
    let session = fx.as_(Who::Cashier).open_session(open(mixta, "500")).unwrap().id;
    fx.as_(Who::Cashier).record_cash_movement(ingreso(session, "10")).unwrap();
    let taken = fx.app.backup_now(BackupNowInput { carpeta: None }).unwrap();
    let backed_up = movement_ids(&fx.path());
    fx.as_(Who::Cashier).record_cash_movement(ingreso(session, "20")).unwrap();
    fx.app
        .connection()
        .execute_batch(FILLER)
        .unwrap();
    let path = fx.path();
    let (dir, _clock) = fx.into_parts();
    Connection::open(&path).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    (dir, path, taken.archivo, backed_up)
}

/// Damages the filler table's pages (the file's last ones).
fn damage_filler(path: &Path) {
    let pages = std::fs::metadata(path).unwrap().len() / PAGE;
    scribble(path, (pages - 11)..(pages - 1));
}

fn without_aside(names: Vec<String>) -> Vec<String> {
    names.into_iter().filter(|n| !n.starts_with("antes-de-restaurar-")).collect()
}

fn restore(archivo: &str, nombre: &str, pin: &str) -> RestoreDamagedInput {
    RestoreDamagedInput { archivo: archivo.into(), nombre: nombre.into(), pin: pin.into() }
}

#[test]
fn a_damaged_database_is_restored_from_its_screen_with_an_administrators_name_and_pin() {
    let (dir, path, backup, backed_up) = store_with_backup();
    damage_filler(&path);
    let mut app = Mostrador::open(&path).unwrap();
    let check = app.startup_check().unwrap();
    assert!(!check.ok, "{check:?}");
    assert_eq!(check.ultimo_respaldo.as_ref().map(|b| b.archivo.as_str()), Some(backup.as_str()));

    // Refusals, each naming its field; none replaces the file or leaves one behind (but
    // the copy of the damaged file, taken at the first attempt that reaches the PIN).
    let other = dir.path().join("otro.sqlite3");
    std::fs::copy(&backup, &other).unwrap();
    let files_before = names_in(dir.path());
    let damaged_bytes = std::fs::read(&path).unwrap();
    let cases = [
        ("no file", restore("", ADMIN_NAME, ADMIN_PIN), ErrorCode::CampoRequerido, Some("archivo")),
        ("another file", restore(&other.to_string_lossy(), ADMIN_NAME, ADMIN_PIN), ErrorCode::ArchivoInvalido, Some("archivo")),
        ("no name", restore(&backup, "  ", ADMIN_PIN), ErrorCode::CampoRequerido, Some("name")),
        ("no pin", restore(&backup, ADMIN_NAME, ""), ErrorCode::CampoRequerido, Some("pin")),
        ("wrong pin", restore(&backup, ADMIN_NAME, "999999"), ErrorCode::CredencialesInvalidas, Some("pin")),
        ("unknown name", restore(&backup, "Nadie", ADMIN_PIN), ErrorCode::CredencialesInvalidas, Some("pin")),
        ("a cashier", restore(&backup, CASHIER_NAME, CASHIER_PIN), ErrorCode::PermisoDenegado, None),
    ];
    for (what, input, code, field) in cases {
        let err = expect_err(app.restore_damaged(input), what);
        assert_error(&err, code, field, what);
        assert_eq!(without_aside(names_in(dir.path())), files_before, "{what}: a file was left or removed");
        assert_ne!(quick_check(&path), vec!["ok".to_string()], "{what}: the database was replaced");
        assert_eq!(app.current_operator(), None, "{what}: someone is logged in");
    }

    let outcome = app.restore_damaged(restore(&backup, ADMIN_NAME, ADMIN_PIN)).unwrap();
    assert_eq!(outcome.archivo, backup);
    // The damaged file is kept aside as it was: still damaged, filler table and all.
    let aside = PathBuf::from(&outcome.anterior);
    assert!(aside.file_name().unwrap().to_string_lossy().starts_with("antes-de-restaurar-"), "{aside:?}");
    assert_ne!(quick_check(&aside), vec!["ok".to_string()], "the kept file is not the damaged one");
    // As it was before the refused attempts counted their failures in it.
    assert_eq!(std::fs::read(&aside).unwrap(), damaged_bytes, "the kept file is not the damaged one as it was");
    assert_eq!(names_in(dir.path()).iter().filter(|n| n.starts_with("antes-de-restaurar-") && n.ends_with(".sqlite3")).count(), 1);
    let kept: i64 = Connection::open(&aside).unwrap().query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'relleno'", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 1);
    // The database is the backup's: sound, the movement after it gone, nobody logged in.
    assert_eq!(quick_check(&path), vec!["ok".to_string()]);
    assert!(app.startup_check().unwrap().ok, "the start-up check still remembers the damage");
    assert_eq!(movement_ids(&path), backed_up);
    assert_eq!(app.current_operator(), None);
    app.login(creds(ADMIN_NAME, ADMIN_PIN)).unwrap();
    let audited: String = app
        .connection()
        .query_row("SELECT detail FROM audit_log WHERE action = 'restore_backup' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(audited.contains("\"desde_base_danada\":true") && audited.contains(ADMIN_NAME), "{audited}");
    // Sound again, the screen's restore is refused.
    let err = expect_err(app.restore_damaged(restore(&backup, ADMIN_NAME, ADMIN_PIN)), "sound again");
    assert_error(&err, ErrorCode::EstadoNoPermite, Some("archivo"), "sound again");
}

#[test]
fn a_database_too_damaged_to_read_its_operators_is_refused_with_the_way_to_restore_by_hand() {
    let (dir, path, backup, _) = store_with_backup();
    let root: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'operators'", [], |r| r.get(0))
        .unwrap();
    damage_filler(&path);
    scribble(&path, [root as u64]);
    let original = std::fs::read(&path).unwrap();
    let mut app = Mostrador::open(&path).unwrap();
    assert!(!app.startup_check().unwrap().ok);
    let files_before = names_in(dir.path());
    let err = expect_err(app.restore_damaged(restore(&backup, ADMIN_NAME, ADMIN_PIN)), "operators unreadable");
    assert_eq!(err.code, ErrorCode::EstadoNoPermite);
    assert!(err.message.contains("Restaure a mano") && err.message.contains(&backup), "{}", err.message);
    assert!(err.message.contains(&path.display().to_string()), "{}", err.message);
    assert_eq!(without_aside(names_in(dir.path())), files_before);
    drop(app);
    assert!(!names_in(dir.path()).iter().any(|n| n.starts_with("antes-de-restaurar-")), "the copy aside outlived the app");
    assert_eq!(std::fs::read(&path).unwrap(), original, "the damaged file was changed");
}

#[test]
fn a_damaged_database_without_any_backup_says_there_is_none_to_restore() {
    let fx = Fixture::new();
    let path = fx.path();
    fx.app
        .connection()
        .execute_batch(FILLER)
        .unwrap();
    let (_dir, _clock) = fx.into_parts();
    Connection::open(&path).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    damage_filler(&path);
    let mut app = Mostrador::open(&path).unwrap();
    let err = expect_err(app.restore_damaged(restore("/tmp/respaldo.sqlite3", ADMIN_NAME, ADMIN_PIN)), "no backup");
    assert_error(&err, ErrorCode::EstadoNoPermite, Some("archivo"), "no backup");
    assert!(err.message.contains("No hay un «archivo de respaldo»"), "{}", err.message);
}

#[test]
fn the_damaged_screen_stops_after_five_refusals_even_those_the_database_does_not_count() {
    let (dir, path, backup, _) = store_with_backup();
    damage_filler(&path);
    let mut app = Mostrador::open(&path).unwrap();
    assert!(!app.startup_check().unwrap().ok);
    // Unknown names leave no failure in the database (there is no row to count it on).
    for n in 0..5 {
        let err = expect_err(app.restore_damaged(restore(&backup, &format!("Nadie {n}"), ADMIN_PIN)), "unknown name");
        assert_error(&err, ErrorCode::CredencialesInvalidas, Some("pin"), "unknown name");
    }
    let err = expect_err(app.restore_damaged(restore(&backup, ADMIN_NAME, ADMIN_PIN)), "after five refusals");
    assert_error(&err, ErrorCode::OperadorBloqueado, Some("pin"), "after five refusals");
    assert_ne!(quick_check(&path), vec!["ok".to_string()], "the database was replaced");
    // Closing without restoring removes the copy of the damaged file.
    assert!(names_in(dir.path()).iter().any(|n| n.starts_with("antes-de-restaurar-")));
    drop(app);
    assert!(!names_in(dir.path()).iter().any(|n| n.starts_with("antes-de-restaurar-")), "{:?}", names_in(dir.path()));
    // A new start may try again, and the administrator's PIN restores.
    let mut app = Mostrador::open(&path).unwrap();
    assert!(!app.startup_check().unwrap().ok);
    app.restore_damaged(restore(&backup, ADMIN_NAME, ADMIN_PIN)).unwrap();
    assert_eq!(quick_check(&path), vec!["ok".to_string()]);
}
