//! What the counter shows its operator: the language each operator chose (kept in the
//! store across logins), the blind-close policy enforced in the core, each operation's call
//! state from the real outbox (driven by the bank simulator over loopback), and the X/Z
//! report's sync section and activity by hour.

mod common;

use std::time::Duration;

use common::Who::*;
use common::*;
use mostrador::domain::*;
use mostrador::simulator::{self, SimulatorConfig};
use mostrador::sync::{SyncHandle, WorkerConfig};
use serde_json::json;

const CVU: &str = "0000003100000000000123";
const CUSTOMER_ACCOUNT: &str = "20000000001";

#[test]
fn each_operator_keeps_the_language_they_chose_across_logins() {
    let mut fx = Fixture::new();
    let cashier = fx.login_cashier();
    assert_eq!(cashier.language, Language::Es, "Spanish until the operator chooses");
    let chosen = fx.app.set_own_language("en").unwrap();
    assert_eq!((chosen.id, chosen.language), (cashier.id, Language::En));
    assert_eq!(fx.app.current_operator().unwrap().language, Language::En);
    // Another operator is not affected; the choice survives a logout and a new handle.
    assert_eq!(fx.login_admin().language, Language::Es);
    fx.app.logout().unwrap();
    let mut other = fx.open_handle();
    assert_eq!(other.login(creds(CASHIER_NAME, CASHIER_PIN)).unwrap().language, Language::En);
    let listed = fx.as_(Admin).list_operators().unwrap();
    let langs: Vec<_> = listed.iter().map(|o| (o.name.as_str(), o.language)).collect();
    assert!(langs.contains(&(CASHIER_NAME, Language::En)) && langs.contains(&(ADMIN_NAME, Language::Es)), "{langs:?}");
    let audited: i64 = fx
        .app
        .connection()
        .query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'set_language' AND operator_id = ?1", [cashier.id], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn a_language_the_counter_does_not_speak_is_refused_and_nothing_is_written() {
    let mut fx = Fixture::new();
    fx.login_cashier();
    for (input, code) in [("fr", ErrorCode::ValorInvalido), ("ES", ErrorCode::ValorInvalido), ("", ErrorCode::CampoRequerido), ("  ", ErrorCode::CampoRequerido)] {
        let before = fx.snapshot();
        let err = expect_err(fx.app.set_own_language(input), input);
        assert_error(&err, code, Some("language"), input);
        before.assert_same(&fx.snapshot(), input);
    }
    fx.app.logout().unwrap();
    let err = expect_err(fx.app.set_own_language("en"), "logged out");
    assert_eq!(err.code, ErrorCode::NoAutenticado);
}

#[test]
fn blind_close_hides_the_expected_cash_from_a_cashier_until_the_count_and_never_from_an_administrator() {
    let mut fx = Fixture::new();
    assert!(fx.as_(Admin).get_settings().unwrap().blind_close, "on by default");
    let mixta = fx.mixta.id;
    let id = fx.as_(Cashier).open_session(open(mixta, "300")).unwrap().id;
    fx.as_(Cashier).record_cash_movement(ingreso(id, "25,50")).unwrap();
    // The cashier: neither the header balance nor the X report's expected.
    assert_eq!(fx.as_(Cashier).session_balance(id).unwrap().balance, None);
    let x = fx.as_(Cashier).session_report(id).unwrap();
    assert_eq!((x.kind, x.expected), (ReportKind::X, None));
    assert_eq!(x.total_ingresos, bs(2_550), "the rest of the report stays");
    // The administrator always sees it.
    assert_eq!(fx.as_(Admin).session_balance(id).unwrap().balance, Some(bs(32_550)));
    assert_eq!(fx.as_(Admin).session_report(id).unwrap().expected, Some(bs(32_550)));
    // Once the cashier submits the count, the Z report shows what was expected.
    let outcome = fx.as_(Cashier).close_session(close(id, counts_for(32_550))).unwrap();
    assert_eq!(outcome.expected, bs(32_550));
    assert_eq!(fx.as_(Cashier).session_report(id).unwrap().expected, Some(bs(32_550)));
}

#[test]
fn with_blind_close_off_a_cashier_sees_the_expected_cash_and_the_change_is_audited() {
    let mut fx = Fixture::new();
    let settings = fx
        .as_(Admin)
        .update_settings(SettingsInput { close_difference_threshold: "10".into(), blind_close: Some(false), ..Default::default() })
        .unwrap();
    assert!(!settings.blind_close);
    // Leaving it out keeps it as it is.
    let kept = fx.as_(Admin).update_settings(SettingsInput { close_difference_threshold: "10".into(), ..Default::default() }).unwrap();
    assert!(!kept.blind_close);
    let audit: String = fx
        .app
        .connection()
        .query_row("SELECT detail FROM audit_log WHERE action = 'update_settings' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(audit.contains("\"blind_close\":{\"from\":true,\"to\":false}"), "{audit}");
    let mixta = fx.mixta.id;
    let id = fx.as_(Cashier).open_session(open(mixta, "300")).unwrap().id;
    assert_eq!(fx.as_(Cashier).session_balance(id).unwrap().balance, Some(bs(30_000)));
    assert_eq!(fx.as_(Cashier).session_report(id).unwrap().expected, Some(bs(30_000)));
    // A cashier cannot turn it back on themselves.
    let err = expect_err(fx.as_(Cashier).update_settings(SettingsInput { close_difference_threshold: "10".into(), blind_close: Some(true), ..Default::default() }), "cashier");
    assert_eq!(err.code, ErrorCode::PermisoDenegado);
}

#[test]
fn the_report_counts_the_sessions_operations_by_the_stores_hour_and_type() {
    let mut fx = Fixture::new();
    fx.as_(Admin).adjust_provider_float(fund("BCP", "10000")).unwrap();
    let mixta = fx.mixta.id;
    // start_time() is 14:00 UTC: 10:00 in La Paz.
    let id = fx.as_(Cashier).open_session(open(mixta, "500")).unwrap().id;
    fx.as_(Cashier).record_cash_movement(ingreso(id, "10")).unwrap();
    fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "50", "H-1", id)).unwrap();
    fx.clock.advance(chrono::Duration::hours(2));
    fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "60", "H-2", id)).unwrap();
    let voided = fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "70", "H-3", id)).unwrap();
    fx.as_(Admin).void_agent_transaction(VoidInput { id: voided.id, motivo: "Error de monto".into() }).unwrap();
    let report = fx.as_(Admin).session_report(id).unwrap();
    assert_eq!(
        report.actividad,
        vec![
            HourActivity { hora: 10, agentes: 1, recargas: 0, pagos: 0, movimientos: 1 },
            HourActivity { hora: 12, agentes: 1, recargas: 0, pagos: 0, movimientos: 0 },
        ],
        "voided operations are left out"
    );
    assert!(report.sync.is_empty(), "nothing is connected: no calls");
}

fn deposit(fx: &mut Fixture, banco: &str, monto: &str, referencia: &str, session: i64) -> TransaccionAgente {
    let account = if banco == "BCP" { CUSTOMER_ACCOUNT } else { CVU };
    let input = NewAgentTransaction {
        cuenta_cliente: Some(account.into()),
        cuit_cliente: (banco != "BCP").then(|| CUSTOMER_CUIT.to_string()),
        ..agent(banco, "DEPOSITO", monto, referencia, session)
    };
    fx.as_(Cashier).create_agent_transaction(input).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_and_reports_show_where_each_call_stands_confirmed_with_the_providers_reference() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim_dir = tempfile::tempdir().unwrap();
    let sim = simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(sim_dir.path().join("sim.sqlite3"))).await.unwrap();
    let mut fx = Fixture::new();
    for banco in ["TIGO_MONEY", "BCP"] {
        fx.app.adjust_provider_float(fund(banco, "500000")).unwrap();
    }
    fx.app.configure_provider(connection("TIGO_MONEY", "BILLETERA_V2", &sim.url())).unwrap();
    fx.app.configure_provider(connection("BCP", "BANCO_V1", &sim.url())).unwrap();
    fx.app.set_provider_credentials(ProviderCredentialsInput { banco: "TIGO_MONEY".into(), usuario: "agente.demo".into(), secreto: "demo-1234".into() }).unwrap();
    fx.app.set_provider_credentials(ProviderCredentialsInput { banco: "BCP".into(), usuario: "mostrador-demo".into(), secreto: "secreto-demo-1234".into() }).unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "5000")).unwrap().id;
    let config = WorkerConfig { request_timeout: Duration::from_millis(2000), min_backoff: Duration::from_millis(10), max_backoff: Duration::from_millis(100), ..WorkerConfig::default() };
    let (path, secrets) = (fx.path(), fx.app.secrets().clone());
    let worker = || SyncHandle::new(path.clone(), secrets.clone(), config.clone());
    let http = reqwest::Client::new();

    let confirmed = deposit(&mut fx, "TIGO_MONEY", "40", "C-1", session);
    worker().run_until_drained(Duration::from_secs(30)).await.unwrap();
    let fault = json!({"business_error": {"contract": "bank", "code": "W2", "remaining_calls": 1}});
    let response = http.post(format!("{}/_sim/faults", sim.url())).json(&fault).send().await.unwrap();
    assert!(response.status().is_success());
    let attention = deposit(&mut fx, "BCP", "30", "C-2", session);
    worker().run_until_drained(Duration::from_secs(30)).await.unwrap();
    let queued = deposit(&mut fx, "BCP", "20", "C-3", session);
    let record_only = fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "10", "C-4", session)).unwrap();

    let ids = vec![confirmed.id, attention.id, queued.id, record_only.id];
    let states = fx.as_(Cashier).agent_call_states(ids.clone()).unwrap();
    let outbox = fx.as_(Admin).list_outbox(OutboxFilter::default()).unwrap().items;
    let acked = outbox.iter().find(|o| o.id_transaccion == confirmed.id).unwrap();
    assert!(acked.referencia_proveedor.as_deref().is_some_and(|r| !r.is_empty()), "{acked:?}");
    assert_eq!(
        states,
        vec![
            LlamadaDeOperacion { id_transaccion: confirmed.id, estado: EstadoLlamada::Confirmada, referencia_proveedor: acked.referencia_proveedor.clone() },
            LlamadaDeOperacion { id_transaccion: attention.id, estado: EstadoLlamada::RequiereAtencion, referencia_proveedor: None },
            LlamadaDeOperacion { id_transaccion: queued.id, estado: EstadoLlamada::EnCola, referencia_proveedor: None },
        ],
        "a withdrawal at the bank is only recorded: it has no call"
    );
    // Another cashier does not read this session's calls; an administrator does.
    assert!(fx.as_(Cashier2).agent_call_states(ids.clone()).unwrap().is_empty());
    assert_eq!(fx.as_(Admin).agent_call_states(ids).unwrap(), states);

    let report = fx.as_(Cashier).session_report(session).unwrap();
    assert_eq!(
        report.sync,
        vec![
            ProviderSyncTotal { banco: "BCP".into(), en_cola: 1, requieren_atencion: 1, monto_sin_confirmar: bs(5_000), ..Default::default() },
            ProviderSyncTotal { banco: "TIGO_MONEY".into(), confirmadas: 1, ..Default::default() },
        ]
    );
    let status = fx.app.sync_status().unwrap();
    assert_eq!((status.pendientes, status.requieren_atencion), (1, 1), "what logout and close warn about");
}

#[test]
fn call_states_refuse_an_oversized_request_and_need_a_login() {
    let mut fx = Fixture::new();
    fx.login_cashier();
    let err = expect_err(fx.app.agent_call_states((1..=201).collect()), "201 ids");
    assert_error(&err, ErrorCode::ValorInvalido, Some("ids"), "201 ids");
    assert!(fx.app.agent_call_states(vec![]).unwrap().is_empty());
    assert!(fx.app.agent_call_states(vec![-1, 0, 999_999]).unwrap().is_empty(), "unknown ids have no call");
    fx.app.logout().unwrap();
    assert_eq!(expect_err(fx.app.agent_call_states(vec![1]), "logged out").code, ErrorCode::NoAutenticado);
}
