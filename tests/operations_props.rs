//! Random mixes of every store-side operation and void across several registers, sessions,
//! operators and providers, checked after every step against a shadow model of every
//! account's balance kept by the test, and against the ledger's own invariants:
//!
//! - each cached balance is the sum of its transfers, no drawer, provider float or carrier
//!   float is negative, and all balances sum to zero;
//! - a refused step writes nothing, and the model predicts which refusal it is;
//! - a void right after its operation restores every balance the operation touched, and a
//!   voided agent transaction leaves no bank commission behind (income or receivable);
//! - a paid settlement moves the provider's whole outstanding receivable into its float;
//! - agent references stay unique per provider, live payment references per method;
//! - every session report's agent, recarga and payment totals equal the sums of the
//!   listed operations (`list_agent_transactions`, `list_topups`, `list_injections`,
//!   `payments_for_work_order`, `list_payments`) and of the model's, voids included.

mod common;

use std::collections::BTreeMap;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use ErrorCode::*;
use Who::*;

/// Who acts on a register's session, relative to whoever opened it.
#[derive(Debug, Clone, Copy)]
enum Actor {
    Owner,
    Admin,
    /// A cashier who did not open the session.
    Other,
}

impl Actor {
    fn resolve(self, owner: Who) -> Who {
        match (self, owner) {
            (Actor::Owner, _) => owner,
            (Actor::Admin, _) => Admin,
            (Actor::Other, Cashier) => Cashier2,
            (Actor::Other, _) => Cashier,
        }
    }
}

/// A reference: a new one, or the one of an earlier record (at the same provider or
/// method when `same` and the operation lets it choose).
#[derive(Debug, Clone, Copy)]
enum RefPick {
    Fresh,
    Reuse(usize, bool),
}

#[derive(Debug, Clone)]
enum Op {
    Agent { actor: Actor, reg: usize, banco: usize, tipo: usize, monto: i64, comision: i64, reference: RefPick, void_now: bool },
    Topup { actor: Actor, reg: usize, carrier: usize, monto: i64, void_now: bool },
    Inject { actor: Actor, reg: usize, carrier: usize, monto: i64 },
    Pago { actor: Actor, reg: usize, metodo: usize, monto: i64, reference: Option<RefPick>, work_order: i64, void_now: bool },
    VoidAgent(usize),
    VoidTopup(usize),
    VoidPago(usize),
    VoidInjection(usize),
    Correct { pick: usize, metodo: usize, monto: i64, same_reference: bool },
    /// `banco: None` settles at the provider of the first line's transaction.
    Settle { banco: Option<usize>, lines: Vec<(usize, i64)>, unknown: bool, header: bool, semicolon: bool, pagado: bool },
    Fund { banco: usize, fondeo: bool, monto: i64 },
    Cash { reg: usize, ingreso: bool, monto: i64 },
    CloseReopen { reg: usize },
    Bonus { carrier: usize, basis_points: i64 },
}

const TIPOS: [TipoOperacion; 3] = [TipoOperacion::Deposito, TipoOperacion::Retiro, TipoOperacion::TransferenciaQr];
const EFECTIVO: usize = 1;
const WORK_ORDERS: std::ops::RangeInclusive<i64> = 1..=3;

fn actor() -> impl Strategy<Value = Actor> {
    prop_oneof![10 => Just(Actor::Owner), 1 => Just(Actor::Admin), 1 => Just(Actor::Other)]
}

fn reference() -> impl Strategy<Value = RefPick> {
    prop_oneof![3 => Just(RefPick::Fresh), 1 => (any::<usize>(), any::<bool>()).prop_map(|(i, same)| RefPick::Reuse(i, same))]
}

fn op() -> impl Strategy<Value = Op> {
    let agent_amount = prop_oneof![1 => Just(100i64), 6 => 100i64..=40_000];
    let commission = prop_oneof![2 => Just(0i64), 1 => 1i64..=2_000];
    prop_oneof![
        6 => (actor(), any::<usize>(), 0usize..4, 0usize..3, agent_amount, commission, reference(), prop::bool::weighted(0.2)).prop_map(
            |(actor, reg, banco, tipo, monto, comision, reference, void_now)| Op::Agent { actor, reg, banco, tipo, monto, comision, reference, void_now }
        ),
        3 => (actor(), any::<usize>(), 0usize..3, 10i64..=5_000, prop::bool::weighted(0.2))
            .prop_map(|(actor, reg, carrier, monto, void_now)| Op::Topup { actor, reg, carrier, monto, void_now }),
        2 => (actor(), any::<usize>(), 0usize..3, 100i64..=30_000).prop_map(|(actor, reg, carrier, monto)| Op::Inject { actor, reg, carrier, monto }),
        3 => (actor(), any::<usize>(), 0usize..4, 1i64..=20_000, prop::option::weighted(0.7, reference()), WORK_ORDERS, prop::bool::weighted(0.2))
            .prop_map(|(actor, reg, metodo, monto, reference, work_order, void_now)| Op::Pago { actor, reg, metodo, monto, reference, work_order, void_now }),
        2 => any::<usize>().prop_map(Op::VoidAgent),
        1 => any::<usize>().prop_map(Op::VoidTopup),
        1 => any::<usize>().prop_map(Op::VoidPago),
        1 => any::<usize>().prop_map(Op::VoidInjection),
        2 => (any::<usize>(), 0usize..4, 1i64..=20_000, any::<bool>())
            .prop_map(|(pick, metodo, monto, same_reference)| Op::Correct { pick, metodo, monto, same_reference }),
        2 => (prop::option::weighted(0.3, 0usize..4), prop::collection::vec((any::<usize>(), 0i64..=500), 0..4), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(banco, lines, unknown, header, semicolon, pagado)| Op::Settle { banco, lines, unknown, header, semicolon, pagado }),
        1 => (0usize..4, any::<bool>(), 100i64..=80_000).prop_map(|(banco, fondeo, monto)| Op::Fund { banco, fondeo, monto }),
        1 => (any::<usize>(), any::<bool>(), 1i64..=40_000).prop_map(|(reg, ingreso, monto)| Op::Cash { reg, ingreso, monto }),
        1 => any::<usize>().prop_map(|reg| Op::CloseReopen { reg }),
        1 => (0usize..3, prop_oneof![Just(0i64), Just(250), Just(3_333), 0i64..=5_000])
            .prop_map(|(carrier, basis_points)| Op::Bonus { carrier, basis_points }),
    ]
}

struct Reg {
    id: i64,
    specialty: Specialty,
    owner: Who,
    /// Index of its open session in `Model::sessions`.
    session: usize,
}

struct Sess {
    id: i64,
    open: bool,
    carriers_open: [i64; 3],
    carriers_close: Option<[i64; 3]>,
}

struct AgentRec {
    id: i64,
    banco: usize,
    tipo: TipoOperacion,
    monto: i64,
    comision: i64,
    bank: i64,
    referencia: String,
    session: usize,
    voided: bool,
}

struct TopupRec {
    id: i64,
    carrier: usize,
    monto: i64,
    session: usize,
    voided: bool,
}

struct InjRec {
    id: i64,
    carrier: usize,
    monto: i64,
    bonus: i64,
    session: usize,
    voided: bool,
}

struct PagoRec {
    id: i64,
    metodo: usize,
    monto: i64,
    referencia: Option<String>,
    session: usize,
    vigente: bool,
}

/// What the test expects the store to hold.
struct Model {
    balances: BTreeMap<String, i64>,
    regs: Vec<Reg>,
    sessions: Vec<Sess>,
    agents: Vec<AgentRec>,
    topups: Vec<TopupRec>,
    injections: Vec<InjRec>,
    pagos: Vec<PagoRec>,
    bonus: [i64; 3],
    next_ref: usize,
}

fn float(banco: usize) -> String {
    format!("provider_float:{}", PROVIDERS[banco])
}

fn carrier(c: usize) -> String {
    format!("carrier_float:{}", CARRIERS[c])
}

fn pago_target(metodo: usize, drawer: &str) -> String {
    if metodo == EFECTIVO {
        drawer.to_string()
    } else {
        format!("bank:{}", METHODS[metodo])
    }
}

impl Model {
    fn bal(&self, code: &str) -> i64 {
        *self.balances.get(code).unwrap_or_else(|| panic!("the model has no account {code}"))
    }

    fn mv(&mut self, from: &str, to: &str, amount: i64) {
        *self.balances.get_mut(from).unwrap_or_else(|| panic!("no account {from}")) -= amount;
        *self.balances.get_mut(to).unwrap_or_else(|| panic!("no account {to}")) += amount;
    }

    fn drawer(&self, session: usize) -> String {
        format!("drawer:{}", self.sessions[session].id)
    }

    fn carriers_now(&self) -> [i64; 3] {
        [0, 1, 2].map(|c| self.bal(&carrier(c)))
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_ref += 1;
        format!("{prefix}-{}", self.next_ref)
    }

    /// The agent transaction's transfers, forward (`sign` 1) or reversed (-1).
    fn agent_transfers(&mut self, rec_banco: usize, tipo: TipoOperacion, monto: i64, comision: i64, session: usize, sign: i64) {
        let drawer = self.drawer(session);
        let (from, to) = match tipo {
            TipoOperacion::Retiro => (drawer.clone(), float(rec_banco)),
            _ => (float(rec_banco), drawer.clone()),
        };
        let (from, to) = if sign > 0 { (from, to) } else { (to, from) };
        self.mv(&from, &to, monto);
        let (cf, ct) = if sign > 0 { ("income:client_commission".to_string(), drawer) } else { (drawer, "income:client_commission".to_string()) };
        self.mv(&cf, &ct, comision);
    }

    /// Whether the reversal of agent transaction `i` is short, and on which account.
    fn agent_void_shortfall(&self, i: usize) -> Option<ErrorCode> {
        let rec = &self.agents[i];
        let drawer = self.bal(&self.drawer(rec.session));
        match rec.tipo {
            TipoOperacion::Retiro => {
                if self.bal(&float(rec.banco)) < rec.monto {
                    Some(SaldoProveedorInsuficiente)
                } else if drawer + rec.monto - rec.comision < 0 {
                    Some(FondosInsuficientes)
                } else {
                    None
                }
            }
            _ => (drawer < rec.monto + rec.comision).then_some(FondosInsuficientes),
        }
    }

    fn pago_void_shortfall(&self, i: usize) -> Option<ErrorCode> {
        let rec = &self.pagos[i];
        (rec.metodo == EFECTIVO && self.bal(&self.drawer(rec.session)) < rec.monto).then_some(FondosInsuficientes)
    }

    fn reference_taken(&self, metodo: usize, referencia: &Option<String>, except: Option<usize>) -> bool {
        referencia.as_ref().is_some_and(|r| {
            self.pagos.iter().enumerate().any(|(i, p)| Some(i) != except && p.vigente && p.metodo == metodo && p.referencia.as_ref() == Some(r))
        })
    }
}

/// `fx.app` is the administrator; the cashiers work on their own handles.
fn app(fx: &mut Fixture, who: Who) -> &mut Mostrador {
    match who {
        Admin => &mut fx.app,
        other => fx.as_(other),
    }
}

fn fail(step: &str, what: impl std::fmt::Debug) -> TestCaseError {
    TestCaseError::fail(format!("{step}: {what:?}"))
}

/// Compares a command's outcome with the model's prediction: an expected refusal must
/// have its code and have written nothing; an expected success must succeed.
fn outcome<T: std::fmt::Debug>(
    result: CoreResult<T>,
    expected: Option<ErrorCode>,
    before: &Option<Snapshot>,
    fx: &Fixture,
    step: &str,
) -> Result<Option<T>, TestCaseError> {
    match (result, expected) {
        (Ok(value), None) => Ok(Some(value)),
        (Ok(value), Some(code)) => Err(fail(step, format!("expected {code:?}, got {value:?}"))),
        (Err(err), None) => Err(fail(step, format!("expected success, got {err:?}"))),
        (Err(err), Some(code)) => {
            prop_assert_eq!(err.code, code, "{}: {:?}", step, err);
            if let Some(diff) = before.as_ref().and_then(|b| b.difference(&fx.snapshot())) {
                return Err(fail(step, format!("a refused step wrote: {diff}")));
            }
            Ok(None)
        }
    }
}

/// A snapshot, taken only when a refusal is expected (it is what the refusal is checked against).
fn snapshot_if(fx: &Fixture, expected: Option<ErrorCode>) -> Option<Snapshot> {
    expected.map(|_| fx.snapshot())
}

/// Voids the operation just created and checks every balance it touched is back.
fn void_at_once(fx: &mut Fixture, before: &BTreeMap<String, i64>, operation: &str, void: impl FnOnce(&mut Mostrador) -> CoreResult<()>, step: &str) -> Result<(), TestCaseError> {
    let touched: Vec<String> = operation_transfers(fx.app.connection(), operation).into_iter().flat_map(|(f, t, ..)| [f, t]).collect();
    prop_assert!(!touched.is_empty(), "{}: {} posted nothing", step, operation);
    void(&mut fx.app).map_err(|e| fail(step, format!("void right after: {e:?}")))?;
    let after = fx.balances();
    for code in &touched {
        prop_assert_eq!(after[code], before[code], "{}: {} not restored by the void", step, code);
    }
    prop_assert_eq!(&after, before, "{}: the void left other balances changed", step);
    Ok(())
}

/// Runs one step, checks it against the model and says which path it took.
fn step(fx: &mut Fixture, m: &mut Model, op: &Op, n: usize) -> Result<String, TestCaseError> {
    let step = format!("step {n}: {op:?}");
    let step = step.as_str();
    let nregs = m.regs.len();
    match op.clone() {
        Op::Agent { actor, reg, banco, tipo, monto, comision, reference, void_now } => {
            let r = &m.regs[reg % nregs];
            let (session, owner, specialty) = (r.session, r.owner, r.specialty);
            let who = actor.resolve(owner);
            let tipo = TIPOS[tipo];
            let (banco, referencia) = match reference {
                RefPick::Reuse(i, same) if !m.agents.is_empty() => {
                    let rec = &m.agents[i % m.agents.len()];
                    (if same { rec.banco } else { banco }, rec.referencia.clone())
                }
                _ => (banco, m.fresh("R")),
            };
            let drawer = m.drawer(session);
            let expected = if who != owner {
                Some(PermisoDenegado)
            } else if specialty == Specialty::SoloVentas {
                Some(EspecialidadNoPermite)
            } else if m.agents.iter().any(|a| a.banco == banco && a.referencia == referencia) {
                Some(ReferenciaDuplicada)
            } else if tipo != TipoOperacion::Retiro && m.bal(&float(banco)) < monto {
                Some(SaldoProveedorInsuficiente)
            } else if tipo == TipoOperacion::Retiro && m.bal(&drawer) + comision < monto {
                Some(FondosInsuficientes)
            } else {
                None
            };
            let before_snapshot = snapshot_if(fx, expected);
            let before = fx.balances();
            let input = agent_c(&PROVIDERS[banco].to_lowercase(), tipo.as_str(), &text(monto), &text(comision), &referencia, m.sessions[session].id);
            let result = app(fx, who).create_agent_transaction(input);
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("agent {:?}", expected.unwrap()));
            };
            prop_assert_eq!(
                (record.banco.as_str(), record.tipo_operacion, record.monto.centavos(), record.comision_cliente.centavos(), record.comision_banco.centavos()),
                (PROVIDERS[banco], tipo, monto, comision, 0),
                "{}",
                step
            );
            prop_assert_eq!(&record.nro_referencia, &referencia, "{}", step);
            m.agent_transfers(banco, tipo, monto, comision, session, 1);
            m.agents.push(AgentRec { id: record.id, banco, tipo, monto, comision, bank: 0, referencia, session, voided: false });
            if void_now {
                let id = record.id;
                void_at_once(fx, &before, &format!("agente:{id}"), |a| a.void_agent_transaction(void(id, "anulada al momento")).map(|_| ()), step)?;
                m.agent_transfers(banco, tipo, monto, comision, session, -1);
                m.agents.last_mut().unwrap().voided = true;
                return Ok("agent and void".into());
            }
            Ok(format!("agent {}", tipo.as_str()))
        }
        Op::Topup { actor, reg, carrier: c, monto, void_now } => {
            let r = &m.regs[reg % nregs];
            let (session, owner, specialty) = (r.session, r.owner, r.specialty);
            let who = actor.resolve(owner);
            let expected = if who != owner {
                Some(PermisoDenegado)
            } else if specialty == Specialty::SoloAgentes {
                Some(EspecialidadNoPermite)
            } else if m.bal(&carrier(c)) < monto {
                Some(SaldoOperadoraInsuficiente)
            } else {
                None
            };
            let before_snapshot = snapshot_if(fx, expected);
            let before = fx.balances();
            let phone = format!("7{:03}-{:04}", n, monto % 10_000);
            let result = app(fx, who).create_topup(topup(CARRIERS[c], &phone, &text(monto), m.sessions[session].id));
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("topup {:?}", expected.unwrap()));
            };
            prop_assert_eq!((record.operadora.as_str(), record.monto.centavos(), record.telefono.len()), (CARRIERS[c], monto, 8), "{}", step);
            let drawer = m.drawer(session);
            m.mv(&carrier(c), &drawer, monto);
            m.topups.push(TopupRec { id: record.id, carrier: c, monto, session, voided: false });
            if void_now {
                let id = record.id;
                void_at_once(fx, &before, &format!("recarga:{id}"), |a| a.void_topup(void(id, "anulada al momento")).map(|_| ()), step)?;
                m.mv(&drawer, &carrier(c), monto);
                m.topups.last_mut().unwrap().voided = true;
                return Ok("topup and void".into());
            }
            Ok("topup".into())
        }
        Op::Inject { actor, reg, carrier: c, monto } => {
            let r = &m.regs[reg % nregs];
            let (session, owner, specialty) = (r.session, r.owner, r.specialty);
            let who = actor.resolve(owner);
            let drawer = m.drawer(session);
            let expected = if who != owner {
                Some(PermisoDenegado)
            } else if specialty == Specialty::SoloAgentes {
                Some(EspecialidadNoPermite)
            } else if m.bal(&drawer) < monto {
                Some(FondosInsuficientes)
            } else {
                None
            };
            let before_snapshot = snapshot_if(fx, expected);
            let result = app(fx, who).inject_carrier_float(injection(CARRIERS[c], &text(monto), m.sessions[session].id));
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("injection {:?}", expected.unwrap()));
            };
            let bonus = monto * m.bonus[c] / 10_000;
            prop_assert_eq!((record.monto.centavos(), record.bonificacion.centavos()), (monto, bonus), "{}", step);
            m.mv(&drawer, &carrier(c), monto);
            m.mv("income:carrier_bonus", &carrier(c), bonus);
            m.injections.push(InjRec { id: record.id, carrier: c, monto, bonus, session, voided: false });
            Ok(if bonus > 0 { "injection with bonus".into() } else { "injection".into() })
        }
        Op::Pago { actor, reg, metodo, monto, reference, work_order, void_now } => {
            let r = &m.regs[reg % nregs];
            let (session, owner, specialty) = (r.session, r.owner, r.specialty);
            let who = actor.resolve(owner);
            let (metodo, referencia) = match reference {
                Some(RefPick::Reuse(i, same)) if !m.pagos.is_empty() && m.pagos[i % m.pagos.len()].referencia.is_some() => {
                    let rec = &m.pagos[i % m.pagos.len()];
                    (if same { rec.metodo } else { metodo }, rec.referencia.clone())
                }
                None if metodo == EFECTIVO => (metodo, None),
                _ => (metodo, Some(m.fresh("P"))),
            };
            let expected = if who != owner {
                Some(PermisoDenegado)
            } else if specialty == Specialty::SoloAgentes {
                Some(EspecialidadNoPermite)
            } else if m.reference_taken(metodo, &referencia, None) {
                Some(ReferenciaDuplicada)
            } else {
                None
            };
            let before_snapshot = snapshot_if(fx, expected);
            let before = fx.balances();
            let input = pago(work_order, METHODS[metodo], &text(monto), referencia.as_deref(), m.sessions[session].id);
            let result = app(fx, who).create_payment(input);
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("payment {:?}", expected.unwrap()));
            };
            prop_assert_eq!((record.metodo_pago.as_str(), record.monto.centavos(), &record.referencia), (METHODS[metodo], monto, &referencia), "{}", step);
            let target = pago_target(metodo, &m.drawer(session));
            m.mv("income:payments", &target, monto);
            m.pagos.push(PagoRec { id: record.id, metodo, monto, referencia, session, vigente: true });
            if void_now {
                let id = record.id;
                void_at_once(fx, &before, &format!("pago:{id}"), |a| a.void_payment(void(id, "anulado al momento")).map(|_| ()), step)?;
                m.mv(&target, "income:payments", monto);
                m.pagos.last_mut().unwrap().vigente = false;
                return Ok("payment and void".into());
            }
            Ok(format!("payment {}", METHODS[metodo]))
        }
        Op::VoidAgent(pick) => {
            if m.agents.is_empty() {
                return Ok("nothing to void".into());
            }
            let i = pick % m.agents.len();
            let rec = &m.agents[i];
            let expected = if rec.voided {
                Some(YaAnulada)
            } else if !m.sessions[rec.session].open {
                Some(SesionCerrada)
            } else {
                m.agent_void_shortfall(i)
            };
            let before_snapshot = snapshot_if(fx, expected);
            let result = fx.app.void_agent_transaction(void(rec.id, "anulación"));
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("void agent {:?}", expected.unwrap()));
            };
            prop_assert!(record.anulada_en.is_some(), "{}", step);
            prop_assert_eq!(record.comision_banco.centavos(), rec.bank, "{}", step);
            let (banco, tipo, monto, comision, session, bank) = (rec.banco, rec.tipo, rec.monto, rec.comision, rec.session, rec.bank);
            m.agent_transfers(banco, tipo, monto, comision, session, -1);
            m.agents[i].voided = true;
            if bank == 0 {
                return Ok("void agent".into());
            }
            // The accrued bank commission is taken back, even once paid into the float (the
            // receivable then goes negative: the bank's next payment is that much short).
            let receivable = format!("receivable:bank_commission:{}", PROVIDERS[banco]);
            m.mv(&receivable, "income:bank_commission", bank);
            Ok(if m.bal(&receivable) < 0 { "void agent, paid bank commission".into() } else { "void agent with bank commission".into() })
        }
        Op::VoidTopup(pick) => {
            if m.topups.is_empty() {
                return Ok("nothing to void".into());
            }
            let i = pick % m.topups.len();
            let rec = &m.topups[i];
            let drawer = m.drawer(rec.session);
            let expected = if rec.voided {
                Some(YaAnulada)
            } else if !m.sessions[rec.session].open {
                Some(SesionCerrada)
            } else {
                (m.bal(&drawer) < rec.monto).then_some(FondosInsuficientes)
            };
            let before_snapshot = snapshot_if(fx, expected);
            let result = fx.app.void_topup(void(rec.id, "anulación"));
            if outcome(result, expected, &before_snapshot, fx, step)?.is_none() {
                return Ok(format!("void topup {:?}", expected.unwrap()));
            }
            let (c, monto) = (rec.carrier, rec.monto);
            m.mv(&drawer, &carrier(c), monto);
            m.topups[i].voided = true;
            Ok("void topup".into())
        }
        Op::VoidPago(pick) => {
            if m.pagos.is_empty() {
                return Ok("nothing to void".into());
            }
            let i = pick % m.pagos.len();
            let rec = &m.pagos[i];
            let expected = if !rec.vigente {
                Some(YaAnulada)
            } else if !m.sessions[rec.session].open {
                Some(SesionCerrada)
            } else {
                m.pago_void_shortfall(i)
            };
            let before_snapshot = snapshot_if(fx, expected);
            let result = fx.app.void_payment(void(rec.id, "anulación"));
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("void payment {:?}", expected.unwrap()));
            };
            prop_assert!(!record.vigente, "{}", step);
            let target = pago_target(rec.metodo, &m.drawer(rec.session));
            let monto = rec.monto;
            m.mv(&target, "income:payments", monto);
            m.pagos[i].vigente = false;
            Ok("void payment".into())
        }
        Op::VoidInjection(pick) => {
            if m.injections.is_empty() {
                return Ok("nothing to void".into());
            }
            let i = pick % m.injections.len();
            let rec = &m.injections[i];
            let (c, monto, bonus, drawer) = (rec.carrier, rec.monto, rec.bonus, m.drawer(rec.session));
            let expected = if rec.voided {
                Some(YaAnulada)
            } else if !m.sessions[rec.session].open {
                Some(SesionCerrada)
            } else {
                // The carrier balance bought, bonus included, must still be there to give back.
                (m.bal(&carrier(c)) < monto + bonus).then_some(SaldoOperadoraInsuficiente)
            };
            let before_snapshot = snapshot_if(fx, expected);
            let result = fx.app.void_injection(void(rec.id, "anulación"));
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("void injection {:?}", expected.unwrap()));
            };
            prop_assert!(record.anulada_en.is_some(), "{}", step);
            prop_assert_eq!(record.motivo_anulacion.as_deref(), Some("anulación"), "{}", step);
            prop_assert_eq!((record.id, record.monto.centavos(), record.bonificacion.centavos()), (rec.id, monto, bonus), "{}", step);
            m.mv(&carrier(c), &drawer, monto);
            m.mv(&carrier(c), "income:carrier_bonus", bonus);
            m.injections[i].voided = true;
            Ok(if bonus > 0 { "void injection with bonus".into() } else { "void injection".into() })
        }
        Op::Correct { pick, metodo, monto, same_reference } => {
            if m.pagos.is_empty() {
                return Ok("nothing to correct".into());
            }
            let i = pick % m.pagos.len();
            let referencia = match &m.pagos[i].referencia {
                Some(r) if same_reference => Some(r.clone()),
                _ if metodo == EFECTIVO => None,
                _ => Some(m.fresh("P")),
            };
            let rec = &m.pagos[i];
            let expected = if !rec.vigente {
                Some(YaAnulada)
            } else if !m.sessions[rec.session].open {
                Some(SesionCerrada)
            } else if let Some(short) = m.pago_void_shortfall(i) {
                Some(short)
            } else if m.reference_taken(metodo, &referencia, Some(i)) {
                Some(ReferenciaDuplicada)
            } else {
                None
            };
            let before_snapshot = snapshot_if(fx, expected);
            // The session in the input is ignored: a correction stays in the original's session.
            let other_session = m.sessions[m.regs[0].session].id;
            let input = UpdatePago { id: rec.id, pago: pago(2, METHODS[metodo], &text(monto), referencia.as_deref(), other_session), motivo: "corrección".into() };
            let result = fx.app.update_payment(input);
            let Some(record) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("correction {:?}", expected.unwrap()));
            };
            let session = rec.session;
            prop_assert_eq!((record.corrige_a, record.id_caja_sesion), (Some(rec.id), m.sessions[session].id), "{}", step);
            let drawer = m.drawer(session);
            let old_target = pago_target(rec.metodo, &drawer);
            let old_monto = rec.monto;
            m.mv(&old_target, "income:payments", old_monto);
            m.pagos[i].vigente = false;
            m.mv("income:payments", &pago_target(metodo, &drawer), monto);
            m.pagos.push(PagoRec { id: record.id, metodo, monto, referencia, session, vigente: true });
            Ok("correction".into())
        }
        Op::Settle { banco, lines, unknown, header, semicolon, pagado } => {
            let banco = match (banco, lines.first()) {
                (Some(banco), _) => banco,
                (None, Some((pick, _))) if !m.agents.is_empty() => m.agents[pick % m.agents.len()].banco,
                (None, _) => 0,
            };
            let sep = if semicolon { ";" } else { "," };
            let amount = |c: i64| if semicolon { text(c).replace('.', ",") } else { text(c) };
            let mut csv_lines: Vec<String> = Vec::new();
            let mut wanted: Vec<(String, i64)> = Vec::new();
            if header {
                csv_lines.push("nro_referencia,comision_banco".into());
            }
            if !m.agents.is_empty() {
                for &(pick, c) in &lines {
                    let referencia = m.agents[pick % m.agents.len()].referencia.clone();
                    csv_lines.push(format!("{referencia}{sep}{}", amount(c)));
                    wanted.push((referencia, c));
                }
            }
            if unknown || wanted.is_empty() {
                csv_lines.push(format!("NO-EXISTE{sep}{}", amount(100)));
                wanted.push(("NO-EXISTE".into(), 100));
            }
            let report = fx
                .app
                .settle_bank_commissions(settlement(PROVIDERS[banco], &csv_lines.join("\n"), pagado))
                .map_err(|e| fail(step, e))?;
            let (mut matched, mut unmatched, mut total) = (0usize, 0usize, 0i64);
            let receivable = format!("receivable:bank_commission:{}", PROVIDERS[banco]);
            for (referencia, c) in wanted {
                match m.agents.iter().position(|a| a.banco == banco && a.referencia == referencia) {
                    Some(i) if !m.agents[i].voided => {
                        let change = c - m.agents[i].bank;
                        m.mv("income:bank_commission", &receivable, change);
                        m.agents[i].bank = c;
                        total += change;
                        matched += 1;
                    }
                    _ => unmatched += 1,
                }
            }
            // Paid: everything the provider owes, earlier imports included, moves to its float.
            let outstanding = m.bal(&receivable);
            let paid = if pagado && outstanding > 0 { outstanding } else { 0 };
            m.mv(&receivable, &float(banco), paid);
            prop_assert_eq!(
                (report.conciliadas.len(), report.sin_coincidencia.len(), report.total.centavos(), report.pagado, report.monto_pagado.centavos()),
                (matched, unmatched, total, pagado, paid),
                "{}: {:?}",
                step,
                report
            );
            Ok(match (pagado, paid) {
                (false, _) => "settlement".into(),
                (true, 0) => "settlement paid, nothing owed".into(),
                (true, paid) if paid > total => "settlement paid with earlier imports".into(),
                (true, _) => "settlement paid".into(),
            })
        }
        Op::Fund { banco, fondeo, monto } => {
            let expected = (!fondeo && m.bal(&float(banco)) < monto).then_some(SaldoProveedorInsuficiente);
            let before_snapshot = snapshot_if(fx, expected);
            let input = if fondeo { fund(PROVIDERS[banco], &text(monto)) } else { defund(PROVIDERS[banco], &text(monto)) };
            let result = fx.app.adjust_provider_float(input);
            let Some(provider) = outcome(result, expected, &before_snapshot, fx, step)? else {
                return Ok(format!("fund {:?}", expected.unwrap()));
            };
            if fondeo {
                m.mv("external", &float(banco), monto);
            } else {
                m.mv(&float(banco), "external", monto);
            }
            prop_assert_eq!(provider.saldo.centavos(), m.bal(&float(banco)), "{}", step);
            Ok(if fondeo { "fondeo".into() } else { "retiro de fondo".into() })
        }
        Op::Cash { reg, ingreso, monto } => {
            let r = &m.regs[reg % nregs];
            let (session, owner) = (r.session, r.owner);
            let drawer = m.drawer(session);
            let balance = m.bal(&drawer);
            // An egreso takes what is asked or, when that is more, everything.
            let (ingreso, monto) = if ingreso || balance == 0 { (true, monto) } else { (false, monto.min(balance)) };
            let input = if ingreso { common::ingreso(m.sessions[session].id, &text(monto)) } else { egreso(m.sessions[session].id, &text(monto)) };
            app(fx, owner).record_cash_movement(input).map_err(|e| fail(step, e))?;
            if ingreso {
                m.mv("external", &drawer, monto);
            } else {
                m.mv(&drawer, "external", monto);
            }
            Ok(if ingreso { "ingreso".into() } else { "egreso".into() })
        }
        Op::CloseReopen { reg } => {
            let r = reg % nregs;
            let (session, owner, register) = (m.regs[r].session, m.regs[r].owner, m.regs[r].id);
            let drawer = m.drawer(session);
            let cash = m.bal(&drawer);
            let counted = cash - cash % 10;
            let id = m.sessions[session].id;
            app(fx, owner).close_session(close(id, counts_for(counted))).map_err(|e| fail(step, e))?;
            let vault = format!("vault:{register}");
            m.mv(&drawer, "over_short", cash - counted);
            m.mv(&drawer, &vault, counted);
            m.sessions[session].open = false;
            m.sessions[session].carriers_close = Some(m.carriers_now());
            let opened = app(fx, owner).open_session(open(register, &text(counted))).map_err(|e| fail(step, e))?;
            let new_drawer = format!("drawer:{}", opened.id);
            m.balances.insert(new_drawer.clone(), 0);
            m.mv(&vault, &new_drawer, counted);
            m.sessions.push(Sess { id: opened.id, open: true, carriers_open: m.carriers_now(), carriers_close: None });
            m.regs[r].session = m.sessions.len() - 1;
            Ok("close and reopen".into())
        }
        Op::Bonus { carrier: c, basis_points } => {
            let percent = format!("{}.{:02}", basis_points / 100, basis_points % 100);
            fx.app.configure_carrier_bonus(bonus(CARRIERS[c], &percent)).map_err(|e| fail(step, e))?;
            m.bonus[c] = basis_points;
            Ok("bonus".into())
        }
    }
}

type AgentKey = (String, &'static str);
type AgentSums = BTreeMap<AgentKey, (i64, i64, i64, i64)>;

/// The invariants that hold after every step.
fn check(fx: &mut Fixture, m: &Model, step: &str) -> Result<(), TestCaseError> {
    let conn = fx.app.connection();
    assert_ledger_consistent(conn, step);
    prop_assert!(mostrador::store::ledger::mismatched_accounts(conn).unwrap().is_empty(), "{}", step);
    let balances = fx.balances();
    if balances != m.balances {
        let diff: Vec<_> = balances
            .iter()
            .filter(|(code, b)| m.balances.get(*code) != Some(b))
            .map(|(code, b)| format!("{code}: store {b}, model {:?}", m.balances.get(code)))
            .collect();
        return Err(fail(step, format!("balances differ from the model: {diff:?}")));
    }
    let duplicated = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    prop_assert_eq!(
        duplicated("SELECT COUNT(*) FROM (SELECT 1 FROM agent_transactions GROUP BY banco, nro_referencia HAVING COUNT(*) > 1)"),
        0,
        "{}: a reference repeats at a provider",
        step
    );
    prop_assert_eq!(
        duplicated(
            "SELECT COUNT(*) FROM (SELECT 1 FROM payments WHERE vigente = 1 AND referencia IS NOT NULL
             GROUP BY metodo_pago, referencia HAVING COUNT(*) > 1)"
        ),
        0,
        "{}: a live payment reference repeats for a method",
        step
    );

    // Every payment, from the work orders' histories.
    let mut payments: Vec<Pago> = Vec::new();
    for wo in WORK_ORDERS {
        payments.extend(fx.app.payments_for_work_order(wo).map_err(|e| fail(step, e))?);
    }
    prop_assert_eq!(payments.len(), m.pagos.len(), "{}", step);
    let live = fx.app.list_payments(PagoFilter { page: Some(0), size: Some(100), ..Default::default() }).map_err(|e| fail(step, e))?;
    prop_assert_eq!(live.total as usize, m.pagos.iter().filter(|p| p.vigente).count(), "{}", step);

    for (s, sess) in m.sessions.iter().enumerate() {
        let context = format!("{step}: report of session {}", sess.id);
        let report = fx.app.session_report(sess.id).map_err(|e| fail(&context, e))?;
        let all = AgentFilter { id_caja_sesion: Some(sess.id), size: Some(100), ..Default::default() };
        let listed = fx.app.list_agent_transactions(all).map_err(|e| fail(&context, e))?;
        let by_session = RecargaFilter { id_caja_sesion: Some(sess.id), size: Some(100), ..Default::default() };
        let topups = fx.app.list_topups(by_session.clone()).map_err(|e| fail(&context, e))?;
        let injections = fx.app.list_injections(by_session).map_err(|e| fail(&context, e))?;

        // Agents: the report, the list and the model agree.
        let mut from_report = AgentSums::new();
        for a in &report.agentes {
            from_report.insert((a.banco.clone(), a.tipo_operacion.as_str()), (a.cantidad, a.monto.centavos(), a.comision_cliente.centavos(), a.comision_banco.centavos()));
        }
        let mut from_list = AgentSums::new();
        for a in listed.items.iter().filter(|a| a.anulada_en.is_none()) {
            let e = from_list.entry((a.banco.clone(), a.tipo_operacion.as_str())).or_default();
            *e = (e.0 + 1, e.1 + a.monto.centavos(), e.2 + a.comision_cliente.centavos(), e.3 + a.comision_banco.centavos());
        }
        let mut from_model = AgentSums::new();
        for a in m.agents.iter().filter(|a| a.session == s && !a.voided) {
            let e = from_model.entry((PROVIDERS[a.banco].to_string(), a.tipo.as_str())).or_default();
            *e = (e.0 + 1, e.1 + a.monto, e.2 + a.comision, e.3 + a.bank);
        }
        prop_assert_eq!(&from_report, &from_list, "{}: agentes vs list", context);
        prop_assert_eq!(&from_report, &from_model, "{}: agentes vs model", context);
        let total = |pick: fn(&(i64, i64, i64, i64)) -> i64| from_list.values().map(pick).sum::<i64>();
        prop_assert_eq!(report.comision_cliente.centavos(), total(|v| v.2), "{}", context);
        prop_assert_eq!(report.comision_banco.centavos(), total(|v| v.3), "{}", context);
        prop_assert_eq!(listed.total as usize, m.agents.iter().filter(|a| a.session == s).count(), "{}", context);

        // Recargas per carrier.
        prop_assert_eq!(report.recargas.len(), 3, "{}", context);
        for line in &report.recargas {
            let c = CARRIERS.iter().position(|x| *x == line.operadora.as_str()).unwrap();
            let live_topups: Vec<_> = topups.items.iter().filter(|t| t.operadora == line.operadora && t.anulada_en.is_none()).collect();
            let its_injections: Vec<_> = injections.items.iter().filter(|i| i.operadora == line.operadora && i.anulada_en.is_none()).collect();
            let listed_sums = (
                live_topups.len() as i64,
                live_topups.iter().map(|t| t.monto.centavos()).sum::<i64>(),
                its_injections.len() as i64,
                its_injections.iter().map(|i| i.monto.centavos()).sum::<i64>(),
                its_injections.iter().map(|i| i.bonificacion.centavos()).sum::<i64>(),
            );
            let reported = (line.recargas, line.monto_recargas.centavos(), line.inyecciones, line.monto_inyecciones.centavos(), line.bonificacion.centavos());
            prop_assert_eq!(reported, listed_sums, "{}: {:?} vs list", context, line.operadora);
            let model_topups = m.topups.iter().filter(|t| t.session == s && t.carrier == c && !t.voided);
            let model_injections: Vec<_> = m.injections.iter().filter(|i| i.session == s && i.carrier == c && !i.voided).collect();
            let model_sums = (
                model_topups.clone().count() as i64,
                model_topups.map(|t| t.monto).sum::<i64>(),
                model_injections.len() as i64,
                model_injections.iter().map(|i| i.monto).sum::<i64>(),
                model_injections.iter().map(|i| i.bonus).sum::<i64>(),
            );
            prop_assert_eq!(reported, model_sums, "{}: {:?} vs model", context, line.operadora);
            let closing = sess.carriers_close.unwrap_or_else(|| m.carriers_now());
            prop_assert_eq!(
                (line.saldo_apertura.centavos(), line.saldo_cierre.centavos()),
                (sess.carriers_open[c], closing[c]),
                "{}: {:?} balances",
                context,
                line.operadora
            );
        }

        // Live payments by method.
        let mut from_report: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for p in &report.pagos {
            from_report.insert(p.metodo_pago.as_str(), (p.cantidad, p.monto.centavos()));
        }
        let mut from_list: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for p in payments.iter().filter(|p| p.id_caja_sesion == sess.id && p.vigente) {
            let e = from_list.entry(p.metodo_pago.as_str()).or_default();
            *e = (e.0 + 1, e.1 + p.monto.centavos());
        }
        let mut from_model: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for p in m.pagos.iter().filter(|p| p.session == s && p.vigente) {
            let e = from_model.entry(METHODS[p.metodo]).or_default();
            *e = (e.0 + 1, e.1 + p.monto);
        }
        prop_assert_eq!(&from_report, &from_list, "{}: pagos vs list", context);
        prop_assert_eq!(&from_report, &from_model, "{}: pagos vs model", context);
        // The session's payments, newest first: live ones by default, voided ones on request.
        let mut of_session: Vec<&Pago> = payments.iter().filter(|p| p.id_caja_sesion == sess.id).collect();
        of_session.sort_by_key(|p| std::cmp::Reverse(p.id));
        for incluir_anulados in [None, Some(false), Some(true)] {
            let filter = PagoFilter { id_caja_sesion: Some(sess.id), incluir_anulados, page: Some(0), size: Some(100) };
            let page = fx.app.list_payments(filter).map_err(|e| fail(&context, e))?;
            let want: Vec<&Pago> = of_session.iter().copied().filter(|p| p.vigente || incluir_anulados == Some(true)).collect();
            prop_assert_eq!(page.total as usize, want.len(), "{}: list_payments {:?}", context, incluir_anulados);
            prop_assert_eq!(page.items.iter().collect::<Vec<_>>(), want, "{}: list_payments {:?}", context, incluir_anulados);
        }
        for p in &of_session {
            prop_assert_eq!(p.anulada_en.is_none(), p.vigente, "{}: payment {}", context, p.id);
            prop_assert_eq!(p.motivo_anulacion.is_none(), p.vigente, "{}: payment {}", context, p.id);
        }

        // Voids, and the drawer.
        let voided = listed.items.iter().filter(|a| a.anulada_en.is_some()).count()
            + topups.items.iter().filter(|t| t.anulada_en.is_some()).count()
            + injections.items.iter().filter(|i| i.anulada_en.is_some()).count()
            + payments.iter().filter(|p| p.id_caja_sesion == sess.id && !p.vigente).count();
        prop_assert_eq!(report.anulaciones, voided as i64, "{}", context);
        let voided_in_model = m.agents.iter().filter(|a| a.session == s && a.voided).count()
            + m.topups.iter().filter(|t| t.session == s && t.voided).count()
            + m.injections.iter().filter(|i| i.session == s && i.voided).count()
            + m.pagos.iter().filter(|p| p.session == s && !p.vigente).count();
        prop_assert_eq!(report.anulaciones, voided_in_model as i64, "{}: anulaciones vs model", context);
        prop_assert_eq!(injections.total as usize, m.injections.iter().filter(|i| i.session == s).count(), "{}: injections listed", context);
        if sess.open {
            prop_assert_eq!(report.expected.map(|e| e.centavos()), Some(m.bal(&format!("drawer:{}", sess.id))), "{}", context);
        }
    }
    Ok(())
}

/// A fresh store: providers funded, carrier bonuses set, one open session per register.
fn setup(n_registers: usize) -> (Fixture, Model) {
    let mut fx = Fixture::new();
    fx.open_all_handles();
    for (banco, monto) in [("TIGO_MONEY", "1500"), ("BCP", "800"), ("BANCO_UNION", "100")] {
        fx.app.adjust_provider_float(fund(banco, monto)).unwrap();
    }
    fx.app.configure_carrier_bonus(bonus("Tigo", "2.50")).unwrap();
    fx.app.configure_carrier_bonus(bonus("Viva", "33.33")).unwrap();
    let plan = [(fx.mixta.id, Specialty::Mixta, Cashier, "500"), (fx.agentes.id, Specialty::SoloAgentes, Cashier2, "300"), (fx.ventas.id, Specialty::SoloVentas, Admin, "200")];
    let mut regs = Vec::new();
    let mut sessions = Vec::new();
    for &(register, specialty, owner, float) in plan.iter().take(n_registers) {
        let session = app(&mut fx, owner).open_session(open(register, float)).unwrap();
        sessions.push(Sess { id: session.id, open: true, carriers_open: [0; 3], carriers_close: None });
        regs.push(Reg { id: register, specialty, owner, session: sessions.len() - 1 });
    }
    // Carrier balance to sell, bought in the first session once every session is open.
    let mut injections = Vec::new();
    for (c, monto) in [(0, 10_000), (1, 5_000), (2, 3_000)] {
        let record = fx.as_(Cashier).inject_carrier_float(injection(CARRIERS[c], &text(monto), sessions[0].id)).unwrap();
        injections.push(InjRec { id: record.id, carrier: c, monto, bonus: record.bonificacion.centavos(), session: 0, voided: false });
    }
    let model = Model {
        balances: fx.balances(),
        regs,
        sessions,
        agents: Vec::new(),
        topups: Vec::new(),
        injections,
        pagos: Vec::new(),
        bonus: [250, 0, 3_333],
        next_ref: 0,
    };
    (fx, model)
}

/// Runs the sequence on a fresh store; returns how many steps took each path.
fn run(n_registers: usize, ops: &[Op]) -> Result<BTreeMap<String, usize>, TestCaseError> {
    let (mut fx, mut model) = setup(n_registers);
    check(&mut fx, &model, "after setup")?;
    let mut paths = BTreeMap::new();
    for (n, op) in ops.iter().enumerate() {
        *paths.entry(step(&mut fx, &mut model, op, n)?).or_insert(0) += 1;
        check(&mut fx, &model, &format!("after step {n}: {op:?}"))?;
    }
    let report = fx.app.integrity_check().unwrap();
    prop_assert!(report.sqlite_ok && report.mismatched_accounts.is_empty(), "{:?}", report);
    Ok(paths)
}

fn report_paths(paths: &BTreeMap<String, usize>) {
    if std::env::var_os("OPERATIONS_PROPS_PATHS").is_some() {
        eprintln!("{paths:?}");
    }
}

// Two properties (two registers, three registers; 16 cases each) so they run in parallel.
// `OPERATIONS_PROPS_PATHS=1 cargo test --test operations_props -- --nocapture` prints the
// paths each generated sequence took.
proptest! {
    #![proptest_config(Config { cases: 16, max_shrink_iters: 200, ..Config::default() })]

    #[test]
    fn two_registers_match_the_model_after_every_step(ops in prop::collection::vec(op(), 20..=40)) {
        report_paths(&run(2, &ops)?);
    }

    #[test]
    fn three_registers_match_the_model_after_every_step(ops in prop::collection::vec(op(), 20..=40)) {
        report_paths(&run(3, &ops)?);
    }
}

/// Every path of the model on purpose, so each check is known to run whatever the
/// generator happens to draw. Registers: 0 MIXTA (cashier), 1 SOLO_AGENTES (cashier 2),
/// 2 SOLO_VENTAS (administrator).
#[test]
fn a_sequence_through_every_path() {
    use Actor::*;
    use Op::*;
    let dep = |reg, banco, monto, comision, reference| Agent { actor: Owner, reg, banco, tipo: 0, monto, comision, reference, void_now: false };
    let ret = |reg, banco, monto, comision| Agent { actor: Owner, reg, banco, tipo: 1, monto, comision, reference: RefPick::Fresh, void_now: false };
    let ops = vec![
        dep(0, 0, 10_000, 200, RefPick::Fresh),
        Agent { actor: Owner, reg: 1, banco: 1, tipo: 2, monto: 5_000, comision: 0, reference: RefPick::Fresh, void_now: false },
        dep(1, 0, 100, 0, RefPick::Reuse(0, true)),  // ReferenciaDuplicada
        dep(1, 1, 100, 0, RefPick::Reuse(0, false)), // the same reference at BCP: fine
        dep(0, 3, 100, 0, RefPick::Fresh),           // SOLI has no float
        ret(1, 2, 40_000, 0),                        // past the drawer
        ret(1, 2, 30_500, 500),
        dep(2, 0, 100, 0, RefPick::Fresh), // SOLO_VENTAS
        Agent { actor: Other, reg: 0, banco: 0, tipo: 0, monto: 100, comision: 0, reference: RefPick::Fresh, void_now: false },
        Agent { actor: Admin, reg: 1, banco: 0, tipo: 0, monto: 100, comision: 0, reference: RefPick::Fresh, void_now: false },
        Agent { actor: Owner, reg: 0, banco: 0, tipo: 1, monto: 2_000, comision: 50, reference: RefPick::Fresh, void_now: true },
        Topup { actor: Owner, reg: 0, carrier: 0, monto: 20_000, void_now: false }, // past the carrier balance
        Inject { actor: Owner, reg: 0, carrier: 0, monto: 10_000 },
        Inject { actor: Owner, reg: 0, carrier: 1, monto: 1_000 },
        Inject { actor: Owner, reg: 2, carrier: 2, monto: 3_000 },
        Inject { actor: Owner, reg: 1, carrier: 1, monto: 1_000 },  // SOLO_AGENTES
        Inject { actor: Owner, reg: 2, carrier: 1, monto: 30_000 }, // past the drawer
        Topup { actor: Owner, reg: 0, carrier: 0, monto: 1_500, void_now: false },
        Topup { actor: Owner, reg: 2, carrier: 2, monto: 500, void_now: true },
        Topup { actor: Other, reg: 2, carrier: 2, monto: 500, void_now: false },
        Topup { actor: Owner, reg: 2, carrier: 2, monto: 300, void_now: false },
        Pago { actor: Owner, reg: 0, metodo: 1, monto: 4_000, reference: None, work_order: 1, void_now: false },
        Pago { actor: Owner, reg: 2, metodo: 0, monto: 6_000, reference: Some(RefPick::Fresh), work_order: 2, void_now: false },
        Pago { actor: Owner, reg: 0, metodo: 2, monto: 6_000, reference: Some(RefPick::Reuse(1, true)), work_order: 2, void_now: false },
        Pago { actor: Owner, reg: 0, metodo: 2, monto: 6_000, reference: Some(RefPick::Reuse(1, false)), work_order: 2, void_now: true },
        Pago { actor: Owner, reg: 1, metodo: 1, monto: 100, reference: None, work_order: 3, void_now: false },
        Pago { actor: Owner, reg: 0, metodo: 1, monto: 200, reference: None, work_order: 3, void_now: false },
        Correct { pick: 1, metodo: 3, monto: 6_500, same_reference: true },
        Correct { pick: 1, metodo: 3, monto: 6_500, same_reference: true }, // YaAnulada
        VoidPago(0),
        VoidPago(0),
        Settle { banco: Some(0), lines: vec![(0, 150), (2, 30), (3, 10)], unknown: true, header: true, semicolon: false, pagado: false },
        Settle { banco: Some(1), lines: vec![(1, 75), (2, 20)], unknown: false, header: false, semicolon: true, pagado: true },
        Settle { banco: None, lines: vec![(0, 100)], unknown: false, header: true, semicolon: true, pagado: true },
        Cash { reg: 1, ingreso: false, monto: 1_000_000 },
        VoidAgent(1), // the drawer cannot pay it back
        VoidAgent(4), // voided at once
        Fund { banco: 2, fondeo: false, monto: 80_000 }, // past the float
        Fund { banco: 2, fondeo: true, monto: 80_000 },
        Fund { banco: 2, fondeo: false, monto: 40_000 },
        Bonus { carrier: 0, basis_points: 5_000 },
        Inject { actor: Owner, reg: 0, carrier: 0, monto: 1_001 },
        CloseReopen { reg: 0 },
        VoidAgent(0), // its session is closed
        VoidTopup(0),
        VoidPago(3),
        VoidPago(4),
        Cash { reg: 0, ingreso: true, monto: 5_000 },
        VoidAgent(3),
        VoidTopup(2),
        VoidTopup(1), // voided at once
        Correct { pick: 3, metodo: 1, monto: 100, same_reference: false }, // its session is closed
        Topup { actor: Owner, reg: 2, carrier: 2, monto: 100, void_now: false },
        Pago { actor: Owner, reg: 2, metodo: 1, monto: 100, reference: None, work_order: 1, void_now: false },
        Pago { actor: Owner, reg: 2, metodo: 0, monto: 100, reference: Some(RefPick::Fresh), work_order: 1, void_now: false },
        Pago { actor: Owner, reg: 2, metodo: 2, monto: 100, reference: Some(RefPick::Reuse(6, false)), work_order: 1, void_now: false },
        Correct { pick: 7, metodo: 0, monto: 100, same_reference: true }, // onto the BCP payment's reference
        Cash { reg: 2, ingreso: false, monto: 1_000_000 },
        VoidTopup(3),                                                     // the drawer is empty
        VoidPago(5),
        Correct { pick: 5, metodo: 0, monto: 100, same_reference: false },
        VoidAgent(2), // its bank commission was paid into the BCP float: the receivable goes negative
        VoidAgent(1),
        Settle { banco: Some(1), lines: vec![], unknown: true, header: false, semicolon: false, pagado: true }, // BCP owes nothing
        dep(0, 0, 1_000, 0, RefPick::Fresh),
        Settle { banco: Some(0), lines: vec![(5, 40)], unknown: false, header: false, semicolon: false, pagado: false },
        VoidAgent(5), // its bank commission is still owed
        Inject { actor: Owner, reg: 0, carrier: 1, monto: 1_000 },
        Topup { actor: Owner, reg: 0, carrier: 1, monto: 6_500, void_now: false },
        VoidInjection(7), // the Entel balance it bought is sold
        VoidInjection(1), // its session is closed
        VoidInjection(5), // Viva, with its bonus
        VoidInjection(5),
        Inject { actor: Owner, reg: 0, carrier: 1, monto: 1_000 },
        VoidInjection(7), // the balance is back
    ];
    let paths = run(3, &ops).unwrap();
    let expected = [
        "agent DEPOSITO",
        "agent RETIRO",
        "agent TRANSFERENCIA_QR",
        "agent and void",
        "agent ReferenciaDuplicada",
        "agent SaldoProveedorInsuficiente",
        "agent FondosInsuficientes",
        "agent EspecialidadNoPermite",
        "agent PermisoDenegado",
        "topup",
        "topup and void",
        "topup SaldoOperadoraInsuficiente",
        "topup PermisoDenegado",
        "injection",
        "injection with bonus",
        "injection EspecialidadNoPermite",
        "injection FondosInsuficientes",
        "payment EFECTIVO",
        "payment BCP",
        "payment and void",
        "payment ReferenciaDuplicada",
        "payment EspecialidadNoPermite",
        "correction",
        "correction YaAnulada",
        "correction SesionCerrada",
        "correction ReferenciaDuplicada",
        "correction FondosInsuficientes",
        "void topup FondosInsuficientes",
        "void payment FondosInsuficientes",
        "void payment",
        "void payment YaAnulada",
        "void payment SesionCerrada",
        "void agent",
        "void agent FondosInsuficientes",
        "void agent YaAnulada",
        "void agent SesionCerrada",
        "void topup",
        "void topup SesionCerrada",
        "void topup YaAnulada",
        "void agent with bank commission",
        "void agent, paid bank commission",
        "void injection",
        "void injection with bonus",
        "void injection YaAnulada",
        "void injection SesionCerrada",
        "void injection SaldoOperadoraInsuficiente",
        "settlement",
        "settlement paid",
        "settlement paid with earlier imports",
        "settlement paid, nothing owed",
        "fondeo",
        "retiro de fondo",
        "fund SaldoProveedorInsuficiente",
        "ingreso",
        "egreso",
        "close and reopen",
        "bonus",
    ];
    let missing: Vec<&str> = expected.iter().copied().filter(|p| !paths.contains_key(*p)).collect();
    assert!(missing.is_empty(), "the sequence never took {missing:?}: {paths:?}");
}
