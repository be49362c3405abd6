//! End-to-end flows of the store-side operations through the core, on a real SQLite file.

use mostrador::domain::*;
use mostrador::store::ledger;
use mostrador::Mostrador;

fn creds(name: &str, pin: &str) -> Credentials {
    Credentials { name: name.into(), pin: pin.into() }
}

fn balance(app: &Mostrador, code: &str) -> i64 {
    let conn = app.connection();
    ledger::balance(conn, ledger::account_id(conn, &code.parse().unwrap()).unwrap().unwrap()).unwrap().centavos()
}

#[test]
fn a_day_of_agent_operations_topups_and_payments() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = Mostrador::open(&dir.path().join("m.sqlite3")).unwrap();
    app.create_first_admin(creds("Ana", "123456")).unwrap();
    app.create_operator(NewOperator { name: "Carlos".into(), role: "cajero".into(), pin: "567890".into() }).unwrap();
    let caja = app.create_register(NewRegister { name: "Caja 1".into(), specialty: "MIXTA".into() }).unwrap();
    app.adjust_provider_float(ProviderFloatInput { banco: "TIGO_MONEY".into(), tipo: "FONDEO".into(), monto: "1000".into(), nota: None }).unwrap();
    app.logout().unwrap();
    app.login(creds("Carlos", "567890")).unwrap();
    let session = app.open_session(OpenSessionInput { register_id: caja.id, opening_float: "200".into(), authorization: Some(creds("Ana", "123456")) }).unwrap();
    let drawer = mostrador::domain::AccountCode::Drawer(session.id).to_string();

    let deposit = app
        .create_agent_transaction(NewAgentTransaction { cliente: None, motivo_comision: None,
            banco: "tigo_money".into(),
            tipo_operacion: "DEPOSITO".into(),
            monto: "300".into(),
            comision_cliente: Some("5".into()),
            nro_referencia: "T-1".into(),
            id_caja_sesion: session.id,
            comprobante: None,
            cuenta_cliente: None,
            cuit_cliente: None,
        })
        .unwrap();
    assert_eq!(deposit.banco, "TIGO_MONEY");
    assert_eq!(balance(&app, &drawer), 50_500);
    assert_eq!(balance(&app, "provider_float:TIGO_MONEY"), 70_000);

    let dup = app
        .create_agent_transaction(NewAgentTransaction {
            banco: "TIGO_MONEY".into(),
            tipo_operacion: "RETIRO".into(),
            monto: "10".into(),
            nro_referencia: "T-1".into(),
            id_caja_sesion: session.id,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(dup.code, ErrorCode::ReferenciaDuplicada);

    let short = app
        .create_agent_transaction(NewAgentTransaction {
            banco: "TIGO_MONEY".into(),
            tipo_operacion: "RETIRO".into(),
            monto: "600".into(),
            nro_referencia: "T-2".into(),
            id_caja_sesion: session.id,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(short.code, ErrorCode::FondosInsuficientes);
    assert_eq!(balance(&app, &drawer), 50_500);

    let topup_short = app
        .create_topup(NewTopup { operadora: "Tigo".into(), telefono: "71234567".into(), monto: "10".into(), id_caja_sesion: session.id })
        .unwrap_err();
    assert_eq!(topup_short.code, ErrorCode::SaldoOperadoraInsuficiente);
    app.inject_carrier_float(NewInjection { operadora: "Tigo".into(), monto: "100".into(), id_caja_sesion: session.id }).unwrap();
    app.create_topup(NewTopup { operadora: "Tigo".into(), telefono: "7123 4567".into(), monto: "10".into(), id_caja_sesion: session.id })
        .unwrap();
    assert_eq!(balance(&app, "carrier_float:Tigo"), 9_000);
    assert_eq!(balance(&app, &drawer), 50_500 - 10_000 + 1_000);

    let today = chrono::Utc::now().with_timezone(&mostrador::domain::clock::store_offset()).format("%Y-%m-%d").to_string();
    let cash = app
        .create_payment(NewPago { pendiente_id: 7, cliente: "Rosa".into(), monto: "40".into(), fecha_pago: today.clone(), metodo_pago: "EFECTIVO".into(), referencia: None, id_caja_sesion: session.id })
        .unwrap();
    let bcp = app
        .create_payment(NewPago { pendiente_id: 7, cliente: "Rosa".into(), monto: "60".into(), fecha_pago: today.clone(), metodo_pago: "BCP".into(), referencia: Some("B-9".into()), id_caja_sesion: session.id })
        .unwrap();
    assert_eq!(balance(&app, "bank:BCP"), 6_000);
    assert_eq!(balance(&app, &drawer), 41_500 + 4_000);

    app.logout().unwrap();
    app.login(creds("Ana", "123456")).unwrap();
    app.void_agent_transaction(VoidInput { id: deposit.id, motivo: "Error de monto".into() }).unwrap();
    assert_eq!(balance(&app, "provider_float:TIGO_MONEY"), 100_000);
    assert_eq!(app.void_agent_transaction(VoidInput { id: deposit.id, motivo: "otra".into() }).unwrap_err().code, ErrorCode::YaAnulada);
    let fixed = app
        .update_payment(UpdatePago {
            id: bcp.id,
            pago: NewPago { pendiente_id: 7, cliente: "Rosa".into(), monto: "65".into(), fecha_pago: today, metodo_pago: "BCP".into(), referencia: Some("B-9".into()), id_caja_sesion: session.id },
            motivo: "monto corregido".into(),
        })
        .unwrap();
    assert_eq!(fixed.corrige_a, Some(bcp.id));
    assert_eq!(balance(&app, "bank:BCP"), 6_500);
    let history = app.payments_for_work_order(7).unwrap();
    assert_eq!(history.iter().filter(|p| p.vigente).count(), 2);
    assert_eq!(app.list_payments(PagoFilter::default()).unwrap().total, 2);
    let _ = cash;

    let report = app.session_report(session.id).unwrap();
    assert_eq!(report.anulaciones, 2);
    assert!(report.agentes.is_empty());
    let tigo = report.recargas.iter().find(|c| c.operadora == Carrier::Tigo).unwrap();
    assert_eq!((tigo.recargas, tigo.monto_recargas.centavos(), tigo.inyecciones), (1, 1_000, 1));
    assert_eq!(report.pagos.len(), 2);
    assert!(app.integrity_check().unwrap().mismatched_accounts.is_empty());

    let settlement = app
        .settle_bank_commissions(SettlementInput { banco: "TIGO_MONEY".into(), csv: "nro_referencia,comision_banco\nT-1,2.50\nNADA,1\n".into(), pagado: false })
        .unwrap();
    assert_eq!(settlement.sin_coincidencia.len(), 2, "the voided one and the unknown one are reported");
}

/// The list's total for a provider and dates comes from the per-day counts; it must equal
/// counting the rows, across local day boundaries (UTC-4) and providers.
#[test]
fn list_totals_from_daily_counts_equal_counting_rows() {
    use chrono::{Duration, TimeZone, Utc};
    use mostrador::service::ManualClock;
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    // 02:00 UTC is 22:00 of the previous day in Bolivia.
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap());
    let mut app = Mostrador::open_with_clock(&dir.path().join("m.sqlite3"), Arc::new(clock.clone())).unwrap();
    app.create_first_admin(creds("Ana", "123456")).unwrap();
    // The clock jumps 7 hours between operations with the same login: no idle logout.
    app.update_settings(SettingsInput { close_difference_threshold: "20".into(), idle_logout_minutes: Some("0".into()), ..Default::default() }).unwrap();
    let caja = app.create_register(NewRegister { name: "Caja 1".into(), specialty: "MIXTA".into() }).unwrap();
    for banco in ["BCP", "SOLI"] {
        app.adjust_provider_float(ProviderFloatInput { banco: banco.into(), tipo: "FONDEO".into(), monto: "100000".into(), nota: None }).unwrap();
    }
    let session = app.open_session(OpenSessionInput { register_id: caja.id, opening_float: "0".into(), authorization: None }).unwrap();
    for i in 0..30 {
        let banco = if i % 3 == 0 { "SOLI" } else { "BCP" };
        let tipo = if i % 2 == 0 { "DEPOSITO" } else { "TRANSFERENCIA_QR" };
        app.create_agent_transaction(NewAgentTransaction {
            banco: banco.into(),
            tipo_operacion: tipo.into(),
            monto: "10".into(),
            nro_referencia: format!("R-{i}"),
            id_caja_sesion: session.id,
            ..Default::default()
        })
        .unwrap();
        clock.advance(Duration::hours(7));
    }
    let filters = [
        (None, None, None),
        (Some("BCP"), None, None),
        (Some("SOLI"), Some("2026-03-10"), Some("2026-03-12")),
        (None, Some("2026-03-09"), Some("2026-03-09")),
        (Some("BCP"), Some("2026-03-11"), None),
        (None, None, Some("2026-03-13")),
    ];
    for (banco, desde, hasta) in filters {
        let filter = |tipo: Option<&str>| AgentFilter {
            banco: banco.map(Into::into),
            desde: desde.map(Into::into),
            hasta: hasta.map(Into::into),
            tipo_operacion: tipo.map(Into::into),
            size: Some(100),
            ..Default::default()
        };
        let page = app.list_agent_transactions(filter(None)).unwrap();
        assert_eq!(page.total, page.items.len() as i64, "{banco:?} {desde:?} {hasta:?}");
        // With a type filter the rows are counted; both ways must agree.
        let by_type: i64 = ["DEPOSITO", "TRANSFERENCIA_QR"]
            .iter()
            .map(|t| app.list_agent_transactions(filter(Some(t))).unwrap().total)
            .sum();
        assert_eq!(page.total, by_type, "{banco:?} {desde:?} {hasta:?}");
    }
    let all = app.list_agent_transactions(AgentFilter { size: Some(100), ..Default::default() }).unwrap();
    assert_eq!(all.total, 30);
    let first_day = app
        .list_agent_transactions(AgentFilter { desde: Some("2026-03-09".into()), hasta: Some("2026-03-09".into()), ..Default::default() })
        .unwrap();
    assert_eq!(first_day.total, 1, "only the 22:00 local operation of 9 March");
}
