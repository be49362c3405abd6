//! The installation's health: the administrator's screen (integrity, size, log lines,
//! last backup) and the check every start-up runs, on real SQLite files.

mod common;

use std::io::{Seek, SeekFrom, Write};

use common::*;
use mostrador::domain::{BackupNowInput, ErrorCode};
use mostrador::service::health::{last_lines, LOG_KEPT_FILES, LOG_MAX_BYTES};
use mostrador::Mostrador;

#[test]
fn the_health_screen_is_for_administrators_only_and_changes_nothing() {
    let mut fx = Fixture::new();
    fx.login(Who::Nobody);
    assert_eq!(fx.app.system_health().unwrap_err().code, ErrorCode::NoAutenticado);
    fx.login(Who::Cashier);
    let err = fx.app.system_health().unwrap_err();
    assert_eq!(err.code, ErrorCode::PermisoDenegado, "{err:?}");
    let before = std::fs::read(fx.path()).unwrap();
    fx.login(Who::Admin);
    let audit_before: i64 = fx.app.connection().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    let health = fx.app.system_health().unwrap();
    let audit_after: i64 = fx.app.connection().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(audit_before, audit_after, "reading the health wrote to the audit log");
    assert!(!before.is_empty());

    assert!(health.integridad.sqlite_ok, "{health:?}");
    assert!(health.integridad.mismatched_accounts.is_empty());
    assert_eq!(health.ruta_base, fx.path().display().to_string());
    // The size is the file plus its write-ahead log, as they are on disk now.
    let wal = std::fs::metadata(format!("{}-wal", fx.path().display())).map(|m| m.len()).unwrap_or(0);
    let file = std::fs::metadata(fx.path()).unwrap().len();
    assert_eq!(health.tamano_base_bytes as u64, file + wal);
    assert!(health.archivo_log.ends_with("mostrador.log"), "{}", health.archivo_log);
    // No backup yet: the screen says so.
    assert_eq!(health.ultimo_respaldo, None);

    // After a backup into the data folder, the screen names it, with its size.
    let taken = fx.app.backup_now(BackupNowInput { carpeta: None }).unwrap();
    let health = fx.app.system_health().unwrap();
    let last = health.ultimo_respaldo.expect("the backup just taken");
    assert_eq!((last.archivo.as_str(), last.tamano_bytes), (taken.archivo.as_str(), taken.bytes));
    let created = chrono::DateTime::parse_from_rfc3339(&last.creado).expect("RFC 3339");
    assert_eq!(created.format("%Y-%m-%d %H:%M:%S").to_string(), taken.tomado, "store-local time kept");
}

#[test]
fn the_log_tail_gives_the_newest_lines_in_order_even_from_a_large_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mostrador.log");
    assert!(last_lines(&path, 5).unwrap().is_empty(), "a missing log has no lines");
    let mut file = std::fs::File::create(&path).unwrap();
    // More than the 256 KiB read, so the first line read is cut and must be dropped.
    for i in 0..20_000 {
        writeln!(file, "[2026-12-06][10:00:00][mostrador][INFO] línea {i:05} ñ").unwrap();
    }
    drop(file);
    let lines = last_lines(&path, 3).unwrap();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].ends_with("línea 19997 ñ") && lines[2].ends_with("línea 19999 ñ"), "{lines:?}");
    let many = last_lines(&path, 100_000).unwrap();
    assert!(many.len() < 20_000 && many.len() > 1_000, "{}", many.len());
    assert!(many.iter().all(|l| l.starts_with("[2026-12-06]")), "a cut line was kept");
    // The rotation bounds are what the README states.
    assert_eq!((LOG_MAX_BYTES, LOG_KEPT_FILES), (2 * 1024 * 1024, 5));
}

#[test]
fn a_sound_database_passes_the_start_up_check_without_a_login() {
    let mut fx = Fixture::new();
    fx.login(Who::Nobody);
    let check = fx.app.startup_check().unwrap();
    assert!(check.ok, "{check:?}");
    assert_eq!(check.mensajes, vec!["ok".to_string()]);
    assert_eq!(check.ultimo_respaldo, None);
}

#[test]
fn a_damaged_database_fails_the_start_up_check_with_sqlites_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mostrador.sqlite3");
    {
        let app = Mostrador::open(&path).unwrap();
        // Enough rows for the table to span many pages past the schema's.
        app.connection()
            .execute_batch(
                "CREATE TABLE relleno(x BLOB);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
                 INSERT INTO relleno SELECT randomblob(300) FROM n;
                 PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .unwrap();
    }
    let len = std::fs::metadata(&path).unwrap().len();
    let page = 4096;
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    // Scribble over the b-tree headers of the last pages (the filler table's).
    for n in 2..12u64 {
        file.seek(SeekFrom::Start(len - n * page)).unwrap();
        file.write_all(&[0xA5; 64]).unwrap();
    }
    drop(file);
    let app = Mostrador::open(&path).unwrap();
    let check = app.startup_check().unwrap();
    assert!(!check.ok, "{check:?}");
    assert!(!check.mensajes.is_empty() && check.mensajes != ["ok"], "{check:?}");
    assert_eq!(check.ruta_base, path.display().to_string());
    // Asked again in the same process, the first answer stands (the check runs once).
    assert_eq!(app.startup_check().unwrap(), check);
}
