//! The rules of the store-side operations, one focused test each: providers and their
//! floats, agent transactions and their transfers, vouchers, voids, listing, the bank
//! commission settlement and its payment, the bank commission a void takes back, carrier
//! bonuses, top-ups, injections and their voids, payments, their corrections and their
//! lists by session, register specialties, and the session report's totals.

mod common;

use chrono::Duration;
use common::*;
use mostrador::domain::*;
use ErrorCode::*;
use Who::*;

fn t(from: &str, to: &str, amount: i64, kind: &str, reverses: Option<i64>) -> (String, String, i64, String, Option<i64>) {
    (from.into(), to.into(), amount, kind.into(), reverses)
}

fn transfer_ids(fx: &Fixture, operation: &str) -> Vec<i64> {
    let mut stmt = fx.app.connection().prepare("SELECT id FROM transfers WHERE operation = ?1 ORDER BY id").unwrap();
    stmt.query_map([operation], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// A session opened by `who` on the register named "mixta", "agentes" or "ventas", with
/// `float` in the drawer.
fn session_on(fx: &mut Fixture, who: Who, register: &str, float: &str) -> i64 {
    let register = match register {
        "mixta" => fx.mixta.id,
        "agentes" => fx.agentes.id,
        "ventas" => fx.ventas.id,
        other => panic!("no register {other}"),
    };
    fx.as_(who).open_session(open(register, float)).unwrap().id
}

#[track_caller]
fn refused<T: std::fmt::Debug>(fx: &Fixture, result: CoreResult<T>, code: ErrorCode, field: Option<&str>, before: &Snapshot, context: &str) {
    let err = expect_err(result, context);
    assert_error(&err, code, field, context);
    before.assert_same(&fx.snapshot(), context);
}

#[test]
fn providers_are_preset_and_an_administrator_adds_and_funds_one() {
    let mut fx = Fixture::new();
    let providers = fx.as_(Cashier).list_providers().unwrap();
    let mut codes: Vec<&str> = providers.iter().map(|p| p.code.as_str()).collect();
    codes.sort();
    let mut preset = PROVIDERS.to_vec();
    preset.sort();
    assert_eq!(codes, preset);
    assert!(providers.iter().all(|p| p.saldo == bs(0) && p.comision_por_cobrar == bs(0)));

    let created = fx.app.create_provider(NewProvider { code: " bnb_2 ".into(), name: "Banco  Nacional".into() }).unwrap();
    assert_eq!(created, Provider { code: "BNB_2".into(), name: "Banco Nacional".into(), saldo: bs(0), comision_por_cobrar: bs(0) });
    assert_eq!(fx.balance_of("provider_float:BNB_2"), 0);
    assert_eq!(fx.balance_of("receivable:bank_commission:BNB_2"), 0);
    assert!(fx.app.list_providers().unwrap().contains(&created));

    let external = fx.balance_of("external");
    let funded = fx.app.adjust_provider_float(fund("bnb_2", "150,50")).unwrap();
    assert_eq!(funded.saldo, bs(15_050));
    assert_eq!(fx.balance_of("external"), external - 15_050);
    assert_eq!(fx.app.adjust_provider_float(defund("BNB_2", "50.50")).unwrap().saldo, bs(10_000));
    let before = fx.snapshot();
    let short = fx.app.adjust_provider_float(defund("BNB_2", "100.01"));
    refused(&fx, short, SaldoProveedorInsuficiente, Some("monto"), &before, "retiro past the float");
    assert_eq!(fx.app.adjust_provider_float(defund("BNB_2", "100")).unwrap().saldo, bs(0));
    assert_eq!(fx.balance_of("external"), external);

    // A new provider works at the counter once funded.
    fx.app.adjust_provider_float(fund("BNB_2", "10")).unwrap();
    let session = session_on(&mut fx, Cashier, "agentes", "0");
    let deposit = fx.as_(Cashier).create_agent_transaction(agent("bnb_2", "DEPOSITO", "10", "N-1", session)).unwrap();
    assert_eq!(deposit.banco, "BNB_2");
    assert_eq!(fx.balance_of("provider_float:BNB_2"), 0);
    assert_ledger_consistent(fx.app.connection(), "providers");
}

#[test]
fn each_agent_operation_posts_its_transfers() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    let session = session_on(&mut fx, Cashier, "mixta", "500");
    let drawer = format!("drawer:{session}");
    let float = "provider_float:TIGO_MONEY";
    let income = "income:client_commission";
    let app = fx.as_(Cashier);

    let deposit = app.create_agent_transaction(agent_c(" tigo_money ", "DEPOSITO", "300", "5", "T-1", session)).unwrap();
    assert_eq!(
        deposit,
        TransaccionAgente {
            id: deposit.id,
            banco: "TIGO_MONEY".into(),
            tipo_operacion: TipoOperacion::Deposito,
            monto: bs(30_000),
            comision_cliente: bs(500),
            comision_banco: bs(0),
            nro_referencia: "T-1".into(),
            url_comprobante: None,
            cuenta_cliente: None,
            fecha: "2025-03-10T14:00:00.000Z".into(),
            id_caja_sesion: session,
            id_usuario: fx.cashier.id,
            anulada_en: None,
            motivo_anulacion: None,
            cliente: None,
        }
    );
    assert_eq!(
        operation_transfers(fx.app.connection(), &format!("agente:{}", deposit.id)),
        vec![t(income, &drawer, 500, "COMISION_CLIENTE", None), t(float, &drawer, 30_000, "DEPOSITO", None)]
    );
    assert_eq!((fx.drawer(session), fx.balance_of(float), fx.balance_of(income)), (50_000 + 30_500, 70_000, -500));

    let qr = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "TRANSFERENCIA_QR", "100", "T-2", session)).unwrap();
    assert_eq!((qr.comision_cliente, qr.tipo_operacion), (bs(0), TipoOperacion::TransferenciaQr));
    assert_eq!(
        operation_transfers(fx.app.connection(), &format!("agente:{}", qr.id)),
        vec![t(float, &drawer, 10_000, "TRANSFERENCIA_QR", None)],
        "no commission, no commission transfer"
    );

    let retiro = fx.as_(Cashier).create_agent_transaction(agent_c("TIGO_MONEY", "RETIRO", "200", "3", "T-3", session)).unwrap();
    assert_eq!(
        operation_transfers(fx.app.connection(), &format!("agente:{}", retiro.id)),
        vec![t(income, &drawer, 300, "COMISION_CLIENTE", None), t(&drawer, float, 20_000, "RETIRO", None)]
    );
    assert_eq!(fx.drawer(session), 80_500 + 10_000 + 300 - 20_000);
    assert_eq!(fx.balance_of(float), 70_000 - 10_000 + 20_000);
    assert_eq!(fx.balance_of(income), -800);

    // A blank commission is zero; the smallest and the largest amounts are accepted.
    let app = fx.as_(Cashier);
    let blank = app.create_agent_transaction(agent_c("TIGO_MONEY", "RETIRO", "1", "  ", "T-4", session)).unwrap();
    assert_eq!((blank.monto, blank.comision_cliente), (bs(100), bs(0)));
    fx.app.adjust_provider_float(fund("BCP", "1000000")).unwrap();
    let max = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "1000000", "B-1", session)).unwrap();
    assert_eq!(max.monto, mostrador::domain::money::MAX_OPERATION);
    assert_eq!(fx.balance_of("provider_float:BCP"), 0);
    assert_eq!(fx.as_(Admin).get_agent_transaction(deposit.id).unwrap(), deposit, "an administrator reads any transaction");
    let err = expect_err(fx.as_(Cashier2).get_agent_transaction(deposit.id), "another session's transaction");
    assert_error(&err, PermisoDenegado, None, "another session's transaction");
    assert_ledger_consistent(fx.app.connection(), "agent operations");
}

#[test]
fn the_commission_pays_part_of_a_retiro() {
    let mut fx = Fixture::new();
    let session = session_on(&mut fx, Cashier, "agentes", "50");
    let before = fx.snapshot();
    let short = fx.as_(Cashier).create_agent_transaction(agent_c("BCP", "RETIRO", "100", "49.99", "R-1", session));
    refused(&fx, short, FondosInsuficientes, Some("monto"), &before, "cash 50 + commission 49.99 < 100");
    fx.as_(Cashier).create_agent_transaction(agent_c("BCP", "RETIRO", "100", "50", "R-1", session)).unwrap();
    assert_eq!(fx.drawer(session), 0, "the commission and the drawer together pay the customer");
    assert_eq!(fx.balance_of("provider_float:BCP"), 10_000);
    // A commission larger than the amount leaves cash in an empty drawer.
    fx.as_(Cashier).create_agent_transaction(agent_c("BCP", "RETIRO", "1", "10", "R-2", session)).unwrap();
    assert_eq!(fx.drawer(session), 900);
    let before = fx.snapshot();
    let short = fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "9.01", "R-3", session));
    refused(&fx, short, FondosInsuficientes, Some("monto"), &before, "one centavo past the drawer");
    assert_ledger_consistent(fx.app.connection(), "retiros");
}

#[test]
fn a_reference_is_unique_per_provider() {
    let mut fx = Fixture::new();
    for banco in PROVIDERS {
        fx.app.adjust_provider_float(fund(banco, "100")).unwrap();
    }
    let mine = session_on(&mut fx, Cashier, "mixta", "100");
    let theirs = session_on(&mut fx, Cashier2, "agentes", "100");
    let first = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", "REF-1", mine)).unwrap();
    // The same reference at every other provider is another transaction.
    for banco in ["BCP", "BANCO_UNION", "SOLI"] {
        fx.as_(Cashier).create_agent_transaction(agent(banco, "RETIRO", "1", "REF-1", mine)).unwrap();
    }
    let attempts = [
        (Cashier, agent("TIGO_MONEY", "RETIRO", "1", "REF-1", mine)),
        (Cashier, agent("tigo_money", "TRANSFERENCIA_QR", "1", " REF-1 ", mine)),
        (Cashier2, agent("TIGO_MONEY", "DEPOSITO", "1", "REF-1", theirs)),
    ];
    for (who, input) in attempts.clone() {
        let before = fx.snapshot();
        let result = fx.as_(who).create_agent_transaction(input.clone());
        refused(&fx, result, ReferenciaDuplicada, Some("nro_referencia"), &before, &format!("{input:?}"));
    }
    // A void does not free the reference: the bank's record still carries it.
    fx.app.void_agent_transaction(void(first.id, "error de monto")).unwrap();
    for (who, input) in attempts {
        let before = fx.snapshot();
        let result = fx.as_(who).create_agent_transaction(input.clone());
        refused(&fx, result, ReferenciaDuplicada, Some("nro_referencia"), &before, &format!("after the void: {input:?}"));
    }
    let duplicates: i64 = fx
        .app
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM (SELECT 1 FROM agent_transactions GROUP BY banco, nro_referencia HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(duplicates, 0);
}

#[test]
fn a_voucher_is_copied_into_the_data_folder() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let session = session_on(&mut fx, Cashier, "agentes", "0");
    let outside = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: Vec<u8>| {
        let path = outside.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        (path.to_string_lossy().into_owned(), bytes)
    };
    let photo = write("Foto del recibo.JPG", (0..=255u8).cycle().take(10_000).collect());
    let pdf = write("recibo.pdf", b"%PDF-1.4 comprobante".to_vec());
    let exact = write("exacto.webp", vec![7u8; 5 * 1024 * 1024]);
    let png = write("qr.png", vec![1, 2, 3]);

    let mut n = 0;
    for ((source, bytes), ext) in [(&photo, "jpg"), (&pdf, "pdf"), (&exact, "webp"), (&png, "png")] {
        n += 1;
        let input = NewAgentTransaction { comprobante: Some(source.clone()), ..agent("BCP", "DEPOSITO", "1", &format!("V-{n}"), session) };
        let record = fx.as_(Cashier).create_agent_transaction(input).unwrap();
        let relative = format!("comprobantes/agente-{}.{ext}", record.id);
        assert_eq!(record.url_comprobante.as_deref(), Some(relative.as_str()));
        assert_eq!(&std::fs::read(fx.dir.path().join(&relative)).unwrap(), bytes, "{relative} is a copy");
        assert!(std::path::Path::new(source).exists(), "the original stays where it was");
        assert_eq!(fx.as_(Cashier).get_agent_transaction(record.id).unwrap().url_comprobante, Some(relative));
    }
    // No voucher, or a blank path, stores nothing.
    let none = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "1", "V-5", session)).unwrap();
    let blank = NewAgentTransaction { comprobante: Some("   ".into()), ..agent("BCP", "DEPOSITO", "1", "V-6", session) };
    let blank = fx.as_(Cashier).create_agent_transaction(blank).unwrap();
    assert_eq!((none.url_comprobante, blank.url_comprobante), (None, None));

    // Bad files are refused before anything is written or copied.
    let gif = write("recibo.gif", vec![1; 10]);
    let big = write("grande.png", vec![1; 5 * 1024 * 1024 + 1]);
    let folder = outside.path().join("carpeta.jpg");
    std::fs::create_dir(&folder).unwrap();
    let vouchers = fx.vouchers_dir();
    let copied = || std::fs::read_dir(&vouchers).unwrap().count();
    let files_before = copied();
    for path in [gif.0, big.0, folder.to_string_lossy().into_owned(), outside.path().join("falta.pdf").to_string_lossy().into_owned()] {
        let before = fx.snapshot();
        let input = NewAgentTransaction { comprobante: Some(path.clone()), ..agent("BCP", "DEPOSITO", "1", "V-7", session) };
        let result = fx.as_(Cashier).create_agent_transaction(input);
        refused(&fx, result, ArchivoInvalido, Some("comprobante"), &before, &path);
    }
    assert_eq!(copied(), files_before);
}

#[test]
fn each_register_specialty_allows_its_operations() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    let agentes = session_on(&mut fx, Cashier, "agentes", "500");
    let ventas = session_on(&mut fx, Cashier2, "ventas", "500");
    let mixta = session_on(&mut fx, Admin, "mixta", "500");
    let mut n = 0;
    let mut agent_side = |fx: &mut Fixture, who: Who, session: i64| {
        n += 1;
        fx.as_(who).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", &format!("S-{n}"), session))
    };
    agent_side(&mut fx, Cashier, agentes).unwrap();
    agent_side(&mut fx, Admin, mixta).unwrap();
    let before = fx.snapshot();
    let refused_agent = agent_side(&mut fx, Cashier2, ventas);
    refused(&fx, refused_agent, EspecialidadNoPermite, Some("id_caja_sesion"), &before, "agent on SOLO_VENTAS");

    for (who, session) in [(Cashier2, ventas), (Admin, mixta)] {
        let app = fx.as_(who);
        app.inject_carrier_float(injection("Tigo", "10", session)).unwrap();
        app.create_topup(topup("Tigo", "71234567", "5", session)).unwrap();
        app.create_payment(pago(1, "EFECTIVO", "5", None, session)).unwrap();
    }
    type Call = Box<dyn Fn(&mut mostrador::Mostrador) -> CoreResult<()>>;
    let calls: [(&str, Call); 3] = [
        ("injection", Box::new(move |a| a.inject_carrier_float(injection("Tigo", "1", agentes)).map(|_| ()))),
        ("topup", Box::new(move |a| a.create_topup(topup("Tigo", "71234567", "1", agentes)).map(|_| ()))),
        ("payment", Box::new(move |a| a.create_payment(pago(1, "EFECTIVO", "1", None, agentes)).map(|_| ()))),
    ];
    for (name, call) in calls {
        let before = fx.snapshot();
        let result = call(fx.as_(Cashier));
        refused(&fx, result, EspecialidadNoPermite, Some("id_caja_sesion"), &before, &format!("{name} on SOLO_AGENTES"));
    }
}

#[test]
fn a_void_posts_the_exact_reversing_transfers_once() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let session = session_on(&mut fx, Cashier, "mixta", "100");
    let drawer = format!("drawer:{session}");

    // A deposit: the drawer gives back amount and commission.
    let before = fx.balances();
    let deposit = fx.as_(Cashier).create_agent_transaction(agent_c("BCP", "DEPOSITO", "300", "5", "D-1", session)).unwrap();
    let voided = fx.app.void_agent_transaction(void(deposit.id, "  monto   equivocado ")).unwrap();
    assert_eq!(fx.balances(), before, "the void restores every balance");
    assert!(voided.anulada_en.is_some());
    assert_eq!(voided.motivo_anulacion.as_deref(), Some("monto equivocado"));
    let op = format!("agente:{}", deposit.id);
    let ids = transfer_ids(&fx, &op);
    assert_eq!(
        operation_transfers(fx.app.connection(), &op),
        vec![
            t("income:client_commission", &drawer, 500, "COMISION_CLIENTE", None),
            t("provider_float:BCP", &drawer, 30_000, "DEPOSITO", None),
            t(&drawer, "provider_float:BCP", 30_000, "DEPOSITO", Some(ids[1])),
            t(&drawer, "income:client_commission", 500, "COMISION_CLIENTE", Some(ids[0])),
        ]
    );
    let sessions: Vec<Option<i64>> = {
        let conn = fx.app.connection();
        let mut stmt = conn.prepare("SELECT session_id FROM transfers WHERE operation = ?1").unwrap();
        stmt.query_map([&op], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert!(sessions.iter().all(|s| *s == Some(session)), "reversals belong to the operation's session");
    let before = fx.snapshot();
    let again = fx.app.void_agent_transaction(void(deposit.id, "otra vez"));
    refused(&fx, again, YaAnulada, Some("id"), &before, "second void");

    // A deposit whose cash has left the drawer cannot be voided until the cash is back.
    let deposit = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "200", "D-2", session)).unwrap();
    fx.as_(Cashier).record_cash_movement(egreso(session, "250")).unwrap();
    let before = fx.snapshot();
    let short = fx.app.void_agent_transaction(void(deposit.id, "error"));
    refused(&fx, short, FondosInsuficientes, Some("id"), &before, "void past the drawer");
    fx.as_(Cashier).record_cash_movement(ingreso(session, "150")).unwrap();
    fx.app.void_agent_transaction(void(deposit.id, "error")).unwrap();

    // A retiro: the float gives the amount back, which it may no longer have.
    fx.as_(Cashier).record_cash_movement(ingreso(session, "100")).unwrap();
    let retiro = fx.as_(Cashier).create_agent_transaction(agent_c("BCP", "RETIRO", "50", "1", "R-1", session)).unwrap();
    let float = fx.balance_of("provider_float:BCP");
    fx.app.adjust_provider_float(defund("BCP", &text(float - 4_000))).unwrap();
    let before = fx.snapshot();
    let short = fx.app.void_agent_transaction(void(retiro.id, "error"));
    refused(&fx, short, SaldoProveedorInsuficiente, Some("id"), &before, "void of a retiro past the float");
    fx.app.adjust_provider_float(fund("BCP", "10")).unwrap();
    let before = fx.balances();
    fx.app.void_agent_transaction(void(retiro.id, "error")).unwrap();
    let after = fx.balances();
    assert_eq!(after[&drawer], before[&drawer] + 5_000 - 100);
    assert_eq!(after["provider_float:BCP"], before["provider_float:BCP"] - 5_000);

    // Once the session is closed, its operations are final.
    let live = fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "1", "R-2", session)).unwrap();
    let cash = fx.drawer(session);
    fx.as_(Cashier).close_session(close(session, counts_for(cash))).unwrap();
    let before = fx.snapshot();
    let closed = fx.app.void_agent_transaction(void(live.id, "tarde"));
    refused(&fx, closed, SesionCerrada, Some("id"), &before, "void after the close");
    let report = fx.app.session_report(session).unwrap();
    assert_eq!(report.anulaciones, 3);
    assert_eq!(report.agentes.len(), 1, "only the live deposit is counted: {:?}", report.agentes);
    assert_ledger_consistent(fx.app.connection(), "voids");
}

#[test]
fn agent_transactions_are_listed_by_filter_local_date_and_page() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let mine = session_on(&mut fx, Cashier, "mixta", "500");
    let theirs = session_on(&mut fx, Cashier2, "agentes", "500");
    // 10:00 on the 10th, local.
    let a = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", "A", mine)).unwrap();
    let b = fx.as_(Cashier2).create_agent_transaction(agent("BCP", "RETIRO", "10", "B", theirs)).unwrap();
    // 23:30 on the 10th, local: already the 11th in UTC.
    fx.clock.advance(Duration::minutes(13 * 60 + 30));
    let c = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "10", "C", mine)).unwrap();
    assert!(c.fecha.starts_with("2025-03-11T03:30"), "{}", c.fecha);
    // 00:30 on the 11th, local.
    fx.clock.advance(Duration::hours(1));
    let d = fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "TRANSFERENCIA_QR", "10", "D", mine)).unwrap();
    let e = fx.as_(Cashier2).create_agent_transaction(agent("TIGO_MONEY", "RETIRO", "10", "E", theirs)).unwrap();
    fx.app.void_agent_transaction(void(b.id, "error")).unwrap();

    let ids = |filter: AgentFilter, fx: &mut Fixture| -> (Vec<i64>, i64) {
        let page = fx.as_(Admin).list_agent_transactions(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        (page.items.iter().map(|x| x.id).collect(), page.total)
    };
    let f = AgentFilter::default;
    assert_eq!(ids(f(), &mut fx), (vec![e.id, d.id, c.id, b.id, a.id], 5), "newest first, voided ones included");
    let own = fx.as_(Cashier).list_agent_transactions(f()).unwrap();
    assert_eq!((own.items.iter().map(|x| x.id).collect::<Vec<_>>(), own.total), (vec![d.id, c.id, a.id], 3), "a cashier sees their own sessions'");
    let day = |d: &str| Some(d.to_string());
    assert_eq!(ids(AgentFilter { desde: day("2025-03-10"), hasta: day("2025-03-10"), ..f() }, &mut fx).0, vec![c.id, b.id, a.id]);
    assert_eq!(ids(AgentFilter { desde: day("2025-03-11"), ..f() }, &mut fx).0, vec![e.id, d.id]);
    assert_eq!(ids(AgentFilter { hasta: day("2025-03-10"), ..f() }, &mut fx).0, vec![c.id, b.id, a.id]);
    assert_eq!(ids(AgentFilter { desde: day("2025-03-09"), hasta: day("2025-03-09"), ..f() }, &mut fx).0, Vec::<i64>::new());
    assert_eq!(ids(AgentFilter { banco: day("tigo_money"), ..f() }, &mut fx).0, vec![e.id, d.id, a.id]);
    assert_eq!(ids(AgentFilter { tipo_operacion: day("RETIRO"), ..f() }, &mut fx).0, vec![e.id, b.id]);
    assert_eq!(ids(AgentFilter { id_caja_sesion: Some(theirs), ..f() }, &mut fx).0, vec![e.id, b.id]);
    assert_eq!(
        ids(AgentFilter { id_caja_sesion: Some(mine), banco: day("BCP"), desde: day("2025-03-10"), ..f() }, &mut fx).0,
        vec![c.id]
    );
    // 1-based pages of two.
    let page = |n: i64, fx: &mut Fixture| ids(AgentFilter { page: Some(n), size: Some(2), ..f() }, fx);
    assert_eq!(page(1, &mut fx), (vec![e.id, d.id], 5));
    assert_eq!(page(2, &mut fx), (vec![c.id, b.id], 5));
    assert_eq!(page(3, &mut fx), (vec![a.id], 5));
    assert_eq!(page(4, &mut fx), (vec![], 5));
    let listed = fx.as_(Admin).list_agent_transactions(AgentFilter { page: Some(2), size: Some(2), ..f() }).unwrap();
    assert_eq!((listed.page, listed.size), (2, 2));
    assert!(listed.items[1].anulada_en.is_some());
}

/// A page asked for after the previous page's last row (keyset) holds the same rows as the
/// same page by number, for every filter, with rows recorded at the same instant and rows
/// on both sides of a local midnight; the total is always the whole filter's.
#[test]
fn pages_after_a_row_match_pages_by_number() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "5000")).unwrap();
    fx.app.adjust_provider_float(fund("BCP", "5000")).unwrap();
    let mine = session_on(&mut fx, Cashier, "mixta", "2000");
    let theirs = session_on(&mut fx, Cashier2, "agentes", "2000");
    let tipos = ["DEPOSITO", "RETIRO", "TRANSFERENCIA_QR"];
    let mut all = Vec::new();
    for n in 0..23 {
        // Three operations per instant, then 5 hours on: the rows span three local days.
        if n % 3 == 0 {
            fx.clock.advance(Duration::hours(5));
        }
        let (who, session) = if n % 4 == 0 { (Cashier2, theirs) } else { (Cashier, mine) };
        let banco = if n % 2 == 0 { "BCP" } else { "TIGO_MONEY" };
        let input = agent(banco, tipos[n % 3], "10", &format!("K{n}"), session);
        all.push(fx.as_(who).create_agent_transaction(input).unwrap());
    }
    let newest = all.last().unwrap().id;
    let day = |d: &str| Some(d.to_string());
    let f = AgentFilter::default;
    let filters = [
        f(),
        AgentFilter { banco: day("BCP"), ..f() },
        AgentFilter { banco: day("TIGO_MONEY"), desde: day("2025-03-10"), hasta: day("2025-03-11"), ..f() },
        AgentFilter { hasta: day("2025-03-11"), ..f() },
        AgentFilter { id_caja_sesion: Some(mine), ..f() },
        AgentFilter { tipo_operacion: day("RETIRO"), desde: day("2025-03-11"), ..f() },
    ];
    for filter in filters {
        let whole = fx.as_(Cashier).list_agent_transactions(AgentFilter { size: Some(100), ..filter.clone() }).unwrap();
        assert!(whole.total >= 3, "{filter:?} matches too little to page: {}", whole.total);
        let mut by_number = Vec::new();
        let mut by_row = Vec::new();
        let mut last = None;
        for n in 1..=(whole.total + 3) / 4 {
            let numbered = fx.as_(Cashier).list_agent_transactions(AgentFilter { page: Some(n), size: Some(4), ..filter.clone() }).unwrap();
            let after = AgentFilter { page: Some(n), size: Some(4), despues_de: last, ..filter.clone() };
            let keyed = fx.as_(Cashier).list_agent_transactions(after).unwrap();
            assert_eq!(keyed, numbered, "{filter:?} page {n}");
            last = keyed.items.last().map(|t| t.id);
            by_number.extend(numbered.items);
            by_row.extend(keyed.items);
        }
        assert_eq!(by_row, whole.items, "{filter:?}: the pages together are the whole list");
        assert_eq!(by_number, whole.items, "{filter:?}");
        // After the newest row of all, a filter that ends before it starts at its own top.
        let after_newest = fx.as_(Cashier).list_agent_transactions(AgentFilter { size: Some(100), despues_de: Some(newest), ..filter.clone() }).unwrap();
        let expected: Vec<_> = whole.items.iter().filter(|t| t.id != newest).cloned().collect();
        assert_eq!((after_newest.items, after_newest.total), (expected, whole.total), "{filter:?} after the newest row");
    }
}

#[test]
fn bank_commissions_are_settled_from_the_banks_file() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let session = session_on(&mut fx, Cashier, "mixta", "500");
    let mut ids = std::collections::BTreeMap::new();
    for (banco, referencia) in [("TIGO_MONEY", "T-1"), ("TIGO_MONEY", "T-2"), ("TIGO_MONEY", "T-3"), ("TIGO_MONEY", "T-4"), ("BCP", "T-2")] {
        let record = fx.as_(Cashier).create_agent_transaction(agent(banco, "DEPOSITO", "10", referencia, session)).unwrap();
        ids.insert((banco, referencia), record.id);
    }
    fx.app.void_agent_transaction(void(ids[&("TIGO_MONEY", "T-3")], "error")).unwrap();
    let receivable = "receivable:bank_commission:TIGO_MONEY";
    let income = "income:bank_commission";
    let float = fx.balance_of("provider_float:TIGO_MONEY");

    let csv = "nro_referencia;comision_banco\r\nT-1,2.50\n\nT-2;1,25\nT-3,1.00\nNADA,1.00\nT-1\nT-2,abc\n\"T-4\",\"0.75\"\n";
    let report = fx.app.settle_bank_commissions(settlement("tigo_money", csv, false)).unwrap();
    assert_eq!(report.banco, "TIGO_MONEY");
    let settled: Vec<(i64, &str, i64, i64)> =
        report.conciliadas.iter().map(|l| (l.linea, l.nro_referencia.as_str(), l.id_transaccion, l.comision_banco.centavos())).collect();
    assert_eq!(
        settled,
        vec![
            (2, "T-1", ids[&("TIGO_MONEY", "T-1")], 250),
            (4, "T-2", ids[&("TIGO_MONEY", "T-2")], 125),
            (9, "T-4", ids[&("TIGO_MONEY", "T-4")], 75),
        ]
    );
    let unmatched: Vec<(i64, &str, &str)> =
        report.sin_coincidencia.iter().map(|l| (l.linea, l.texto.as_str(), l.motivo.as_str())).collect();
    assert_eq!(
        unmatched,
        vec![
            (5, "T-3,1.00", "la transacción está anulada"),
            (6, "NADA,1.00", "ninguna transacción tiene esa referencia"),
            (7, "T-1", "no tiene dos columnas"),
            (8, "T-2,abc", "la comisión no es un monto válido"),
        ]
    );
    assert_eq!((report.total, report.pagado), (bs(450), false));
    assert_eq!((fx.balance_of(receivable), fx.balance_of(income)), (450, -450));
    assert_eq!(fx.balance_of("provider_float:TIGO_MONEY"), float, "not paid yet");
    let bank = |fx: &mut Fixture, key: (&str, &str)| fx.as_(Cashier).get_agent_transaction(ids[&key]).unwrap().comision_banco.centavos();
    assert_eq!(bank(&mut fx, ("TIGO_MONEY", "T-1")), 250);
    assert_eq!(bank(&mut fx, ("TIGO_MONEY", "T-3")), 0, "a voided transaction earns nothing");
    assert_eq!(bank(&mut fx, ("BCP", "T-2")), 0, "the same reference at another bank is another transaction");
    let tigo = fx.app.list_providers().unwrap().into_iter().find(|p| p.code == "TIGO_MONEY").unwrap();
    assert_eq!(tigo.comision_por_cobrar, bs(450));

    // A corrected file accrues only the change, down as well as up; a byte-order mark and
    // a first line of data (no header) are read as such.
    let report = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "\u{feff}T-1,3.00\nT-4,0.25\n", false)).unwrap();
    assert_eq!(report.conciliadas.iter().map(|l| l.linea).collect::<Vec<_>>(), vec![1, 2]);
    assert!(report.sin_coincidencia.is_empty(), "{:?}", report.sin_coincidencia);
    assert_eq!(report.total, bs(0));
    assert_eq!(fx.balance_of(receivable), 450);
    assert_eq!(bank(&mut fx, ("TIGO_MONEY", "T-1")), 300);
    assert_eq!(bank(&mut fx, ("TIGO_MONEY", "T-4")), 25);
    // A first line naming a transaction is data: an unreadable amount there is reported, not taken for a header.
    let report = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,tres\nT-2,1.25", false)).unwrap();
    assert_eq!(report.sin_coincidencia.iter().map(|l| (l.linea, l.motivo.as_str())).collect::<Vec<_>>(), vec![(1, "la comisión no es un monto válido")]);
    assert_eq!(report.conciliadas.len(), 1);

    // Paid: the bank's commissions on BCP go into the BCP float.
    let bcp_float = fx.balance_of("provider_float:BCP");
    let report = fx.app.settle_bank_commissions(settlement("BCP", "referencia,comision\nT-2,0.40\nT-1,9.99\n", true)).unwrap();
    assert_eq!((report.total, report.pagado, report.conciliadas.len(), report.sin_coincidencia.len()), (bs(40), true, 1, 1));
    assert_eq!(fx.balance_of("provider_float:BCP"), bcp_float + 40);
    assert_eq!(fx.balance_of("receivable:bank_commission:BCP"), 0);
    assert_eq!(fx.balance_of(income), -490);
    let rows: Vec<(String, i64, i64, i64, bool)> = {
        let conn = fx.app.connection();
        let mut stmt = conn.prepare("SELECT banco, lineas, conciliadas, total, pagado FROM bank_commission_settlements ORDER BY id").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(
        rows,
        vec![
            ("TIGO_MONEY".into(), 7, 3, 450, false),
            ("TIGO_MONEY".into(), 2, 2, 0, false),
            ("TIGO_MONEY".into(), 2, 1, 0, false),
            ("BCP".into(), 2, 1, 40, true),
        ]
    );
    // The session report carries the bank commissions of its live transactions.
    let report = fx.app.session_report(session).unwrap();
    assert_eq!(report.comision_banco, bs(300 + 125 + 25 + 40));
    assert_ledger_consistent(fx.app.connection(), "settlements");
}

#[test]
fn a_carrier_bonus_is_credited_rounded_down_to_the_centavo() {
    let mut fx = Fixture::new();
    let balances = fx.app.configure_carrier_bonus(bonus("tigo", "2.5")).unwrap();
    let shown = |b: &[OperadoraSaldo], o: Carrier| b.iter().find(|c| c.operadora == o).unwrap().bonificacion_porcentaje.clone();
    assert_eq!(shown(&balances, Carrier::Tigo), "2.50");
    assert_eq!(shown(&balances, Carrier::Entel), "0.00");
    fx.app.configure_carrier_bonus(bonus("ENTEL", "33,33")).unwrap();
    fx.app.configure_carrier_bonus(bonus("Viva", "0.01")).unwrap();
    let session = session_on(&mut fx, Cashier, "ventas", "5000");
    let cases = [
        ("Tigo", "10", 25),
        ("Tigo", "1.99", 4),  // 4.975 centavos
        ("Entel", "1", 33),   // 33.33
        ("Entel", "2", 66),   // 66.66, not 67
        ("Viva", "99.99", 0), // 0.9999
        ("Viva", "100", 1),
    ];
    let mut carrier_bonus = 0;
    for (operadora, monto, expected) in cases {
        let carrier = format!("carrier_float:{operadora}");
        let (drawer, float) = (fx.drawer(session), fx.balance_of(&carrier));
        let injected = fx.as_(Cashier).inject_carrier_float(injection(operadora, monto, session)).unwrap();
        let cents = Money::parse_positive("monto", monto).unwrap().centavos();
        assert_eq!(injected.bonificacion.centavos(), expected, "{operadora} {monto}");
        assert_eq!(fx.drawer(session), drawer - cents, "the drawer pays the amount only");
        assert_eq!(fx.balance_of(&carrier), float + cents + expected);
        carrier_bonus -= expected;
        assert_eq!(fx.balance_of("income:carrier_bonus"), carrier_bonus);
        let moves = operation_transfers(fx.app.connection(), &format!("inyeccion:{}", injected.id));
        let drawer_code = format!("drawer:{session}");
        let mut want = vec![t(&drawer_code, &carrier, cents, "INYECCION", None)];
        if expected > 0 {
            want.push(t("income:carrier_bonus", &carrier, expected, "BONIFICACION_OPERADORA", None));
        }
        assert_eq!(moves, want, "{operadora} {monto}");
    }
    // The largest bonus on the largest injection; a new rate leaves past injections alone.
    fx.app.configure_carrier_bonus(bonus("Tigo", "50")).unwrap();
    let big = fx.as_(Cashier).inject_carrier_float(injection("Tigo", "4000", session)).unwrap();
    assert_eq!(big.bonificacion, bs(200_000));
    fx.app.configure_carrier_bonus(bonus("Tigo", "0")).unwrap();
    let none = fx.as_(Cashier).inject_carrier_float(injection("Tigo", "1", session)).unwrap();
    assert_eq!(none.bonificacion, bs(0));
    let listed = fx.as_(Cashier).list_injections(RecargaFilter { operadora: Some("tigo".into()), ..Default::default() }).unwrap();
    assert_eq!(listed.items.iter().map(|i| i.bonificacion.centavos()).collect::<Vec<_>>(), vec![0, 200_000, 4, 25]);
    assert_eq!(shown(&fx.app.list_carrier_balances().unwrap(), Carrier::Entel), "33.33");
    assert_ledger_consistent(fx.app.connection(), "bonuses");
}

#[test]
fn a_topup_sells_carrier_balance_for_cash_and_its_void_returns_it() {
    let mut fx = Fixture::new();
    let session = session_on(&mut fx, Cashier, "ventas", "100");
    let before = fx.snapshot();
    let empty = fx.as_(Cashier).create_topup(topup("Tigo", "71234567", "0.10", session));
    refused(&fx, empty, SaldoOperadoraInsuficiente, Some("monto"), &before, "no carrier balance yet");
    fx.as_(Cashier).inject_carrier_float(injection("Entel", "50", session)).unwrap();
    assert_eq!(fx.drawer(session), 5_000);
    let sold = fx.as_(Cashier).create_topup(topup("entel", " 7123-45 67 ", "0.10", session)).unwrap();
    assert_eq!((sold.operadora, sold.telefono.as_str(), sold.monto), (Carrier::Entel, "71234567", bs(10)));
    assert_eq!((sold.id_caja_sesion, sold.id_usuario, sold.anulada_en.clone()), (session, fx.cashier.id, None));
    let other = fx.as_(Cashier).create_topup(topup("Entel", "6 1234567", "49.90", session)).unwrap();
    assert_eq!(other.telefono, "61234567");
    assert_eq!(fx.balance_of("carrier_float:Entel"), 0);
    assert_eq!(fx.drawer(session), 10_000);
    let carriers = fx.as_(Cashier2).list_carrier_balances().unwrap();
    assert_eq!(carriers.iter().map(|c| (c.operadora, c.saldo_actual.centavos())).collect::<Vec<_>>(), vec![
        (Carrier::Entel, 0),
        (Carrier::Tigo, 0),
        (Carrier::Viva, 0)
    ]);

    let before = fx.balances();
    let drawer = format!("drawer:{session}");
    let voided = fx.app.void_topup(void(other.id, "número equivocado")).unwrap();
    assert_eq!(voided.motivo_anulacion.as_deref(), Some("número equivocado"));
    let after = fx.balances();
    assert_eq!(after["carrier_float:Entel"], before["carrier_float:Entel"] + 4_990);
    assert_eq!(after[&drawer], before[&drawer] - 4_990);
    let ids = transfer_ids(&fx, &format!("recarga:{}", other.id));
    assert_eq!(
        operation_transfers(fx.app.connection(), &format!("recarga:{}", other.id)),
        vec![t("carrier_float:Entel", &drawer, 4_990, "RECARGA", None), t(&drawer, "carrier_float:Entel", 4_990, "RECARGA", Some(ids[0]))]
    );
    let before = fx.snapshot();
    let again = fx.app.void_topup(void(other.id, "otra vez"));
    refused(&fx, again, YaAnulada, Some("id"), &before, "second void");
    let before = fx.snapshot();
    let cashier = fx.as_(Cashier).void_topup(void(sold.id, "error"));
    refused(&fx, cashier, PermisoDenegado, None, &before, "a cashier voids");

    let listed = fx.as_(Cashier).list_topups(RecargaFilter { id_caja_sesion: Some(session), ..Default::default() }).unwrap();
    assert_eq!(listed.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![other.id, sold.id]);
    assert!(listed.items[0].anulada_en.is_some());
    let paged = fx.as_(Cashier).list_topups(RecargaFilter { page: Some(2), size: Some(1), ..Default::default() }).unwrap();
    assert_eq!((paged.items.len(), paged.items[0].id, paged.total), (1, sold.id, 2));
    let report = fx.app.session_report(session).unwrap();
    let entel = report.recargas.iter().find(|c| c.operadora == Carrier::Entel).unwrap();
    assert_eq!((entel.recargas, entel.monto_recargas, entel.inyecciones, entel.monto_inyecciones), (1, bs(10), 1, bs(5_000)));
    assert_eq!(report.anulaciones, 1);
    assert_ledger_consistent(fx.app.connection(), "topups");
}

#[test]
fn payments_go_to_the_drawer_or_the_bank_with_unique_references_per_method() {
    let mut fx = Fixture::new();
    let session = session_on(&mut fx, Cashier, "mixta", "100");
    let drawer = format!("drawer:{session}");
    let app = fx.as_(Cashier);
    let cash = app.create_payment(pago(7, "EFECTIVO", "40", None, session)).unwrap();
    assert_eq!(
        cash,
        Pago {
            id: cash.id,
            pendiente_id: 7,
            cliente: "Rosa Quispe".into(),
            empleado: CASHIER_NAME.into(),
            monto: bs(4_000),
            fecha_pago: TODAY.into(),
            metodo_pago: MetodoPago::Efectivo,
            referencia: None,
            vigente: true,
            id_caja_sesion: session,
            corrige_a: None,
            creado_en: cash.creado_en.clone(),
            anulada_en: None,
            motivo_anulacion: None,
        }
    );
    assert!(cash.creado_en.starts_with("20") && cash.creado_en.ends_with('Z'), "{}", cash.creado_en);
    for (metodo, monto) in [("BCP", "60"), ("LOS_ANDES", "10"), ("OTRO", "5")] {
        let p = fx.as_(Cashier).create_payment(pago(8, metodo, monto, Some("R-1"), session)).unwrap();
        assert_eq!(
            operation_transfers(fx.app.connection(), &format!("pago:{}", p.id)),
            vec![t("income:payments", &format!("bank:{metodo}"), Money::parse_positive("monto", monto).unwrap().centavos(), "PAGO", None)]
        );
    }
    assert_eq!(operation_transfers(fx.app.connection(), &format!("pago:{}", cash.id)), vec![t("income:payments", &drawer, 4_000, "PAGO", None)]);
    assert_eq!((fx.drawer(session), fx.balance_of("bank:BCP"), fx.balance_of("income:payments")), (14_000, 6_000, -11_500));
    // A reference is unique per method, cash receipts included.
    fx.as_(Cashier).create_payment(pago(9, "EFECTIVO", "1", Some("REC-1"), session)).unwrap();
    for (metodo, referencia) in [("BCP", "R-1"), ("OTRO", "R-1"), ("EFECTIVO", "REC-1")] {
        let before = fx.snapshot();
        let dup = fx.as_(Cashier).create_payment(pago(9, metodo, "1", Some(referencia), session));
        refused(&fx, dup, ReferenciaDuplicada, Some("referencia"), &before, &format!("{metodo} {referencia}"));
    }
    // Dates: today and the past are fine, tomorrow is not, by the store's local date.
    fx.as_(Cashier).create_payment(NewPago { fecha_pago: "2025-03-09".into(), ..pago(9, "EFECTIVO", "1", None, session) }).unwrap();
    fx.as_(Cashier).create_payment(NewPago { fecha_pago: "2024-02-29".into(), ..pago(9, "EFECTIVO", "1", None, session) }).unwrap();
    fx.clock.advance(Duration::minutes(13 * 60 + 59)); // 23:59 local, 03:59 UTC on the 11th
    let before = fx.snapshot();
    let tomorrow = fx.as_(Cashier).create_payment(NewPago { fecha_pago: "2025-03-11".into(), ..pago(9, "EFECTIVO", "1", None, session) });
    refused(&fx, tomorrow, ValorInvalido, Some("fechaPago"), &before, "the 11th before local midnight");
    fx.clock.advance(Duration::minutes(1));
    fx.as_(Cashier).create_payment(NewPago { fecha_pago: "2025-03-11".into(), ..pago(9, "EFECTIVO", "1", None, session) }).unwrap();

    // A void frees the reference; voided payments leave the live list but not the work order's history.
    let bcp = fx.as_(Cashier).payments_for_work_order(8).unwrap().into_iter().find(|p| p.metodo_pago == MetodoPago::Bcp).unwrap();
    let voided = fx.app.void_payment(void(bcp.id, "duplicado")).unwrap();
    assert!(!voided.vigente);
    assert_eq!(fx.balance_of("bank:BCP"), 0);
    let reused = fx.as_(Cashier).create_payment(pago(8, "BCP", "60", Some("R-1"), session)).unwrap();
    let before = fx.snapshot();
    let again = fx.app.void_payment(void(bcp.id, "otra vez"));
    refused(&fx, again, YaAnulada, Some("id"), &before, "second void");
    let history = fx.as_(Cashier).payments_for_work_order(8).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history.last().unwrap().id, reused.id, "oldest first");
    let live = fx.as_(Cashier).list_payments(PagoFilter::default()).unwrap();
    assert_eq!(live.total, 8);
    assert!(live.items.iter().all(|p| p.vigente && p.id != bcp.id));
    // Zero-based pages, newest first.
    let first = fx.as_(Cashier).list_payments(PagoFilter { page: Some(0), size: Some(3), ..Default::default() }).unwrap();
    let second = fx.as_(Cashier).list_payments(PagoFilter { page: Some(1), size: Some(3), ..Default::default() }).unwrap();
    assert_eq!(first.items[0].id, reused.id);
    assert_eq!((first.items.len(), second.items.len(), first.page, second.page), (3, 3, 0, 1));
    assert!(first.items.last().unwrap().id > second.items[0].id);
    assert_ledger_consistent(fx.app.connection(), "payments");
}

#[test]
fn a_payment_correction_voids_the_original_and_links_the_new_entry() {
    let mut fx = Fixture::new();
    let session = session_on(&mut fx, Cashier, "mixta", "100");
    let elsewhere = session_on(&mut fx, Admin, "ventas", "0");
    let a = fx.as_(Cashier).create_payment(pago(7, "BCP", "60", Some("R-1"), session)).unwrap();
    let correction = |id: i64, input: NewPago| UpdatePago { id, pago: input, motivo: "monto corregido".into() };

    // A -> B: same method and reference, new amount; recorded in A's session whatever the input says.
    let b = fx.app.update_payment(correction(a.id, pago(7, "BCP", "65", Some("R-1"), elsewhere))).unwrap();
    assert_eq!((b.corrige_a, b.id_caja_sesion, b.monto, b.vigente), (Some(a.id), session, bs(6_500), true));
    assert_eq!(b.empleado, ADMIN_NAME);
    assert_eq!(fx.balance_of("bank:BCP"), 6_500);
    let ids = transfer_ids(&fx, &format!("pago:{}", a.id));
    assert_eq!(
        operation_transfers(fx.app.connection(), &format!("pago:{}", a.id)),
        vec![t("income:payments", "bank:BCP", 6_000, "PAGO", None), t("bank:BCP", "income:payments", 6_000, "PAGO", Some(ids[0]))]
    );
    // B -> C: to cash, no reference.
    let c = fx.app.update_payment(correction(b.id, pago(7, "EFECTIVO", "65", None, session))).unwrap();
    assert_eq!((c.corrige_a, c.referencia.clone()), (Some(b.id), None));
    assert_eq!((fx.balance_of("bank:BCP"), fx.drawer(session)), (0, 16_500));
    // Only the live end of the chain can be corrected or voided.
    for id in [a.id, b.id] {
        let before = fx.snapshot();
        let result = fx.app.update_payment(correction(id, pago(7, "EFECTIVO", "1", None, session)));
        refused(&fx, result, YaAnulada, Some("id"), &before, "correcting a corrected payment");
        let before = fx.snapshot();
        let result = fx.app.void_payment(void(id, "x"));
        refused(&fx, result, YaAnulada, Some("id"), &before, "voiding a corrected payment");
    }
    let history = fx.as_(Cashier).payments_for_work_order(7).unwrap();
    let chain: Vec<(i64, bool, Option<i64>)> = history.iter().map(|p| (p.id, p.vigente, p.corrige_a)).collect();
    assert_eq!(chain, vec![(a.id, false, None), (b.id, false, Some(a.id)), (c.id, true, Some(b.id))]);
    assert_eq!(fx.as_(Cashier).list_payments(PagoFilter::default()).unwrap().items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![c.id]);
    // The chain's voids each count once in the report; only C is in the totals.
    let report = fx.app.session_report(session).unwrap();
    assert_eq!(report.anulaciones, 2);
    assert_eq!(report.pagos.iter().map(|p| (p.metodo_pago, p.cantidad, p.monto)).collect::<Vec<_>>(), vec![(MetodoPago::Efectivo, 1, bs(6_500))]);
    let void_c = fx.app.void_payment(void(c.id, "cliente desistió")).unwrap();
    assert!(!void_c.vigente);
    assert_eq!((fx.drawer(session), fx.balance_of("income:payments")), (10_000, 0));
    // A correction whose reference another live payment of that method holds changes nothing.
    let d = fx.as_(Cashier).create_payment(pago(8, "LOS_ANDES", "5", Some("X-1"), session)).unwrap();
    fx.as_(Cashier).create_payment(pago(8, "BCP", "5", Some("X-1"), session)).unwrap();
    let before = fx.snapshot();
    let dup = fx.app.update_payment(correction(d.id, pago(8, "BCP", "5", Some("X-1"), session)));
    refused(&fx, dup, ReferenciaDuplicada, Some("referencia"), &before, "correction onto a live reference");
    // After the close, the session's payments are final.
    let cash = fx.drawer(session);
    fx.as_(Cashier).close_session(close(session, counts_for(cash))).unwrap();
    let before = fx.snapshot();
    let late = fx.app.update_payment(correction(d.id, pago(8, "LOS_ANDES", "6", Some("X-1"), elsewhere)));
    refused(&fx, late, SesionCerrada, Some("id"), &before, "correction after the close");
    assert_ledger_consistent(fx.app.connection(), "corrections");
}

#[test]
fn the_session_report_totals_the_sessions_operations() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    fx.app.adjust_provider_float(fund("BCP", "500")).unwrap();
    fx.app.configure_carrier_bonus(bonus("Tigo", "2.5")).unwrap();
    // Another session leaves Viva with Bs 20 before ours opens.
    let before_ours = session_on(&mut fx, Cashier2, "ventas", "100");
    fx.as_(Cashier2).inject_carrier_float(injection("Viva", "20", before_ours)).unwrap();

    let session = session_on(&mut fx, Cashier, "mixta", "200");
    let c = fx.as_(Cashier);
    c.create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "100", "2", "T-1", session)).unwrap();
    c.create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "50", "1", "T-2", session)).unwrap();
    c.create_agent_transaction(agent_c("TIGO_MONEY", "RETIRO", "30", "0.50", "T-3", session)).unwrap();
    c.create_agent_transaction(agent_c("BCP", "TRANSFERENCIA_QR", "20", "1", "B-1", session)).unwrap();
    let voided_agent = c.create_agent_transaction(agent_c("BCP", "DEPOSITO", "10", "9", "B-2", session)).unwrap();
    c.inject_carrier_float(injection("Tigo", "100", session)).unwrap();
    c.inject_carrier_float(injection("Entel", "50", session)).unwrap();
    c.create_topup(topup("Tigo", "71111111", "10", session)).unwrap();
    c.create_topup(topup("Tigo", "72222222", "5", session)).unwrap();
    let voided_topup = c.create_topup(topup("Entel", "63333333", "3", session)).unwrap();
    c.create_payment(pago(1, "EFECTIVO", "40", None, session)).unwrap();
    let voided_pago = c.create_payment(pago(1, "EFECTIVO", "10", None, session)).unwrap();
    c.create_payment(pago(2, "BCP", "60", Some("R"), session)).unwrap();
    c.create_payment(pago(3, "OTRO", "7", Some("O"), session)).unwrap();
    // Someone else's work in the same hours stays out of this report.
    fx.as_(Cashier2).create_topup(topup("Viva", "74444444", "1", before_ours)).unwrap();
    fx.app.void_agent_transaction(void(voided_agent.id, "error")).unwrap();
    fx.app.void_topup(void(voided_topup.id, "error")).unwrap();
    fx.app.void_payment(void(voided_pago.id, "error")).unwrap();
    fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,1.00\nT-3,0.30", true)).unwrap();
    fx.app.settle_bank_commissions(settlement("BCP", "B-2,5.00", true)).unwrap();

    let report = fx.app.session_report(session).unwrap();
    assert_eq!(report.kind, ReportKind::X);
    let agentes: Vec<(&str, TipoOperacion, i64, i64, i64, i64)> = report
        .agentes
        .iter()
        .map(|a| (a.banco.as_str(), a.tipo_operacion, a.cantidad, a.monto.centavos(), a.comision_cliente.centavos(), a.comision_banco.centavos()))
        .collect();
    assert_eq!(
        agentes,
        vec![
            ("BCP", TipoOperacion::TransferenciaQr, 1, 2_000, 100, 0),
            ("TIGO_MONEY", TipoOperacion::Deposito, 2, 15_000, 300, 100),
            ("TIGO_MONEY", TipoOperacion::Retiro, 1, 3_000, 50, 30),
        ]
    );
    assert_eq!((report.comision_cliente, report.comision_banco), (bs(450), bs(130)));
    type CarrierLine = (Carrier, i64, i64, i64, i64, i64, i64, i64);
    let recargas: Vec<CarrierLine> = report
        .recargas
        .iter()
        .map(|r| {
            (
                r.operadora,
                r.saldo_apertura.centavos(),
                r.saldo_cierre.centavos(),
                r.recargas,
                r.monto_recargas.centavos(),
                r.inyecciones,
                r.monto_inyecciones.centavos(),
                r.bonificacion.centavos(),
            )
        })
        .collect();
    assert_eq!(
        recargas,
        vec![
            (Carrier::Entel, 0, 5_000, 0, 0, 1, 5_000, 0),
            (Carrier::Tigo, 0, 10_250 - 1_500, 2, 1_500, 1, 10_000, 250),
            (Carrier::Viva, 2_000, 1_900, 0, 0, 0, 0, 0),
        ]
    );
    let pagos: Vec<(MetodoPago, i64, i64)> = report.pagos.iter().map(|p| (p.metodo_pago, p.cantidad, p.monto.centavos())).collect();
    assert_eq!(pagos, vec![(MetodoPago::Bcp, 1, 6_000), (MetodoPago::Efectivo, 1, 4_000), (MetodoPago::Otro, 1, 700)]);
    assert_eq!(report.anulaciones, 3);
    assert_eq!(report.expected.expect("an administrator sees the expected cash").centavos(), fx.drawer(session));
    let expected_drawer = 20_000 + (10_000 + 200) + (5_000 + 100) + (50 - 3_000) + (2_000 + 100) - 10_000 - 5_000 + 1_000 + 500 + 4_000;
    assert_eq!(fx.drawer(session), expected_drawer);

    // The Z report keeps the carrier balances of the close, whatever happens afterwards.
    fx.as_(Cashier).close_session(close(session, counts_for(expected_drawer))).unwrap();
    fx.as_(Cashier2).inject_carrier_float(injection("Tigo", "50", before_ours)).unwrap();
    let z = fx.as_(Cashier).session_report(session).unwrap();
    assert_eq!(z.kind, ReportKind::Z);
    let tigo = z.recargas.iter().find(|r| r.operadora == Carrier::Tigo).unwrap();
    assert_eq!((tigo.saldo_apertura.centavos(), tigo.saldo_cierre.centavos()), (0, 8_750));
    assert_eq!(fx.balance_of("carrier_float:Tigo"), 8_750 + 5_000 + 125);
    assert_eq!((z.agentes, z.pagos, z.anulaciones), (report.agentes, report.pagos, report.anulaciones));
    assert_ledger_consistent(fx.app.connection(), "report");
}

#[test]
fn a_paid_settlement_moves_the_whole_outstanding_receivable() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "1000")).unwrap();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let session = session_on(&mut fx, Cashier, "agentes", "0");
    for (banco, referencia) in [("TIGO_MONEY", "T-1"), ("TIGO_MONEY", "T-2"), ("TIGO_MONEY", "T-3"), ("BCP", "B-1")] {
        fx.as_(Cashier).create_agent_transaction(agent(banco, "DEPOSITO", "10", referencia, session)).unwrap();
    }
    let receivable = "receivable:bank_commission:TIGO_MONEY";
    let float = "provider_float:TIGO_MONEY";
    let income = "income:bank_commission";
    let tigo_float = fx.balance_of(float);

    // Two unpaid imports, one of them for another bank.
    let first = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-1,2.50", false)).unwrap();
    assert_eq!((first.total, first.pagado, first.monto_pagado), (bs(250), false, bs(0)));
    let bcp = fx.app.settle_bank_commissions(settlement("BCP", "B-1,0.40", false)).unwrap();
    assert_eq!(bcp.monto_pagado, bs(0));
    assert_eq!((fx.balance_of(receivable), fx.balance_of(float)), (250, tigo_float));

    // Paid: this import's Bs 1.00 and the earlier Bs 2.50 reach the float together.
    let paid = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-2,1.00", true)).unwrap();
    assert_eq!((paid.total, paid.pagado, paid.monto_pagado), (bs(100), true, bs(350)));
    assert_eq!(fx.balance_of(receivable), 0, "nothing is owed any more");
    assert_eq!(fx.balance_of(float), tigo_float + 350);
    assert_eq!(fx.balance_of(income), -390, "income is what was accrued, at both banks");
    assert_eq!(fx.balance_of("receivable:bank_commission:BCP"), 40, "another bank's receivable stays");
    assert_eq!(
        operation_transfers(fx.app.connection(), "liquidacion:TIGO_MONEY"),
        vec![t(receivable, float, 350, "PAGO_COMISION_BANCO", None)]
    );
    let tigo = fx.app.list_providers().unwrap().into_iter().find(|p| p.code == "TIGO_MONEY").unwrap();
    assert_eq!((tigo.saldo, tigo.comision_por_cobrar), (bs(tigo_float + 350), bs(0)));

    // Paid again with nothing owed: nothing moves.
    let before = fx.balances();
    let again = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-2,1.00", true)).unwrap();
    assert_eq!((again.total, again.monto_pagado), (bs(0), bs(0)));
    assert_eq!(fx.balances(), before);
    // A paid import that lowers a commission pays only what is still owed after it.
    fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-3,3.00", false)).unwrap();
    let lowered = fx.app.settle_bank_commissions(settlement("TIGO_MONEY", "T-3,2.00", true)).unwrap();
    assert_eq!((lowered.total, lowered.monto_pagado), (bs(-100), bs(200)));
    assert_eq!((fx.balance_of(receivable), fx.balance_of(float)), (0, tigo_float + 550));
    let rows: Vec<(String, i64, bool)> = {
        let conn = fx.app.connection();
        let mut stmt = conn.prepare("SELECT banco, total, pagado FROM bank_commission_settlements ORDER BY id").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let tigo_rows = |total: i64, pagado: bool| ("TIGO_MONEY".to_string(), total, pagado);
    assert_eq!(
        rows,
        vec![tigo_rows(250, false), ("BCP".into(), 40, false), tigo_rows(100, true), tigo_rows(0, true), tigo_rows(300, false), tigo_rows(-100, true)]
    );
    assert_ledger_consistent(fx.app.connection(), "paid settlements");
}

#[test]
fn a_voided_transaction_leaves_no_bank_commission_behind() {
    let mut fx = Fixture::new();
    fx.app.adjust_provider_float(fund("BCP", "1000")).unwrap();
    let session = session_on(&mut fx, Cashier, "mixta", "500");
    let receivable = "receivable:bank_commission:BCP";
    let income = "income:bank_commission";
    let float = "provider_float:BCP";
    let commissions = |fx: &Fixture| (fx.balance_of(income), fx.balance_of(receivable));

    // Accrued twice (up, then up again), not paid: the void takes it all back.
    let before_accrual = commissions(&fx);
    let d1 = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "100", "D-1", session)).unwrap();
    fx.app.settle_bank_commissions(settlement("BCP", "D-1,3.00", false)).unwrap();
    fx.app.settle_bank_commissions(settlement("BCP", "D-1,5.00", false)).unwrap();
    assert_eq!(commissions(&fx), (before_accrual.0 - 500, before_accrual.1 + 500));
    let floats_before_void = fx.balance_of(float);
    let voided = fx.app.void_agent_transaction(void(d1.id, "error")).unwrap();
    assert!(voided.anulada_en.is_some());
    assert_eq!(commissions(&fx), before_accrual, "income and receivable as before the accrual");
    assert_eq!(fx.balance_of(float), floats_before_void + 10_000, "only the deposit goes back to the float");
    let op = format!("comision:{}", d1.id);
    let ids = transfer_ids(&fx, &op);
    assert_eq!(
        operation_transfers(fx.app.connection(), &op),
        vec![
            t(income, receivable, 300, "COMISION_BANCO", None),
            t(income, receivable, 200, "COMISION_BANCO", None),
            t(receivable, income, 200, "COMISION_BANCO", Some(ids[1])),
            t(receivable, income, 300, "COMISION_BANCO", Some(ids[0])),
        ]
    );
    let sessions: Vec<Option<i64>> = {
        let conn = fx.app.connection();
        let mut stmt = conn.prepare("SELECT session_id FROM transfers WHERE operation = ?1 AND reverses IS NOT NULL").unwrap();
        stmt.query_map([&op], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(sessions, vec![Some(session), Some(session)], "the reversals belong to the void's session");

    // A commission set and then lowered to zero has nothing left to take back.
    let d2 = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "100", "D-2", session)).unwrap();
    fx.app.settle_bank_commissions(settlement("BCP", "D-2,1.00", false)).unwrap();
    fx.app.settle_bank_commissions(settlement("BCP", "D-2,0", false)).unwrap();
    fx.app.void_agent_transaction(void(d2.id, "error")).unwrap();
    assert_eq!(commissions(&fx), before_accrual);
    assert_eq!(transfer_ids(&fx, &format!("comision:{}", d2.id)).len(), 2, "no reversal of a net-zero accrual");

    // Already paid into the float: the float keeps the bank's money and the receivable goes
    // negative, so the bank's next payment settles that much less.
    let d3 = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "100", "D-3", session)).unwrap();
    let d4 = fx.as_(Cashier).create_agent_transaction(agent("BCP", "DEPOSITO", "100", "D-4", session)).unwrap();
    let paid = fx.app.settle_bank_commissions(settlement("BCP", "D-3,2.00", true)).unwrap();
    assert_eq!(paid.monto_pagado, bs(200));
    let float_after_payment = fx.balance_of(float);
    fx.app.void_agent_transaction(void(d3.id, "error")).unwrap();
    assert_eq!(commissions(&fx), (before_accrual.0, before_accrual.1 - 200));
    assert_eq!(fx.balance_of(float), float_after_payment + 10_000);
    let next = fx.app.settle_bank_commissions(settlement("BCP", "D-4,5.00", true)).unwrap();
    assert_eq!((next.total, next.monto_pagado), (bs(500), bs(300)));
    assert_eq!(commissions(&fx), (before_accrual.0 - 500, before_accrual.1));
    // The report counts the live transaction's commission only.
    let report = fx.app.session_report(session).unwrap();
    assert_eq!(report.comision_banco, bs(500));
    assert_eq!(report.anulaciones, 3);
    assert_eq!(fx.as_(Cashier).get_agent_transaction(d4.id).unwrap().comision_banco, bs(500));
    assert_ledger_consistent(fx.app.connection(), "voids with bank commission");
}

#[test]
fn an_injection_void_gives_back_cash_balance_and_bonus_once() {
    let mut fx = Fixture::new();
    fx.app.configure_carrier_bonus(bonus("Tigo", "2.5")).unwrap();
    let session = session_on(&mut fx, Cashier, "ventas", "500");
    let drawer = format!("drawer:{session}");
    let carrier = "carrier_float:Tigo";
    let income = "income:carrier_bonus";

    let before = fx.balances();
    let injected = fx.as_(Cashier).inject_carrier_float(injection("Tigo", "100", session)).unwrap();
    assert_eq!((injected.bonificacion, injected.anulada_en.clone(), injected.motivo_anulacion.clone()), (bs(250), None, None));
    assert_eq!((fx.drawer(session), fx.balance_of(carrier), fx.balance_of(income)), (40_000, 10_250, -250));
    fx.clock.advance(Duration::minutes(5));
    let voided = fx.app.void_injection(void(injected.id, "  operadora   equivocada ")).unwrap();
    assert_eq!(voided.anulada_en.as_deref(), Some("2025-03-10T14:05:00.000Z"));
    assert_eq!(voided.motivo_anulacion.as_deref(), Some("operadora equivocada"));
    assert_eq!((voided.id, voided.monto, voided.bonificacion, voided.fecha.as_str()), (injected.id, bs(10_000), bs(250), injected.fecha.as_str()));
    assert_eq!(fx.balances(), before, "drawer, carrier balance and bonus income are back exactly");
    let op = format!("inyeccion:{}", injected.id);
    let ids = transfer_ids(&fx, &op);
    assert_eq!(
        operation_transfers(fx.app.connection(), &op),
        vec![
            t(&drawer, carrier, 10_000, "INYECCION", None),
            t(income, carrier, 250, "BONIFICACION_OPERADORA", None),
            t(carrier, income, 250, "BONIFICACION_OPERADORA", Some(ids[1])),
            t(carrier, &drawer, 10_000, "INYECCION", Some(ids[0])),
        ]
    );
    // Once only, and only by an administrator.
    let before = fx.snapshot();
    let again = fx.app.void_injection(void(injected.id, "otra vez"));
    refused(&fx, again, YaAnulada, Some("id"), &before, "second void");
    let live = fx.as_(Cashier).inject_carrier_float(injection("Tigo", "20", session)).unwrap();
    let before = fx.snapshot();
    let cashier = fx.as_(Cashier).void_injection(void(live.id, "error"));
    refused(&fx, cashier, PermisoDenegado, None, &before, "a cashier voids");

    // Balance already sold cannot be given back to the carrier, until it is there again.
    let entel = fx.as_(Cashier).inject_carrier_float(injection("Entel", "50", session)).unwrap();
    let sold = fx.as_(Cashier).create_topup(topup("Entel", "71234567", "0.10", session)).unwrap();
    let before = fx.snapshot();
    let short = fx.app.void_injection(void(entel.id, "error"));
    refused(&fx, short, SaldoOperadoraInsuficiente, Some("id"), &before, "void past the carrier balance");
    fx.app.void_topup(void(sold.id, "error")).unwrap();
    fx.app.void_injection(void(entel.id, "error")).unwrap();
    assert_eq!(fx.balance_of("carrier_float:Entel"), 0);

    // Listed with the void; the report leaves voided injections out of the totals.
    let listed = fx.as_(Cashier).list_injections(RecargaFilter { id_caja_sesion: Some(session), ..Default::default() }).unwrap();
    let states: Vec<(i64, bool)> = listed.items.iter().map(|i| (i.id, i.anulada_en.is_some())).collect();
    assert_eq!(states, vec![(entel.id, true), (live.id, false), (injected.id, true)]);
    let report = fx.app.session_report(session).unwrap();
    let line = |o: Carrier| {
        let c = report.recargas.iter().find(|c| c.operadora == o).unwrap();
        (c.inyecciones, c.monto_inyecciones, c.bonificacion)
    };
    assert_eq!(line(Carrier::Tigo), (1, bs(2_000), bs(50)));
    assert_eq!(line(Carrier::Entel), (0, bs(0), bs(0)));
    assert_eq!(report.anulaciones, 3, "two injections and a top-up");
    assert_eq!(report.expected.expect("an administrator sees the expected cash").centavos(), fx.drawer(session));

    // After the close, the session's injections are final.
    let cash = fx.drawer(session);
    fx.as_(Cashier).close_session(close(session, counts_for(cash))).unwrap();
    let before = fx.snapshot();
    let closed = fx.app.void_injection(void(live.id, "tarde"));
    refused(&fx, closed, SesionCerrada, Some("id"), &before, "void after the close");
    assert_ledger_consistent(fx.app.connection(), "injection voids");
}

#[test]
fn payments_are_listed_by_session_with_or_without_voided_ones() {
    let mut fx = Fixture::new();
    let mine = session_on(&mut fx, Cashier, "mixta", "100");
    let theirs = session_on(&mut fx, Cashier2, "ventas", "100");
    let a = fx.as_(Cashier).create_payment(pago(7, "EFECTIVO", "10", None, mine)).unwrap();
    fx.clock.advance(Duration::minutes(1));
    let b = fx.as_(Cashier).create_payment(pago(7, "BCP", "20", Some("R-1"), mine)).unwrap();
    let c = fx.as_(Cashier).create_payment(pago(8, "OTRO", "30", Some("O-1"), mine)).unwrap();
    let x = fx.as_(Cashier2).create_payment(pago(9, "EFECTIVO", "40", None, theirs)).unwrap();
    assert_eq!((a.creado_en.as_str(), b.creado_en.as_str()), ("2025-03-10T14:00:00.000Z", "2025-03-10T14:01:00.000Z"));
    fx.clock.advance(Duration::minutes(9));
    let voided = fx.app.void_payment(void(b.id, "  pago   duplicado ")).unwrap();
    let corrected = fx.app.update_payment(UpdatePago { id: c.id, pago: pago(8, "OTRO", "35", Some("O-1"), theirs), motivo: "monto".into() }).unwrap();

    // The void and its reason are on the payment; its creation time stays.
    assert_eq!(
        (voided.vigente, voided.creado_en.as_str(), voided.anulada_en.as_deref(), voided.motivo_anulacion.as_deref()),
        (false, "2025-03-10T14:01:00.000Z", Some("2025-03-10T14:10:00.000Z"), Some("pago duplicado"))
    );
    assert_eq!((corrected.creado_en.as_str(), corrected.anulada_en.clone(), corrected.id_caja_sesion), ("2025-03-10T14:10:00.000Z", None, mine));

    let ids = |fx: &mut Fixture, filter: PagoFilter| {
        let page = fx.as_(Admin).list_payments(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        (page.items.iter().map(|p| p.id).collect::<Vec<_>>(), page.total)
    };
    let of = |session: i64, incluir_anulados: Option<bool>| PagoFilter { id_caja_sesion: Some(session), incluir_anulados, ..Default::default() };
    assert_eq!(ids(&mut fx, of(mine, None)), (vec![corrected.id, a.id], 2), "live only, newest first");
    assert_eq!(ids(&mut fx, of(mine, Some(false))), (vec![corrected.id, a.id], 2));
    assert_eq!(ids(&mut fx, of(mine, Some(true))), (vec![corrected.id, c.id, b.id, a.id], 4), "the voided and the corrected ones too");
    assert_eq!(ids(&mut fx, of(theirs, Some(true))), (vec![x.id], 1));
    assert_eq!(ids(&mut fx, PagoFilter { incluir_anulados: Some(true), ..Default::default() }), (vec![corrected.id, x.id, c.id, b.id, a.id], 5));
    assert_eq!(ids(&mut fx, PagoFilter::default()), (vec![corrected.id, x.id, a.id], 3));
    let own = fx.as_(Cashier2).list_payments(PagoFilter { incluir_anulados: Some(true), ..Default::default() }).unwrap();
    assert_eq!((own.items.iter().map(|p| p.id).collect::<Vec<_>>(), own.total), (vec![x.id], 1), "a cashier sees their own sessions'");
    // Zero-based pages within a session.
    let paged = PagoFilter { id_caja_sesion: Some(mine), incluir_anulados: Some(true), page: Some(1), size: Some(3) };
    assert_eq!(ids(&mut fx, paged), (vec![a.id], 4));

    let listed = fx.as_(Cashier).list_payments(of(mine, Some(true))).unwrap();
    let by_id = |id: i64| listed.items.iter().find(|p| p.id == id).unwrap().clone();
    assert_eq!(by_id(b.id), voided, "the list shows what the void returned");
    let original = by_id(c.id);
    assert_eq!((original.vigente, original.anulada_en.as_deref(), original.motivo_anulacion.as_deref()), (false, Some("2025-03-10T14:10:00.000Z"), Some("monto")));
    assert_eq!((by_id(a.id).anulada_en, by_id(a.id).motivo_anulacion), (None, None));
    assert_eq!(fx.as_(Cashier).payments_for_work_order(7).unwrap(), vec![by_id(a.id), by_id(b.id)]);
}
