//! Cash sessions end to end: opening from the vault, cash in and out, blind close,
//! authorization of large differences, the X and Z reports, the session list, the audit
//! trail, login lockout, first start and the demo store.

mod common;

use chrono::Duration;
use common::*;
use mostrador::domain::*;
use mostrador::service::demo;
use ErrorCode::*;
use Who::*;

/// Transfers of a session, oldest first: (from code, to code, amount, kind).
fn transfers_of(fx: &Fixture, session_id: i64) -> Vec<(String, String, i64, String)> {
    let mut stmt = fx
        .app
        .connection()
        .prepare(
            "SELECT f.code, t.code, x.amount, x.kind FROM transfers x
             JOIN accounts f ON f.id = x.from_account JOIN accounts t ON t.id = x.to_account
             WHERE x.session_id = ?1 ORDER BY x.id",
        )
        .unwrap();
    stmt.query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn t(from: &str, to: &str, amount: i64, kind: &str) -> (String, String, i64, String) {
    (from.into(), to.into(), amount, kind.into())
}

#[test]
fn opening_from_an_empty_vault_books_the_float_as_an_adjustment() {
    let mut fx = Fixture::new();
    let register = fx.mixta.id;
    fx.login_cashier();
    assert_eq!(fx.app.active_session().unwrap(), None);
    let session = fx.app.open_session(open(register, "500")).unwrap();
    assert_eq!(session.status, SessionStatus::Abierta);
    assert_eq!((session.register_id, session.operator_id), (register, fx.cashier.id));
    assert_eq!((session.opening_float, session.opening_adjustment), (bs(50_000), bs(50_000)));
    assert_eq!((session.counted, session.expected, session.difference, session.result), (None, None, None, None));
    assert_eq!(session.closed_at, None);
    assert_eq!(fx.drawer(session.id), 50_000);
    assert_eq!(fx.vault(register), 0);
    let vault = format!("vault:{register}");
    let drawer = format!("drawer:{}", session.id);
    assert_eq!(
        transfers_of(&fx, session.id),
        vec![t("external", &vault, 50_000, TransferKind::OpeningAdjustment.as_str()), t(&vault, &drawer, 50_000, TransferKind::OpeningFloat.as_str())]
    );
    assert_eq!(fx.app.active_session().unwrap(), Some(session.clone()));
    // Blind close is on by default: the cashier does not see what the drawer should hold.
    assert_eq!(fx.app.session_balance(session.id).unwrap(), SessionBalance { session_id: session.id, balance: None });
    let listed = fx.app.list_registers().unwrap();
    let mixta = listed.iter().find(|r| r.id == register).unwrap();
    assert_eq!((mixta.open_session_id, mixta.vault_balance), (Some(session.id), bs(0)));
    assert_ledger_consistent(fx.app.connection(), "after opening");
}

#[test]
fn a_zero_float_opens_an_empty_drawer() {
    let mut fx = Fixture::new();
    fx.login_cashier();
    let session = fx.app.open_session(open(fx.agentes.id, "0")).unwrap();
    assert_eq!((session.opening_float, session.opening_adjustment), (bs(0), bs(0)));
    assert_eq!(fx.drawer(session.id), 0);
    assert!(transfers_of(&fx, session.id).is_empty(), "nothing moved");
    // An empty drawer counted empty closes square with no transfer at all.
    let outcome = fx.app.close_session(close(session.id, vec![])).unwrap();
    assert_eq!((outcome.counted, outcome.expected, outcome.difference, outcome.result), (bs(0), bs(0), bs(0), CloseResult::Cuadrado));
    assert!(transfers_of(&fx, session.id).is_empty());
}

#[test]
fn ingresos_and_egresos_move_the_drawer() {
    let mut fx = Fixture::new();
    let cashier = fx.login_cashier();
    let id = fx.app.open_session(open(fx.mixta.id, "200")).unwrap().id;
    let m = fx.app.record_cash_movement(ingreso(id, "150.50")).unwrap();
    assert_eq!((m.session_id, m.kind, m.reason, m.amount, m.operator_id), (id, MovementKind::Ingreso, MovementReason::AporteDueno, bs(15_050), cashier.id));
    assert_eq!(fx.drawer(id), 35_050);
    // The comma Bolivian cashiers write, and a note that is kept, trimmed.
    let m = fx
        .app
        .record_cash_movement(CashMovementInput { note: Some("  Pago de luz, ELFEC  ".into()), ..movement(id, "EGRESO", "PAGO_PROVEEDOR", "50,25") })
        .unwrap();
    assert_eq!((m.kind, m.reason, m.amount, m.note.as_deref()), (MovementKind::Egreso, MovementReason::PagoProveedor, bs(5_025), Some("Pago de luz, ELFEC")));
    assert_eq!(fx.drawer(id), 30_025);
    assert_eq!(fx.app.session_balance(id).unwrap().balance, None, "hidden from the cashier until the count");
    // Every reason of each kind is accepted with that kind.
    for reason in MovementReason::ALL {
        let kind = reason.kind().as_str();
        fx.app.record_cash_movement(movement(id, kind, reason.as_str(), "1")).unwrap();
    }
    assert_eq!(fx.drawer(id), 30_025 + 3 * 100 - 5 * 100);
    let drawer = format!("drawer:{id}");
    let kinds: Vec<_> = transfers_of(&fx, id).into_iter().skip(2).take(2).collect();
    assert_eq!(kinds, vec![t("external", &drawer, 15_050, "INGRESO"), t(&drawer, "external", 5_025, "EGRESO")]);
    assert_ledger_consistent(fx.app.connection(), "after movements");
}

#[test]
fn an_egreso_above_the_drawer_is_refused_and_one_equal_to_it_empties_it() {
    let mut fx = Fixture::new();
    fx.login_cashier();
    let id = fx.app.open_session(open(fx.mixta.id, "100")).unwrap().id;
    let before = fx.snapshot();
    let err = expect_err(fx.app.record_cash_movement(egreso(id, "100.01")), "egreso above the drawer");
    assert_error(&err, FondosInsuficientes, Some("amount"), "egreso above the drawer");
    before.assert_same(&fx.snapshot(), "refused egreso");
    fx.app.record_cash_movement(egreso(id, "100")).unwrap();
    assert_eq!(fx.drawer(id), 0);
    let before = fx.snapshot();
    let err = expect_err(fx.app.record_cash_movement(egreso(id, "0.01")), "egreso from an empty drawer");
    assert_error(&err, FondosInsuficientes, Some("amount"), "egreso from an empty drawer");
    before.assert_same(&fx.snapshot(), "refused egreso");
}

/// Opens a session with `float` for the cashier, records one ingreso of Bs 100 and one
/// egreso of Bs 35.50, so the drawer holds float + 64.50.
fn session_with_movements(fx: &mut Fixture, register: i64, float: &str) -> i64 {
    let app = fx.as_(Cashier);
    let id = app.open_session(open(register, float)).unwrap().id;
    app.record_cash_movement(ingreso(id, "100")).unwrap();
    app.record_cash_movement(egreso(id, "35.50")).unwrap();
    id
}

#[test]
fn close_cuadrado_sobrante_and_faltante() {
    let mut fx = Fixture::new();
    // (register, counted, expected difference, result)
    let cases = [
        (fx.mixta.id, 56_450, 0, CloseResult::Cuadrado),
        (fx.agentes.id, 56_600, 150, CloseResult::Sobrante),
        (fx.ventas.id, 56_000, -450, CloseResult::Faltante),
    ];
    for (register, counted, difference, result) in cases {
        let id = session_with_movements(&mut fx, register, "500");
        let expected = 56_450;
        assert_eq!(fx.drawer(id), expected);
        let outcome = fx.as_(Cashier).close_session(close(id, counts_for(counted))).unwrap();
        assert_eq!((outcome.counted, outcome.expected, outcome.difference), (bs(counted), bs(expected), bs(difference)));
        assert_eq!(outcome.difference.centavos(), outcome.counted.centavos() - outcome.expected.centavos());
        assert_eq!(outcome.result, result);
        assert_eq!(outcome.authorized_by, None);
        let s = &outcome.session;
        assert_eq!(s.status, SessionStatus::Cerrada);
        assert!(s.closed_at.is_some());
        assert_eq!((s.counted, s.expected, s.difference, s.result), (Some(bs(counted)), Some(bs(expected)), Some(bs(difference)), Some(result)));
        assert_eq!(fx.drawer(id), 0, "the drawer is emptied into the vault");
        assert_eq!(fx.vault(register), counted, "the vault holds what was counted");
        let drawer = format!("drawer:{id}");
        let vault = format!("vault:{register}");
        let mut tail = vec![];
        if difference > 0 {
            tail.push(t("over_short", &drawer, difference, TransferKind::CloseDifference.as_str()));
        } else if difference < 0 {
            tail.push(t(&drawer, "over_short", -difference, TransferKind::CloseDifference.as_str()));
        }
        tail.push(t(&drawer, &vault, counted, TransferKind::CloseToVault.as_str()));
        let all = transfers_of(&fx, id);
        assert_eq!(all[all.len() - tail.len()..], tail[..]);
        assert_eq!(fx.as_(Cashier).active_session().unwrap(), None);
    }
    assert_eq!(fx.balance_of("over_short"), -(150 - 450));
    assert_ledger_consistent(fx.app.connection(), "after three closes");
}

#[test]
fn the_next_session_draws_its_float_from_the_vault() {
    let mut fx = Fixture::new();
    let register = fx.mixta.id;
    let vault = format!("vault:{register}");
    fx.login_cashier();
    let first = fx.app.open_session(open(register, "500")).unwrap().id;
    fx.app.close_session(close(first, counts_for(50_000))).unwrap();
    assert_eq!(fx.vault(register), 50_000);

    // Declaring what the vault holds: no adjustment.
    let second = fx.app.open_session(open(register, "500.00")).unwrap();
    assert_eq!((second.opening_float, second.opening_adjustment), (bs(50_000), bs(0)));
    let drawer = format!("drawer:{}", second.id);
    assert_eq!(transfers_of(&fx, second.id), vec![t(&vault, &drawer, 50_000, TransferKind::OpeningFloat.as_str())]);
    assert_eq!((fx.vault(register), fx.drawer(second.id)), (0, 50_000));
    fx.app.close_session(close(second.id, counts_for(50_000))).unwrap();

    // Declaring less: an explicit negative adjustment out of the vault.
    let third = fx.app.open_session(open(register, "450")).unwrap();
    assert_eq!((third.opening_float, third.opening_adjustment), (bs(45_000), bs(-5_000)));
    let drawer = format!("drawer:{}", third.id);
    assert_eq!(
        transfers_of(&fx, third.id),
        vec![t(&vault, "external", 5_000, TransferKind::OpeningAdjustment.as_str()), t(&vault, &drawer, 45_000, TransferKind::OpeningFloat.as_str())]
    );
    assert_eq!((fx.vault(register), fx.drawer(third.id)), (0, 45_000));
    fx.app.close_session(close(third.id, counts_for(45_000))).unwrap();

    // Declaring more: an explicit positive adjustment into the vault.
    let fourth = fx.app.open_session(open(register, "600.10")).unwrap();
    assert_eq!((fourth.opening_float, fourth.opening_adjustment), (bs(60_010), bs(15_010)));
    let drawer = format!("drawer:{}", fourth.id);
    assert_eq!(
        transfers_of(&fx, fourth.id),
        vec![t("external", &vault, 15_010, TransferKind::OpeningAdjustment.as_str()), t(&vault, &drawer, 60_010, TransferKind::OpeningFloat.as_str())]
    );
    assert_eq!((fx.vault(register), fx.drawer(fourth.id)), (0, 60_010));

    // Declaring nothing while the vault holds cash: the whole vault is an adjustment.
    fx.app.close_session(close(fourth.id, counts_for(60_010))).unwrap();
    let fifth = fx.app.open_session(open(register, "0")).unwrap();
    assert_eq!((fifth.opening_float, fifth.opening_adjustment), (bs(0), bs(-60_010)));
    assert_eq!((fx.vault(register), fx.drawer(fifth.id)), (0, 0));

    // Each register has its own vault.
    assert_eq!(fx.vault(fx.agentes.id), 0);
    assert_ledger_consistent(fx.app.connection(), "after five sessions");
}

#[test]
fn a_difference_above_the_threshold_needs_an_administrator() {
    let mut fx = Fixture::new();
    let (mixta, agentes, ventas) = (fx.mixta.id, fx.agentes.id, fx.ventas.id);
    assert_eq!(fx.app.get_settings().unwrap().close_difference_threshold, bs(2_000), "Bs 20.00 by default");
    let id = fx.as_(Cashier).open_session(open(mixta, "300")).unwrap().id;
    let short = counts_for(27_500); // Bs 25.00 short

    let before = fx.snapshot();
    let err = expect_err(fx.as_(Cashier).close_session(close(id, short.clone())), "no authorization");
    assert_error(&err, AutorizacionRequerida, Some("authorization"), "no authorization");
    before.assert_same(&fx.snapshot(), "no authorization");

    let with = |name: &str, pin: &str| CloseSessionInput { authorization: Some(creds(name, pin)), ..close(id, short.clone()) };
    let err = expect_err(fx.as_(Cashier).close_session(with(ADMIN_NAME, "0000")), "wrong PIN");
    assert_error(&err, CredencialesInvalidas, Some("authorization"), "wrong PIN");
    let err = expect_err(fx.as_(Cashier).close_session(with(CASHIER_NAME, CASHIER_PIN)), "cashier's own PIN");
    assert_error(&err, PermisoDenegado, Some("authorization"), "cashier's own PIN");
    let err = expect_err(fx.as_(Cashier).close_session(with(CASHIER2_NAME, CASHIER2_PIN)), "another cashier's PIN");
    assert_error(&err, PermisoDenegado, Some("authorization"), "another cashier's PIN");
    before.assert_same(&fx.snapshot(), "refused authorizations");
    assert_eq!(fx.failed_logins(ADMIN_NAME), 1);

    let outcome = fx.as_(Cashier).close_session(with(ADMIN_NAME, ADMIN_PIN)).unwrap();
    assert_eq!((outcome.difference, outcome.result), (bs(-2_500), CloseResult::Faltante));
    assert_eq!(outcome.authorized_by.as_deref(), Some(ADMIN_NAME));
    assert_eq!(fx.failed_logins(ADMIN_NAME), 0, "a good PIN clears the count");
    let (authorized_by, closed_by): (Option<i64>, i64) = fx
        .app
        .connection()
        .query_row("SELECT authorized_by, closed_by FROM cash_sessions WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((authorized_by, closed_by), (Some(fx.admin.id), fx.cashier.id));

    // Exactly at the threshold needs no one; one centavo-coin past it does.
    let id = fx.as_(Cashier).open_session(open(agentes, "100")).unwrap().id;
    let err = expect_err(fx.as_(Cashier).close_session(close(id, counts_for(12_010))), "Bs 20.10 over");
    assert_error(&err, AutorizacionRequerida, Some("authorization"), "Bs 20.10 over");
    let outcome = fx.as_(Cashier).close_session(close(id, counts_for(12_000))).unwrap();
    assert_eq!((outcome.difference, outcome.result, outcome.authorized_by), (bs(2_000), CloseResult::Sobrante, None));

    // The administrator moves the threshold; the same Bs 25 shortfall then closes alone.
    let settings = fx.app.update_settings(SettingsInput { close_difference_threshold: "30".into(), ..Default::default() }).unwrap();
    assert_eq!(settings.close_difference_threshold, bs(3_000));
    assert_eq!(fx.as_(Cashier).get_settings().unwrap().close_difference_threshold, bs(3_000));
    let id = fx.as_(Cashier).open_session(open(ventas, "300")).unwrap().id;
    let outcome = fx.as_(Cashier).close_session(close(id, counts_for(27_500))).unwrap();
    assert_eq!((outcome.difference, outcome.authorized_by), (bs(-2_500), None));

    // A threshold of zero: every difference needs an administrator, a square close none.
    fx.app.update_settings(SettingsInput { close_difference_threshold: "0".into(), ..Default::default() }).unwrap();
    let id = fx.as_(Cashier).open_session(open(ventas, "275")).unwrap().id;
    let err = expect_err(fx.as_(Cashier).close_session(close(id, counts_for(27_490))), "ten centavos short");
    assert_error(&err, AutorizacionRequerida, Some("authorization"), "ten centavos short");
    fx.as_(Cashier).close_session(close(id, counts_for(27_500))).unwrap();
    assert_ledger_consistent(fx.app.connection(), "after authorized closes");
}

#[test]
fn a_locked_administrator_cannot_authorize_a_close() {
    let mut fx = Fixture::new();
    let mixta = fx.mixta.id;
    let id = fx.as_(Cashier).open_session(open(mixta, "300")).unwrap().id;
    let with = |pin: &str| CloseSessionInput { authorization: Some(creds(ADMIN_NAME, pin)), ..close(id, vec![]) };
    for _ in 0..4 {
        let err = expect_err(fx.as_(Cashier).close_session(with("0000")), "wrong PIN");
        assert_error(&err, CredencialesInvalidas, Some("authorization"), "wrong PIN");
    }
    let err = expect_err(fx.as_(Cashier).close_session(with("0000")), "fifth wrong PIN");
    assert_error(&err, OperadorBloqueado, Some("authorization"), "fifth wrong PIN");
    let err = expect_err(fx.as_(Cashier).close_session(with(ADMIN_PIN)), "right PIN while locked");
    assert_error(&err, OperadorBloqueado, Some("authorization"), "right PIN while locked");
    assert_eq!(fx.drawer(id), 30_000, "the session is still open and untouched");
    fx.clock.advance(Duration::minutes(5));
    let outcome = fx.as_(Cashier).close_session(with(ADMIN_PIN)).unwrap();
    assert_eq!(outcome.authorized_by.as_deref(), Some(ADMIN_NAME));
}

#[test]
fn one_open_session_per_register_and_per_operator() {
    let mut fx = Fixture::new();
    fx.open_all_handles();
    let (mixta, agentes) = (fx.mixta.id, fx.agentes.id);
    let first = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap();

    let before = fx.snapshot();
    let err = expect_err(fx.as_(Cashier2).open_session(open(mixta, "100")), "busy register");
    assert_error(&err, SesionYaAbierta, Some("register_id"), "busy register");
    let err = expect_err(fx.as_(Cashier).open_session(open(agentes, "100")), "busy operator");
    assert_error(&err, OperadorConSesionAbierta, None, "busy operator");
    before.assert_same(&fx.snapshot(), "refused opens");

    // Another operator on another register is fine, and the register is free again once closed.
    let second = fx.as_(Cashier2).open_session(open(agentes, "0")).unwrap();
    fx.as_(Cashier).close_session(close(first.id, counts_for(10_000))).unwrap();
    let third = fx.as_(Admin).open_session(open(mixta, "100")).unwrap();
    assert_eq!(third.opening_adjustment, bs(0));

    // The schema itself refuses a second open session, whatever the code does.
    let conn = rusqlite::Connection::open(fx.path()).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let before = fx.snapshot();
    let insert = |register: i64, operator: i64| {
        conn.execute(
            "INSERT INTO cash_sessions (register_id, operator_id, status, opened_at, opening_float)
             VALUES (?1, ?2, 'ABIERTA', '2025-03-10T14:00:00.000Z', 0)",
            [register, operator],
        )
    };
    let err = insert(mixta, fx.cashier.id).expect_err("second open session on a register");
    assert!(err.to_string().contains("UNIQUE constraint failed: cash_sessions.register_id"), "{err}");
    let err = insert(fx.ventas.id, fx.cashier2.id).expect_err("second open session for an operator");
    assert!(err.to_string().contains("UNIQUE constraint failed: cash_sessions.operator_id"), "{err}");
    // Nor may a closed session be reopened next to an open one.
    let err = conn
        .execute("UPDATE cash_sessions SET status = 'ABIERTA', closed_at = NULL WHERE id = ?1", [first.id])
        .expect_err("reopening a closed session");
    assert!(err.to_string().contains("una sesión cerrada no se modifica"), "{err}");
    before.assert_same(&fx.snapshot(), "refused direct writes");
    // A closed session on the same register is no obstacle to the index.
    insert(fx.ventas.id, fx.cashier.id).expect("an open session on a free register for a free operator");
    assert_eq!(second.status, SessionStatus::Abierta);
}

#[test]
fn x_report_while_open_and_z_report_after_close() {
    let mut fx = Fixture::new();
    let mixta = fx.mixta.id;
    fx.open_all_handles();
    let id = fx.as_(Cashier).open_session(open(mixta, "500")).unwrap().id;
    let cashier = fx.as_(Cashier);
    cashier.record_cash_movement(movement(id, "INGRESO", "REPOSICION_CAMBIO", "200")).unwrap();
    cashier.record_cash_movement(movement(id, "INGRESO", "REPOSICION_CAMBIO", "50.50")).unwrap();
    cashier.record_cash_movement(movement(id, "EGRESO", "GASTO_OPERATIVO", "30")).unwrap();
    // The administrator records on the cashier's session too.
    let admin = fx.as_(Admin);
    admin.record_cash_movement(movement(id, "INGRESO", "APORTE_DUENO", "100")).unwrap();
    admin.record_cash_movement(movement(id, "EGRESO", "RETIRO_DUENO", "400")).unwrap();

    let before = fx.snapshot();
    let x = fx.as_(Cashier).session_report(id).unwrap();
    before.assert_same(&fx.snapshot(), "an X report is a pure read");
    assert_eq!(x.kind, ReportKind::X);
    assert_eq!((x.opening_float, x.opening_adjustment), (bs(50_000), bs(50_000)));
    let totals: Vec<_> = x.movements.iter().map(|m| (m.kind, m.reason, m.count, m.total)).collect();
    assert_eq!(
        totals,
        vec![
            (MovementKind::Ingreso, MovementReason::AporteDueno, 1, bs(10_000)),
            (MovementKind::Ingreso, MovementReason::ReposicionCambio, 2, bs(25_050)),
            (MovementKind::Egreso, MovementReason::GastoOperativo, 1, bs(3_000)),
            (MovementKind::Egreso, MovementReason::RetiroDueno, 1, bs(40_000)),
        ]
    );
    assert_eq!((x.total_ingresos, x.total_egresos), (bs(35_050), bs(43_000)));
    let by_operator: Vec<_> = x.by_operator.iter().map(|o| (o.operator_id, o.operator_name.as_str(), o.count, o.ingresos, o.egresos)).collect();
    assert_eq!(
        by_operator,
        vec![
            (fx.admin.id, ADMIN_NAME, 2, bs(10_000), bs(40_000)),
            (fx.cashier.id, CASHIER_NAME, 3, bs(25_050), bs(3_000)),
        ]
    );
    let expected = 50_000 + 35_050 - 43_000;
    assert_eq!(x.expected, None, "blind close: the cashier's X report leaves the expected cash out");
    assert_eq!(fx.as_(Cashier).session_balance(id).unwrap().balance, None);
    let x_admin = fx.as_(Admin).session_report(id).unwrap();
    assert_eq!(x_admin.expected, Some(bs(expected)), "expected = opening float + ingresos - egresos");
    assert_eq!(x_admin.expected, fx.as_(Admin).session_balance(id).unwrap().balance);
    assert_eq!((x.counted, x.difference, x.result), (None, None, None));
    assert!(x.count_lines.is_empty());
    assert_eq!(x.session.status, SessionStatus::Abierta);

    // Blind close, counted in any order; Bs 2.50 short.
    let counts = vec![count("M1", 3), count("B100", 3), count("M2", 0), count("B20", 5), count("M5", 1), count("B10", 1)];
    let outcome = fx.as_(Cashier).close_session(CloseSessionInput { note: Some("Cierre de turno".into()), ..close(id, counts) }).unwrap();
    assert_eq!((outcome.counted, outcome.expected, outcome.difference), (bs(41_800), bs(expected), bs(-250)));
    fx.clock.advance(Duration::hours(1));
    let before = fx.snapshot();
    let z = fx.as_(Cashier).session_report(id).unwrap();
    let z_admin = fx.as_(Admin).session_report(id).unwrap();
    before.assert_same(&fx.snapshot(), "a Z report is a pure read");
    assert_eq!(z, z_admin);
    assert_eq!(z.kind, ReportKind::Z);
    assert_eq!(z.expected, Some(bs(expected)), "the Z report's expected is the drawer just before the close");
    assert_eq!((z.counted, z.difference, z.result), (Some(bs(41_800)), Some(bs(-250)), Some(CloseResult::Faltante)));
    assert_eq!((z.movements.clone(), z.total_ingresos, z.total_egresos, z.by_operator.clone()), (x.movements, x.total_ingresos, x.total_egresos, x.by_operator));
    let lines: Vec<_> = z.count_lines.iter().map(|l| (l.denomination, l.quantity, l.subtotal)).collect();
    assert_eq!(
        lines,
        vec![
            (Denomination::B100, 3, bs(30_000)),
            (Denomination::B20, 5, bs(10_000)),
            (Denomination::B10, 1, bs(1_000)),
            (Denomination::M5, 1, bs(500)),
            (Denomination::M2, 0, bs(0)),
            (Denomination::M1, 3, bs(300)),
        ]
    );
    let sum: i64 = z.count_lines.iter().map(|l| l.subtotal.centavos()).sum();
    assert_eq!(Some(bs(sum)), z.counted);
    assert_eq!(z.session.status, SessionStatus::Cerrada);
    assert_eq!(z.generated_at, "2025-03-10T15:00:00.000Z");
}

#[test]
fn list_sessions_filters_and_pages() {
    let mut fx = Fixture::new();
    fx.open_all_handles();
    let (mixta, agentes, ventas) = (fx.mixta.id, fx.agentes.id, fx.ventas.id);
    // Day 1 (Monday 10 March, local): cashier on mixta (closed), cashier2 on agentes (closed).
    let a = fx.as_(Cashier).open_session(open(mixta, "0")).unwrap().id;
    fx.as_(Cashier).close_session(close(a, vec![])).unwrap();
    fx.clock.advance(Duration::hours(1));
    let b = fx.as_(Cashier2).open_session(open(agentes, "0")).unwrap().id;
    fx.as_(Cashier2).close_session(close(b, vec![])).unwrap();
    // 22:30 local on the 10th is already the 11th in UTC: it still belongs to the 10th.
    fx.clock.advance(Duration::minutes(11 * 60 + 30)); // 2025-03-11T02:30Z
    let c = fx.as_(Cashier).open_session(open(ventas, "0")).unwrap().id;
    fx.as_(Cashier).close_session(close(c, vec![])).unwrap();
    // Day 2: cashier on mixta (closed), admin on ventas (open).
    fx.clock.advance(Duration::hours(12)); // 2025-03-11T14:30Z
    let d = fx.as_(Cashier).open_session(open(mixta, "0")).unwrap().id;
    fx.as_(Cashier).close_session(close(d, vec![])).unwrap();
    let e = fx.as_(Admin).open_session(open(ventas, "0")).unwrap().id;
    // Day 3: cashier2 on agentes (open).
    fx.clock.advance(Duration::days(1));
    let f = fx.as_(Cashier2).open_session(open(agentes, "0")).unwrap().id;

    let cashier2 = fx.cashier2.id;
    let before = fx.snapshot();
    let ids = |who: Who, fx: &mut Fixture, filter: SessionFilter| -> (Vec<i64>, i64) {
        let page = fx.as_(who).list_sessions(filter.clone()).unwrap_or_else(|e| panic!("{filter:?}: {e:?}"));
        (page.items.iter().map(|s| s.id).collect(), page.total)
    };
    let all = SessionFilter::default();
    assert_eq!(ids(Admin, &mut fx, all.clone()), (vec![f, e, d, c, b, a], 6), "newest first");
    assert_eq!(ids(Admin, &mut fx, SessionFilter { register_id: Some(mixta), ..all.clone() }), (vec![d, a], 2));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { operator_id: Some(cashier2), ..all.clone() }), (vec![f, b], 2));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { status: Some("ABIERTA".into()), ..all.clone() }), (vec![f, e], 2));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { status: Some(" CERRADA ".into()), ..all.clone() }), (vec![d, c, b, a], 4));
    let day = |d: &str| Some(d.to_string());
    assert_eq!(ids(Admin, &mut fx, SessionFilter { from_date: day("2025-03-10"), to_date: day("2025-03-10"), ..all.clone() }), (vec![c, b, a], 3));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { from_date: day("2025-03-11"), to_date: day("2025-03-11"), ..all.clone() }), (vec![e, d], 2));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { from_date: day("2025-03-11"), ..all.clone() }), (vec![f, e, d], 3));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { to_date: day("2025-03-11"), ..all.clone() }), (vec![e, d, c, b, a], 5));
    assert_eq!(ids(Admin, &mut fx, SessionFilter { from_date: day("2025-03-13"), ..all.clone() }), (vec![], 0));
    assert_eq!(
        ids(Admin, &mut fx, SessionFilter { register_id: Some(ventas), status: Some("CERRADA".into()), to_date: day("2025-03-10"), ..all.clone() }),
        (vec![c], 1)
    );
    // Pages of two.
    let page = |n: i64| SessionFilter { page: Some(n), size: Some(2), ..SessionFilter::default() };
    assert_eq!(ids(Admin, &mut fx, page(1)), (vec![f, e], 6));
    assert_eq!(ids(Admin, &mut fx, page(2)), (vec![d, c], 6));
    assert_eq!(ids(Admin, &mut fx, page(3)), (vec![b, a], 6));
    assert_eq!(ids(Admin, &mut fx, page(4)), (vec![], 6));
    let p = fx.as_(Admin).list_sessions(page(2)).unwrap();
    assert_eq!((p.page, p.size), (2, 2));
    let p = fx.as_(Admin).list_sessions(SessionFilter::default()).unwrap();
    assert_eq!((p.page, p.size), (1, 20), "defaults");
    // A cashier sees only their own sessions, whatever operator they ask for.
    assert_eq!(ids(Cashier, &mut fx, all.clone()), (vec![d, c, a], 3));
    assert_eq!(ids(Cashier, &mut fx, SessionFilter { operator_id: Some(cashier2), ..all.clone() }), (vec![d, c, a], 3));
    assert_eq!(ids(Cashier2, &mut fx, SessionFilter { register_id: Some(mixta), ..all.clone() }), (vec![], 0));
    assert_eq!(ids(Cashier2, &mut fx, all.clone()), (vec![f, b], 2));
    // The records say who, where and when.
    let listed = fx.as_(Admin).list_sessions(SessionFilter { register_id: Some(ventas), ..all }).unwrap();
    let s = &listed.items[0];
    assert_eq!((s.id, s.register_name.as_str(), s.operator_name.as_str(), s.opened_at.as_str()), (e, "Caja 3 Ventas", ADMIN_NAME, "2025-03-11T14:30:00.000Z"));
    before.assert_same(&fx.snapshot(), "listing is a pure read");
}

#[test]
fn audit_rows_carry_the_logged_in_operator() {
    let mut fx = Fixture::new();
    let mixta = fx.mixta.id;
    fx.open_all_handles();
    let audit_start: i64 = fx.app.connection().query_row("SELECT MAX(id) FROM audit_log", [], |r| r.get(0)).unwrap();
    let id = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    fx.as_(Cashier).record_cash_movement(ingreso(id, "10")).unwrap();
    fx.as_(Admin).record_cash_movement(egreso(id, "5")).unwrap();
    fx.as_(Cashier).close_session(close(id, counts_for(10_500))).unwrap();
    fx.as_(Admin).update_settings(SettingsInput { close_difference_threshold: "25".into(), ..Default::default() }).unwrap();
    let eva = fx.as_(Admin).create_operator(NewOperator { name: "Eva Nueva".into(), role: "cajero".into(), pin: "555555".into() }).unwrap();
    let reg = fx.as_(Admin).create_register(NewRegister { name: "Caja 4".into(), specialty: "MIXTA".into() }).unwrap();
    fx.as_(Cashier2).logout().unwrap();

    let mut stmt = fx
        .app
        .connection()
        .prepare("SELECT operator_id, action, entity, entity_id FROM audit_log WHERE id > ?1 ORDER BY id")
        .unwrap();
    let rows: Vec<(Option<i64>, String, String, Option<i64>)> = stmt
        .query_map([audit_start], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (admin, cashier, cashier2) = (Some(fx.admin.id), Some(fx.cashier.id), Some(fx.cashier2.id));
    let actions: Vec<_> = rows.iter().map(|(op, action, entity, _)| (*op, action.as_str(), entity.as_str())).collect();
    assert_eq!(
        actions,
        vec![
            (cashier, "open_session", "cash_session"),
            (cashier, "cash_movement", "cash_movement"),
            (admin, "cash_movement", "cash_movement"),
            (cashier, "close_session", "cash_session"),
            (admin, "update_settings", "settings"),
            (admin, "create_operator", "operator"),
            (admin, "create_register", "register"),
            (cashier2, "logout", "operator"),
        ]
    );
    assert_eq!(rows[0].3, Some(id));
    assert_eq!(rows[5].3, Some(eva.id));
    assert_eq!(rows[6].3, Some(reg.id));
    // The ledger says who too: every transfer of the session names whoever made it.
    let by: Vec<(String, i64)> = {
        let mut stmt = fx.app.connection().prepare("SELECT kind, operator_id FROM transfers WHERE session_id = ?1 ORDER BY id").unwrap();
        stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let (a, c) = (fx.admin.id, fx.cashier.id);
    assert_eq!(
        by,
        vec![
            ("AJUSTE_APERTURA".into(), c),
            ("APERTURA".into(), c),
            ("INGRESO".into(), c),
            ("EGRESO".into(), a),
            ("CIERRE_A_BOVEDA".into(), c),
        ]
    );
    let movement_ops: Vec<i64> = {
        let mut stmt = fx.app.connection().prepare("SELECT operator_id FROM cash_movements WHERE session_id = ?1 ORDER BY id").unwrap();
        stmt.query_map([id], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(movement_ops, vec![c, a]);
}

#[test]
fn five_wrong_pins_lock_the_operator_for_five_minutes() {
    let mut fx = Fixture::new();
    fx.login(Nobody);
    for attempt in 1..=4 {
        let err = expect_err(fx.app.login(creds(CASHIER_NAME, "0000")), "wrong PIN");
        assert_error(&err, CredencialesInvalidas, Some("pin"), &format!("attempt {attempt}"));
    }
    let err = expect_err(fx.app.login(creds(CASHIER_NAME, "0000")), "fifth wrong PIN");
    assert_error(&err, OperadorBloqueado, Some("pin"), "fifth wrong PIN");
    let err = expect_err(fx.app.login(creds(CASHIER_NAME, CASHIER_PIN)), "right PIN while locked");
    assert_error(&err, OperadorBloqueado, Some("pin"), "right PIN while locked");
    assert!(err.message.contains("5 minuto"), "{}", err.message);
    assert_eq!(fx.app.current_operator(), None);
    // Others are not locked.
    fx.app.login(creds(CASHIER2_NAME, CASHIER2_PIN)).unwrap();
    fx.login(Nobody);

    fx.clock.advance(Duration::minutes(4) + Duration::seconds(59));
    let err = expect_err(fx.app.login(creds(CASHIER_NAME, CASHIER_PIN)), "one second before the end");
    assert_error(&err, OperadorBloqueado, Some("pin"), "one second before the end");
    assert!(err.message.contains("1 minuto"), "{}", err.message);
    fx.clock.advance(Duration::seconds(1));
    let op = fx.app.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap();
    assert_eq!(op.id, fx.cashier.id);
    assert_eq!(fx.app.current_operator(), Some(op));
    let locked_until: Option<String> = fx
        .app
        .connection()
        .query_row("SELECT locked_until FROM operators WHERE id = ?1", [fx.cashier.id], |r| r.get(0))
        .unwrap();
    assert_eq!((fx.failed_logins(CASHIER_NAME), locked_until), (0, None));
    // After the lock, a fresh count of five.
    fx.login(Nobody);
    for _ in 0..4 {
        assert_eq!(fx.app.login(creds(CASHIER_NAME, "0000")).unwrap_err().code, CredencialesInvalidas);
    }
    assert_eq!(fx.app.login(creds(CASHIER_NAME, "0000")).unwrap_err().code, OperadorBloqueado);
}

#[test]
fn login_finds_the_operator_whatever_the_case_and_spacing() {
    let mut fx = Fixture::new();
    let op = fx.app.login(creds("  carlos   CAJERO ", CASHIER_PIN)).unwrap();
    assert_eq!((op.id, op.name.as_str(), op.role), (fx.cashier.id, CASHIER_NAME, Role::Cajero));
    assert_eq!(fx.app.current_operator(), Some(op));
    // Logging in as someone else replaces the operator.
    let op = fx.app.login(creds(CASHIER2_NAME, CASHIER2_PIN)).unwrap();
    assert_eq!(fx.app.current_operator().map(|o| o.id), Some(op.id));
    fx.app.logout().unwrap();
    assert_eq!(fx.app.current_operator(), None);
}

#[test]
fn first_admin_only_once() {
    let mut store = EmptyStore::new();
    assert!(store.app.setup_status().unwrap().needs_first_admin);
    assert_eq!(store.app.current_operator(), None);
    let admin = store.app.create_first_admin(creds("  María  Quispe ", "123456")).unwrap().operator;
    assert_eq!((admin.name.as_str(), admin.role, admin.active), ("María Quispe", Role::Administrador, true));
    assert_eq!(store.app.current_operator(), Some(admin.clone()), "the first admin is logged in");
    assert!(!store.app.setup_status().unwrap().needs_first_admin);
    let audit: (Option<i64>, String) = store
        .app
        .connection()
        .query_row("SELECT operator_id, action FROM audit_log", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(audit, (Some(admin.id), "create_first_admin".to_string()));

    let before = store.snapshot();
    store.app.logout().unwrap();
    let before_logout_rows = before.row_counts["audit_log"];
    let before = store.snapshot();
    assert_eq!(before.row_counts["audit_log"], before_logout_rows + 1, "logout is audited");
    for name in ["Otra Admin", "María Quispe"] {
        let err = expect_err(store.app.create_first_admin(creds(name, "654321")), "second first admin");
        assert_error(&err, YaInicializado, None, "second first admin");
    }
    before.assert_same(&store.snapshot(), "refused second first admin");
    assert_eq!(store.app.current_operator(), None);
    assert_eq!(store.app.login(creds("maría quispe", "123456")).unwrap().id, admin.id);
    let operators = store.app.list_operators().unwrap();
    assert_eq!(operators, vec![admin]);
}

#[test]
fn the_demo_store_logs_in_with_its_printed_pins_and_seeds_once() {
    let mut store = EmptyStore::new();
    let created = demo::seed(&mut store.app).unwrap();
    assert_eq!(created.len(), 3);
    assert_eq!(store.app.current_operator(), None, "the demo leaves no one logged in");
    assert_eq!(created.iter().filter(|o| o.role == Role::Administrador).count(), 1);
    for op in &created {
        assert!(op.pin.len() == 6 && op.pin.chars().all(|c| c.is_ascii_digit()), "{:?}", op.pin);
        let logged = store.app.login(creds(&op.name, &op.pin)).unwrap_or_else(|e| panic!("{}: {e:?}", op.name));
        assert_eq!((logged.name.as_str(), logged.role), (op.name.as_str(), op.role));
    }
    let admin = created.iter().find(|o| o.role == Role::Administrador).unwrap();
    store.app.login(creds(&admin.name, &admin.pin)).unwrap();
    let registers = store.app.list_registers().unwrap();
    let specialties: Vec<_> = registers.iter().map(|r| r.specialty).collect();
    assert_eq!(specialties, vec![Specialty::Mixta, Specialty::SoloAgentes, Specialty::SoloVentas]);
    assert!(registers.iter().all(|r| r.vault_balance == bs(0) && r.open_session_id.is_none()));
    assert_eq!(store.app.list_operators().unwrap().len(), 3);

    // A second start of the demo creates no one and issues every demo operator a new PIN.
    let operators_before = store.app.list_operators().unwrap();
    let reissued = demo::seed(&mut store.app).unwrap();
    assert_eq!(store.app.list_operators().unwrap(), operators_before, "seeding again creates no one");
    let names = |ops: &[demo::DemoOperator]| ops.iter().map(|o| o.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&reissued), names(&created));
    for (old, new) in created.iter().zip(&reissued) {
        if old.pin != new.pin {
            let err = store.app.login(creds(&old.name, &old.pin)).unwrap_err();
            assert_eq!(err.code, ErrorCode::CredencialesInvalidas, "the previous PIN of {} no longer works", old.name);
        }
        assert_eq!(store.app.login(creds(&new.name, &new.pin)).unwrap().name, new.name);
    }
}

#[test]
fn the_demo_never_touches_a_store_it_did_not_create() {
    let mut fx = Fixture::new();
    let before = fx.snapshot();
    assert!(demo::seed(&mut fx.app).unwrap().is_empty());
    before.assert_same(&fx.snapshot(), "demo on a real store");
}

#[test]
fn integrity_check_reports_a_healthy_store() {
    let mut fx = Fixture::new();
    let register = fx.mixta.id;
    let id = session_with_movements(&mut fx, register, "250");
    fx.as_(Cashier).close_session(close(id, counts_for(31_440))).unwrap();
    let before = fx.snapshot();
    let report = fx.app.integrity_check().unwrap();
    assert_eq!(report, IntegrityReport { sqlite_ok: true, sqlite_messages: vec!["ok".into()], mismatched_accounts: vec![] });
    before.assert_same(&fx.snapshot(), "integrity_check is a pure read");
    assert_ledger_consistent(fx.app.connection(), "healthy store");
}

#[test]
fn operators_and_registers_created_by_the_administrator() {
    let mut fx = Fixture::new();
    let eva = fx.app.create_operator(NewOperator { name: " Eva  Ñusta ".into(), role: " administrador ".into(), pin: "87654321".into() }).unwrap();
    assert_eq!((eva.name.as_str(), eva.role, eva.active), ("Eva Ñusta", Role::Administrador, true));
    let names: Vec<_> = fx.app.list_operators().unwrap().into_iter().map(|o| o.name).collect();
    assert_eq!(names, vec![ADMIN_NAME, CASHIER_NAME, "Eva Ñusta", CASHIER2_NAME]);
    fx.app.login(creds("Eva Ñusta", "87654321")).unwrap();
    let caja = fx.app.create_register(NewRegister { name: "Caja Rápida".into(), specialty: " SOLO_VENTAS ".into() }).unwrap();
    assert_eq!((caja.specialty, caja.vault_balance, caja.open_session_id), (Specialty::SoloVentas, bs(0), None));
    assert_eq!(fx.vault(caja.id), 0);
    let listed = fx.as_(Cashier).list_registers().unwrap();
    assert_eq!(listed.len(), 4);
    assert!(listed.contains(&caja));
}

/// Receipts print the store's name, address and NIT as an administrator set them; a new
/// store prints "Mostrador", and clearing the address or NIT removes it.
#[test]
fn the_store_profile_names_the_store_on_receipts() {
    let mut fx = Fixture::new();
    let unnamed = fx.as_(Cashier).get_store_profile().unwrap();
    assert_eq!(unnamed, StoreProfile { nombre: "Mostrador".into(), direccion: None, nit: None });

    let input = StoreProfileInput {
        nombre: "  Tienda  Doña Ana ".into(),
        direccion: Some("Calle Sucre 123, El Alto".into()),
        nit: Some(" 1020304050 ".into()),
    };
    let saved = fx.app.update_store_profile(input).unwrap();
    let expected = StoreProfile {
        nombre: "Tienda Doña Ana".into(),
        direccion: Some("Calle Sucre 123, El Alto".into()),
        nit: Some("1020304050".into()),
    };
    assert_eq!(saved, expected);
    assert_eq!(fx.as_(Cashier).get_store_profile().unwrap(), expected, "a cashier's receipts read it too");
    let (actor, detail): (i64, String) = fx
        .app
        .connection()
        .query_row("SELECT operator_id, detail FROM audit_log WHERE action = 'update_store_profile'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(actor, fx.admin.id);
    assert!(detail.contains("\"Mostrador\"") && detail.contains("Tienda Doña Ana"), "{detail}");

    let cleared = fx
        .app
        .update_store_profile(StoreProfileInput { nombre: "Tienda Doña Ana".into(), direccion: Some("  ".into()), nit: None })
        .unwrap();
    assert_eq!(cleared, StoreProfile { nombre: "Tienda Doña Ana".into(), direccion: None, nit: None });
    let stored: i64 =
        fx.app.connection().query_row("SELECT COUNT(*) FROM settings WHERE key LIKE 'store_%'", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1, "only the name is left in the settings");
}
