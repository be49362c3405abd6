//! Random sequences of session work across registers and operators, checked after every
//! step against a model kept by the test and against the ledger's own invariants: every
//! cached balance is the sum of its transfers, no drawer or vault is negative, the whole
//! ledger sums to zero, and a refused step changes nothing.

mod common;

use std::collections::BTreeMap;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use ErrorCode::*;
use Who::*;

#[derive(Debug, Clone)]
enum Float {
    /// What the vault holds: no adjustment.
    SameAsVault,
    /// Any declared float, in centavos: an adjustment when it differs from the vault.
    Declared(i64),
}

#[derive(Debug, Clone, Copy)]
enum Auth {
    None,
    Admin,
    /// The cashier's own name and PIN, which may not authorize.
    Cashier,
}

/// Who acts on a register's session, relative to whoever opened it.
#[derive(Debug, Clone, Copy)]
enum Actor {
    Owner,
    Admin,
    /// A cashier who did not open the session: always refused.
    OtherCashier,
}

impl Actor {
    fn resolve(self, owner: Who) -> Who {
        match self {
            Actor::Owner => owner,
            Actor::Admin => Admin,
            Actor::OtherCashier if owner == Cashier => Cashier2,
            Actor::OtherCashier => Cashier,
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Open { who: Who, register: usize, float: Float },
    Move { actor: Actor, register: usize, ingreso: bool, reason: usize, amount: i64, past_balance: bool },
    Close { actor: Actor, register: usize, delta: i64, pieces: Vec<(usize, i64)>, auth: Auth },
    Threshold(i64),
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![1 => Just(Admin), 3 => Just(Cashier), 3 => Just(Cashier2)]
}

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![6 => Just(Actor::Owner), 1 => Just(Actor::Admin), 1 => Just(Actor::OtherCashier)]
}

fn op() -> impl Strategy<Value = Op> {
    let float = prop_oneof![1 => Just(Float::SameAsVault), 1 => (0i64..=300_000).prop_map(Float::Declared)];
    let delta = prop_oneof![2 => Just(0i64), 3 => -2_000i64..=2_000, 3 => -60_000i64..=60_000];
    let auth = prop_oneof![3 => Just(Auth::None), 2 => Just(Auth::Admin), 1 => Just(Auth::Cashier)];
    prop_oneof![
        4 => (who(), 0usize..3, float).prop_map(|(who, register, float)| Op::Open { who, register, float }),
        6 => (actor(), 0usize..3, any::<bool>(), 0usize..8, 1i64..=100_000, prop::bool::weighted(0.2)).prop_map(
            |(actor, register, ingreso, reason, amount, past_balance)| Op::Move { actor, register, ingreso, reason, amount, past_balance }
        ),
        3 => (actor(), 0usize..3, delta, prop::collection::vec((0usize..11, 0i64..6), 0..5), auth)
            .prop_map(|(actor, register, delta, pieces, auth)| Op::Close { actor, register, delta, pieces, auth }),
        1 => (0i64..=5_000).prop_map(Op::Threshold),
    ]
}

struct OpenSession {
    id: i64,
    owner: Who,
    drawer: i64,
}

/// What the test expects the store to hold.
struct Model {
    registers: Vec<i64>,
    vault: Vec<i64>,
    open: Vec<Option<OpenSession>>,
    /// The last closed session of each register.
    last_closed: Vec<Option<(i64, Who)>>,
    closed: Vec<i64>,
    threshold: i64,
}

impl Model {
    fn busy(&self, who: Who) -> bool {
        self.open.iter().flatten().any(|s| s.owner == who)
    }

    /// The register a movement or a close acts on: one with an open session when there is
    /// any (`choice` picks which), else whichever `choice` names, open or not.
    fn target(&self, choice: usize) -> usize {
        let open: Vec<usize> = (0..self.registers.len()).filter(|&r| self.open[r].is_some()).collect();
        if open.is_empty() {
            choice % self.registers.len()
        } else {
            open[choice % open.len()]
        }
    }
}

/// `fx.app` is the administrator; the cashiers work on their own handles.
fn app(fx: &mut Fixture, who: Who) -> &mut Mostrador {
    match who {
        Admin => &mut fx.app,
        other => fx.as_(other),
    }
}

/// A count of exactly `target` centavos: some pieces picked at random (as far as they fit),
/// the rest largest first, each denomination once, some lines with zero pieces.
fn counts(target: i64, pieces: &[(usize, i64)]) -> Vec<DenominationCount> {
    let mut quantity = [0i64; 11];
    let mut listed = [false; 11];
    let mut rest = target;
    for &(d, q) in pieces {
        let value = Denomination::ALL[d].value().centavos();
        let take = q.min(rest / value);
        quantity[d] += take;
        listed[d] = true;
        rest -= take * value;
    }
    for (d, denomination) in Denomination::ALL.iter().enumerate() {
        let value = denomination.value().centavos();
        if rest >= value {
            quantity[d] += rest / value;
            listed[d] = true;
            rest %= value;
        }
    }
    assert_eq!(rest, 0);
    // Listed smallest first: the order of the lines does not matter.
    (0..11).rev().filter(|&d| listed[d]).map(|d| count(Denomination::ALL[d].as_str(), quantity[d])).collect()
}

fn reason_of(ingreso: bool, index: usize) -> MovementReason {
    let of_kind: Vec<_> = MovementReason::ALL
        .iter()
        .copied()
        .filter(|r| (r.kind() == MovementKind::Ingreso) == ingreso)
        .collect();
    of_kind[index % of_kind.len()]
}

fn check_refusal<T: std::fmt::Debug>(
    result: CoreResult<T>,
    code: ErrorCode,
    before: &Snapshot,
    fx: &Fixture,
    step: &str,
) -> Result<String, TestCaseError> {
    match result {
        Ok(value) => Err(TestCaseError::fail(format!("{step}: expected {code:?}, got {value:?}"))),
        Err(err) => {
            prop_assert_eq!(err.code, code, "{}: {:?}", step, err);
            if let Some(diff) = before.difference(&fx.snapshot()) {
                return Err(TestCaseError::fail(format!("{step}: a refused step wrote: {diff}")));
            }
            Ok(format!("{code:?}"))
        }
    }
}

/// Runs one step, checks its outcome against the model and says which path it took.
fn step(fx: &mut Fixture, model: &mut Model, op: &Op, n: usize) -> Result<String, TestCaseError> {
    let step = format!("step {n}: {op:?}");
    let before = fx.snapshot();
    let registers = model.registers.len();
    match op.clone() {
        Op::Open { who, register, float } => {
            let r = register % registers;
            let float = match float {
                Float::SameAsVault => model.vault[r],
                Float::Declared(centavos) => centavos,
            };
            let result = app(fx, who).open_session(open(model.registers[r], &text(float)));
            if model.open[r].is_some() {
                return check_refusal(result, SesionYaAbierta, &before, fx, &step);
            }
            if model.busy(who) {
                return check_refusal(result, OperadorConSesionAbierta, &before, fx, &step);
            }
            let session = result.map_err(|e| TestCaseError::fail(format!("{step}: {e:?}")))?;
            prop_assert_eq!(session.opening_float.centavos(), float, "{}", step);
            let adjustment = float - model.vault[r];
            prop_assert_eq!(session.opening_adjustment.centavos(), adjustment, "{}", step);
            prop_assert_eq!(session.operator_id, fx.operator(who).unwrap().id, "{}", step);
            model.vault[r] = 0;
            model.open[r] = Some(OpenSession { id: session.id, owner: who, drawer: float });
            Ok(if adjustment == 0 { "open".into() } else { "open with adjustment".into() })
        }
        Op::Move { actor, register, ingreso, reason, amount, past_balance } => {
            let r = model.target(register);
            let reason = reason_of(ingreso, reason);
            let (session, owner, drawer) = match (&model.open[r], model.last_closed[r]) {
                (Some(s), _) => (s.id, s.owner, Some(s.drawer)),
                (None, Some((id, owner))) => (id, owner, None),
                (None, None) => return Ok("no session".into()),
            };
            let who = actor.resolve(owner);
            // An egreso either fits in the drawer or, when asked, goes past it.
            let amount = match drawer {
                Some(balance) if !ingreso && past_balance => balance + 1 + amount % 1_000,
                Some(balance) if !ingreso && balance > 0 => 1 + amount % balance,
                _ => amount,
            };
            let input = movement(session, reason.kind().as_str(), reason.as_str(), &text(amount));
            let result = app(fx, who).record_cash_movement(input);
            if who != Admin && who != owner {
                return check_refusal(result, PermisoDenegado, &before, fx, &step);
            }
            let Some(balance) = drawer else {
                return check_refusal(result, SesionCerrada, &before, fx, &step);
            };
            if !ingreso && amount > balance {
                return check_refusal(result, FondosInsuficientes, &before, fx, &step);
            }
            let m = result.map_err(|e| TestCaseError::fail(format!("{step}: {e:?}")))?;
            prop_assert_eq!((m.amount.centavos(), m.reason), (amount, reason), "{}", step);
            let open = model.open[r].as_mut().unwrap();
            open.drawer += if ingreso { amount } else { -amount };
            Ok(format!("{:?}", reason.kind()))
        }
        Op::Close { actor, register, delta, pieces, auth } => {
            let r = model.target(register);
            let (session, owner, expected) = match (&model.open[r], model.last_closed[r]) {
                (Some(s), _) => (s.id, s.owner, Some(s.drawer)),
                (None, Some((id, owner))) => (id, owner, None),
                (None, None) => return Ok("no session".into()),
            };
            let who = actor.resolve(owner);
            let target = (expected.unwrap_or(0) + delta).max(0);
            let counted = target - target % 10;
            let authorization = match auth {
                Auth::None => None,
                Auth::Admin => Some(creds(ADMIN_NAME, ADMIN_PIN)),
                Auth::Cashier => Some(creds(CASHIER_NAME, CASHIER_PIN)),
            };
            let input = CloseSessionInput { authorization, ..close(session, counts(counted, &pieces)) };
            let result = app(fx, who).close_session(input);
            if who != Admin && who != owner {
                return check_refusal(result, PermisoDenegado, &before, fx, &step);
            }
            let Some(expected) = expected else {
                return check_refusal(result, SesionCerrada, &before, fx, &step);
            };
            let difference = counted - expected;
            let needs_admin = difference.abs() > model.threshold;
            match (needs_admin, auth) {
                (true, Auth::None) => return check_refusal(result, AutorizacionRequerida, &before, fx, &step),
                (true, Auth::Cashier) => return check_refusal(result, PermisoDenegado, &before, fx, &step),
                _ => {}
            }
            let outcome = result.map_err(|e| TestCaseError::fail(format!("{step}: {e:?}")))?;
            prop_assert_eq!(outcome.counted.centavos(), counted, "{}", step);
            prop_assert_eq!(outcome.expected.centavos(), expected, "{}", step);
            prop_assert_eq!(outcome.difference.centavos(), counted - expected, "{}: difference = counted - expected", step);
            let result = match difference {
                0 => CloseResult::Cuadrado,
                d if d > 0 => CloseResult::Sobrante,
                _ => CloseResult::Faltante,
            };
            prop_assert_eq!(outcome.result, result, "{}", step);
            prop_assert_eq!(outcome.authorized_by.is_some(), needs_admin, "{}", step);
            prop_assert_eq!(outcome.session.status, SessionStatus::Cerrada, "{}", step);
            prop_assert_eq!(fx.drawer(session), 0, "{}: the drawer is empty after the close", step);
            model.vault[r] = counted;
            model.open[r] = None;
            model.last_closed[r] = Some((session, owner));
            model.closed.push(session);
            Ok(if needs_admin { "authorized close".into() } else { "close".into() })
        }
        Op::Threshold(centavos) => {
            let settings = fx.app.update_settings(SettingsInput { close_difference_threshold: text(centavos), ..Default::default() }).unwrap();
            prop_assert_eq!(settings.close_difference_threshold.centavos(), centavos);
            model.threshold = centavos;
            Ok("threshold".into())
        }
    }
}

/// The invariants that hold after every step, refused or not.
fn check_invariants(fx: &Fixture, model: &Model, step: &str) -> Result<(), TestCaseError> {
    let conn = fx.app.connection();
    // Cached balances equal the sums of transfers, none negative where forbidden, total zero.
    assert_ledger_consistent(conn, step);
    prop_assert!(mostrador::store::ledger::mismatched_accounts(conn).unwrap().is_empty(), "{}", step);
    for (r, &register) in model.registers.iter().enumerate() {
        prop_assert_eq!(fx.vault(register), model.vault[r], "{}: vault of register {}", step, r);
        if let Some(open) = &model.open[r] {
            prop_assert_eq!(fx.drawer(open.id), open.drawer, "{}: drawer of session {}", step, open.id);
        }
    }
    for &id in &model.closed {
        prop_assert_eq!(fx.drawer(id), 0, "{}: closed session {} keeps cash", step, id);
    }
    let open_sessions: i64 =
        conn.query_row("SELECT COUNT(*) FROM cash_sessions WHERE status = 'ABIERTA'", [], |r| r.get(0)).unwrap();
    prop_assert_eq!(open_sessions, model.open.iter().flatten().count() as i64, "{}", step);
    Ok(())
}

/// Runs the sequence on a fresh store; returns how many steps took each path.
fn run(n_registers: usize, ops: &[Op]) -> Result<BTreeMap<String, usize>, TestCaseError> {
    let mut fx = Fixture::new();
    for who in [Cashier, Cashier2] {
        fx.as_(who);
    }
    let registers: Vec<i64> = fx.registers().iter().take(n_registers).map(|r| r.id).collect();
    let mut model = Model {
        vault: vec![0; registers.len()],
        open: registers.iter().map(|_| None).collect(),
        last_closed: vec![None; registers.len()],
        closed: Vec::new(),
        threshold: 2_000,
        registers,
    };
    let mut paths = BTreeMap::new();
    for (n, op) in ops.iter().enumerate() {
        *paths.entry(step(&mut fx, &mut model, op, n)?).or_insert(0) += 1;
        check_invariants(&fx, &model, &format!("after step {n}: {op:?}"))?;
    }
    let report = fx.app.integrity_check().unwrap();
    prop_assert!(report.sqlite_ok && report.mismatched_accounts.is_empty(), "{:?}", report);
    Ok(paths)
}

fn report_paths(paths: &BTreeMap<String, usize>) {
    if std::env::var_os("LEDGER_PROPS_PATHS").is_some() {
        eprintln!("{paths:?}");
    }
}

// Two properties (two registers, three registers; 16 cases each) so the halves run in parallel.
// `LEDGER_PROPS_PATHS=1 cargo test --test ledger_props -- --nocapture` prints the paths
// each generated sequence took.
proptest! {
    #![proptest_config(Config { cases: 16, max_shrink_iters: 200, ..Config::default() })]

    #[test]
    fn two_registers_match_the_model_after_every_step(ops in prop::collection::vec(op(), 10..=30)) {
        report_paths(&run(2, &ops)?);
    }

    #[test]
    fn three_registers_match_the_model_after_every_step(ops in prop::collection::vec(op(), 10..=30)) {
        report_paths(&run(3, &ops)?);
    }
}

/// Every path of the model on purpose: a fixed sequence through each one, so the checks of
/// every path are known to run whatever the generator happens to draw.
#[test]
fn a_sequence_through_every_path() {
    use Op::*;
    let ops = vec![
        Open { who: Cashier, register: 0, float: Float::Declared(50_005) },
        Open { who: Cashier2, register: 0, float: Float::SameAsVault },
        Open { who: Cashier, register: 1, float: Float::SameAsVault },
        Move { actor: Actor::Owner, register: 0, ingreso: true, reason: 1, amount: 12_345, past_balance: false },
        Move { actor: Actor::Owner, register: 0, ingreso: false, reason: 2, amount: 10, past_balance: true },
        Move { actor: Actor::OtherCashier, register: 0, ingreso: true, reason: 0, amount: 100, past_balance: false },
        Move { actor: Actor::Admin, register: 0, ingreso: false, reason: 4, amount: 2_000, past_balance: false },
        Close { actor: Actor::OtherCashier, register: 0, delta: 0, pieces: vec![], auth: Auth::None },
        Close { actor: Actor::Owner, register: 0, delta: -30_000, pieces: vec![], auth: Auth::None },
        Close { actor: Actor::Owner, register: 0, delta: -30_000, pieces: vec![], auth: Auth::Cashier },
        Close { actor: Actor::Owner, register: 0, delta: -30_000, pieces: vec![(3, 2), (9, 4)], auth: Auth::Admin },
        Open { who: Cashier, register: 1, float: Float::SameAsVault },
        Move { actor: Actor::Owner, register: 0, ingreso: true, reason: 0, amount: 100, past_balance: false },
        Close { actor: Actor::Admin, register: 0, delta: 0, pieces: vec![], auth: Auth::None },
        Open { who: Cashier2, register: 0, float: Float::Declared(1_000) },
        Threshold(0),
        Close { actor: Actor::Owner, register: 0, delta: 15, pieces: vec![(10, 3)], auth: Auth::Admin },
        Open { who: Admin, register: 0, float: Float::SameAsVault },
        Move { actor: Actor::Owner, register: 0, ingreso: true, reason: 2, amount: 99_999, past_balance: false },
        Move { actor: Actor::OtherCashier, register: 0, ingreso: false, reason: 2, amount: 5, past_balance: false },
        Close { actor: Actor::Owner, register: 0, delta: 0, pieces: vec![(0, 5), (5, 5)], auth: Auth::None },
        Close { actor: Actor::Owner, register: 0, delta: 0, pieces: vec![(0, 5), (5, 5)], auth: Auth::Admin },
        Close { actor: Actor::Owner, register: 1, delta: 0, pieces: vec![], auth: Auth::None },
    ];
    let paths = run(2, &ops).unwrap();
    let expected = [
        "open", "open with adjustment", "Ingreso", "Egreso", "close", "authorized close", "threshold",
        "SesionYaAbierta", "OperadorConSesionAbierta", "FondosInsuficientes", "PermisoDenegado",
        "AutorizacionRequerida", "SesionCerrada",
    ];
    for path in expected {
        assert!(paths.contains_key(path), "the sequence never took the path {path:?}: {paths:?}");
    }
}
