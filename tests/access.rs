//! Who reads what: every read command of the operation records runs as no one, as the
//! cashier whose session holds the records, as a cashier of another session and as an
//! administrator, and sees exactly its share or is refused with the exact code. Then the
//! opening float rule: a cashier's float that differs from the vault by more than the close
//! threshold needs an administrator's name and PIN.
//!
//! Both are tables: one line per read in `reads()`, one line per opening in `openings()`.

mod common;

use std::path::Path;

use common::*;
use mostrador::domain::*;
use mostrador::Mostrador;
use ErrorCode::*;
use Who::*;

/// The records of one cashier's session.
struct Recs {
    session: i64,
    agent: i64,
    topup: i64,
    injection: i64,
    pago: i64,
}

/// `a`: the cashier's session on MIXTA, closed. `b`: cashier 2's session on MIXTA, open.
struct World {
    a: Recs,
    b: Recs,
}

/// One of each record in `session`, the agent transaction with an outbox call.
fn records(app: &mut Mostrador, session: i64, n: u32) -> Recs {
    let injection = app.inject_carrier_float(injection("Tigo", "100", session)).unwrap().id;
    let agent = app
        .create_agent_transaction(NewAgentTransaction {
            cuenta_cliente: Some("0000003100000000000123".into()),
            cuit_cliente: Some(CUSTOMER_CUIT.into()),
            ..agent("TIGO_MONEY", "DEPOSITO", "50", &format!("R-{n}"), session)
        })
        .unwrap()
        .id;
    let topup = app.create_topup(topup("Tigo", "71234567", "10", session)).unwrap().id;
    let pago = app.create_payment(pago(7, "EFECTIVO", "20", None, session)).unwrap().id;
    Recs { session, agent, topup, injection, pago }
}

fn setup() -> (Fixture, World) {
    let mut fx = Fixture::new();
    fx.open_all_handles();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "10000")).unwrap();
    fx.app
        .configure_provider(ConfigureProviderInput {
            banco: "TIGO_MONEY".into(),
            contrato: "BILLETERA_V2".into(),
            url_base: Some("http://127.0.0.1:9".into()),
            enviar_deposito: true,
            enviar_retiro: true,
            enviar_qr: true,
            concepto: Some("VAR".into()),
            ..ConfigureProviderInput::default()
        })
        .unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "500")).unwrap().id;
    let a = records(fx.as_(Cashier), session, 1);
    let drawer = fx.drawer(session);
    fx.as_(Cashier).close_session(close(session, counts_for(drawer))).unwrap();
    let float = text(fx.vault(mixta));
    let session = fx.as_(Cashier2).open_session(open(mixta, &float)).unwrap().id;
    let b = records(fx.as_(Cashier2), session, 2);
    (fx, World { a, b })
}

/// What a row's reader should see.
enum Access {
    /// A list: each cashier their own session's records, the administrator both.
    List(fn(&Recs) -> i64),
    /// A list filtered to `b`'s session: the cashier of `a` gets an empty list.
    ListOfB(fn(&Recs) -> i64),
    /// One record of `a`: cashier 2 is refused.
    OneOfA(fn(&Recs) -> i64),
}

type Read = fn(&mut Mostrador, &World, &Path) -> CoreResult<Vec<i64>>;

struct Row {
    name: &'static str,
    read: Read,
    access: Access,
}

/// A page's ids; its total must count the same rows the reader may see.
fn ids<T>(page: Page<T>, id: fn(&T) -> i64) -> Vec<i64> {
    assert_eq!(page.total, page.items.len() as i64, "the total counts only what the reader may see");
    page.items.iter().map(id).collect()
}

/// The first column named `name` of an exported CSV.
fn csv_ids(path: &str, name: &str) -> Vec<i64> {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[3..]);
    let at = reader.headers().unwrap().iter().position(|h| h == name).unwrap();
    reader.records().map(|r| r.unwrap()[at].parse().unwrap()).collect()
}

fn reads() -> Vec<Row> {
    use Access::*;
    let row = |name, read, access| Row { name, read, access };
    vec![
        row("get_agent_transaction", |app, w, _| Ok(vec![app.get_agent_transaction(w.a.agent)?.id]), OneOfA(|r| r.agent)),
        row(
            "list_agent_transactions",
            |app, _, _| Ok(ids(app.list_agent_transactions(AgentFilter::default())?, |t| t.id)),
            List(|r| r.agent),
        ),
        row(
            "list_agent_transactions by provider",
            |app, _, _| {
                let filter = AgentFilter { banco: Some("TIGO_MONEY".into()), ..AgentFilter::default() };
                Ok(ids(app.list_agent_transactions(filter)?, |t| t.id))
            },
            List(|r| r.agent),
        ),
        row(
            "list_agent_transactions of b's session",
            |app, w, _| {
                let filter = AgentFilter { id_caja_sesion: Some(w.b.session), ..AgentFilter::default() };
                Ok(ids(app.list_agent_transactions(filter)?, |t| t.id))
            },
            ListOfB(|r| r.agent),
        ),
        row("list_topups", |app, _, _| Ok(ids(app.list_topups(RecargaFilter::default())?, |t| t.id)), List(|r| r.topup)),
        row(
            "list_topups of b's session",
            |app, w, _| {
                let filter = RecargaFilter { id_caja_sesion: Some(w.b.session), ..RecargaFilter::default() };
                Ok(ids(app.list_topups(filter)?, |t| t.id))
            },
            ListOfB(|r| r.topup),
        ),
        row(
            "list_injections",
            |app, _, _| Ok(ids(app.list_injections(RecargaFilter::default())?, |i| i.id)),
            List(|r| r.injection),
        ),
        row("list_payments", |app, _, _| Ok(ids(app.list_payments(PagoFilter::default())?, |p| p.id)), List(|r| r.pago)),
        row(
            "list_payments of b's session with the voided",
            |app, w, _| {
                let filter = PagoFilter { id_caja_sesion: Some(w.b.session), incluir_anulados: Some(true), ..PagoFilter::default() };
                Ok(ids(app.list_payments(filter)?, |p| p.id))
            },
            ListOfB(|r| r.pago),
        ),
        row("payments_for_work_order", |app, _, _| Ok(app.payments_for_work_order(7)?.iter().map(|p| p.id).collect()), List(|r| r.pago)),
        row(
            "list_outbox",
            |app, _, _| Ok(ids(app.list_outbox(OutboxFilter::default())?, |o| o.id_transaccion)),
            List(|r| r.agent),
        ),
        row(
            "export_agent_transactions_csv",
            |app, _, dir| {
                let path = dir.join("historial.csv");
                Ok(csv_ids(&app.export_agent_transactions_csv(AgentFilter::default(), path.to_str().unwrap())?, "id"))
            },
            List(|r| r.agent),
        ),
        row(
            "export_outbox_csv",
            |app, _, dir| {
                let path = dir.join("cola.csv");
                Ok(csv_ids(&app.export_outbox_csv(OutboxFilter::default(), path.to_str().unwrap())?, "id_transaccion"))
            },
            List(|r| r.agent),
        ),
    ]
}

fn expected(access: &Access, w: &World, who: Who) -> Result<Vec<i64>, ErrorCode> {
    use Access::*;
    let mut seen = match (access, who) {
        (_, Nobody) => return Err(NoAutenticado),
        (List(f), Admin) => vec![f(&w.a), f(&w.b)],
        (List(f), Cashier) => vec![f(&w.a)],
        (List(f), Cashier2) => vec![f(&w.b)],
        (ListOfB(f), Admin | Cashier2) => vec![f(&w.b)],
        (ListOfB(_), Cashier) => vec![],
        (OneOfA(f), Admin | Cashier) => vec![f(&w.a)],
        (OneOfA(_), Cashier2) => return Err(PermisoDenegado),
    };
    seen.sort();
    Ok(seen)
}

#[test]
fn every_read_shows_a_cashier_only_their_own_sessions_and_an_administrator_everything() {
    let (mut fx, world) = setup();
    let dir = tempfile::tempdir().unwrap();
    let rows = reads();
    let mut failures = Vec::new();
    for row in &rows {
        for who in Who::ALL {
            let want = expected(&row.access, &world, who);
            let got = (row.read)(fx.as_(who), &world, dir.path()).map_err(|e| e.code).map(|mut ids| {
                ids.sort();
                ids
            });
            if got != want {
                failures.push(format!("{} as {who:?}: expected {want:?}, got {got:?}", row.name));
            }
        }
    }
    assert!(rows.len() >= 13, "the table lost rows: {}", rows.len());
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// One opening of SOLO_VENTAS (its vault empty) with a declared float and an authorization.
struct Opening {
    name: &'static str,
    who: Who,
    float: &'static str,
    authorization: Option<(&'static str, &'static str)>,
    /// The refusal's code and field, or `None` when the session opens.
    refused: Option<(ErrorCode, Option<&'static str>)>,
}

fn openings() -> Vec<Opening> {
    let o = |name, who, float, authorization, refused| Opening { name, who, float, authorization, refused };
    let admin = Some((ADMIN_NAME, ADMIN_PIN));
    vec![
        o("no one", Nobody, "100", admin, Some((NoAutenticado, None))),
        o("a cashier at the threshold", Cashier, "20", None, None),
        o("a cashier past the threshold without authorization", Cashier, "20.01", None, Some((AutorizacionRequerida, Some("authorization")))),
        o("a cashier past the threshold with an administrator's PIN", Cashier, "20.01", admin, None),
        o("another cashier past the threshold without authorization", Cashier2, "500", None, Some((AutorizacionRequerida, Some("authorization")))),
        o("another cashier with an administrator's PIN", Cashier2, "500", admin, None),
        o("a cashier authorized by a cashier", Cashier, "500", Some((CASHIER2_NAME, CASHIER2_PIN)), Some((PermisoDenegado, Some("authorization")))),
        o("a cashier authorized with a wrong PIN", Cashier, "500", Some((ADMIN_NAME, "000000")), Some((CredencialesInvalidas, Some("authorization")))),
        o("an administrator past the threshold", Admin, "500", None, None),
    ]
}

#[test]
fn an_opening_float_far_from_the_vault_needs_an_administrators_pin_unless_an_administrator_opens() {
    let mut failures = Vec::new();
    for case in openings() {
        let mut fx = Fixture::new();
        let ventas = fx.ventas.id;
        fx.as_(case.who); // logged in (and its audit row written) before the snapshot
        let before = fx.snapshot();
        let input = OpenSessionInput {
            register_id: ventas,
            opening_float: case.float.into(),
            authorization: case.authorization.map(|(name, pin)| creds(name, pin)),
        };
        let result = fx.as_(case.who).open_session(input);
        match (case.refused, result) {
            (None, Ok(session)) => {
                if session.opening_float != Money::parse_non_negative("f", case.float).unwrap() {
                    failures.push(format!("{}: opened with {:?}", case.name, session.opening_float));
                }
            }
            (None, Err(e)) => failures.push(format!("{}: refused with {:?}: {}", case.name, e.code, e.message)),
            (Some((code, field)), Ok(_)) => failures.push(format!("{}: opened, expected {code:?} on {field:?}", case.name)),
            (Some((code, field)), Err(e)) => {
                if let Some(problem) = error_problem(&e, code, field) {
                    failures.push(format!("{}: {problem}", case.name));
                }
                // A wrong PIN counts a failed login: that is the only write a refusal makes.
                if code != CredencialesInvalidas {
                    if let Some(diff) = before.difference(&fx.snapshot()) {
                        failures.push(format!("{}: wrote {diff}", case.name));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The keyring's and the damaged database's commands, as every reader: unlocking the
/// keyring is an administrator's; the list of connections is everyone's who is logged in;
/// the damaged-database restore is refused on a sound database whoever asks.
#[test]
fn the_keyring_and_damaged_database_commands_answer_each_reader_as_the_matrix_says() {
    let (mut fx, _) = setup();
    let mut failures = Vec::new();
    for who in Who::ALL {
        let unlock = fx.as_(who).keyring_to_unlock().map(|_| ()).map_err(|e| e.code);
        let want = match who {
            Nobody => Err(NoAutenticado),
            Cashier | Cashier2 => Err(PermisoDenegado),
            Admin => Ok(()),
        };
        if unlock != want {
            failures.push(format!("unlock_keyring as {who:?}: expected {want:?}, got {unlock:?}"));
        }
        let listed = fx.as_(who).list_provider_connections().map(|l| l.len()).map_err(|e| e.code);
        if (who == Nobody) != (listed == Err(NoAutenticado)) || (who != Nobody && listed.is_err()) {
            failures.push(format!("list_provider_connections as {who:?}: got {listed:?}"));
        }
        let input = RestoreDamagedInput { archivo: "/tmp/respaldo.sqlite3".into(), nombre: ADMIN_NAME.into(), pin: ADMIN_PIN.into() };
        let restored = fx.as_(who).restore_damaged(input).map(|_| ()).map_err(|e| e.code);
        if restored != Err(EstadoNoPermite) {
            failures.push(format!("restore_damaged on a sound database as {who:?}: got {restored:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
