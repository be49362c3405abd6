//! Backups and restores on real SQLite files: a backup taken while a cashier keeps
//! recording holds everything committed before it began and passes its checks; a restore
//! refuses corrupt, newer and foreign files without changing anything; after a restore
//! the calls acknowledged after the backup are not sent again (the bank simulator over
//! loopback, through a counting proxy); automatic backups and their retention; the
//! headless `respaldar` and `restaurar`; bad input for every new command.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::Who::*;
use common::*;
use mostrador::domain::*;
use mostrador::service::backup::{self, BackupJob};
use mostrador::simulator::{self, SimulatorConfig};
use mostrador::sync::{SyncHandle, WorkerConfig};
use mostrador::Mostrador;
use rusqlite::Connection;

fn integrity(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let found = conn.prepare("PRAGMA integrity_check").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    found
}

fn movement_ids(path: &Path) -> Vec<i64> {
    let conn = Connection::open(path).unwrap();
    let found = conn.prepare("SELECT id FROM cash_movements ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    found
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A cashier's open session on the mixed register.
fn open_session(fx: &mut Fixture) -> i64 {
    let mixta = fx.mixta.id;
    fx.as_(Cashier).open_session(open(mixta, "500")).unwrap().id
}

#[test]
fn a_backup_taken_during_a_burst_of_writes_restores_everything_committed_before_it_began() {
    let mut fx = Fixture::new();
    let session = open_session(&mut fx);
    let path = fx.path();
    let committed = Arc::new(Mutex::new(Vec::<i64>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (committed, stop, clock) = (committed.clone(), stop.clone(), fx.clock.clone());
        let path = path.clone();
        std::thread::spawn(move || {
            let mut cashier = Mostrador::open_with_clock(&path, Arc::new(clock)).unwrap();
            cashier.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
            while !stop.load(Ordering::Relaxed) {
                let moved = cashier.record_cash_movement(ingreso(session, "1.25")).unwrap();
                committed.lock().unwrap().push(moved.id);
            }
        })
    };
    while committed.lock().unwrap().len() < 40 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let before: Vec<i64> = committed.lock().unwrap().clone();
    let folder = tempfile::tempdir().unwrap();
    let mut job = BackupJob::new(&path, Some(folder.path()), start_time());
    job.pause = Duration::from_millis(2);
    let taken = job.run().unwrap();
    while committed.lock().unwrap().len() < before.len() + 40 {
        std::thread::sleep(Duration::from_millis(5));
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();

    let file = PathBuf::from(&taken.archivo);
    assert_eq!(integrity(&file), ["ok"]);
    assert_eq!(taken.bytes, std::fs::metadata(&file).unwrap().len() as i64);
    assert_eq!(taken.motivo, "manual");
    let in_backup = movement_ids(&file);
    for id in &before {
        assert!(in_backup.contains(id), "movement {id}, committed before the backup began, is missing");
    }
    let after_all = movement_ids(&path);
    assert!(after_all.len() > in_backup.len(), "the writer kept committing during and after the backup");
    // The backup is a single self-contained file (no journal beside it needed).
    assert!(!PathBuf::from(format!("{}-wal", taken.archivo)).exists());

    // Restored, the store holds exactly the backup's movements and its ledger is sound.
    let outcome = fx.app.restore_backup(RestoreInput { archivo: taken.archivo.clone(), pin: ADMIN_PIN.into() }).unwrap();
    assert_eq!(movement_ids(&path), in_backup);
    assert_eq!(integrity(&path), ["ok"]);
    assert_ledger_consistent(fx.app.connection(), "after restore");
    assert_eq!(movement_ids(Path::new(&outcome.anterior)), after_all, "the database as it was is kept aside");
    assert_eq!(fx.app.current_operator(), None, "a restore logs everyone out");
    let err = expect_err(fx.app.backup_overview(), "logged out");
    assert_eq!(err.code, ErrorCode::NoAutenticado);
    fx.login_admin();
    let listed = fx.app.backup_overview().unwrap();
    assert!(listed.respaldos.is_empty(), "the backup went to the chosen folder, not the data folder: {:?}", listed.respaldos);
}

/// Files a restore must refuse: (what, path).
fn refused_files(fx: &mut Fixture, dir: &Path) -> Vec<(&'static str, PathBuf, ErrorCode)> {
    let good = PathBuf::from(fx.app.backup_now(BackupNowInput { carpeta: Some(dir.to_string_lossy().into()) }).unwrap().archivo);

    let corrupt = dir.join("danado.sqlite3");
    let mut bytes = std::fs::read(&good).unwrap();
    assert!(bytes.len() > 4096 * 6, "the store spans several pages");
    for b in &mut bytes[4096 * 2..4096 * 5] {
        *b = 0x5a;
    }
    std::fs::write(&corrupt, bytes).unwrap();

    let newer = dir.join("nueva.sqlite3");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (9999, 'futuro', '2030-01-01', '0')",
            [],
        )
        .unwrap();

    let foreign = dir.join("otra.sqlite3");
    Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notas (texto TEXT); INSERT INTO notas VALUES ('hola');").unwrap();

    let text = dir.join("notas.txt");
    std::fs::write(&text, "esto no es una base de datos").unwrap();

    let empty = dir.join("vacio.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    vec![
        ("corrupt", corrupt, ErrorCode::ArchivoInvalido),
        ("newer", newer, ErrorCode::BaseDeDatosMasNueva),
        ("foreign", foreign, ErrorCode::ArchivoInvalido),
        ("text", text, ErrorCode::ArchivoInvalido),
        ("empty", empty, ErrorCode::ArchivoInvalido),
    ]
}

#[test]
fn a_restore_refuses_a_corrupt_a_newer_and_a_foreign_file_changing_nothing() {
    let mut fx = Fixture::new();
    let session = open_session(&mut fx);
    fx.as_(Cashier).record_cash_movement(ingreso(session, "10")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = refused_files(&mut fx, dir.path());
    fx.as_(Cashier).record_cash_movement(ingreso(session, "20")).unwrap();
    let data_files = files_in(fx.dir.path());
    let before = fx.snapshot();
    for (what, file, code) in cases {
        let original = std::fs::read(&file).unwrap();
        let err = expect_err(fx.app.restore_backup(RestoreInput { archivo: file.to_string_lossy().into(), pin: ADMIN_PIN.into() }), what);
        assert_error(&err, code, Some("archivo"), what);
        assert!(err.message.contains("No se cambió nada"), "{what}: {}", err.message);
        before.assert_same(&fx.snapshot(), what);
        assert_eq!(std::fs::read(&file).unwrap(), original, "{what}: the chosen file is never touched");
        assert_eq!(files_in(fx.dir.path()), data_files, "{what}: nothing left in the data folder");
        assert!(fx.app.current_operator().is_some(), "{what}: still logged in");
    }
}

#[test]
fn bad_input_to_the_backup_commands_is_refused_naming_the_field_and_writes_nothing() {
    let mut fx = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let a_file = dir.path().join("archivo.txt");
    std::fs::write(&a_file, "x").unwrap();
    let good = fx.app.backup_now(BackupNowInput { carpeta: Some(dir.path().to_string_lossy().into()) }).unwrap();
    fx.open_all_handles();
    let folder = |p: &Path| Some(p.to_string_lossy().into_owned());
    let missing = dir.path().join("no-existe");
    let before = fx.snapshot();
    let backups_before = files_in(dir.path());

    let now_cases: Vec<(&str, Option<String>, ErrorCode)> = vec![
        ("missing folder", folder(&missing), ErrorCode::ArchivoInvalido),
        ("a file, not a folder", folder(&a_file), ErrorCode::ArchivoInvalido),
        ("relative", Some("respaldos".into()), ErrorCode::ValorInvalido),
        ("nul byte", Some("/tmp/a\0b".into()), ErrorCode::ValorInvalido),
    ];
    for (what, carpeta, code) in now_cases {
        let err = expect_err(fx.app.backup_now(BackupNowInput { carpeta }), what);
        assert_error(&err, code, Some("carpeta"), what);
    }

    let settings = |hora: &str, extra: Option<String>, d: i64, m: i64| BackupSettingsInput {
        hora_diaria: hora.into(),
        carpeta_extra: extra,
        conservar_diarios: d,
        conservar_mensuales: m,
    };
    let settings_cases = vec![
        ("no hour", settings("", None, 7, 12), ErrorCode::CampoRequerido, "hora_diaria"),
        ("hour 25", settings("25:00", None, 7, 12), ErrorCode::ValorInvalido, "hora_diaria"),
        ("hour text", settings("nueve", None, 7, 12), ErrorCode::ValorInvalido, "hora_diaria"),
        ("hour with seconds", settings("21:00:00", None, 7, 12), ErrorCode::ValorInvalido, "hora_diaria"),
        ("missing extra", settings("21:00", folder(&missing), 7, 12), ErrorCode::ArchivoInvalido, "carpeta_extra"),
        ("relative extra", settings("21:00", Some("usb".into()), 7, 12), ErrorCode::ValorInvalido, "carpeta_extra"),
        ("no days", settings("21:00", None, 0, 12), ErrorCode::ValorInvalido, "conservar_diarios"),
        ("too many days", settings("21:00", None, 367, 12), ErrorCode::ValorInvalido, "conservar_diarios"),
        ("negative months", settings("21:00", None, 7, -1), ErrorCode::ValorInvalido, "conservar_mensuales"),
        ("too many months", settings("21:00", None, 7, 121), ErrorCode::ValorInvalido, "conservar_mensuales"),
    ];
    for (what, input, code, field) in settings_cases {
        let err = expect_err(fx.app.update_backup_settings(input), what);
        assert_error(&err, code, Some(field), what);
    }

    let restore = |archivo: &str, pin: &str| RestoreInput { archivo: archivo.into(), pin: pin.into() };
    let restore_cases = vec![
        ("no file", restore("", ADMIN_PIN), ErrorCode::CampoRequerido, "archivo"),
        ("blank file", restore("   ", ADMIN_PIN), ErrorCode::CampoRequerido, "archivo"),
        ("missing file", restore(&missing.to_string_lossy(), ADMIN_PIN), ErrorCode::ArchivoInvalido, "archivo"),
        ("a folder", restore(&dir.path().to_string_lossy(), ADMIN_PIN), ErrorCode::ArchivoInvalido, "archivo"),
        ("no pin", restore(&good.archivo, ""), ErrorCode::CampoRequerido, "pin"),
    ];
    for (what, input, code, field) in restore_cases {
        let err = expect_err(fx.app.restore_backup(input), what);
        assert_error(&err, code, Some(field), what);
    }

    // Only an administrator: a cashier and no one are refused, whatever they send.
    for who in [Cashier, Nobody] {
        let code = if who == Nobody { ErrorCode::NoAutenticado } else { ErrorCode::PermisoDenegado };
        let handle = fx.as_(who);
        assert_eq!(expect_err(handle.backup_overview(), "overview").code, code);
        assert_eq!(expect_err(handle.backup_now(BackupNowInput::default()), "backup").code, code);
        assert_eq!(expect_err(handle.update_backup_settings(settings("21:00", None, 7, 12)), "settings").code, code);
        assert_eq!(expect_err(handle.restore_backup(restore(&good.archivo, CASHIER_PIN)), "restore").code, code);
    }
    // The damaged-database screen's restore: refused on a sound database, whoever asks.
    for who in [Nobody, Cashier, Admin] {
        let input = RestoreDamagedInput { archivo: good.archivo.clone(), nombre: ADMIN_NAME.into(), pin: ADMIN_PIN.into() };
        let err = expect_err(fx.as_(who).restore_damaged(input), "restore on a sound database");
        assert_error(&err, ErrorCode::EstadoNoPermite, Some("archivo"), "restore on a sound database");
    }
    before.assert_same(&fx.snapshot(), "refused backup commands");
    assert_eq!(files_in(dir.path()), backups_before, "no backup written");

    // A wrong PIN is refused and counted, and the database is not replaced.
    let mixta = fx.mixta.id;
    fx.as_(Cashier).open_session(open(mixta, "100")).unwrap();
    let err = expect_err(fx.app.restore_backup(restore(&good.archivo, "999999")), "wrong pin");
    assert_error(&err, ErrorCode::CredencialesInvalidas, Some("pin"), "wrong pin");
    assert!(fx.app.active_session().is_ok());
    assert_eq!(fx.failed_logins(ADMIN_NAME), 1);
    let open_sessions: i64 =
        fx.app.connection().query_row("SELECT COUNT(*) FROM cash_sessions WHERE status = 'ABIERTA'", [], |r| r.get(0)).unwrap();
    assert_eq!(open_sessions, 1, "the session opened after the backup is still there");
}

#[test]
fn settings_are_kept_and_backups_are_listed_newest_first_with_their_size() {
    let mut fx = Fixture::new();
    let usb = tempfile::tempdir().unwrap();
    let saved = fx
        .app
        .update_backup_settings(BackupSettingsInput {
            hora_diaria: " 07:05 ".into(),
            carpeta_extra: Some(usb.path().to_string_lossy().into()),
            conservar_diarios: 3,
            conservar_mensuales: 2,
        })
        .unwrap();
    assert_eq!(saved.hora_diaria, "07:05");
    let first = fx.app.backup_now(BackupNowInput::default()).unwrap();
    fx.clock.advance(chrono::Duration::seconds(5));
    let second = fx.app.backup_now(BackupNowInput { carpeta: Some(usb.path().to_string_lossy().into()) }).unwrap();
    let overview = fx.app.backup_overview().unwrap();
    assert_eq!(overview.ajustes, saved);
    assert_eq!(overview.carpeta, backup::backup_dir(&fx.path()).to_string_lossy());
    let names: Vec<&str> = overview.respaldos.iter().map(|r| r.archivo.as_str()).collect();
    assert_eq!(names, [second.archivo.as_str(), first.archivo.as_str()]);
    assert_eq!(first.tomado, "2025-03-10 10:00:00", "store-local time of the clock");
    assert!(overview.respaldos.iter().all(|r| r.bytes > 4096));
}

#[test]
fn automatic_backups_follow_each_close_and_the_daily_time_into_both_folders() {
    let mut fx = Fixture::new();
    let usb = tempfile::tempdir().unwrap();
    fx.app
        .update_backup_settings(BackupSettingsInput {
            hora_diaria: "20:00".into(),
            carpeta_extra: Some(usb.path().to_string_lossy().into()),
            conservar_diarios: 7,
            conservar_mensuales: 12,
        })
        .unwrap();
    let path = fx.path();
    // 10:00 local: before the daily time, no register closed yet.
    assert_eq!(backup::automatic_pass(&path, start_time()).unwrap(), None);
    let session = open_session(&mut fx);
    fx.as_(Cashier).close_session(close(session, counts_for(50_000))).unwrap();
    let after_close = backup::automatic_pass(&path, start_time()).unwrap().expect("a backup after the close");
    assert_eq!(after_close.motivo, "cierre");
    assert_eq!(backup::automatic_pass(&path, start_time()).unwrap(), None, "one backup per close");
    let evening = start_time() + chrono::Duration::hours(10);
    let daily = backup::automatic_pass(&path, evening).unwrap().expect("the daily backup");
    assert_eq!(daily.motivo, "diario");
    assert_eq!(backup::automatic_pass(&path, evening + chrono::Duration::hours(1)).unwrap(), None, "once a day");
    // Each automatic backup also goes to the second folder; of one day only the newest is
    // kept (the retention's daily slot), so the evening's replaced the close's.
    assert_eq!(files_in(usb.path()), [daily.nombre.clone()]);
    let listed: Vec<String> = fx.app.backup_overview().unwrap().respaldos.into_iter().map(|r| r.nombre).collect();
    assert_eq!(listed, [daily.nombre.clone(), daily.nombre.clone()], "one in the data folder, one in the second");
    assert!(!backup::backup_dir(&path).join(&after_close.nombre).exists());
    for file in files_in(usb.path()) {
        assert_eq!(integrity(&usb.path().join(file)), ["ok"]);
    }

    // The stick is pulled out: the next automatic backup still goes to the data folder,
    // and counts (it is not retried every pass).
    let stick = usb.path().to_path_buf();
    drop(usb);
    let next_evening = evening + chrono::Duration::days(1);
    let taken = backup::automatic_pass(&path, next_evening).unwrap().expect("the next day's backup");
    assert!(Path::new(&taken.archivo).starts_with(backup::backup_dir(&path)));
    assert!(!stick.exists());
    assert_eq!(backup::automatic_pass(&path, next_evening + chrono::Duration::minutes(1)).unwrap(), None);
}

fn listed(tomado: &str, motivo: &str) -> Respaldo {
    Respaldo { archivo: tomado.into(), nombre: String::new(), tomado: tomado.into(), bytes: 1, motivo: motivo.into() }
}

#[test]
fn retention_keeps_the_newest_of_each_of_the_last_days_and_months() {
    // Newest first: three on 12 May, one each on 11 and 10 May, then one per earlier month.
    let backups: Vec<Respaldo> = [
        "2026-05-12 21:00:00",
        "2026-05-12 18:00:00",
        "2026-05-12 09:00:00",
        "2026-05-11 21:00:00",
        "2026-05-10 21:00:00",
        "2026-04-30 21:00:00",
        "2026-04-29 21:00:00",
        "2026-03-31 21:00:00",
        "2026-02-28 21:00:00",
    ]
    .iter()
    .map(|t| listed(t, "diario"))
    .collect();
    let deleted = backup::pruned(&backups, 2, 3);
    // Days kept: 12 May (its newest) and 11 May. Months kept: May (12 May's), April (30th), March.
    assert_eq!(
        deleted,
        ["2026-05-12 18:00:00", "2026-05-12 09:00:00", "2026-05-10 21:00:00", "2026-04-29 21:00:00", "2026-02-28 21:00:00"]
    );
    assert_eq!(
        backup::pruned(&backups, 366, 120),
        ["2026-05-12 18:00:00", "2026-05-12 09:00:00"],
        "a generous retention keeps one per day"
    );
    assert_eq!(backup::pruned(&backups, 1, 0).len(), backups.len() - 1, "only the newest is left");
}

// ---------------------------------------------------------------------------------------
// After a restore, nothing reaches a provider twice.

/// A loopback proxy in front of the simulator that records the path of every POST or PUT
/// that could move money (a cashout, a deposit), so the test sees what was actually sent.
struct CountingProxy {
    url: String,
    posts: Arc<Mutex<Vec<String>>>,
}

fn counting_proxy(upstream: std::net::SocketAddr) -> CountingProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let posts = Arc::new(Mutex::new(Vec::new()));
    let seen = posts.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(upstream) else { continue };
            let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                while let Ok(n) = c_read.read(&mut buf) {
                    if n == 0 || s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buf[..n]);
                    for line in text.lines().filter(|l| l.starts_with("POST ") || l.starts_with("PUT ")) {
                        let path = line.split(' ').nth(1).unwrap_or_default().to_string();
                        if path.contains("cashout") || path.contains("deposit") {
                            seen.lock().unwrap().push(path);
                        }
                    }
                }
                let _ = s_write.shutdown(std::net::Shutdown::Write);
            });
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    CountingProxy { url, posts }
}

fn fast() -> WorkerConfig {
    WorkerConfig {
        concurrency: 2,
        request_timeout: Duration::from_millis(3000),
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(100),
        probe_interval: Duration::from_millis(200),
        ..WorkerConfig::default()
    }
}

/// The idempotency keys of the outbox rows after row `id`.
fn keys_after(conn: &Connection, id: i64) -> Vec<String> {
    conn.prepare("SELECT idempotency_key FROM outbox WHERE id > ?1")
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn outbox_rows(conn: &Connection) -> Vec<(String, String, bool, Option<String>)> {
    conn.prepare("SELECT call, state, outcome_unknown, error_code FROM outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restore_calls_acknowledged_after_the_backup_are_not_sent_again() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim_dir = tempfile::tempdir().unwrap();
    let sim = simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(sim_dir.path().join("sim.sqlite3")))
        .await
        .unwrap();
    let upstream: std::net::SocketAddr = sim.url().trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    let proxy = counting_proxy(upstream);
    let mut fx = Fixture::new();
    for banco in ["TIGO_MONEY", "BCP"] {
        fx.app.adjust_provider_float(fund(banco, "500000")).unwrap();
    }
    fx.app.configure_provider(connection("TIGO_MONEY", "BILLETERA_V2", &proxy.url)).unwrap();
    fx.app.configure_provider(connection("BCP", "BANCO_V1", &proxy.url)).unwrap();
    let provider_creds = |banco: &str, u: &str, s: &str| ProviderCredentialsInput { banco: banco.into(), usuario: u.into(), secreto: s.into() };
    fx.app.set_provider_credentials(provider_creds("TIGO_MONEY", "agente.demo", "demo-1234")).unwrap();
    fx.app.set_provider_credentials(provider_creds("BCP", "mostrador-demo", "secreto-demo-1234")).unwrap();
    let session = open_session(&mut fx);
    // Each a different amount: the wallet's list has no ids, and two alike would be an
    // ambiguity for a person to settle (the lookup never picks one).
    let deposit = |banco: &str, cuenta: &str, referencia: &str, monto: &str| NewAgentTransaction {
        cuenta_cliente: Some(cuenta.into()),
        cuit_cliente: (banco != "BCP").then(|| CUSTOMER_CUIT.to_string()),
        ..agent(banco, "DEPOSITO", monto, referencia, session)
    };
    fx.as_(Cashier).create_agent_transaction(deposit("TIGO_MONEY", "0000003100000000000123", "W-1", "150")).unwrap();
    fx.as_(Cashier).create_agent_transaction(deposit("BCP", "20000000001", "B-1", "150")).unwrap();

    // The backup holds both calls queued. Two more operations come after it; all four
    // are sent and acknowledged.
    let dir = tempfile::tempdir().unwrap();
    let taken = fx.app.backup_now(BackupNowInput { carpeta: Some(dir.path().to_string_lossy().into()) }).unwrap();
    fx.as_(Cashier).create_agent_transaction(deposit("TIGO_MONEY", "0000003100000000000123", "W-2", "155")).unwrap();
    fx.as_(Cashier).create_agent_transaction(deposit("BCP", "20000000001", "B-2", "155")).unwrap();
    let keys_after_backup = keys_after(fx.app.connection(), 2);
    let (db, secrets) = (fx.path(), fx.app.secrets().clone());
    let worker = || SyncHandle::new(db.clone(), secrets.clone(), fast());
    let summary = worker().run_until_drained(Duration::from_secs(30)).await.unwrap();
    assert_eq!((summary.acked, summary.pending, summary.needs_attention), (4, 0, 0));
    let sent_before = proxy.posts.lock().unwrap().clone();
    assert_eq!(sent_before.len(), 4, "two cashouts and two deposits reached the providers: {sent_before:?}");

    // Restored: the store no longer knows the first two were acknowledged, nor that the
    // other two exist. The first two are in doubt.
    let outcome = fx.app.restore_backup(RestoreInput { archivo: taken.archivo, pin: ADMIN_PIN.into() }).unwrap();
    assert_eq!(outcome.llamadas_en_duda, 2);
    let rows = outbox_rows(fx.app.connection());
    assert_eq!(
        rows,
        [
            ("CASHOUT".into(), "queued".into(), true, None),
            ("DEPOSITO".into(), "needs_attention".into(), true, Some(mostrador::store::backup::RESTORED_IN_DOUBT.into())),
        ]
    );

    // The worker asks the wallet (its list shows the cashout) and leaves the bank deposit
    // to a person: no money-moving request is sent again.
    let summary = worker().run_until_drained(Duration::from_secs(5)).await.unwrap();
    assert_eq!(proxy.posts.lock().unwrap().clone(), sent_before, "nothing was sent again");
    assert_eq!((summary.acked, summary.needs_attention), (1, 1), "{summary:?}");
    let rows = outbox_rows(fx.app.connection());
    assert_eq!((rows[0].1.as_str(), rows[1].1.as_str()), ("acked", "needs_attention"));

    // New operations after the restore never reuse a key given after the backup (the
    // providers remember them): both reach their provider as new operations.
    // The cashier's session (open in the backup) goes on.
    let mut cashier = fx.open_handle();
    cashier.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    cashier.create_agent_transaction(deposit("TIGO_MONEY", "0000003100000000000123", "W-3", "160")).unwrap();
    cashier.create_agent_transaction(deposit("BCP", "20000000001", "B-3", "160")).unwrap();
    let new_keys = keys_after(fx.app.connection(), 2);
    assert_eq!(new_keys.len(), 2);
    for key in &new_keys {
        assert!(!keys_after_backup.contains(key), "key {key} was given after the backup and is reused: {keys_after_backup:?}");
    }
    let summary = worker().run_until_drained(Duration::from_secs(30)).await.unwrap();
    assert_eq!((summary.pending, summary.needs_attention), (0, 1), "{summary:?}");
    assert_eq!(proxy.posts.lock().unwrap().len(), sent_before.len() + 2, "the two new operations were sent");
    let http = reqwest::Client::new();
    for (contract, operation) in [("wallet", "cashout"), ("bank", "deposit")] {
        let url = format!("{}/_sim/records?contract={contract}&operation={operation}", sim.url());
        let body: serde_json::Value = http.get(url).send().await.unwrap().json().await.unwrap();
        assert_eq!(body["records"].as_array().map(Vec::len), Some(3), "{contract} {operation}: three distinct operations applied");
    }
}

// ---------------------------------------------------------------------------------------
// The headless subcommands.

fn cli(args: &[&str], data: &Path, pin: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mostrador"));
    command.args(args).arg("--data-dir").arg(data).env_remove("MOSTRADOR_DATA_DIR").env_remove("MOSTRADOR_PIN");
    if let Some(pin) = pin {
        command.env("MOSTRADOR_PIN", pin);
    }
    command.stdin(std::process::Stdio::null()).output().unwrap()
}

#[test]
fn respaldar_and_restaurar_work_without_a_window() {
    let mut fx = Fixture::new();
    let session = open_session(&mut fx);
    fx.as_(Cashier).record_cash_movement(ingreso(session, "10")).unwrap();
    let (data, _clock) = fx.into_parts();
    let out = tempfile::tempdir().unwrap();
    let taken = cli(&["respaldar", "--carpeta", &out.path().to_string_lossy()], data.path(), None);
    assert!(taken.status.success(), "{}", String::from_utf8_lossy(&taken.stderr));
    let files = files_in(out.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let backup_file = out.path().join(&files[0]);
    assert_eq!(integrity(&backup_file), ["ok"]);

    // A movement after the backup, then the restore brings the store back to the backup.
    let db = db_path(data.path());
    let with_later = movement_ids(&db).len();
    {
        let mut app = Mostrador::open(&db).unwrap();
        app.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
        app.record_cash_movement(ingreso(session, "5")).unwrap();
    }
    let restored = cli(&["restaurar", &backup_file.to_string_lossy(), "--usuario", ADMIN_NAME], data.path(), Some(ADMIN_PIN));
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert_eq!(movement_ids(&db).len(), with_later);

    // Refusals: exit 3 and a message; exit 2 for bad arguments.
    let wrong_pin = cli(&["restaurar", &backup_file.to_string_lossy(), "--usuario", ADMIN_NAME], data.path(), Some("000000"));
    assert_eq!(wrong_pin.status.code(), Some(3));
    let no_user = cli(&["restaurar", &backup_file.to_string_lossy()], data.path(), Some(ADMIN_PIN));
    assert_eq!(no_user.status.code(), Some(2));
    let missing_folder = cli(&["respaldar", "--carpeta", "/no/existe/esta/carpeta"], data.path(), None);
    assert_eq!(missing_folder.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing_folder.stderr).contains("no existe"));
    let stray = cli(&["respaldar", "--fecha", "2025-01-01"], data.path(), None);
    assert_eq!(stray.status.code(), Some(2));
}
