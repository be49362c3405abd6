//! Benchmarks of the core, run with `cargo bench --bench core`.
//!
//! 1. Recording a cash movement through `Mostrador::record_cash_movement` (validation,
//!    transfers, audit row, durable commit) against a bare rusqlite single-row
//!    INSERT + COMMIT with the same pragmas (WAL, `synchronous=FULL`), both on fresh files
//!    on the same disk. Goal: the core's median is at most 1.5 times the bare one.
//! 2. The Z report (`Mostrador::session_report` on a closed session) of a session with
//!    50,000 operations in a database of 1,000,000 transfers. Goal: median under 20 ms.
//!    The database is seeded in bulk for each run (the core sets up operators, registers
//!    and sessions and closes them; the movements go in with plain SQL in one
//!    transaction) inside a temporary folder under the target directory, removed at exit.
//! 3. Recording an agent transaction through `Mostrador::create_agent_transaction`
//!    (DEPOSITO and RETIRO in turn, with the client's commission, on a MIXTA register
//!    whose provider float was funded with `adjust_provider_float`) against the same bare
//!    INSERT + COMMIT as in 1. Goal: the core's median is at most 1.5 times the bare one.
//!    For scale, the summary also times the same rows written with plain SQL (the record,
//!    two transfers, the audit row and what their triggers write), which no core can beat.
//! 4. One page of 50 of `Mostrador::list_agent_transactions`, filtered by provider and a
//!    30-day range, the middle page of that range, in a database of 1,000,000 agent
//!    transactions over 60 days and 4 providers. Goal: median under 5 ms. Seeded like 2:
//!    the core sets up the people, floats and sessions; the agent transactions, with their
//!    transfers and audit rows, go in with plain SQL in one transaction. The goal is
//!    judged on the page asked for by number (OFFSET); the summary also times the middle
//!    and last pages asked for after the previous page's last row (`despues_de`), as the
//!    UI's "Siguiente" does.
//!
//! Criterion measures and reports each group; the summary at the end recomputes the
//! medians from the individual operations timed in Criterion's measurement samples.
//! `cargo test --benches` (Criterion's test mode) runs everything once on a small seed.

use std::cell::RefCell;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{Criterion, SamplingMode};
use mostrador::domain::{
    AccountCode, AgentFilter, CashMovementInput, CloseSessionInput, Credentials, Denomination, DenominationCount, Income, Money,
    MovementKind, MovementReason, NewAgentTransaction, NewOperator, NewRegister, OpenSessionInput, ProviderFloatInput,
    OperationKey, ReportKind, TipoOperacion, TransferKind,
};
use mostrador::domain::clock::{stamp, start_of_local_day, store_offset};
use mostrador::service::ManualClock;
use mostrador::store::sessions::MovementRow;
use mostrador::store::{self, ledger};
use mostrador::Mostrador;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection, TransactionBehavior};

const MOVEMENT_GOAL_RATIO: f64 = 1.5;
const REPORT_GOAL: Duration = Duration::from_millis(20);
const AGENT_GOAL_RATIO: f64 = 1.5;
const LIST_GOAL: Duration = Duration::from_millis(5);

const MOVEMENT_SAMPLES: usize = 30;
const REPORT_SAMPLES: usize = 30;
const AGENT_SAMPLES: usize = 30;
const LIST_SAMPLES: usize = 30;
/// Alternating core/bare pairs timed after Criterion, as a check that the ratio does not
/// come from load that changed between the two groups.
const INTERLEAVED_PAIRS: usize = 300;

const ADMIN_PIN: &str = "246810";
const CASHIER_PIN: &str = "135790";

/// Size of the Z report's and the agent list's databases.
#[derive(Debug, Clone, Copy)]
struct Scale {
    target_ops: i64,
    total_transfers: i64,
    sessions: usize,
    agent_transactions: i64,
}

const FULL_SCALE: Scale =
    Scale { target_ops: 50_000, total_transfers: 1_000_000, sessions: 20, agent_transactions: 1_000_000 };
/// For Criterion's test mode: same code paths, databases that seed in a moment.
const TEST_SCALE: Scale = Scale { target_ops: 500, total_transfers: 10_000, sessions: 4, agent_transactions: 10_000 };

// ---------------------------------------------------------------------------------------
// Timing helpers

/// CPU time consumed by this thread so far. With other work on the machine, wall time
/// includes waiting for a CPU; this does not, so the summary shows both.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn thread_cpu() -> Option<Duration> {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn thread_cpu() -> Option<Duration> {
    None
}

/// One timed operation: wall time and, where the platform tells, this thread's CPU time.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Option<Duration>,
}

/// Times one run of `op`; the CPU clock is read outside the wall-clock window.
fn sample(op: impl FnOnce()) -> Sample {
    let cpu_before = thread_cpu();
    let start = Instant::now();
    op();
    let wall = start.elapsed();
    let cpu = match (cpu_before, thread_cpu()) {
        (Some(before), Some(after)) => Some(after.saturating_sub(before)),
        _ => None,
    };
    Sample { wall, cpu }
}

/// Every operation of every call Criterion made to a routine; the last `sample_size`
/// calls are the measurement samples (the earlier ones are the warm-up).
#[derive(Default)]
struct Timings {
    calls: Vec<Vec<Sample>>,
}

impl Timings {
    /// Runs `op` `iters` times, timing each one; returns the total wall time for Criterion.
    fn run(&mut self, iters: u64, mut op: impl FnMut()) -> Duration {
        let call: Vec<Sample> = (0..iters).map(|_| sample(&mut op)).collect();
        let total = call.iter().map(|s| s.wall).sum();
        self.calls.push(call);
        total
    }

    fn measured(&self, sample_size: usize) -> Vec<Sample> {
        let skip = self.calls.len().saturating_sub(sample_size);
        self.calls[skip..].iter().flatten().copied().collect()
    }
}

/// Wall-time statistics of the samples, with the median CPU time.
struct Measured {
    wall: Stats,
    cpu: Option<Duration>,
}

fn measured(samples: Vec<Sample>) -> Option<Measured> {
    let wall = stats(samples.iter().map(|s| s.wall).collect())?;
    let cpu = samples.iter().map(|s| s.cpu).collect::<Option<Vec<_>>>().and_then(stats).map(|s| s.median);
    Some(Measured { wall, cpu })
}

#[derive(Debug, Clone, Copy)]
struct Stats {
    n: usize,
    median: Duration,
    mean: Duration,
    p90: Duration,
}

fn stats(mut times: Vec<Duration>) -> Option<Stats> {
    if times.is_empty() {
        return None;
    }
    times.sort_unstable();
    let n = times.len();
    let median = if n % 2 == 1 { times[n / 2] } else { (times[n / 2 - 1] + times[n / 2]) / 2 };
    let mean = times.iter().sum::<Duration>() / n as u32;
    let p90 = times[((n * 9) / 10).min(n - 1)];
    Some(Stats { n, median, mean, p90 })
}

/// "50k" for round thousands, the plain number otherwise.
fn count(n: i64) -> String {
    if n >= 1000 && n % 1000 == 0 { format!("{}k", n / 1000) } else { n.to_string() }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// "mediana X  (CPU Y; media, p90, n)".
fn describe(m: &Measured) -> String {
    let cpu = m.cpu.map_or(String::new(), |cpu| format!("CPU {}; ", ms(cpu)));
    format!(
        "mediana {}  ({cpu}media {}, p90 {}, n={})",
        ms(m.wall.median),
        ms(m.wall.mean),
        ms(m.wall.p90),
        m.wall.n
    )
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// Device and filesystem type holding `path`, from /proc/mounts (Linux only).
fn filesystem_of(path: &Path) -> Option<(String, String)> {
    let path = path.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let device = fields.next()?;
            let mount_point = fields.next()?.replace("\\040", " ");
            let fs_type = fields.next()?;
            Some((device.to_string(), mount_point, fs_type.to_string()))
        })
        .filter(|(_, mount_point, _)| path.starts_with(mount_point))
        .max_by_key(|(_, mount_point, _)| mount_point.len())
        .map(|(device, _, fs_type)| (device, fs_type))
}

// ---------------------------------------------------------------------------------------
// 1. A cash movement through the core versus a bare INSERT + COMMIT

/// One durable write, repeated: through the core or bare.
trait Operation {
    fn op(&mut self);
    fn connection(&self) -> &Connection;
}

/// A fresh store with an admin, a register and an open session, ready for movements.
struct CoreMovements {
    app: Mostrador,
    inputs: [CashMovementInput; 2],
    next: usize,
}

impl CoreMovements {
    fn new(path: &Path) -> Self {
        let mut app = Mostrador::open(path).expect("open store");
        app.create_first_admin(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() })
            .expect("first admin");
        let register = app
            .create_register(NewRegister { name: "Caja 1".into(), specialty: "MIXTA".into() })
            .expect("register");
        let session = app
            .open_session(OpenSessionInput { register_id: register.id, opening_float: "1000.00".into(), authorization: None })
            .expect("open session");
        // An INGRESO then an EGRESO of the same amount, so the drawer never runs dry.
        let movement = |kind: &str, reason: &str| CashMovementInput {
            session_id: session.id,
            kind: kind.into(),
            reason: reason.into(),
            amount: "25.50".into(),
            note: None,
        };
        CoreMovements {
            app,
            inputs: [movement("INGRESO", "REPOSICION_CAMBIO"), movement("EGRESO", "GASTO_OPERATIVO")],
            next: 0,
        }
    }
}

impl Operation for CoreMovements {
    fn op(&mut self) {
        let input = self.inputs[self.next % 2].clone();
        self.next += 1;
        black_box(self.app.record_cash_movement(input).expect("record cash movement"));
    }

    fn connection(&self) -> &Connection {
        self.app.connection()
    }
}

/// A plain rusqlite connection with the store's pragmas and a one-table schema.
struct BareInserts {
    conn: Connection,
    next: i64,
}

impl BareInserts {
    fn new(path: &Path) -> Self {
        let conn = Connection::open(path).expect("open bare database");
        conn.busy_timeout(Duration::from_secs(5)).expect("busy_timeout");
        store::configure(&conn).expect("the store's pragmas");
        conn.execute_batch(
            "CREATE TABLE movements (
                 id          INTEGER PRIMARY KEY,
                 session_id  INTEGER NOT NULL,
                 kind        TEXT    NOT NULL,
                 amount      INTEGER NOT NULL,
                 created_at  TEXT    NOT NULL
             ) STRICT;",
        )
        .expect("bare schema");
        BareInserts { conn, next: 0 }
    }
}

impl Operation for BareInserts {
    fn op(&mut self) {
        self.next += 1;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).expect("begin");
        tx.prepare_cached("INSERT INTO movements (session_id, kind, amount, created_at) VALUES (?1, ?2, ?3, ?4)")
            .expect("prepare")
            .execute(params![1, "INGRESO", 2550 + self.next % 2, "2025-03-03T12:00:00.000Z"])
            .expect("insert");
        tx.commit().expect("commit");
    }

    fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// WAL frames (pages) written per commit, over `commits` operations. RESTART, not
/// TRUNCATE, so the WAL file keeps its size: writes that follow overwrite it, as in steady
/// state, instead of growing it (a growing file's fsync also commits its new size).
fn wal_pages_per_commit(conn: &Connection, commits: usize, mut op: impl FnMut()) -> f64 {
    let checkpoint = |mode: &str| -> (i64, i64) {
        conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| Ok((r.get(1)?, r.get(2)?)))
            .expect("wal_checkpoint")
    };
    checkpoint("RESTART");
    for _ in 0..commits {
        op();
    }
    let (log_frames, _) = checkpoint("PASSIVE");
    log_frames as f64 / commits as f64
}

fn median_of(count: usize, mut op: impl FnMut()) -> Duration {
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let start = Instant::now();
        op();
        times.push(start.elapsed());
    }
    stats(times).expect("non-empty").median
}

struct WriteFindings {
    interleaved_core: Duration,
    interleaved_bare: Duration,
    wal_pages_core: f64,
    wal_pages_bare: f64,
    no_sync_core: Duration,
    no_sync_bare: Duration,
}

/// Run after Criterion on the same two databases: an interleaved control of the ratio,
/// and where the core's extra time goes (pages written per commit, cost without fsync).
fn write_findings(core: &mut impl Operation, bare: &mut BareInserts) -> WriteFindings {
    let mut core_times = Vec::with_capacity(INTERLEAVED_PAIRS);
    let mut bare_times = Vec::with_capacity(INTERLEAVED_PAIRS);
    for i in 0..INTERLEAVED_PAIRS {
        // Alternate which goes first so neither always follows the other's fsync.
        let mut time_core = || {
            let start = Instant::now();
            core.op();
            core_times.push(start.elapsed());
        };
        if i % 2 == 0 {
            time_core();
            let start = Instant::now();
            bare.op();
            bare_times.push(start.elapsed());
        } else {
            let start = Instant::now();
            bare.op();
            bare_times.push(start.elapsed());
            time_core();
        }
    }

    let wal_pages_core = wal_pages_per_commit(&second_handle(core.connection()), 40, || core.op());
    let wal_pages_bare = wal_pages_per_commit(&second_handle(bare.connection()), 40, || bare.op());

    // The same operations without the fsync: what is left is SQL and CPU work.
    core.connection().pragma_update(None, "synchronous", "OFF").expect("synchronous OFF");
    bare.connection().pragma_update(None, "synchronous", "OFF").expect("synchronous OFF");
    let no_sync_core = median_of(500, || core.op());
    let no_sync_bare = median_of(500, || bare.op());
    core.connection().pragma_update(None, "synchronous", "FULL").expect("synchronous FULL");
    bare.connection().pragma_update(None, "synchronous", "FULL").expect("synchronous FULL");

    WriteFindings {
        interleaved_core: stats(core_times).expect("pairs").median,
        interleaved_bare: stats(bare_times).expect("pairs").median,
        wal_pages_core,
        wal_pages_bare,
        no_sync_core,
        no_sync_bare,
    }
}

/// A second handle on the same database file, to checkpoint while the benchmarked
/// connection is borrowed by the operation.
fn second_handle(conn: &Connection) -> Connection {
    let path = conn.path().expect("file database").to_string();
    let handle = Connection::open(path).expect("second handle");
    handle.busy_timeout(Duration::from_secs(5)).expect("busy_timeout");
    handle
}

// ---------------------------------------------------------------------------------------
// 2. Z report over a large ledger

struct Seeded {
    app: Mostrador,
    target_session: i64,
    target_ops: i64,
    transfers: i64,
    cash_movements: i64,
    db_bytes: i64,
    seed_time: Duration,
    bulk_time: Duration,
    check_time: Duration,
}

/// Greedy count of notes and coins adding up exactly to `centavos` (a multiple of 10).
fn counts_for(centavos: i64) -> Vec<DenominationCount> {
    let mut rest = centavos;
    let mut counts = Vec::new();
    for &denomination in Denomination::ALL {
        let value = denomination.value().centavos();
        let quantity = rest / value;
        if quantity > 0 {
            counts.push(DenominationCount { denomination: denomination.as_str().into(), quantity });
            rest -= quantity * value;
        }
    }
    assert_eq!(rest, 0, "balance {centavos} is not a multiple of 10 centavos");
    counts
}

/// `count` cashiers ("<prefix> k"), each with a MIXTA register ("<register prefix> k") and a
/// session opened there with `float`: (session id, cashier id) pairs.
fn open_cashier_sessions(app: &mut Mostrador, count: usize, (prefix, register_prefix): (&str, &str), float: &str) -> Vec<(i64, i64)> {
    let mut cashiers = Vec::with_capacity(count);
    for k in 1..=count {
        let name = format!("{prefix} {k}");
        let cashier = app
            .create_operator(NewOperator { name: name.clone(), role: "cajero".into(), pin: CASHIER_PIN.into() })
            .expect("cashier");
        let register = app
            .create_register(NewRegister { name: format!("{register_prefix} {k}"), specialty: "MIXTA".into() })
            .expect("register");
        cashiers.push((cashier.id, name, register.id));
    }
    // Each cashier opens their own session; the last one stays logged in.
    cashiers
        .into_iter()
        .map(|(cashier_id, name, register_id)| {
            app.login(Credentials { name, pin: CASHIER_PIN.into() }).expect("cashier login");
            let session = app
                // The vault is empty: a cashier's float needs the administrator's authorization.
                .open_session(OpenSessionInput {
                    register_id,
                    opening_float: float.into(),
                    authorization: Some(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() }),
                })
                .expect("open session");
            (session.id, cashier_id)
        })
        .collect()
}

/// A second connection for bulk rows; durability is not needed while seeding.
fn bulk_connection(path: &Path) -> Connection {
    let conn = store::open(path).expect("seeding connection");
    conn.busy_timeout(Duration::from_secs(30)).expect("busy_timeout");
    conn.pragma_update(None, "synchronous", "OFF").expect("synchronous OFF");
    conn.pragma_update(None, "cache_size", -262_144).expect("cache_size");
    conn
}

/// Closes every session through the core as the administrator, counting exactly what
/// each drawer holds.
fn close_counted(app: &mut Mostrador, sessions: &[(i64, i64)]) {
    app.login(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() }).expect("admin login");
    for (session_id, _) in sessions {
        let balance = app.session_balance(*session_id).expect("balance").balance.expect("an administrator sees the balance");
        let outcome = app
            .close_session(CloseSessionInput {
                session_id: *session_id,
                counts: counts_for(balance.centavos()),
                note: None,
                authorization: None,
            })
            .expect("close session");
        assert_eq!(outcome.difference.centavos(), 0, "the count matches the drawer");
    }
}

/// Builds the report's database: the core creates the admin, one cashier and one register
/// per session and opens every session; the movements of all sessions (interleaved, as
/// registers work at the same time) go in with plain SQL in one transaction; the core
/// then closes every session with a count equal to its balance.
fn seed(dir: &Path, scale: Scale) -> Seeded {
    let started = Instant::now();
    let path = dir.join("reporte.db");
    let start = Utc.with_ymd_and_hms(2025, 3, 3, 12, 0, 0).single().expect("valid date");
    let clock = ManualClock::new(start);
    let mut app = Mostrador::open_with_clock(&path, Arc::new(clock.clone())).expect("open store");
    let admin = app
        .create_first_admin(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() })
        .expect("first admin")
        .operator;
    let sessions = open_cashier_sessions(&mut app, scale.sessions, ("Cajero", "Caja"), "500.00");
    let target_index = scale.sessions / 2;
    let target_session = sessions[target_index].0;

    // Bulk rows on a second connection; durability is not needed while seeding.
    let bulk_started = Instant::now();
    let mut conn = bulk_connection(&path);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).expect("begin seeding");
    let existing: i64 = tx.query_row("SELECT COUNT(*) FROM transfers", [], |r| r.get(0)).expect("count");
    // Each close books one transfer (the counted cash to the vault; the count is exact).
    let bulk = scale.total_transfers - existing - scale.sessions as i64;
    assert!(bulk >= scale.target_ops, "scale too small for the target session");
    let external = ledger::account_id(&tx, &AccountCode::External).expect("external").expect("external exists");
    let mut drawers: Vec<(i64, i64)> = sessions
        .iter()
        .map(|(session_id, _)| {
            let drawer = ledger::account_id(&tx, &AccountCode::Drawer(*session_id))
                .expect("drawer")
                .expect("drawer exists");
            (drawer, ledger::balance(&tx, drawer).expect("balance").centavos())
        })
        .collect();
    use MovementReason::*;
    const INGRESOS: [MovementReason; 3] = [ReposicionCambio, AporteDueno, OtroIngreso];
    const EGRESOS: [MovementReason; 5] = [PagoProveedor, GastoOperativo, RetiroDueno, DepositoBancario, OtroEgreso];
    const DRAWER_CAP: i64 = 3_000_000; // Bs 30.000: above it the cashier sends cash out.
    // A business day of operations, evenly spaced.
    let step_ms = (10 * 3600 * 1000 / bulk).max(1);
    // Seeded: every run seeds the same data.
    let mut rng = StdRng::seed_from_u64(0x4D6F_7374_7261_646F);
    // The rows go in through the store's own functions, as the core writes them.
    let others: Vec<usize> = (0..scale.sessions).filter(|&k| k != target_index).collect();
    for i in 0..bulk {
        // The target session gets exactly `target_ops`, spread evenly over the day.
        let is_target = (i + 1) * scale.target_ops / bulk > i * scale.target_ops / bulk;
        let k = if is_target { target_index } else { others[rng.gen_range(0..others.len())] };
        let (session_id, owner) = sessions[k];
        // Administrators may record on any session; one movement in ten is theirs.
        let operator_id = if rng.gen_range(0..10) == 0 { admin.id } else { owner };
        let (drawer, balance) = &mut drawers[k];
        let amount = rng.gen_range(1..=40_000_i64) * 10; // Bs 0.10 to Bs 4.000,00
        let ingreso = if *balance > DRAWER_CAP {
            false
        } else {
            *balance < amount || rng.gen_range(0..2) == 0
        };
        let (kind, transfer_kind, reason, from, to) = if ingreso {
            *balance += amount;
            (MovementKind::Ingreso, TransferKind::CashIn, INGRESOS[rng.gen_range(0..INGRESOS.len())], external, *drawer)
        } else {
            *balance -= amount;
            (MovementKind::Egreso, TransferKind::CashOut, EGRESOS[rng.gen_range(0..EGRESOS.len())], *drawer, external)
        };
        let at = stamp(start + chrono::Duration::milliseconds(1000 + i * step_ms));
        let amount = Money::from_centavos(amount);
        let transfer =
            ledger::Transfer { from, to, amount, kind: transfer_kind, session_id: Some(session_id), operator_id, operation: None };
        let transfer_id = ledger::post(&tx, transfer, &at).expect("insert transfer");
        let row = MovementRow { transfer_id, session_id, kind, reason, amount, note: None, operator_id };
        store::sessions::insert_movement(&tx, &row, &at).expect("insert movement");
        let detail = serde_json::json!({"session_id": session_id, "kind": kind, "amount": amount});
        store::records::audit(&tx, Some(operator_id), "cash_movement", "cash_movement", Some(transfer_id), detail, &at)
            .expect("insert audit");
    }
    tx.commit().expect("commit seeding");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    drop(conn);
    let bulk_time = bulk_started.elapsed();

    // Close every session through the core, counting exactly what the drawer holds.
    // The clock jumps by hours with the administrator logged in: no idle logout here.
    app.connection().execute("UPDATE settings SET value = '0' WHERE key = 'idle_logout_minutes'", []).expect("no idle logout");
    clock.advance(chrono::Duration::hours(11));
    close_counted(&mut app, &sessions);

    let check_started = Instant::now();
    let db = app.connection();
    let transfers: i64 = db.query_row("SELECT COUNT(*) FROM transfers", [], |r| r.get(0)).expect("count");
    assert_eq!(transfers, scale.total_transfers, "seeded transfer count");
    let cash_movements: i64 = db.query_row("SELECT COUNT(*) FROM cash_movements", [], |r| r.get(0)).expect("count");
    let mismatched = ledger::mismatched_accounts(db).expect("ledger check");
    assert!(mismatched.is_empty(), "cached balances differ from the transfers: {mismatched:?}");
    let negative: i64 = db
        .query_row("SELECT COUNT(*) FROM accounts WHERE may_go_negative = 0 AND balance < 0", [], |r| r.get(0))
        .expect("negative balances");
    assert_eq!(negative, 0);
    let db_bytes: i64 = db
        .query_row("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", [], |r| r.get(0))
        .expect("size");
    let check_time = check_started.elapsed();

    Seeded {
        app,
        target_session,
        target_ops: scale.target_ops,
        transfers,
        cash_movements,
        db_bytes,
        seed_time: started.elapsed(),
        bulk_time,
        check_time,
    }
}

// ---------------------------------------------------------------------------------------
// 3. An agent transaction through the core versus the same bare INSERT + COMMIT

/// The provider of the agent benchmarks, one of those the V2 migration adds.
const AGENT_PROVIDER: &str = "BCP";

/// A fresh store with an admin, a MIXTA register, the provider's float funded through
/// `adjust_provider_float` and an open session, ready for agent transactions.
struct CoreAgents {
    app: Mostrador,
    session_id: i64,
    next: u64,
}

impl CoreAgents {
    fn new(path: &Path) -> Self {
        let mut app = Mostrador::open(path).expect("open store");
        app.create_first_admin(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() })
            .expect("first admin");
        let register = app
            .create_register(NewRegister { name: "Caja 1".into(), specialty: "MIXTA".into() })
            .expect("register");
        app.adjust_provider_float(ProviderFloatInput {
            banco: AGENT_PROVIDER.into(),
            tipo: "FONDEO".into(),
            monto: "100000.00".into(),
            nota: None,
        })
        .expect("fund the provider float");
        let session = app
            .open_session(OpenSessionInput { register_id: register.id, opening_float: "1000.00".into(), authorization: None })
            .expect("open session");
        CoreAgents { app, session_id: session.id, next: 0 }
    }
}

impl Operation for CoreAgents {
    /// A DEPOSITO then a RETIRO of the same amount, each with the client's commission, so
    /// neither the float nor the drawer runs dry; every reference number is new.
    fn op(&mut self) {
        let tipo = if self.next.is_multiple_of(2) { "DEPOSITO" } else { "RETIRO" };
        self.next += 1;
        let input = NewAgentTransaction {
            banco: AGENT_PROVIDER.into(),
            tipo_operacion: tipo.into(),
            monto: "150.00".into(),
            comision_cliente: Some("5.00".into()),
            nro_referencia: format!("OP{:010}", self.next),
            id_caja_sesion: self.session_id,
            comprobante: None,
            cuenta_cliente: None,
            cuit_cliente: None,
            cliente: None,
            motivo_comision: None,
        };
        black_box(self.app.create_agent_transaction(input).expect("create agent transaction"));
    }

    fn connection(&self) -> &Connection {
        self.app.connection()
    }
}

/// The rows `create_agent_transaction` writes (the record, its two transfers and the audit
/// row; the triggers add the balances and the daily count), written straight through the
/// store's functions on a store set up like `CoreAgents`: no validation, no reads, no
/// returned record. What the schema itself costs per durable commit, for comparison with
/// the core.
struct SchemaWrites {
    conn: Connection,
    session_id: i64,
    drawer: i64,
    float: i64,
    income: i64,
    operator_id: i64,
    next: u64,
    next_id: i64,
}

impl SchemaWrites {
    fn new(path: &Path) -> Self {
        let core = CoreAgents::new(path);
        let session_id = core.session_id;
        drop(core);
        let conn = store::open(path).expect("open store file");
        let account = |code: AccountCode| ledger::existing(&conn, &code).expect("account");
        let (drawer, float, income) = (
            account(AccountCode::Drawer(session_id)),
            account(AccountCode::ProviderFloat(AGENT_PROVIDER.into())),
            account(AccountCode::Income(Income::ClientCommission)),
        );
        let operator_id = store::sessions::load(&conn, session_id).expect("session").expect("session exists").operator_id;
        let next_id = store::agents::next_id(&conn).expect("next id");
        SchemaWrites { conn, session_id, drawer, float, income, operator_id, next: 0, next_id }
    }
}

impl Operation for SchemaWrites {
    /// A DEPOSITO then a RETIRO of Bs 150 with Bs 5 of commission, as `CoreAgents` does.
    fn op(&mut self) {
        let deposit = self.next.is_multiple_of(2);
        self.next += 1;
        let (id, reference) = (self.next_id, format!("SQ{:010}", self.next));
        self.next_id += 1;
        let tipo = if deposit { TipoOperacion::Deposito } else { TipoOperacion::Retiro };
        let now = stamp(Utc::now());
        let tx = store::write(&mut self.conn).expect("begin");
        let row = store::agents::AgentRow {
            id,
            provider: AGENT_PROVIDER,
            tipo,
            amount: Money::from_centavos(15_000),
            client_commission: Money::from_centavos(500),
            reference: &reference,
            voucher: None,
            session_id: self.session_id,
            operator_id: self.operator_id,
            customer_account: None,
        };
        store::agents::insert(&tx, &row, &now).expect("insert record");
        let operation = OperationKey::Agent(id);
        let commission = ledger::Transfer {
            from: self.income,
            to: self.drawer,
            amount: Money::from_centavos(500),
            kind: TransferKind::ClientCommission,
            session_id: Some(self.session_id),
            operator_id: self.operator_id,
            operation: Some(&operation),
        };
        ledger::post(&tx, commission, &now).expect("commission");
        let amount = ledger::Transfer { from: self.float, to: self.drawer, amount: Money::from_centavos(15_000), kind: tipo.into(), ..commission };
        ledger::post(&tx, if deposit { amount } else { amount.flipped() }, &now).expect("transfer");
        let detail = serde_json::json!({"banco": AGENT_PROVIDER, "tipo": tipo, "monto": Money::from_centavos(15_000)});
        store::records::audit(&tx, Some(self.operator_id), "create_agent_transaction", "agent_transaction", Some(id), detail, &now)
            .expect("audit");
        tx.commit().expect("commit");
    }

    fn connection(&self) -> &Connection {
        &self.conn
    }
}

// ---------------------------------------------------------------------------------------
// 4. One page of agent transactions in a large table

/// Days the seeded agent transactions span.
const AGENT_DAYS: i64 = 60;
/// The providers of the V2 migration and their share of the operations, in tenths.
const PROVIDER_SHARES: [(&str, u64); 4] = [("TIGO_MONEY", 4), ("BCP", 3), ("BANCO_UNION", 2), ("SOLI", 1)];
const AGENT_CASHIERS: usize = 4;
const LIST_PAGE_SIZE: i64 = 50;

struct AgentsSeeded {
    app: Mostrador,
    rows: i64,
    transfers: i64,
    audit_rows: i64,
    sessions: usize,
    db_bytes: i64,
    /// The store date of the first seeded day.
    first_day: NaiveDate,
    /// Rows seeded per provider (in `PROVIDER_SHARES` order) and day.
    per_day: Vec<Vec<i64>>,
    seed_time: Duration,
    bulk_time: Duration,
    check_time: Duration,
}

impl AgentsSeeded {
    /// How many rows of `provider` were seeded on the store dates `desde..=hasta`.
    fn expected(&self, provider: &str, desde: NaiveDate, hasta: NaiveDate) -> i64 {
        let p = PROVIDER_SHARES.iter().position(|(code, _)| *code == provider).expect("a seeded provider");
        let (from, to) = ((desde - self.first_day).num_days(), (hasta - self.first_day).num_days());
        (from..=to).filter(|d| (0..AGENT_DAYS).contains(d)).map(|d| self.per_day[p][d as usize]).sum()
    }

    fn day(&self, offset: i64) -> NaiveDate {
        self.first_day + chrono::Duration::days(offset)
    }
}

/// Builds the agent-list database: the core creates the admin, funds every provider's
/// float, creates the cashiers and their MIXTA registers and opens one session each; the
/// agent transactions of 60 days go in with plain SQL in one transaction, each with what
/// the core writes with it (the client's commission into the drawer and the operation
/// between the drawer and the provider's float, both tagged with the operation, and the
/// audit row); the core then closes every session with a count equal to its balance.
/// One session per cashier spans the 60 days: the list query does not read sessions.
/// No transaction is voided.
fn seed_agents(dir: &Path, scale: Scale) -> AgentsSeeded {
    let started = Instant::now();
    let path = dir.join("agentes.db");
    // 08:00 store time (UTC−4) on the first day.
    let start = Utc.with_ymd_and_hms(2025, 3, 3, 12, 0, 0).single().expect("valid date");
    let first_day = start.with_timezone(&store_offset()).date_naive();
    let clock = ManualClock::new(start);
    let mut app = Mostrador::open_with_clock(&path, Arc::new(clock.clone())).expect("open store");
    app.create_first_admin(Credentials { name: "Administradora".into(), pin: ADMIN_PIN.into() })
        .expect("first admin");
    // The largest funding the core takes; a provider short of float gets a RETIRO next.
    for (code, _) in PROVIDER_SHARES {
        app.adjust_provider_float(ProviderFloatInput {
            banco: code.into(),
            tipo: "FONDEO".into(),
            monto: "1000000.00".into(),
            nota: None,
        })
        .expect("fund the provider float");
    }
    let sessions = open_cashier_sessions(&mut app, AGENT_CASHIERS, ("Agente", "Caja agente"), "5000.00");

    // Bulk rows on a second connection; durability is not needed while seeding.
    let bulk_started = Instant::now();
    let mut conn = bulk_connection(&path);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).expect("begin seeding");
    let account = |code: AccountCode| -> (i64, i64) {
        let id = ledger::account_id(&tx, &code).expect("account").unwrap_or_else(|| panic!("account {code} exists"));
        (id, ledger::balance(&tx, id).expect("balance").centavos())
    };
    let mut floats: Vec<(i64, i64)> =
        PROVIDER_SHARES.iter().map(|(code, _)| account(AccountCode::ProviderFloat(code.to_string()))).collect();
    let (income, _) = account(AccountCode::Income(Income::ClientCommission));
    let mut drawers: Vec<(i64, i64)> = sessions.iter().map(|(id, _)| account(AccountCode::Drawer(*id))).collect();
    const DRAWER_CAP: i64 = 3_000_000; // Bs 30.000: above it the next operation is a RETIRO.
    const DAY_MS: i64 = 24 * 3600 * 1000;
    const OPEN_MS: i64 = 12 * 3600 * 1000; // 08:00 to 20:00 store time
    let n = scale.agent_transactions;
    let mut per_day = vec![vec![0_i64; AGENT_DAYS as usize]; PROVIDER_SHARES.len()];
    // Seeded: every run seeds the same data.
    let mut rng = StdRng::seed_from_u64(0x4167_656E_7465_5342);
    // The rows go in through the store's own functions, as the core writes them.
    let mut next_id = store::agents::next_id(&tx).expect("next id");
    for i in 0..n {
        // Evenly spread over each day's opening hours, in id order as the core writes them.
        let day = i * AGENT_DAYS / n;
        let at_ms = day * DAY_MS + (i * AGENT_DAYS - day * n) * OPEN_MS / n;
        let at = stamp(start + chrono::Duration::milliseconds(at_ms));
        let mut share = rng.gen_range(0..10);
        let p = PROVIDER_SHARES
            .iter()
            .position(|(_, tenths)| share < *tenths || {
                share -= tenths;
                false
            })
            .expect("shares add up to ten tenths");
        let code = PROVIDER_SHARES[p].0;
        let k = rng.gen_range(0..sessions.len());
        let (session_id, operator_id) = sessions[k];
        let monto = rng.gen_range(10..=20_000_i64) * 10; // Bs 1,00 to Bs 2.000,00
        let comision = if rng.gen_range(0..5) == 0 { 0 } else { rng.gen_range(1..=10_i64) * 100 }; // Bs 1 to 10
        let (drawer, cash) = &mut drawers[k];
        let (float, e_money) = &mut floats[p];
        // The commission comes in first, so a RETIRO may pay out of it.
        let in_drawer = *cash + comision;
        let retiro = if in_drawer > DRAWER_CAP || *e_money < monto {
            true
        } else if in_drawer < monto {
            false
        } else {
            rng.gen_range(0..10) < 4
        };
        let covered = if retiro { in_drawer >= monto } else { *e_money >= monto };
        assert!(covered, "the seed ran a drawer and a float dry");
        let tipo = if retiro {
            TipoOperacion::Retiro
        } else if rng.gen_range(0..4) == 0 {
            TipoOperacion::TransferenciaQr
        } else {
            TipoOperacion::Deposito
        };
        // Twelve digits, all different: i + 1 times a number prime to 10, modulo 10^12.
        let referencia = format!("{:012}", ((i as u64 + 1) * 7_919_000_007) % 1_000_000_000_000);
        let id = next_id;
        next_id += 1;
        let row = store::agents::AgentRow {
            id,
            provider: code,
            tipo,
            amount: Money::from_centavos(monto),
            client_commission: Money::from_centavos(comision),
            reference: &referencia,
            voucher: None,
            session_id,
            operator_id,
            customer_account: None,
        };
        store::agents::insert(&tx, &row, &at).expect("insert agent transaction");
        let operation = OperationKey::Agent(id);
        let commission = ledger::Transfer {
            from: income,
            to: *drawer,
            amount: Money::from_centavos(comision),
            kind: TransferKind::ClientCommission,
            session_id: Some(session_id),
            operator_id,
            operation: Some(&operation),
        };
        if comision > 0 {
            ledger::post(&tx, commission, &at).expect("insert commission transfer");
        }
        let (from, to) = if retiro { (*drawer, *float) } else { (*float, *drawer) };
        let amount = ledger::Transfer { from, to, amount: Money::from_centavos(monto), kind: tipo.into(), ..commission };
        ledger::post(&tx, amount, &at).expect("insert transfer");
        *cash = if retiro { in_drawer - monto } else { in_drawer + monto };
        *e_money += if retiro { monto } else { -monto };
        let detail = serde_json::json!({ "banco": code, "tipo": tipo, "monto": Money::from_centavos(monto) });
        store::records::audit(&tx, Some(operator_id), "create_agent_transaction", "agent_transaction", Some(id), detail, &at)
            .expect("insert audit");
        per_day[p][day as usize] += 1;
    }
    tx.commit().expect("commit seeding");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    drop(conn);
    let bulk_time = bulk_started.elapsed();

    // Close every session through the core, counting exactly what the drawer holds.
    // The clock jumps by hours with the administrator logged in: no idle logout here.
    app.connection().execute("UPDATE settings SET value = '0' WHERE key = 'idle_logout_minutes'", []).expect("no idle logout");
    clock.advance(chrono::Duration::days(AGENT_DAYS));
    close_counted(&mut app, &sessions);

    let check_started = Instant::now();
    let db = app.connection();
    let count_rows = |table: &str| -> i64 {
        db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).expect("count")
    };
    let rows = count_rows("agent_transactions");
    assert_eq!(rows, n, "seeded agent transactions");
    let transfers = count_rows("transfers");
    let audit_rows = count_rows("audit_log");
    let mismatched = ledger::mismatched_accounts(db).expect("ledger check");
    assert!(mismatched.is_empty(), "cached balances differ from the transfers: {mismatched:?}");
    let negative: i64 = db
        .query_row("SELECT COUNT(*) FROM accounts WHERE may_go_negative = 0 AND balance < 0", [], |r| r.get(0))
        .expect("negative balances");
    assert_eq!(negative, 0);
    let db_bytes: i64 = db
        .query_row("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", [], |r| r.get(0))
        .expect("size");
    let check_time = check_started.elapsed();

    AgentsSeeded {
        app,
        rows,
        transfers,
        audit_rows,
        sessions: sessions.len(),
        db_bytes,
        first_day,
        per_day,
        seed_time: started.elapsed(),
        bulk_time,
        check_time,
    }
}

/// The list's filter: `AGENT_PROVIDER` on the store dates `desde..=hasta`, one page.
fn agent_filter(desde: NaiveDate, hasta: NaiveDate, page: i64) -> AgentFilter {
    AgentFilter {
        banco: Some(AGENT_PROVIDER.into()),
        desde: Some(desde.format("%Y-%m-%d").to_string()),
        hasta: Some(hasta.format("%Y-%m-%d").to_string()),
        page: Some(page),
        size: Some(LIST_PAGE_SIZE),
        ..AgentFilter::default()
    }
}

/// A provider, a date range and its middle page.
#[derive(Debug, Clone, Copy)]
struct ListCase {
    desde: NaiveDate,
    hasta: NaiveDate,
    page: i64,
    pages: i64,
    total: i64,
}

impl ListCase {
    fn describe(&self) -> String {
        format!(
            "{AGENT_PROVIDER}, {} a {}, página {} de {}, {LIST_PAGE_SIZE} por página, total {}",
            self.desde, self.hasta, self.page, self.pages, self.total
        )
    }
}

/// The middle page of `desde..=hasta`, after checking the core's total and that page's
/// rows against what was seeded.
fn middle_page(seeded: &AgentsSeeded, desde: NaiveDate, hasta: NaiveDate) -> ListCase {
    let app = &seeded.app;
    let first = app.list_agent_transactions(agent_filter(desde, hasta, 1)).expect("list agent transactions");
    assert_eq!(first.total, seeded.expected(AGENT_PROVIDER, desde, hasta), "the core's total counts every seeded row");
    let pages = ((first.total + LIST_PAGE_SIZE - 1) / LIST_PAGE_SIZE).max(1);
    let page = (pages + 1) / 2;
    let listed = app.list_agent_transactions(agent_filter(desde, hasta, page)).expect("list agent transactions");
    assert_eq!(listed.items.len() as i64, LIST_PAGE_SIZE.min(first.total - (page - 1) * LIST_PAGE_SIZE));
    let (from, until) = (start_of_local_day(desde), start_of_local_day(hasta + chrono::Duration::days(1)));
    assert!(listed.items.iter().all(|t| t.banco == AGENT_PROVIDER && t.fecha >= from && t.fecha < until));
    assert!(listed.items.windows(2).all(|w| (&w[0].fecha, w[0].id) > (&w[1].fecha, w[1].id)), "newest first");
    ListCase { desde, hasta, page, pages, total: first.total }
}

struct ListFindings {
    rounds: usize,
    first_page: Measured,
    middle_page: Measured,
    last_page: Measured,
    /// The middle and last pages asked for after the previous page's last row (keyset).
    middle_after: Measured,
    last_after: Measured,
    week: ListCase,
    week_middle: Measured,
    /// The core's statements for this filter (whitespace collapsed) and their plans.
    plans: Vec<(String, Vec<String>)>,
}

/// Run after Criterion on the same database, in interleaved rounds so that load from
/// elsewhere weighs on all alike: the first, middle and last pages of the same range
/// (the first is the COUNT(*) of the total and 50 rows; the others add the OFFSET rows
/// skipped) and the middle page of one week; then the plans of the core's own statements.
fn list_findings(seeded: &AgentsSeeded, case: ListCase, rounds: usize) -> ListFindings {
    let list = |desde, hasta, page| {
        sample(|| {
            let filter = agent_filter(desde, hasta, page);
            black_box(seeded.app.list_agent_transactions(filter).expect("list agent transactions"));
        })
    };
    // A page after the previous page's last row, checked against the same page by number.
    let after_previous = |page: i64| {
        let previous = seeded.app.list_agent_transactions(agent_filter(case.desde, case.hasta, page - 1)).expect("previous page");
        let filter = AgentFilter { despues_de: previous.items.last().map(|t| t.id), ..agent_filter(case.desde, case.hasta, page) };
        let numbered = seeded.app.list_agent_transactions(agent_filter(case.desde, case.hasta, page)).expect("page by number");
        assert_eq!(seeded.app.list_agent_transactions(filter.clone()).expect("page after a row"), numbered, "keyset page {page}");
        filter
    };
    let (middle_filter, last_filter) = (after_previous(case.page.max(2)), after_previous(case.pages.max(2)));
    let list_after = |filter: &AgentFilter| {
        sample(|| {
            black_box(seeded.app.list_agent_transactions(filter.clone()).expect("list agent transactions"));
        })
    };
    let week = middle_page(seeded, seeded.day(28), seeded.day(34));
    let mut times: [Vec<Sample>; 6] = Default::default();
    for _ in 0..rounds {
        times[0].push(list(case.desde, case.hasta, 1));
        times[1].push(list(case.desde, case.hasta, case.page));
        times[2].push(list(case.desde, case.hasta, case.pages));
        times[3].push(list(week.desde, week.hasta, week.page));
        times[4].push(list_after(&middle_filter));
        times[5].push(list_after(&last_filter));
    }
    let [first_page, middle_page, last_page, week_middle, middle_after, last_after] =
        times.map(|t| measured(t).expect("rounds"));

    list(case.desde, case.hasta, case.page);
    let conn = seeded.app.connection();
    let plans = cached_statements(conn, &["FROM agent_transactions WHERE", "fecha >= ?"])
        .into_iter()
        .map(|sql| {
            let plan = query_plan(conn, &sql);
            (sql.split_whitespace().collect::<Vec<_>>().join(" "), plan)
        })
        .collect();
    ListFindings { rounds, first_page, middle_page, last_page, middle_after, last_after, week, week_middle, plans }
}

/// The SQL of the statements prepared on `conn` (the core keeps its queries prepared in
/// rusqlite's statement cache) whose text contains every one of `needles`.
fn cached_statements(conn: &Connection, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    // SAFETY: the handle is this connection's, used on this thread while no statement is
    // prepared or finalized; each statement's SQL text is copied while it is alive.
    unsafe {
        let db = conn.handle();
        let mut stmt = rusqlite::ffi::sqlite3_next_stmt(db, std::ptr::null_mut());
        while !stmt.is_null() {
            let sql = rusqlite::ffi::sqlite3_sql(stmt);
            if !sql.is_null() {
                let text = std::ffi::CStr::from_ptr(sql).to_string_lossy().into_owned();
                if needles.iter().all(|needle| text.contains(needle)) {
                    found.push(text);
                }
            }
            stmt = rusqlite::ffi::sqlite3_next_stmt(db, stmt);
        }
    }
    found.sort();
    found.dedup();
    found
}

/// SQLite's plan for `sql`, one line per step, indented under its parent. The parameters
/// stay unbound: with no statistics tables (the store never runs ANALYZE) the plan does
/// not depend on their values.
fn query_plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("explain query plan");
    let nulls = vec![rusqlite::types::Value::Null; stmt.parameter_count()];
    let steps = stmt
        .query_map(rusqlite::params_from_iter(nulls), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(3)?))
        })
        .expect("plan")
        .collect::<Result<Vec<_>, _>>()
        .expect("plan steps");
    let mut depth = std::collections::HashMap::new();
    steps
        .into_iter()
        .map(|(id, parent, detail)| {
            let d = depth.get(&parent).map_or(0, |d| d + 1);
            depth.insert(id, d);
            format!("{}{detail}", "  ".repeat(d))
        })
        .collect()
}

/// The summary lines of a durable write through the core against the bare INSERT + COMMIT.
fn print_write_comparison(
    label: &str,
    core: &Measured,
    bare: Option<&Measured>,
    findings: Option<&WriteFindings>,
    goal: f64,
    verdict: &dyn Fn(bool) -> &'static str,
) {
    println!("{label:<34}{}", describe(core));
    match bare {
        Some(bare) => {
            let ratio = core.wall.median.as_secs_f64() / bare.wall.median.as_secs_f64();
            let mean_ratio = core.wall.mean.as_secs_f64() / bare.wall.mean.as_secs_f64();
            println!("{:<34}{}", "INSERT + COMMIT (rusqlite):", describe(bare));
            println!("razón de medianas:                {ratio:.2}x  (meta <= {goal}x: {})", verdict(ratio <= goal));
            println!("  razón de medias:                {mean_ratio:.2}x  (incluye los checkpoints del WAL)");
            let extra_cpu = match (core.cpu, bare.cpu) {
                (Some(core), Some(bare)) => format!(" (CPU {})", us(core.saturating_sub(bare))),
                _ => String::new(),
            };
            println!(
                "  costo extra del núcleo:         {} por operación{extra_cpu}; la razón depende de lo que tarde el fsync",
                us(core.wall.median.saturating_sub(bare.wall.median)),
            );
        }
        None => println!("  INSERT + COMMIT: no se midió con Criterion (filtrado); ver el control intercalado"),
    }
    if let Some(f) = findings {
        println!(
            "  control intercalado ({INTERLEAVED_PAIRS} pares): núcleo {} / INSERT {} = {:.2}x",
            ms(f.interleaved_core),
            ms(f.interleaved_bare),
            f.interleaved_core.as_secs_f64() / f.interleaved_bare.as_secs_f64()
        );
        println!("  páginas WAL por commit:         núcleo {:.1} / INSERT {:.1}", f.wal_pages_core, f.wal_pages_bare);
        println!(
            "  sin fsync (synchronous=OFF):    núcleo {} / INSERT {}  (diferencia {})",
            us(f.no_sync_core),
            us(f.no_sync_bare),
            us(f.no_sync_core.saturating_sub(f.no_sync_bare))
        );
    }
}

// ---------------------------------------------------------------------------------------

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let measuring = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let scale = if measuring { FULL_SCALE } else { TEST_SCALE };
    let run_started = Instant::now();

    let root = tempfile::Builder::new()
        .prefix("mostrador-bench-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temporary folder under the target directory");
    let fs = filesystem_of(root.path());

    let mut criterion = Criterion::default().configure_from_args();

    let bare_state: RefCell<Option<BareInserts>> = RefCell::new(None);
    let core_state: RefCell<Option<CoreMovements>> = RefCell::new(None);
    let mut bare_times = Timings::default();
    let mut core_times = Timings::default();
    {
        let mut group = criterion.benchmark_group("movimiento_de_caja");
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(MOVEMENT_SAMPLES)
            .warm_up_time(Duration::from_secs(2))
            .measurement_time(Duration::from_secs(8));
        group.bench_function("insert_commit_rusqlite", |b| {
            let mut state = bare_state.borrow_mut();
            let bare = state.get_or_insert_with(|| BareInserts::new(&root.path().join("bare.db")));
            b.iter_custom(|iters| bare_times.run(iters, || bare.op()));
        });
        group.bench_function("core_record_cash_movement", |b| {
            let mut state = core_state.borrow_mut();
            let core = state.get_or_insert_with(|| CoreMovements::new(&root.path().join("movimientos.db")));
            b.iter_custom(|iters| core_times.run(iters, || core.op()));
        });
        group.finish();
    }
    let findings = match (core_state.borrow_mut().as_mut(), bare_state.borrow_mut().as_mut()) {
        (Some(core), Some(bare)) if measuring => Some(write_findings(core, bare)),
        _ => None,
    };

    let agent_state: RefCell<Option<CoreAgents>> = RefCell::new(None);
    let mut agent_times = Timings::default();
    {
        let mut group = criterion.benchmark_group("operacion_de_agente");
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(AGENT_SAMPLES)
            .warm_up_time(Duration::from_secs(2))
            .measurement_time(Duration::from_secs(8));
        group.bench_function("core_create_agent_transaction", |b| {
            let mut state = agent_state.borrow_mut();
            let core = state.get_or_insert_with(|| CoreAgents::new(&root.path().join("agente.db")));
            b.iter_custom(|iters| agent_times.run(iters, || core.op()));
        });
        group.finish();
    }
    // Against the bare INSERT + COMMIT of the cash-movement group, or, if that group was
    // filtered out, a new one taken past its first WAL checkpoint as a warm-up would.
    let agent_findings = match agent_state.borrow_mut().as_mut() {
        Some(core) if measuring => {
            let mut bare = bare_state.borrow_mut();
            let bare = bare.get_or_insert_with(|| {
                let mut bare = BareInserts::new(&root.path().join("bare.db"));
                (0..1500).for_each(|_| bare.op());
                bare
            });
            Some(write_findings(core, bare))
        }
        _ => None,
    };

    // The same rows with plain SQL, against the same bare INSERT, interleaved likewise.
    let schema_findings = match &agent_findings {
        Some(_) => {
            let mut schema = SchemaWrites::new(&root.path().join("esquema.db"));
            (0..1500).for_each(|_| schema.op());
            let mut bare = bare_state.borrow_mut();
            bare.as_mut().map(|bare| write_findings(&mut schema, bare))
        }
        None => None,
    };

    let seeded: RefCell<Option<Seeded>> = RefCell::new(None);
    let mut report_times = Timings::default();
    {
        let mut group = criterion.benchmark_group("reporte_z");
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(REPORT_SAMPLES)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        let id = format!(
            "session_report_{}_ops_{}_transferencias",
            count(scale.target_ops),
            count(scale.total_transfers)
        );
        group.bench_function(id, |b| {
            let mut state = seeded.borrow_mut();
            let seeded = state.get_or_insert_with(|| {
                println!("\nsembrando la base del reporte Z ({} transferencias)...", scale.total_transfers);
                let seeded = seed(root.path(), scale);
                println!("sembrada en {:.1} s", seeded.seed_time.as_secs_f64());
                let report = seeded.app.session_report(seeded.target_session).expect("Z report");
                assert_eq!(report.kind, ReportKind::Z);
                let ops: i64 = report.movements.iter().map(|m| m.count).sum();
                assert_eq!(ops, seeded.target_ops, "the report counts every operation of the session");
                seeded
            });
            let (app, session) = (&seeded.app, seeded.target_session);
            b.iter_custom(|iters| {
                report_times.run(iters, || {
                    black_box(app.session_report(session).expect("Z report"));
                })
            });
        });
        group.finish();
    }

    let agents: RefCell<Option<(AgentsSeeded, ListCase)>> = RefCell::new(None);
    let mut list_times = Timings::default();
    {
        let mut group = criterion.benchmark_group("listado_de_agentes");
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(LIST_SAMPLES)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        let id = format!("list_agent_transactions_pagina_media_{}_transacciones", count(scale.agent_transactions));
        group.bench_function(id, |b| {
            let mut state = agents.borrow_mut();
            let (seeded, case) = state.get_or_insert_with(|| {
                println!("\nsembrando la base de agentes ({} transacciones)...", scale.agent_transactions);
                let seeded = seed_agents(root.path(), scale);
                println!("sembrada en {:.1} s", seeded.seed_time.as_secs_f64());
                // A 30-day range in the middle of the 60 days, and its middle page.
                let case = middle_page(&seeded, seeded.day(15), seeded.day(44));
                (seeded, case)
            });
            let (app, filter) = (&seeded.app, agent_filter(case.desde, case.hasta, case.page));
            b.iter_custom(|iters| {
                list_times.run(iters, || {
                    black_box(app.list_agent_transactions(filter.clone()).expect("list agent transactions"));
                })
            });
        });
        group.finish();
    }
    let list_extra = agents
        .borrow()
        .as_ref()
        .map(|(seeded, case)| list_findings(seeded, *case, if measuring { 41 } else { 1 }));

    criterion.final_summary();

    // -----------------------------------------------------------------------------------
    println!();
    println!("==================== resumen: núcleo de Mostrador ====================");
    if !measuring {
        println!("(modo prueba: cada rutina corrió una vez sobre una base pequeña; no son mediciones)");
    }
    match &fs {
        Some((device, fs_type)) => println!("archivos temporales: {} ({fs_type} en {device})", root.path().display()),
        None => println!("archivos temporales: {} (sistema de archivos desconocido)", root.path().display()),
    }
    if matches!(&fs, Some((_, t)) if t == "tmpfs" || t == "ramfs") {
        println!("AVISO: la carpeta temporal está en memoria; fsync no cuesta nada y la comparación no vale");
    }
    println!("SQLite {}", rusqlite::version());
    let verdict = |met: bool| match (measuring, met) {
        (false, _) => "sin veredicto en modo prueba",
        (true, true) => "OK",
        (true, false) => "NO CUMPLE",
    };

    let bare = measured(bare_times.measured(MOVEMENT_SAMPLES));
    let core = measured(core_times.measured(MOVEMENT_SAMPLES));
    match &core {
        Some(core) => print_write_comparison(
            "movimiento de caja (núcleo):",
            core,
            bare.as_ref(),
            findings.as_ref(),
            MOVEMENT_GOAL_RATIO,
            &verdict,
        ),
        None => println!("movimiento de caja: no se midió (filtrado)"),
    }
    let agent = measured(agent_times.measured(AGENT_SAMPLES));
    match &agent {
        Some(agent) => print_write_comparison(
            "operación de agente (núcleo):",
            agent,
            bare.as_ref(),
            agent_findings.as_ref(),
            AGENT_GOAL_RATIO,
            &verdict,
        ),
        None => println!("operación de agente: no se midió (filtrado)"),
    }
    if let Some(f) = &schema_findings {
        println!("  las mismas filas en SQL directo (sin validar, sin leer, sin devolver el registro):");
        println!(
            "    control intercalado ({INTERLEAVED_PAIRS} pares): SQL directo {} / INSERT {} = {:.2}x",
            ms(f.interleaved_core),
            ms(f.interleaved_bare),
            f.interleaved_core.as_secs_f64() / f.interleaved_bare.as_secs_f64()
        );
        println!("    páginas WAL por commit: {:.1}; sin fsync: {}", f.wal_pages_core, us(f.no_sync_core));
        println!("    (lo que el esquema escribe por operación, aunque el núcleo no hiciera nada más)");
    }

    let report = measured(report_times.measured(REPORT_SAMPLES));
    match (&report, seeded.borrow().as_ref()) {
        (Some(report), Some(seeded)) => {
            println!(
                "reporte Z ({} ops / {} transf.): {}",
                count(seeded.target_ops),
                count(seeded.transfers),
                describe(report)
            );
            println!(
                "  meta < {} ms: {}",
                REPORT_GOAL.as_millis(),
                verdict(report.wall.median < REPORT_GOAL)
            );
            println!(
                "  base: {} transferencias, {} movimientos de caja, {:.0} MiB; sembrada en {:.1} s \
                 (filas en bloque {:.1} s, verificación {:.1} s)",
                seeded.transfers,
                seeded.cash_movements,
                seeded.db_bytes as f64 / (1024.0 * 1024.0),
                seeded.seed_time.as_secs_f64(),
                seeded.bulk_time.as_secs_f64(),
                seeded.check_time.as_secs_f64()
            );
        }
        _ => println!("reporte Z: no se midió (filtrado)"),
    }

    let list = measured(list_times.measured(LIST_SAMPLES));
    match (&list, agents.borrow().as_ref(), &list_extra) {
        (Some(list), Some((seeded, case)), Some(extra)) => {
            println!("listado de agentes ({}; {} transacciones):", case.describe(), count(seeded.rows));
            println!("                                  {}", describe(list));
            println!("  meta < {} ms: {}", LIST_GOAL.as_millis(), verdict(list.wall.median < LIST_GOAL));
            // Wall time and CPU time, medians of the interleaved rounds.
            let both = |m: &Measured| match m.cpu {
                Some(cpu) => format!("{} (CPU {})", ms(m.wall.median), ms(cpu)),
                None => ms(m.wall.median),
            };
            let cpu = |m: &Measured| m.cpu.unwrap_or(m.wall.median).as_secs_f64();
            println!("  en {} rondas intercaladas, medianas (pared y CPU) de la misma consulta:", extra.rounds);
            println!(
                "    página 1:                     {}  (el total y 50 filas)",
                both(&extra.first_page)
            );
            println!(
                "    página media:                 {}  (además salta {} filas con OFFSET)",
                both(&extra.middle_page),
                (case.page - 1) * LIST_PAGE_SIZE
            );
            println!(
                "    última página:                {}  (además salta {} filas con OFFSET)",
                both(&extra.last_page),
                (case.pages - 1) * LIST_PAGE_SIZE
            );
            println!(
                "    página media tras la anterior: {}  (despues_de = última fila de la anterior: sin OFFSET)",
                both(&extra.middle_after)
            );
            println!("    última página tras la anterior: {}", both(&extra.last_after));
            let skipped = ((case.pages - 1) * LIST_PAGE_SIZE).max(1) as f64;
            println!(
                "    por fila saltada con OFFSET (CPU): {:.0} ns",
                (cpu(&extra.last_page) - cpu(&extra.first_page)).max(0.0) * 1e9 / skipped
            );
            println!("  una semana ({}): {}", extra.week.describe(), both(&extra.week_middle));
            println!("  plan de las consultas del núcleo (EXPLAIN QUERY PLAN):");
            for (sql, plan) in &extra.plans {
                println!("    {sql}");
                for step in plan {
                    println!("      {step}");
                }
            }
            println!(
                "  base: {} transacciones de agente en {AGENT_DAYS} días y {} proveedores, {} transferencias, \
                 {} filas de bitácora, {} sesiones; {:.0} MiB; sembrada en {:.1} s (filas en bloque {:.1} s, \
                 verificación {:.1} s)",
                seeded.rows,
                PROVIDER_SHARES.len(),
                seeded.transfers,
                seeded.audit_rows,
                seeded.sessions,
                seeded.db_bytes as f64 / (1024.0 * 1024.0),
                seeded.seed_time.as_secs_f64(),
                seeded.bulk_time.as_secs_f64(),
                seeded.check_time.as_secs_f64()
            );
        }
        _ => println!("listado de agentes: no se midió (filtrado)"),
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        println!(
            "carga del sistema al terminar: {} (con {} núcleos)",
            load.join(" "),
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
    }
    println!("duración total: {:.1} s", run_started.elapsed().as_secs_f64());
    println!("=======================================================================");

    // The seeded database lives only for this run.
    drop(seeded);
    drop(agents);
    drop(agent_state);
    drop(core_state);
    drop(bare_state);
    drop(root);
}
