//! The SQLite store: migrations, connection settings, and the guards the schema itself
//! keeps on the ledger, so that even a write that bypasses the core cannot break the rules.

mod common;

use std::sync::Arc;

use common::*;
use mostrador::domain::ErrorCode;
use mostrador::service::ManualClock;
use mostrador::store::{self, InstanceLock, StoreError};
use mostrador::Mostrador;
use rusqlite::Connection;

/// A direct connection to the file, as a tool or an attacker with the file would have.
fn raw(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    conn
}

fn history(conn: &Connection) -> Vec<(i64, String, String, String)> {
    let mut stmt = conn
        .prepare("SELECT version, name, applied_on, checksum FROM refinery_schema_history ORDER BY version")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn an_empty_file_is_migrated_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nueva").join("carpeta").join("mostrador.sqlite3");
    let app = Mostrador::open(&path).unwrap();
    assert!(path.is_file(), "the file and its folders are created");
    let conn = app.connection();
    assert_eq!(store::schema_version(conn).unwrap(), store::supported_schema_version());
    assert!(store::supported_schema_version() >= 1);
    let h = history(conn);
    // Every migration file applied, in order, the last one's version the schema's.
    let files = std::fs::read_dir(format!("{}/migrations", env!("CARGO_MANIFEST_DIR"))).unwrap().count();
    assert_eq!(h.len(), files);
    assert_eq!(h.last().unwrap().0 as i64, store::supported_schema_version());
    assert!(h.windows(2).all(|w| w[0].0 < w[1].0), "{h:?}");
    assert_eq!((h[0].0, h[0].1.as_str()), (1, "foundation"));
    let tables = schema_tables(conn);
    for table in ["accounts", "audit_log", "cash_movements", "cash_sessions", "close_counts", "operators", "registers", "settings", "transfers"] {
        assert!(tables.iter().any(|t| t == table), "missing table {table}: {tables:?}");
    }
    // Seed rows: the threshold setting and the shared counterpart accounts, nothing else.
    assert_eq!(store::setting(conn, "close_difference_threshold").unwrap().as_deref(), Some("2000"));
    let accounts: Vec<(String, i64, bool)> = {
        let mut stmt = conn.prepare("SELECT code, balance, may_go_negative FROM accounts ORDER BY code").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    // Shared counterparts, each provider's float and receivable, the carriers' floats and
    // the income and bank accounts: all empty, and only the floats refuse to go negative.
    for (code, may_go_negative) in [
        ("external", true),
        ("over_short", true),
        ("provider_float:TIGO_MONEY", false),
        ("receivable:bank_commission:BCP", true),
        ("carrier_float:Entel", false),
        ("income:client_commission", true),
        ("bank:LOS_ANDES", true),
    ] {
        assert!(accounts.contains(&(code.to_string(), 0, may_go_negative)), "missing seed account {code}: {accounts:?}");
    }
    assert!(accounts.iter().all(|(_, balance, _)| *balance == 0), "seed accounts start empty");
    assert!(
        accounts.iter().all(|(code, _, neg)| *neg != (code.starts_with("provider_float:") || code.starts_with("carrier_float:"))),
        "only provider and carrier floats may not go negative: {accounts:?}"
    );
    let snapshot = Snapshot::take(conn);
    for table in ["operators", "registers", "cash_sessions", "transfers", "cash_movements", "close_counts", "audit_log"] {
        assert_eq!(snapshot.row_counts[table], 0, "{table} starts empty");
    }
    assert!(app.setup_status().unwrap().needs_first_admin);
}

#[test]
fn reopening_keeps_the_data_and_does_not_migrate_again() {
    let (fx, closed, open_id) = store_with_history();
    let mixta = fx.mixta.id;
    let before = fx.snapshot();
    let migrations = history(fx.app.connection());
    let (dir, clock) = fx.into_parts();
    clock.advance(chrono::Duration::days(1));
    let mut app = Mostrador::open_with_clock(&db_path(dir.path()), Arc::new(clock)).unwrap();
    // Opening writes nothing: same rows, same balances, same migration history.
    before.assert_same(&Snapshot::take(app.connection()), "reopened store");
    assert_eq!(history(app.connection()), migrations);
    // The work carries on where it was left.
    let cashier = app.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    let active = app.active_session().unwrap().expect("the open session survives");
    assert_eq!((active.id, active.register_id, active.operator_id), (open_id, mixta, cashier.id));
    let drawer = |app: &Mostrador| mostrador::store::ledger::balance_of(app.connection(), &mostrador::domain::AccountCode::Drawer(open_id)).unwrap();
    assert_eq!(drawer(&app), bs(4_000));
    assert_eq!(app.session_report(closed).unwrap().counted, Some(bs(12_000)));
    app.record_cash_movement(ingreso(open_id, "1")).unwrap();
    assert_eq!(drawer(&app), bs(4_100));
    drop(app);
    // And once more: still one migration applied, the new movement kept.
    let app = Mostrador::open(&db_path(dir.path())).unwrap();
    assert_eq!(history(app.connection()), migrations);
    assert_eq!(account_balance(app.connection(), &format!("drawer:{open_id}")), 4_100);
}

fn assert_same_bytes(now: &[u8], before: &[u8], context: &str) {
    let first_difference = now.iter().zip(before).position(|(a, b)| a != b);
    assert!(
        now.len() == before.len() && first_difference.is_none(),
        "{context}: the file changed (length {} -> {}, first differing byte at {first_difference:?})",
        before.len(),
        now.len()
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    for journal in ["WAL", "DELETE"] {
        let dir = tempfile::tempdir().unwrap();
        let path = db_path(dir.path());
        drop(Mostrador::open(&path).unwrap());
        {
            let conn = raw(&path);
            let mode: String = conn.query_row(&format!("PRAGMA journal_mode = {journal}"), [], |r| r.get(0)).unwrap();
            assert_eq!(mode.to_uppercase(), journal);
            let newer = store::supported_schema_version() + 1;
            conn.execute(
                "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (?1, 'future', '2030-01-01T00:00:00Z', '0')",
                [newer],
            )
            .unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        let err = match Mostrador::open(&path) {
            Ok(_) => panic!("{journal}: a newer database was opened"),
            Err(err) => err,
        };
        assert_error(&err, ErrorCode::BaseDeDatosMasNueva, None, journal);
        assert!(err.message.contains("más nueva"), "{journal}: {}", err.message);
        assert_same_bytes(&std::fs::read(&path).unwrap(), &bytes, journal);
        let wal = path.with_extension("sqlite3-wal");
        assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0, "{journal}: a WAL was written");
        // The store layer says the same with its own error.
        match store::open(&path) {
            Err(StoreError::NewerSchema { found, supported }) => assert_eq!((found, supported), (supported + 1, store::supported_schema_version())),
            other => panic!("{journal}: {:?}", other.map(|_| ())),
        }
        assert_same_bytes(&std::fs::read(&path).unwrap(), &bytes, journal);
    }
}

#[test]
fn connection_pragmas() {
    let fx = Fixture::new();
    let conn = fx.app.connection();
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    let foreign_keys: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!((journal.as_str(), synchronous, foreign_keys), ("wal", 2, 1));
    // Foreign keys are enforced on the core's connection.
    let err = conn
        .execute("INSERT INTO cash_sessions (register_id, operator_id, status, opened_at, opening_float) VALUES (424242, 1, 'ABIERTA', 'now', 0)", [])
        .expect_err("a session of an unknown register");
    assert!(err.to_string().contains("FOREIGN KEY constraint failed"), "{err}");
}

/// Query plans must not depend on bound values: on a plain connection SQLite re-prepares a
/// join over a table with a partial index (cash_sessions' one-open-session indexes) at
/// every call with a new parameter, which cost more than the rest of an operation's SQL.
#[test]
fn joins_over_cash_sessions_are_prepared_once() {
    let fx = Fixture::new();
    let join = "SELECT s.operator_id, r.specialty FROM cash_sessions s JOIN registers r ON r.id = s.register_id WHERE s.id = ?1";
    let reprepares = |conn: &Connection| {
        let mut stmt = conn.prepare_cached(join).unwrap();
        for id in [1, 2, 3, 4] {
            let _: Option<i64> = stmt.query_row([id], |r| r.get(0)).ok();
        }
        stmt.get_status(rusqlite::StatementStatus::RePrepare)
    };
    assert_eq!(reprepares(fx.app.connection()), 0, "the core's connection re-prepared the join");
    // The same statement on a connection without the setting, so this test can tell.
    assert!(reprepares(&raw(fx.app.path())) > 0, "SQLite no longer re-prepares such joins; the setting may go");
}

#[test]
fn every_table_is_strict() {
    let fx = Fixture::new();
    let conn = fx.app.connection();
    let tables = schema_tables(conn);
    assert!(tables.len() >= 9, "{tables:?}");
    for table in &tables {
        let sql: String = conn
            .query_row("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0))
            .unwrap();
        let tail = sql.rsplit(')').next().unwrap().to_uppercase();
        assert!(tail.contains("STRICT"), "{table} is not STRICT: {sql}");
        let strict: i64 = conn
            .query_row("SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = ?1", [table], |r| r.get(0))
            .unwrap();
        assert_eq!(strict, 1, "{table}");
    }
    // What STRICT buys: a text where an integer belongs is refused, not stored.
    let err = conn
        .execute("INSERT INTO accounts (code, may_go_negative, balance) VALUES ('x', 1, 'cien')", [])
        .expect_err("text in an integer column");
    assert!(err.to_string().contains("cannot store TEXT value in INTEGER column"), "{err}");
}

/// A store with one closed and one open session, movements and audit rows.
fn store_with_history() -> (Fixture, i64, i64) {
    let mut fx = Fixture::new();
    let (mixta, ventas) = (fx.mixta.id, fx.ventas.id);
    let cashier = fx.as_(Who::Cashier);
    let closed = cashier.open_session(open(ventas, "100")).unwrap().id;
    cashier.record_cash_movement(ingreso(closed, "20")).unwrap();
    cashier.close_session(close(closed, counts_for(12_000))).unwrap();
    let open_id = cashier.open_session(open(mixta, "50")).unwrap().id;
    cashier.record_cash_movement(egreso(open_id, "10")).unwrap();
    (fx, closed, open_id)
}

#[test]
fn the_ledger_and_the_audit_trail_are_append_only() {
    let (fx, _, _) = store_with_history();
    let conn = raw(&fx.path());
    let before = fx.snapshot();
    let attempts = [
        ("UPDATE transfers SET amount = amount + 100", "el libro es de solo agregado"),
        ("UPDATE transfers SET kind = 'X' WHERE id = (SELECT MAX(id) FROM transfers)", "el libro es de solo agregado"),
        ("DELETE FROM transfers", "el libro es de solo agregado"),
        ("DELETE FROM transfers WHERE id = (SELECT MIN(id) FROM transfers)", "el libro es de solo agregado"),
        ("UPDATE cash_movements SET amount = 1", "los movimientos de caja no se modifican"),
        ("UPDATE cash_movements SET note = 'cambiado'", "los movimientos de caja no se modifican"),
        ("DELETE FROM cash_movements", "los movimientos de caja no se borran"),
        ("UPDATE audit_log SET operator_id = NULL", "la bitácora es de solo agregado"),
        ("UPDATE audit_log SET detail = '{}'", "la bitácora es de solo agregado"),
        ("DELETE FROM audit_log", "la bitácora es de solo agregado"),
        ("DELETE FROM cash_sessions", "las sesiones de caja no se borran"),
    ];
    for (sql, message) in attempts {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains(message), "{sql}: {err}");
        before.assert_same(&fx.snapshot(), sql);
    }
    // Whole tables do not count: each of these has rows the statements above would have hit.
    for table in ["transfers", "cash_movements", "audit_log", "cash_sessions"] {
        assert!(before.row_counts[table] > 0, "{table} is empty");
    }
}

#[test]
fn a_closed_session_is_final() {
    let (fx, closed, open_id) = store_with_history();
    let conn = raw(&fx.path());
    let before = fx.snapshot();
    for sql in [
        "UPDATE cash_sessions SET counted = counted + 1000, difference = difference + 1000 WHERE id = ?1",
        "UPDATE cash_sessions SET status = 'ABIERTA', closed_at = NULL WHERE id = ?1",
        "UPDATE cash_sessions SET close_note = 'retocado' WHERE id = ?1",
        "UPDATE cash_sessions SET authorized_by = 1 WHERE id = ?1",
    ] {
        let err = conn.execute(sql, [closed]).expect_err(sql);
        assert!(err.to_string().contains("una sesión cerrada no se modifica"), "{sql}: {err}");
    }
    before.assert_same(&fx.snapshot(), "updates of a closed session");
    // The CHECKs hold a close's figures together even on an open session.
    let err = conn
        .execute(
            "UPDATE cash_sessions SET status = 'CERRADA', closed_at = 'x', counted = 100, expected = 50, difference = 0, result = 'CUADRADO' WHERE id = ?1",
            [open_id],
        )
        .expect_err("a difference that is not counted - expected");
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    let err = conn
        .execute("UPDATE cash_sessions SET status = 'CERRADA' WHERE id = ?1", [open_id])
        .expect_err("closed without a count");
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    before.assert_same(&fx.snapshot(), "bad closes");
}

#[test]
fn the_balance_check_refuses_a_negative_drawer_or_vault_even_from_direct_sql() {
    let (fx, closed, open_id) = store_with_history();
    let conn = raw(&fx.path());
    let id = |code: &str| -> i64 { conn.query_row("SELECT id FROM accounts WHERE code = ?1", [code], |r| r.get(0)).unwrap() };
    let drawer = id(&format!("drawer:{open_id}"));
    let vault = id(&format!("vault:{}", fx.ventas.id));
    let external = id("external");
    assert_eq!(fx.drawer(open_id), 4_000);
    assert_eq!(fx.vault(fx.ventas.id), 12_000);
    assert_eq!(fx.drawer(closed), 0);
    let before = fx.snapshot();
    let insert = |from: i64, to: i64, amount: i64| {
        conn.execute(
            "INSERT INTO transfers (from_account, to_account, amount, kind, operator_id, created_at)
             VALUES (?1, ?2, ?3, 'EGRESO', 1, '2025-03-10T14:00:00.000Z')",
            [from, to, amount],
        )
    };
    for (from, amount, what) in [
        (drawer, 4_001, "drawer one centavo past its balance"),
        (drawer, 1_000_000, "drawer far past its balance"),
        (vault, 12_001, "vault past its balance"),
        (id(&format!("drawer:{closed}")), 1, "an emptied drawer"),
    ] {
        let err = insert(from, external, amount).expect_err(what);
        assert!(err.to_string().contains("CHECK constraint failed"), "{what}: {err}");
        before.assert_same(&fx.snapshot(), what);
    }
    // The other guards on a transfer.
    for (from, to, amount, what) in [(external, drawer, 0, "zero"), (external, drawer, -5, "negative"), (drawer, drawer, 1, "to itself")] {
        let err = insert(from, to, amount).expect_err(what);
        assert!(err.to_string().contains("CHECK constraint failed"), "{what}: {err}");
    }
    let err = insert(external, 987_654, 1).expect_err("unknown account");
    assert!(err.to_string().contains("FOREIGN KEY constraint failed"), "{err}");
    before.assert_same(&fx.snapshot(), "refused transfers");
    // Up to the balance is allowed, and the cached balance follows the transfer.
    insert(drawer, external, 4_000).unwrap();
    assert_eq!(fx.drawer(open_id), 0);
    assert_ledger_consistent(fx.app.connection(), "after a direct transfer");
    // Nor can the cached balance be edited into the negative.
    let err = conn.execute("UPDATE accounts SET balance = -1 WHERE id = ?1", [vault]).expect_err("negative vault");
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
}

#[test]
fn one_instance_per_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    let first = InstanceLock::acquire(&path).unwrap();
    match InstanceLock::acquire(&path) {
        Err(StoreError::InUse(p)) => assert_eq!(p, path),
        other => panic!("second lock: {other:?}"),
    }
    let err: mostrador::domain::CoreError = InstanceLock::acquire(&path).unwrap_err().into();
    assert_error(&err, ErrorCode::BaseDeDatosEnUso, None, "second lock");
    // Another database in the same folder is not affected.
    let other = InstanceLock::acquire(&dir.path().join("otra.sqlite3")).unwrap();
    drop(first);
    let again = InstanceLock::acquire(&path).expect("free once the first is dropped");
    drop((again, other));
}

/// A second launch of the window on a database another process holds: it hands over to
/// the running window (which, on a desktop, comes to the front) and never opens the
/// database itself. Without a window to answer, as here, it says the database is in use.
/// Bringing the window to the front needs a desktop session and is checked by hand.
#[test]
fn a_second_launch_on_a_locked_database_opens_nothing_and_says_it_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mostrador.sqlite3");
    let lock = InstanceLock::acquire(&db).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mostrador"))
        .args(["--data-dir", dir.path().to_str().unwrap()])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ya está abierta"), "{stderr}");
    assert!(!db.exists(), "the second launch must not create or open the database");
    drop(lock);
}

#[test]
fn the_window_answers_second_launches_on_a_name_of_its_own_database() {
    use mostrador::app::instance_id;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    assert_eq!(instance_id(&a), instance_id(&a));
    assert_ne!(instance_id(&a), instance_id(&b));
    // A valid D-Bus name: dot-separated elements of [A-Za-z0-9_-], none starting with a digit.
    let id = instance_id(&a);
    assert!(id.len() < 200 && id.split('.').all(|e| !e.is_empty()
        && !e.starts_with(|c: char| c.is_ascii_digit())
        && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')), "{id}");
}

#[test]
fn handles_on_the_same_file_see_each_other() {
    let mut fx = Fixture::new();
    let mixta = fx.mixta.id;
    let id = fx.as_(Who::Cashier).open_session(open(mixta, "80")).unwrap().id;
    let mut other = Mostrador::open_with_clock(&fx.path(), Arc::new(ManualClock::new(start_time()))).unwrap();
    other.login(creds(ADMIN_NAME, ADMIN_PIN)).unwrap();
    assert_eq!(other.session_balance(id).unwrap().balance, Some(bs(8_000)));
    other.record_cash_movement(ingreso(id, "20")).unwrap();
    assert_eq!(fx.as_(Who::Admin).session_balance(id).unwrap().balance, Some(bs(10_000)));
}

/// A store made before V4 (its bank connected with the point of service in settings, or
/// with none) keeps sending what it sent: V4 moves the point onto the bank's connection.
#[test]
fn v4_moves_the_banks_point_of_service_onto_its_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mostrador.sqlite3");
    {
        // V1 to V3 from the migration files, applied as an older version would have.
        let mut conn = Connection::open(&path).unwrap();
        let migrations: Vec<refinery::Migration> = ["V1__foundation", "V2__agents_recargas_pagos", "V3__outbox_sync"]
            .iter()
            .map(|name| {
                let sql = std::fs::read_to_string(format!("{}/migrations/{name}.sql", env!("CARGO_MANIFEST_DIR"))).unwrap();
                refinery::Migration::unapplied(name, &sql).unwrap()
            })
            .collect();
        refinery::Runner::new(&migrations).run(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO settings (key, value) VALUES ('bank_point_code', '777000000000001'), ('bank_point_city', 'SUCRE');
             INSERT INTO provider_connections (provider, contract, base_url, send_deposito, send_retiro, send_qr, store_account,
                                               max_single, max_queued, updated_at)
             VALUES ('BCP', 'BANCO_V1', 'http://127.0.0.1:9', 1, 0, 1, '10000000001', 500000, 5000000, '2026-01-01T00:00:00.000Z'),
                    ('TIGO_MONEY', 'BILLETERA_V2', 'http://127.0.0.1:9', 1, 1, 1, NULL, 500000, 5000000, '2026-01-01T00:00:00.000Z');",
        )
        .unwrap();
        assert_eq!(store::schema_version(&conn).unwrap(), 3);
    }
    let app = Mostrador::open(&path).unwrap();
    let conn = app.connection();
    assert_eq!(store::schema_version(conn).unwrap(), store::supported_schema_version());
    let point = |provider: &str| -> Vec<Option<String>> {
        conn.query_row(
            "SELECT point_code, point_branch, point_city_id, point_city, point_state FROM provider_connections WHERE provider = ?1",
            [provider],
            |r| (0..5).map(|i| r.get(i)).collect(),
        )
        .unwrap()
    };
    let some = |values: [&str; 5]| values.iter().map(|v| Some(v.to_string())).collect::<Vec<_>>();
    // What was in settings, and the placeholders for what was not.
    assert_eq!(point("BCP"), some(["777000000000001", "MOSTRADOR", "20101", "SUCRE", "02"]));
    assert_eq!(point("TIGO_MONEY"), vec![None; 5], "a wallet has no point of service");
    let left: i64 = conn.query_row("SELECT COUNT(*) FROM settings WHERE key LIKE 'bank_point_%'", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0, "the old settings are gone");
}
