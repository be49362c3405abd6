//! Crash safety of the core's own writes. A child process (this test binary again, running
//! only `crash_child`) drives bursts of every kind of operation through the core on a real
//! SQLite file: cash movements, agent transactions that owe a provider a call (some with a
//! voucher file), voids, top-ups and injections, closes and reopenings, bank commission
//! settlements, provider float and connection changes. It prints one line per call that
//! returned success. The parent SIGKILLs it at a random point, at least 20 times, and
//! after each kill reopens the store and checks: every reported success is there,
//! `PRAGMA integrity_check` is ok, every balance equals the sum of its transfers, the
//! outbox holds exactly one call per operation that needs one, every voucher a row names
//! is complete on disk, and an orphaned voucher is harmless and cleaned up.
//!
//! Run alone: `cargo test --test crash` (`CRASH_KILLS=200` for a longer run).

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use mostrador::domain::*;
use mostrador::service::backup;
use mostrador::Mostrador;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;

const DEFAULT_KILLS: usize = 24;
/// The voucher's bytes: large enough that a kill can land while it is being copied.
const VOUCHER_BYTES: usize = 256 * 1024;

fn voucher_source(dir: &Path) -> PathBuf {
    dir.join("comprobante-origen.pdf")
}

/// The store the child works on: the fixture's, with BCP (bank contract) and Tigo Money
/// (wallet contract) connected to a loopback address nothing listens on (nothing is sent:
/// no worker runs), their floats funded.
fn prepare() -> (tempfile::TempDir, PathBuf) {
    let mut fx = Fixture::new();
    for banco in ["TIGO_MONEY", "BCP"] {
        fx.app.adjust_provider_float(fund(banco, "900000")).unwrap();
    }
    for (banco, contrato) in [("TIGO_MONEY", "BILLETERA_V2"), ("BCP", "BANCO_V1")] {
        fx.app.configure_provider(connection(banco, contrato, 5000)).unwrap();
    }
    let (dir, _) = fx.into_parts();
    let source = voucher_source(dir.path());
    let bytes: Vec<u8> = (0..VOUCHER_BYTES).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&source, bytes).unwrap();
    let path = db_path(dir.path());
    (dir, path)
}

fn connection(banco: &str, contrato: &str, limit: i64) -> ConfigureProviderInput {
    let input = ConfigureProviderInput {
        banco: banco.into(),
        contrato: contrato.into(),
        url_base: Some("http://127.0.0.1:9".into()),
        enviar_deposito: true,
        enviar_retiro: false,
        enviar_qr: false,
        cuenta_tienda: (contrato == "BANCO_V1").then(|| mostrador::simulator::DEMO_CORRESPONDENT_ACCOUNT.to_string()),
        limite_operacion: Some(limit.to_string()),
        limite_pendiente: Some("1000000".into()),
        concepto: (contrato == "BILLETERA_V2").then(|| mostrador::simulator::DEMO_WALLET_CONCEPT.to_string()),
        ..ConfigureProviderInput::default()
    };
    if contrato == "BANCO_V1" {
        with_bank_point(input)
    } else {
        input
    }
}

// ---------------------------------------------------------------------------------------
// The child

/// What the child reports, one line per success: `<kind> <id>`.
fn report(kind: &str, id: i64) {
    println!("OK {kind} {id}");
}

struct Child {
    app: Mostrador,
    /// Seeded from `CRASH_SEED`: the operation mix replays for the same seed.
    rng: StdRng,
    session: i64,
    register: i64,
    agents: Vec<i64>,
    topups: Vec<i64>,
    voucher: String,
    n: u64,
}

impl Child {
    /// The admin's open session on the mixed register, opened when there is none.
    fn session(app: &mut Mostrador, register: i64) -> i64 {
        if let Ok(Some(open)) = app.active_session() {
            return open.id;
        }
        let input = OpenSessionInput {
            register_id: register,
            opening_float: "1000".into(),
            authorization: Some(creds(ADMIN_NAME, ADMIN_PIN)),
        };
        let session = app.open_session(input).expect("open session").id;
        report("open", session);
        session
    }

    fn step(&mut self) {
        self.n += 1;
        let (n, session) = (self.n, self.session);
        match self.rng.gen_range(0..20) {
            0..=5 => {
                let input = if n % 2 == 0 { ingreso(session, "12.50") } else { egreso(session, "2.50") };
                if let Ok(moved) = self.app.record_cash_movement(input) {
                    report("movement", moved.id);
                }
            }
            6..=10 => self.agent_transaction(),
            11 => {
                if let Some(&id) = self.agents.last() {
                    if self.app.void_agent_transaction(void(id, "prueba de caída")).is_ok() {
                        self.agents.pop();
                        report("void_agent", id);
                    }
                }
            }
            12..=13 => {
                if let Ok(made) = self.app.create_topup(topup("Tigo", "71234567", "10", session)) {
                    self.topups.push(made.id);
                    report("topup", made.id);
                }
            }
            14 => {
                if let Some(id) = self.topups.pop() {
                    if self.app.void_topup(void(id, "prueba de caída")).is_ok() {
                        report("void_topup", id);
                    }
                }
            }
            15 => {
                if let Ok(made) = self.app.inject_carrier_float(injection("Tigo", "50", session)) {
                    report("injection", made.id);
                }
            }
            16 => {
                let csv = format!("REF-{},1.00\nNADA,2.00\n", n.saturating_sub(3));
                if self.app.settle_bank_commissions(settlement("BCP", &csv, n % 2 == 0)).is_ok() {
                    report("settlement", n as i64);
                }
            }
            17 => {
                let limit = 4000 + (n % 7) as i64 * 100;
                if self.app.configure_provider(connection("BCP", "BANCO_V1", limit)).is_ok() {
                    report("provider_limit", limit);
                }
                if self.app.adjust_provider_float(fund("TIGO_MONEY", "100")).is_ok() {
                    report("provider_float", n as i64);
                }
            }
            _ => self.close_and_reopen(),
        }
    }

    fn agent_transaction(&mut self) {
        let n = self.n;
        let (banco, cuenta, cuit) = match n % 3 {
            0 => ("BCP", Some("20000000001".to_string()), None),
            1 => ("TIGO_MONEY", Some("0000003100000000000123".to_string()), Some(CUSTOMER_CUIT.to_string())),
            _ => ("SOLI", None, None),
        };
        let input = NewAgentTransaction {
            cuenta_cliente: cuenta,
            cuit_cliente: cuit,
            comprobante: (n % 2 == 0).then(|| self.voucher.clone()),
            ..agent(banco, "DEPOSITO", "20", &format!("REF-{n}"), self.session)
        };
        if let Ok(made) = self.app.create_agent_transaction(input) {
            self.agents.push(made.id);
            report("agent", made.id);
        }
    }

    fn close_and_reopen(&mut self) {
        // Blind close hides the balance from a cashier; this child runs as the administrator.
        let Ok(balance) = self.app.session_balance(self.session) else { return };
        let Some(expected) = balance.balance else { return };
        let input = CloseSessionInput {
            session_id: self.session,
            counts: counts_for(expected.centavos()),
            note: None,
            authorization: Some(creds(ADMIN_NAME, ADMIN_PIN)),
        };
        if self.app.close_session(input).is_ok() {
            report("close", self.session);
            self.agents.clear();
            self.topups.clear();
            self.session = Child::session(&mut self.app, self.register);
        }
    }
}

/// The child's side: runs only when the parent starts this binary with `CRASH_DB` set.
#[test]
#[ignore = "the crash test's child process; run by killed_at_random_points_the_core_keeps_every_acknowledged_write"]
fn crash_child() {
    let path = PathBuf::from(std::env::var_os("CRASH_DB").expect("CRASH_DB: run by the crash test"));
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    // libtest has printed "test crash_child ... " without a newline: the reports start on
    // a line of their own.
    println!();
    let mut app = Mostrador::open(&path).expect("open store");
    app.login(creds(ADMIN_NAME, ADMIN_PIN)).expect("login");
    let register: i64 = app.list_registers().unwrap().iter().find(|r| r.name == "Caja 1").unwrap().id;
    let session = Child::session(&mut app, register);
    let voucher = voucher_source(path.parent().unwrap()).to_string_lossy().into_owned();
    let mut child = Child { app, rng: StdRng::seed_from_u64(seed), session, register, agents: Vec::new(), topups: Vec::new(), voucher, n: seed * 1_000_000 };
    println!("READY");
    loop {
        child.step();
    }
}

// ---------------------------------------------------------------------------------------
// The parent

/// Starts the child, kills it after `after`, and returns the successes it reported.
fn run_and_kill(path: &Path, seed: u64, after: Duration) -> Vec<(String, i64)> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env("CRASH_DB", path)
        .env("CRASH_SEED", seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let ready = Arc::new(Mutex::new(false));
    let reader = {
        let (lines, ready) = (lines.clone(), ready.clone());
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line == "READY" {
                    *ready.lock().unwrap() = true;
                }
                let mut parts = line.split(' ');
                if let (Some("OK"), Some(kind), Some(id)) = (parts.next(), parts.next(), parts.next()) {
                    lines.lock().unwrap().push((kind.to_string(), id.parse::<i64>().unwrap()));
                }
            }
        })
    };
    let started = Instant::now();
    while !*ready.lock().unwrap() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(after);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    let reported = lines.lock().unwrap().clone();
    reported
}

fn ids(conn: &Connection, sql: &str) -> HashSet<i64> {
    let mut stmt = conn.prepare(sql).unwrap();
    let found = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    found
}

/// Every check after a kill; `context` names the round.
fn check_after_restart(path: &Path, reported: &[(String, i64)], context: &str) {
    let app = Mostrador::open(path).unwrap_or_else(|e| panic!("{context}: reopen: {e:?}"));
    let conn = app.connection();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok", "{context}");
    // Every account's balance against the sum of its transfers, in one pass over them.
    let mismatched: Vec<(String, i64, i64)> = conn
        .prepare(
            "SELECT a.code, a.balance, COALESCE(i.total, 0) - COALESCE(o.total, 0) FROM accounts a
             LEFT JOIN (SELECT to_account AS id, SUM(amount) AS total FROM transfers GROUP BY to_account) i ON i.id = a.id
             LEFT JOIN (SELECT from_account AS id, SUM(amount) AS total FROM transfers GROUP BY from_account) o ON o.id = a.id
             WHERE a.balance != COALESCE(i.total, 0) - COALESCE(o.total, 0)",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(mismatched.is_empty(), "{context}: balances differ from their transfers: {mismatched:?}");
    let total: i64 = conn.query_row("SELECT COALESCE(SUM(balance), 0) FROM accounts", [], |r| r.get(0)).unwrap();
    assert_eq!(total, 0, "{context}: the ledger does not sum to zero");

    let movements = ids(conn, "SELECT id FROM cash_movements");
    let agents = ids(conn, "SELECT id FROM agent_transactions");
    let voided_agents = ids(conn, "SELECT id FROM agent_transactions WHERE voided_at IS NOT NULL");
    let topups = ids(conn, "SELECT id FROM topups");
    let voided_topups = ids(conn, "SELECT id FROM topups WHERE voided_at IS NOT NULL");
    let closed = ids(conn, "SELECT id FROM cash_sessions WHERE status = 'CERRADA'");
    let sessions = ids(conn, "SELECT id FROM cash_sessions");
    for (kind, id) in reported {
        let present = match kind.as_str() {
            "movement" => movements.contains(id),
            "agent" => agents.contains(id),
            "void_agent" => voided_agents.contains(id),
            "topup" => topups.contains(id),
            "void_topup" => voided_topups.contains(id),
            "close" => closed.contains(id),
            "open" => sessions.contains(id),
            _ => true,
        };
        assert!(present, "{context}: {kind} {id} returned success but is missing after the kill");
    }

    // Exactly one call per operation that owes a provider one: every connected deposit,
    // never a SOLI one; and at most one reversal per call.
    let owing = ids(conn, "SELECT id FROM agent_transactions WHERE banco IN ('BCP', 'TIGO_MONEY')");
    let per_operation: Vec<(i64, i64)> = conn
        .prepare("SELECT t.id, (SELECT COUNT(*) FROM outbox o WHERE o.agent_transaction_id = t.id AND o.reverses IS NULL) FROM agent_transactions t")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (id, calls) in per_operation {
        let expected = i64::from(owing.contains(&id));
        assert_eq!(calls, expected, "{context}: agent transaction {id} has {calls} outbox calls");
    }
    let double_reversals: i64 = conn
        .query_row("SELECT COUNT(*) FROM (SELECT reverses FROM outbox WHERE reverses IS NOT NULL GROUP BY reverses HAVING COUNT(*) > 1)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(double_reversals, 0, "{context}");

    // Every voucher a row names is on disk, whole.
    let expected_bytes = std::fs::read(voucher_source(path.parent().unwrap())).unwrap();
    let named: Vec<String> = conn
        .prepare("SELECT url_comprobante FROM agent_transactions WHERE url_comprobante IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for relative in &named {
        let stored = std::fs::read(path.parent().unwrap().join(relative)).unwrap_or_default();
        assert!(stored == expected_bytes, "{context}: voucher {relative} is missing or incomplete ({} bytes)", stored.len());
    }
}

/// Orphans (a voucher copied by a transaction the kill rolled back, a partial copy) are
/// removed once old enough; named vouchers stay.
fn clean_and_check_orphans(path: &Path) -> usize {
    let app = Mostrador::open(path).unwrap();
    let dir = path.parent().unwrap().join("comprobantes");
    let before: Vec<String> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default();
    // Too young: nothing is removed (a transaction may still be about to commit).
    assert_eq!(backup::clean_orphan_vouchers(app.connection(), path, SystemTime::now()).unwrap(), 0);
    let later = SystemTime::now() + backup::ORPHAN_AGE + Duration::from_secs(1);
    let removed = backup::clean_orphan_vouchers(app.connection(), path, later).unwrap();
    let named = mostrador::store::backup::named_vouchers(app.connection()).unwrap();
    let after: Vec<String> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default();
    assert_eq!(after.len(), named.len(), "only named vouchers are left: {after:?}");
    assert_eq!(before.len() - after.len(), removed);
    removed
}

#[test]
fn killed_at_random_points_the_core_keeps_every_acknowledged_write() {
    let kills: usize = std::env::var("CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_KILLS);
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x6d6f7374);
    let (_dir, path) = prepare();
    // The kill points and every child's operation mix come from this one seed.
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let mut all_reported = Vec::new();
    for round in 0..kills {
        let after = Duration::from_millis(20 + rng.gen_range(0..400));
        let reported = run_and_kill(&path, seed.wrapping_add(round as u64 + 1), after);
        all_reported.extend(reported);
        // Everything any earlier round reported must still be there too.
        check_after_restart(&path, &all_reported, &format!("seed {seed:#x}, kill {} after {after:?}", round + 1));
    }
    let orphans = clean_and_check_orphans(&path);
    check_after_restart(&path, &all_reported, "after the orphan clean-up");
    let count = |kind: &str| all_reported.iter().filter(|(k, _)| k == kind).count();
    println!(
        "crash: {kills} kills in {:.1} s; successes reported: {} ({} movements, {} agent transactions, {} voids, {} closes, {} settlements); {orphans} orphaned voucher file(s) removed",
        started.elapsed().as_secs_f64(),
        all_reported.len(),
        count("movement"),
        count("agent"),
        count("void_agent") + count("void_topup"),
        count("close"),
        count("settlement"),
    );
    assert!(count("agent") > 0 && count("movement") > 0 && count("close") > 0, "the mix ran every kind: {all_reported:?}");
}
