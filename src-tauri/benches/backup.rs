//! The online backup, run with `cargo bench --bench backup`.
//!
//! A store of 1,000,000 transfers (the core sets up the people, the register and the
//! session; the cash movements, with their transfers and audit rows, go in through the
//! store's own functions in one transaction) is copied with the backup the app takes
//! (`BackupJob`: SQLite's backup API, a few pages per step, one read snapshot), while a
//! cashier records cash movements through `Mostrador::record_cash_movement`. Printed: the
//! backup's time and rate, and the median and p99 of recording a cash movement while the
//! backup runs against without it, in the same run (phases alternate: without, with,
//! without, with…). Goal: p99 while backing up at most 2× the p99 without.
//!
//! `cargo test --benches` (no `--bench` argument) runs the same code on 10,000 transfers.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use mostrador::domain::clock::stamp;
use mostrador::domain::{
    AccountCode, CashMovementInput, Credentials, MovementKind, MovementReason, Money, NewOperator, NewRegister, OpenSessionInput,
    TransferKind,
};
use mostrador::service::backup::BackupJob;
use mostrador::service::ManualClock;
use mostrador::store::sessions::MovementRow;
use mostrador::store::{self, ledger};
use mostrador::Mostrador;
use rusqlite::TransactionBehavior;

const P99_GOAL_RATIO: f64 = 2.0;
const ADMIN_PIN: &str = "246810";
const CASHIER_PIN: &str = "135790";

struct Scale {
    transfers: i64,
    /// Alternating phases (without backup, with backup) timed.
    rounds: usize,
    /// Cash movements timed in each phase without a backup.
    quiet_ops: usize,
}

const FULL: Scale = Scale { transfers: 1_000_000, rounds: 3, quiet_ops: 400 };
const TEST: Scale = Scale { transfers: 10_000, rounds: 1, quiet_ops: 20 };

/// The store: an admin, a cashier logged in with an open session, `transfers` rows.
fn seed(path: &Path, transfers: i64) -> (Mostrador, i64) {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2025, 3, 3, 12, 0, 0).single().expect("date"));
    let mut app = Mostrador::open_with_clock(path, Arc::new(clock)).expect("open");
    app.create_first_admin(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() }).expect("admin");
    app.connection().execute("UPDATE settings SET value = '0' WHERE key = 'idle_logout_minutes'", []).expect("no idle logout");
    let cashier = app.create_operator(NewOperator { name: "Cajero".into(), role: "cajero".into(), pin: CASHIER_PIN.into() }).expect("cashier");
    let register = app.create_register(NewRegister { name: "Caja".into(), specialty: "MIXTA".into() }).expect("register");
    app.login(Credentials { name: "Cajero".into(), pin: CASHIER_PIN.into() }).expect("login");
    let session = app
        .open_session(OpenSessionInput {
            register_id: register.id,
            opening_float: "500".into(),
            authorization: Some(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() }),
        })
        .expect("open session")
        .id;
    let mut conn = store::open(path).expect("bulk connection");
    conn.pragma_update(None, "synchronous", "OFF").expect("sync off");
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).expect("begin");
    let external = ledger::account_id(&tx, &AccountCode::External).expect("external").expect("exists");
    let drawer = ledger::account_id(&tx, &AccountCode::Drawer(session)).expect("drawer").expect("exists");
    let existing: i64 = tx.query_row("SELECT COUNT(*) FROM transfers", [], |r| r.get(0)).expect("count");
    for i in 0..(transfers - existing) {
        let ingreso = i % 2 == 0;
        let amount = Money::from_centavos(1_000 + (i % 97) * 10);
        let (kind, tk, reason, from, to) = if ingreso {
            (MovementKind::Ingreso, TransferKind::CashIn, MovementReason::AporteDueno, external, drawer)
        } else {
            (MovementKind::Egreso, TransferKind::CashOut, MovementReason::GastoOperativo, drawer, external)
        };
        let at = stamp(Utc::now());
        let t = ledger::Transfer { from, to, amount, kind: tk, session_id: Some(session), operator_id: cashier.id, operation: None };
        let transfer_id = ledger::post(&tx, t, &at).expect("transfer");
        let row = MovementRow { transfer_id, session_id: session, kind, reason, amount, note: None, operator_id: cashier.id };
        store::sessions::insert_movement(&tx, &row, &at).expect("movement");
        store::records::audit(&tx, Some(cashier.id), "cash_movement", "cash_movement", Some(transfer_id), serde_json::json!({}), &at)
            .expect("audit");
    }
    tx.commit().expect("commit");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    (app, session)
}

fn movement(app: &mut Mostrador, session: i64, n: usize) -> Duration {
    let input = CashMovementInput {
        session_id: session,
        kind: if n % 2 == 0 { "INGRESO" } else { "EGRESO" }.into(),
        reason: if n % 2 == 0 { "APORTE_DUENO" } else { "GASTO_OPERATIVO" }.into(),
        amount: "1.50".into(),
        note: None,
    };
    let started = Instant::now();
    app.record_cash_movement(input).expect("cash movement");
    started.elapsed()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let scale = if full { FULL } else { TEST };
    // Under the target folder, on the same disk as a real store (not a RAM /tmp).
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let path = dir.path().join("mostrador.sqlite3");
    let seeding = Instant::now();
    let (mut app, session) = seed(&path, scale.transfers);
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("backup: seeded {} transfers ({:.1} MB) in {:.1} s", scale.transfers, bytes as f64 / 1e6, seeding.elapsed().as_secs_f64());

    let (mut quiet, mut busy, mut backups) = (Vec::new(), Vec::new(), Vec::new());
    let mut n = 0;
    for round in 0..scale.rounds {
        for _ in 0..scale.quiet_ops {
            quiet.push(movement(&mut app, session, n));
            n += 1;
        }
        let running = Arc::new(AtomicBool::new(true));
        let job = BackupJob::new(&path, Some(&dir.path().join(format!("r{round}"))), Utc::now() + chrono::Duration::seconds(round as i64));
        std::fs::create_dir_all(dir.path().join(format!("r{round}"))).expect("folder");
        let flag = running.clone();
        let copier = std::thread::spawn(move || {
            let started = Instant::now();
            let taken = job.run().expect("backup");
            flag.store(false, Ordering::Release);
            (started.elapsed(), taken.bytes)
        });
        let before = busy.len();
        while running.load(Ordering::Acquire) {
            busy.push(movement(&mut app, session, n));
            n += 1;
        }
        let (took, size) = copier.join().expect("backup thread");
        println!(
            "backup: round {}: {} in {:.2} s ({:.0} MB/s), {} cash movements recorded meanwhile",
            round + 1,
            format!("{:.1} MB", size as f64 / 1e6),
            took.as_secs_f64(),
            size as f64 / 1e6 / took.as_secs_f64(),
            busy.len() - before
        );
        backups.push(took);
    }
    assert!(!busy.is_empty(), "at least one movement during a backup");
    // The first phase ran before any backup; the later ones pay for the checkpoints a
    // backup's read snapshot held back (the WAL is folded into the file after it).
    let mut first: Vec<Duration> = quiet[..scale.quiet_ops].to_vec();
    first.sort();
    println!(
        "backup: before any backup (first phase): median {}, p99 {}",
        ms(percentile(&first, 0.5)),
        ms(percentile(&first, 0.99))
    );
    quiet.sort();
    busy.sort();
    let (q50, q99, b50, b99) = (percentile(&quiet, 0.5), percentile(&quiet, 0.99), percentile(&busy, 0.5), percentile(&busy, 0.99));
    let ratio = b99.as_secs_f64() / q99.as_secs_f64();
    println!("backup: recording a cash movement without a backup: median {}, p99 {} ({} ops)", ms(q50), ms(q99), quiet.len());
    println!("backup: recording a cash movement during a backup:  median {}, p99 {} ({} ops)", ms(b50), ms(b99), busy.len());
    println!(
        "backup: median ratio {:.2}x, p99 ratio {:.2}x (goal p99 ≤ {P99_GOAL_RATIO}x): {}",
        b50.as_secs_f64() / q50.as_secs_f64(),
        ratio,
        if ratio <= P99_GOAL_RATIO { "met" } else { "NOT met" }
    );
}
