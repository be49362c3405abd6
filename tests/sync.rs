//! The offline queue against the bank simulator over loopback: outbox rows written with
//! their operation, offline limits, the worker's outcomes (acked, business rejections,
//! token expiry), voids and reversals, reconciliation, and credentials kept out of
//! SQLite and logs. Credentials go through the machine's real keyring (kernel keyutils
//! here: no Secret Service runs on a headless machine).

mod common;

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use common::Who::*;
use common::*;
use mostrador::domain::clock::SystemClock;
use mostrador::domain::*;
use mostrador::service::demo;
use mostrador::simulator::{self, DemoBank, SimulatorConfig, SimulatorHandle, DEMO_CORRESPONDENT_ACCOUNT};
use mostrador::sync::{SyncHandle, WorkerConfig};
use serde_json::{json, Value};
use tempfile::TempDir;

const CVU: &str = "0000003100000000000123";
const CUSTOMER_ACCOUNT: &str = "20000000001";
const WALLET_USER: &str = "agente.demo";
const WALLET_PASSWORD: &str = "demo-1234";
const BANK_ID: &str = "mostrador-demo";
const BANK_SECRET: &str = "secreto-demo-1234";

/// Every log record of this test binary, to search for secrets.
struct CapturedLog(Mutex<String>);

impl log::Log for CapturedLog {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let mut text = self.0.lock().unwrap();
        text.push_str(&format!("{} {} {}\n", record.level(), record.target(), record.args()));
    }
    fn flush(&self) {}
}

fn captured_log() -> &'static CapturedLog {
    static LOG: OnceLock<&'static CapturedLog> = OnceLock::new();
    LOG.get_or_init(|| {
        let logger: &'static CapturedLog = Box::leak(Box::new(CapturedLog(Mutex::new(String::new()))));
        log::set_logger(logger).expect("one logger per test binary");
        log::set_max_level(log::LevelFilter::Trace);
        logger
    })
}

struct Env {
    fx: Fixture,
    sim: SimulatorHandle,
    http: reqwest::Client,
    session: i64,
    _sim_dir: TempDir,
}

fn credentials(banco: &str, usuario: &str, secreto: &str) -> ProviderCredentialsInput {
    ProviderCredentialsInput { banco: banco.into(), usuario: usuario.into(), secreto: secreto.into() }
}

/// A store with Tigo Money on the wallet contract and BCP on the bank contract, both at
/// a fresh simulator, funded, and a cashier's open session on the mixed register.
async fn env() -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim_dir = tempfile::tempdir().unwrap();
    let sim = simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(sim_dir.path().join("sim.sqlite3")))
        .await
        .unwrap();
    let mut fx = Fixture::new();
    let url = sim.url();
    for banco in ["TIGO_MONEY", "BCP"] {
        fx.app.adjust_provider_float(fund(banco, "500000")).unwrap();
    }
    fx.app.configure_provider(connection("TIGO_MONEY", "BILLETERA_V2", &url)).unwrap();
    fx.app.configure_provider(connection("BCP", "BANCO_V1", &url)).unwrap();
    fx.app.set_provider_credentials(credentials("TIGO_MONEY", WALLET_USER, WALLET_PASSWORD)).unwrap();
    fx.app.set_provider_credentials(credentials("BCP", BANK_ID, BANK_SECRET)).unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "5000")).unwrap().id;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    Env { fx, sim, http, session, _sim_dir: sim_dir }
}

fn fast() -> WorkerConfig {
    WorkerConfig {
        concurrency: 4,
        request_timeout: Duration::from_millis(2000),
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(100),
        probe_interval: Duration::from_millis(200),
        ..WorkerConfig::default()
    }
}

impl Env {
    fn deposit(&mut self, banco: &str, monto: &str, referencia: &str) -> CoreResult<TransaccionAgente> {
        let account = if banco == "BCP" { CUSTOMER_ACCOUNT } else { CVU };
        let input =
            NewAgentTransaction {
            cuenta_cliente: Some(account.into()),
            cuit_cliente: (banco != "BCP").then(|| CUSTOMER_CUIT.to_string()),
            ..agent(banco, "DEPOSITO", monto, referencia, self.session)
        };
        self.fx.as_(Cashier).create_agent_transaction(input)
    }

    fn worker(&self) -> SyncHandle {
        SyncHandle::new(self.fx.path(), self.fx.app.secrets().clone(), fast())
    }

    async fn drain(&self) -> mostrador::sync::DrainSummary {
        self.worker().run_until_drained(Duration::from_secs(30)).await.unwrap()
    }

    fn outbox(&mut self, estado: Option<&str>) -> Vec<OutboundItem> {
        let filter = OutboxFilter { estado: estado.map(Into::into), size: Some(100), ..Default::default() };
        self.fx.app.list_outbox(filter).unwrap().items
    }

    async fn sim_post(&self, path: &str, body: Value) {
        let response = self.http.post(format!("{}{path}", self.sim.url())).json(&body).send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
    }

    async fn records(&self, contract: &str, operation: &str) -> Vec<Value> {
        let url = format!("{}/_sim/records?contract={contract}&operation={operation}", self.sim.url());
        let body: Value = self.http.get(url).send().await.unwrap().json().await.unwrap();
        body.as_array().cloned().or_else(|| body["records"].as_array().cloned()).unwrap_or_default()
    }
}

/// The running totals the offline limit reads equal the sums over the outbox.
fn assert_owed_matches_outbox(conn: &rusqlite::Connection) {
    let mismatched: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM providers p
             WHERE COALESCE((SELECT amount FROM outbox_owed WHERE provider = p.code), 0)
                != COALESCE((SELECT SUM(amount) FROM outbox WHERE provider = p.code AND call != 'REVERSO'
                             AND state IN ('queued', 'sending', 'retry_wait', 'needs_attention')), 0)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mismatched, 0, "outbox_owed disagrees with the outbox");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_and_its_outbox_row_commit_together() {
    let mut env = env().await;
    let deposit = env.deposit("TIGO_MONEY", "150.50", "T-1").unwrap();
    let rows = env.outbox(None);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!((row.llamada, row.estado, row.id_transaccion, row.monto), (LlamadaApi::Cashout, EstadoEnvio::Queued, deposit.id, bs(15_050)));
    let body: String =
        env.fx.app.connection().query_row("SELECT body FROM outbox WHERE id = ?1", [row.id], |r| r.get(0)).unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["reference_id"], json!(row.clave), "the stored body carries the idempotency key");
    assert_eq!(body["cvu"], json!(CVU));

    // A bank deposit, a wallet withdrawal to verify, and what is never sent.
    env.deposit("BCP", "99", "B-1").unwrap();
    let retiro = env.fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "RETIRO", "20", "CI-77", env.session)).unwrap();
    env.fx.as_(Cashier).create_agent_transaction(agent("BCP", "RETIRO", "20", "B-2", env.session)).unwrap();
    // SOLI is record-only: nothing to send.
    env.fx.as_(Cashier).create_agent_transaction(agent("SOLI", "RETIRO", "20", "S-1", env.session)).unwrap();
    let calls: Vec<(LlamadaApi, String)> = env.outbox(None).iter().map(|r| (r.llamada, r.clave.clone())).collect();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls.contains(&(LlamadaApi::VerificarCobro, "CI-77".to_string())), "{calls:?}");
    assert!(calls.iter().any(|(call, key)| *call == LlamadaApi::Deposito && key.len() == 6), "{calls:?}");
    assert!(env.outbox(None).iter().all(|r| r.id_transaccion != retiro.id || r.llamada == LlamadaApi::VerificarCobro));

    // A refused operation leaves no outbox row, and a connected deposit needs the
    // customer's account.
    let before = env.fx.snapshot();
    let err = expect_err(env.deposit("TIGO_MONEY", "600000", "T-2"), "float short");
    assert_eq!(err.code, ErrorCode::LimiteFueraDeLinea, "{err:?}");
    let err = expect_err(
        env.fx.as_(Cashier).create_agent_transaction(agent("TIGO_MONEY", "DEPOSITO", "10", "T-3", env.session)),
        "no account",
    );
    assert_error(&err, ErrorCode::CampoRequerido, Some("cuenta_cliente"), "no account");
    before.assert_same(&env.fx.snapshot(), "refused operations");
}

/// A bank deposit is taken at the point of service the bank assigned to the store, as
/// configured with its connection. A queued deposit keeps the body it was queued with (a
/// resend must be the same request); deposits after a change carry the new point.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_deposits_carry_the_banks_point_of_service() {
    let mut env = env().await;
    let demo_point = PuntoServicio {
        codigo: "000000000000001".into(),
        nombre: "TIENDA DEMO EL ALTO".into(),
        ciudad_id: "20105".into(),
        ciudad: "EL ALTO".into(),
        departamento: "02".into(),
    };
    let listed = env.fx.app.list_provider_connections().unwrap();
    let point_of = |banco: &str| listed.iter().find(|c| c.banco == banco).unwrap().punto_servicio.clone();
    assert_eq!((point_of("BCP"), point_of("TIGO_MONEY")), (Some(demo_point), None));

    let trn = |env: &Env, reference: &str| -> Value {
        let body: String = env
            .fx
            .app
            .connection()
            .query_row(
                "SELECT o.body FROM outbox o JOIN agent_transactions t ON t.id = o.agent_transaction_id WHERE t.nro_referencia = ?1",
                [reference],
                |r| r.get(0),
            )
            .unwrap();
        serde_json::from_str::<Value>(&body).unwrap()["trn"].clone()
    };
    let point_in = |trn: &Value| -> [String; 5] {
        ["code", "branchName", "cityId", "city", "stateProv"].map(|k| trn[k].as_str().unwrap_or_default().to_string())
    };
    env.deposit("BCP", "120", "PDS-1").unwrap();
    assert_eq!(point_in(&trn(&env, "PDS-1")), ["000000000000001", "TIENDA DEMO EL ALTO", "20105", "EL ALTO", "02"]);

    let url = env.sim.url();
    let moved = ConfigureProviderInput {
        punto_codigo: Some("123456789123456".into()),
        punto_nombre: Some("  MI OFICINA  BETTY ".into()),
        punto_ciudad_id: Some("25386".into()),
        punto_ciudad: Some("LA MESA".into()),
        punto_departamento: Some("25".into()),
        ..connection("BCP", "BANCO_V1", &url)
    };
    let connection = env.fx.app.configure_provider(moved).unwrap();
    assert_eq!(connection.punto_servicio.as_ref().map(|p| p.nombre.as_str()), Some("MI OFICINA BETTY"));
    env.deposit("BCP", "130", "PDS-2").unwrap();
    assert_eq!(point_in(&trn(&env, "PDS-2")), ["123456789123456", "MI OFICINA BETTY", "25386", "LA MESA", "25"]);
    assert_eq!(point_in(&trn(&env, "PDS-1"))[0], "000000000000001", "the queued deposit keeps its body");

    // The bank takes both.
    env.drain().await;
    let acked = env.outbox(Some("acked"));
    assert_eq!(acked.iter().filter(|r| r.llamada == LlamadaApi::Deposito).count(), 2, "{acked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_limits_refuse_what_they_must() {
    let mut env = env().await;
    let url = env.sim.url();
    env.fx
        .app
        .configure_provider(ConfigureProviderInput {
            limite_operacion: Some("100".into()),
            limite_pendiente: Some("250".into()),
            ..connection("TIGO_MONEY", "BILLETERA_V2", &url)
        })
        .unwrap();
    let before = env.fx.snapshot();
    let err = expect_err(env.deposit("TIGO_MONEY", "100.01", "L-1"), "single limit");
    assert_error(&err, ErrorCode::LimiteFueraDeLinea, Some("monto"), "single limit");
    assert!(err.message.contains("100.00"), "{}", err.message);
    before.assert_same(&env.fx.snapshot(), "over the single limit");
    env.deposit("TIGO_MONEY", "100", "L-2").unwrap();
    env.deposit("TIGO_MONEY", "100", "L-3").unwrap();
    let before = env.fx.snapshot();
    let err = expect_err(env.deposit("TIGO_MONEY", "50.01", "L-4"), "queued limit");
    assert_error(&err, ErrorCode::LimiteFueraDeLinea, Some("monto"), "queued limit");
    before.assert_same(&env.fx.snapshot(), "over the queued limit");
    env.deposit("TIGO_MONEY", "50", "L-5").unwrap();
    // Another provider's queue does not count against this one.
    env.deposit("BCP", "1000", "L-6").unwrap();
    // Once the provider acknowledges, the room is back.
    let summary = env.drain().await;
    assert_eq!((summary.pending, summary.needs_attention), (0, 0));
    env.deposit("TIGO_MONEY", "100", "L-7").unwrap();
    assert_owed_matches_outbox(env.fx.app.connection());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_sends_each_call_once_and_recovers_from_token_expiry() {
    let mut env = env().await;
    for n in 0..6 {
        env.deposit(if n % 2 == 0 { "TIGO_MONEY" } else { "BCP" }, &format!("{}", 10 + n), &format!("D-{n}")).unwrap();
    }
    let summary = env.drain().await;
    assert_eq!(summary, mostrador::sync::DrainSummary { acked: 6, pending: 0, needs_attention: 0 });
    assert!(env.outbox(Some("acked")).iter().all(|r| r.referencia_proveedor.is_some() && r.intentos == 1));

    // Tokens expire between drains (and the worker's cached token with them).
    env.sim_post("/_sim/tokens/expire", json!({})).await;
    for n in 6..10 {
        env.deposit(if n % 2 == 0 { "TIGO_MONEY" } else { "BCP" }, "5", &format!("D-{n}")).unwrap();
    }
    let worker = env.worker();
    env.sim_post("/_sim/faults", json!({"latency_ms": 50})).await;
    let expire = {
        let url = format!("{}/_sim/tokens/expire", env.sim.url());
        let http = env.http.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(60)).await;
            http.post(url).json(&json!({})).send().await.unwrap();
        })
    };
    let summary = worker.run_until_drained(Duration::from_secs(30)).await.unwrap();
    expire.await.unwrap();
    assert_eq!((summary.acked, summary.pending, summary.needs_attention), (10, 0, 0));
    assert_eq!(env.records("wallet", "cashout").await.len(), 5);
    assert_eq!(env.records("bank", "deposit").await.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_rejections_need_attention_with_the_providers_code() {
    let mut env = env().await;
    env.sim_post("/_sim/faults", json!({"business_error": {"contract": "bank", "code": "W2", "remaining_calls": 1}})).await;
    env.deposit("BCP", "40", "R-1").unwrap();
    let summary = env.drain().await;
    assert_eq!((summary.acked, summary.needs_attention), (0, 1));
    env.sim_post("/_sim/faults", json!({"business_error": {"contract": "wallet", "code": "cuenta_bloqueada", "remaining_calls": 1}}))
        .await;
    env.deposit("TIGO_MONEY", "40", "R-2").unwrap();
    env.drain().await;
    let attention = env.outbox(Some("needs_attention"));
    assert_eq!(attention.len(), 2);
    let bank = attention.iter().find(|r| r.banco == "BCP").unwrap();
    assert_eq!(bank.codigo_error.as_deref(), Some("W2"));
    assert!(bank.mensaje_error.as_deref().is_some_and(|m| !m.is_empty()));
    let wallet = attention.iter().find(|r| r.banco == "TIGO_MONEY").unwrap();
    assert!(wallet.mensaje_error.as_deref().is_some_and(|m| m.contains("bloqueada")), "{wallet:?}");
    let status = env.fx.app.sync_status().unwrap();
    assert_eq!((status.requieren_atencion, status.pendientes), (2, 0));

    // Once the cause is fixed, the manager retries with the same key and it goes through.
    let cashier_try = env.fx.as_(Cashier).retry_outbound(bank.id);
    assert_eq!(expect_err(cashier_try, "cashier retry").code, ErrorCode::PermisoDenegado);
    let retried = env.fx.app.retry_outbound(bank.id).unwrap();
    assert_eq!((retried.estado, retried.clave.as_str()), (EstadoEnvio::Queued, bank.clave.as_str()));
    env.drain().await;
    assert_eq!(env.fx.app.list_outbox(OutboxFilter::default()).unwrap().items.iter().find(|r| r.id == bank.id).unwrap().estado, EstadoEnvio::Acked);
    // The other is cancelled with a reason; an acked row cannot be cancelled.
    assert_owed_matches_outbox(env.fx.app.connection());
    let cancelled = env.fx.app.cancel_outbound(CancelOutboundInput { id: wallet.id, motivo: "Cuenta del cliente bloqueada".into() }).unwrap();
    assert_eq!(cancelled.estado, EstadoEnvio::Cancelled);
    assert_owed_matches_outbox(env.fx.app.connection());
    let err = expect_err(env.fx.app.cancel_outbound(CancelOutboundInput { id: bank.id, motivo: "x".into() }), "acked");
    assert_error(&err, ErrorCode::EstadoNoPermite, Some("id"), "cancel acked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voided_deposit_produces_exactly_one_reversal() {
    let mut env = env().await;
    let sent = env.deposit("BCP", "75", "V-1").unwrap();
    let unsent_later = env.deposit("BCP", "30", "V-2").unwrap();
    let wallet = env.deposit("TIGO_MONEY", "20", "V-3").unwrap();
    // V-2 is sent too; then everything is voided.
    env.drain().await;
    let never_sent = env.deposit("BCP", "12", "V-4").unwrap();
    for id in [sent.id, unsent_later.id, wallet.id, never_sent.id] {
        env.fx.app.void_agent_transaction(void(id, "Error de la cajera")).unwrap();
    }
    let rows = env.outbox(None);
    let reversals: Vec<&OutboundItem> = rows.iter().filter(|r| r.llamada == LlamadaApi::Reverso).collect();
    assert_eq!(reversals.len(), 3, "two bank reversals and one wallet note: {rows:#?}");
    let unsent = rows.iter().find(|r| r.id_transaccion == never_sent.id).unwrap();
    assert_eq!(unsent.estado, EstadoEnvio::Cancelled, "a call never sent is cancelled, not reversed");
    let wallet_note = reversals.iter().find(|r| r.banco == "TIGO_MONEY").unwrap();
    assert_eq!((wallet_note.estado, wallet_note.codigo_error.as_deref()), (EstadoEnvio::NeedsAttention, Some("SIN_REVERSO")));

    env.drain().await;
    env.drain().await;
    let reversos = env.records("bank", "reversal").await;
    assert_eq!(reversos.len(), 2, "{reversos:#?}");
    assert_eq!(env.records("bank", "deposit").await.len(), 2);
    assert!(env.outbox(None).iter().filter(|r| r.banco == "BCP" && r.llamada == LlamadaApi::Reverso).all(|r| r.estado == EstadoEnvio::Acked));
    // Voided twice? The record refuses, and no second reversal appears.
    let err = expect_err(env.fx.app.void_agent_transaction(void(sent.id, "otra vez")), "second void");
    assert_eq!(err.code, ErrorCode::YaAnulada);
    assert_eq!(env.outbox(None).iter().filter(|r| r.llamada == LlamadaApi::Reverso).count(), 3);
    assert_owed_matches_outbox(env.fx.app.connection());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciliation_finds_a_planted_missing_and_a_planted_unknown_record() {
    let mut env = env().await;
    // Operations of today, so the simulator's list (kept by its own clock) is the same day.
    let now = chrono::Utc::now();
    env.fx.clock.advance(now - start_time());
    let today = now.with_timezone(&mostrador::domain::clock::store_offset()).date_naive();
    for n in 0..3 {
        env.deposit("TIGO_MONEY", &format!("{}", 30 + n), &format!("C-{n}")).unwrap();
    }
    env.drain().await;
    // Missing at the provider: the store holds an acknowledged call the provider never had.
    let planted = env.deposit("TIGO_MONEY", "44", "C-9").unwrap();
    env.fx
        .app
        .connection()
        .execute(
            "UPDATE outbox SET state = 'acked', provider_ref = 'no-existe-1' WHERE agent_transaction_id = ?1",
            [planted.id],
        )
        .unwrap();
    // Unknown to the store: a customer's payment into the wallet.
    env.sim_post(
        "/_sim/plant",
        json!({"contract": "wallet", "operation": "cashin", "amount": "250.00", "date": today.to_string(),
               "cvu": "0000003100000000000777", "cuit": "20304050607"}),
    )
    .await;
    let path = env.fx.path();
    let secrets = env.fx.app.secrets().clone();
    let report = mostrador::sync::reconcile(&path, &secrets, &SystemClock, "TIGO_MONEY", today, None, Duration::from_secs(5)).await.unwrap();
    assert_eq!((report.conciliadas, report.faltan_en_proveedor, report.desconocidas), (3, 1, 1), "{report:#?}");
    let missing = report.lineas.iter().find(|l| l.estado == EstadoConciliacion::FaltaEnProveedor).unwrap();
    assert_eq!((missing.id_transaccion, missing.monto), (Some(planted.id), bs(4_400)));
    let unknown = report.lineas.iter().find(|l| l.estado == EstadoConciliacion::DesconocidaEnTienda).unwrap();
    assert_eq!(unknown.monto, bs(25_000));
    // Kept, and exported as CSV.
    assert_eq!(env.fx.app.get_reconciliation(report.id).unwrap(), report);
    let csv = env.fx.app.reconciliation_csv(report.id).unwrap();
    assert_eq!(csv.lines().count(), 1 + 5);
    assert!(csv.lines().any(|l| l.starts_with("DESCONOCIDA_EN_TIENDA,") && l.contains("250.00")), "{csv}");
    // The bank contract has no list: said plainly.
    let err = mostrador::sync::reconcile(&path, &secrets, &SystemClock, "BCP", today, None, Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::ConciliacionNoDisponible);

    // The bank is reconciled against its statement: one deposit listed, one missing from
    // it, and a line the store never sent.
    let first = env.deposit("BCP", "61", "K-1").unwrap();
    let second = env.deposit("BCP", "62", "K-2").unwrap();
    env.drain().await;
    let mut key = |id: i64| env.outbox(None).into_iter().find(|r| r.id_transaccion == id).unwrap().clave;
    let (first_key, second_key) = (key(first.id), key(second.id));
    let extracto = format!("referencia,monto\n{first_key},61.00\n999999,15.50\n");
    let report = env
        .fx
        .app
        .reconcile_statement(ReconcileInput { banco: "BCP".into(), fecha: today.to_string(), extracto: Some(extracto) })
        .unwrap();
    assert_eq!((report.conciliadas, report.faltan_en_proveedor, report.desconocidas), (1, 1, 1), "{report:#?}");
    let missing = report.lineas.iter().find(|l| l.estado == EstadoConciliacion::FaltaEnProveedor).unwrap();
    assert_eq!(missing.referencia.as_deref(), Some(second_key.as_str()));
    assert!(report.lineas.iter().any(|l| l.estado == EstadoConciliacion::DesconocidaEnTienda && l.monto == bs(1_550)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_key_after_a_million_outbox_rows_skips_the_keys_already_given() {
    let mut env = env().await;
    let first = env.deposit("BCP", "10", "W-1").unwrap();
    let row = |env: &mut Env, id: i64| env.outbox(None).into_iter().find(|r| r.id_transaccion == id).unwrap();
    let first_row = row(&mut env, first.id);
    let next = |key: &str| format!("{:06}", (key.parse::<i64>().unwrap() + 1) % 1_000_000);
    // A million outbox rows later (a filler row moves the id on), the count comes back
    // round to the first deposit's key, and the one after it is also taken.
    let second = env.deposit("BCP", "11", "W-2").unwrap();
    let second_row = row(&mut env, second.id);
    assert_eq!(second_row.clave, next(&first_row.clave), "keys follow the outbox id");
    env.fx
        .app
        .connection()
        .execute(
            "INSERT INTO outbox (id, provider, call, agent_transaction_id, idempotency_key, body, amount, state,
                                 next_attempt_at, created_at, updated_at)
             SELECT id + 999999, 'TIGO_MONEY', 'VERIFICAR_COBRO', agent_transaction_id, 'relleno', body, amount,
                    'acked', 0, created_at, updated_at
             FROM outbox WHERE id = ?1",
            [first_row.id],
        )
        .unwrap();
    let wrapped = env.deposit("BCP", "12", "W-3").unwrap();
    let wrapped_row = row(&mut env, wrapped.id);
    assert_eq!(wrapped_row.id, first_row.id + 1_000_000);
    assert_eq!(wrapped_row.clave, next(&second_row.clave), "the keys in use are skipped");
    // And the one after is the next free one, not the wrapped row's own.
    let after = env.deposit("BCP", "13", "W-4").unwrap();
    assert_eq!(row(&mut env, after.id).clave, next(&wrapped_row.clave));
    let keys: Vec<String> = env.outbox(None).into_iter().filter(|r| r.banco == "BCP").map(|r| r.clave).collect();
    let unique: std::collections::BTreeSet<_> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "{keys:?}");
    assert!(keys.iter().all(|k| k.len() == 6 && k.bytes().all(|b| b.is_ascii_digit())), "{keys:?}");
}

/// `(operator_id, entity_id, detail)` of each audit row of `action`, oldest first.
fn audit_rows(conn: &rusqlite::Connection, action: &str) -> Vec<(Option<i64>, Option<i64>, Value)> {
    conn.prepare("SELECT operator_id, entity_id, detail FROM audit_log WHERE action = ?1 ORDER BY id")
        .unwrap()
        .query_map([action], |r| Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&r.get::<_, String>(2)?).unwrap())))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciling_through_the_provider_api_writes_an_audit_row_with_the_operator_and_provider() {
    let mut env = env().await;
    let now = chrono::Utc::now();
    env.fx.clock.advance(now - start_time());
    let today = now.with_timezone(&mostrador::domain::clock::store_offset()).date_naive();
    env.deposit("TIGO_MONEY", "30", "R-1").unwrap();
    env.drain().await;
    let admin = env.fx.app.require_admin("conciliar").unwrap();
    let path = env.fx.path();
    let secrets = env.fx.app.secrets().clone();
    let timeout = Duration::from_secs(5);
    let by_admin = mostrador::sync::reconcile(&path, &secrets, &SystemClock, "TIGO_MONEY", today, Some(admin), timeout).await.unwrap();
    // The headless end-of-day job has no operator.
    let headless = mostrador::sync::reconcile(&path, &secrets, &SystemClock, "TIGO_MONEY", today, None, timeout).await.unwrap();
    let day = json!(today.to_string());
    assert_eq!(
        audit_rows(env.fx.app.connection(), "reconcile_provider"),
        vec![
            (Some(admin), Some(by_admin.id), json!({"banco": "TIGO_MONEY", "dia": day})),
            (None, Some(headless.id), json!({"banco": "TIGO_MONEY", "dia": day})),
        ]
    );
    // A failed reconciliation stores nothing and audits nothing.
    mostrador::sync::reconcile(&path, &secrets, &SystemClock, "BCP", today, Some(admin), timeout).await.unwrap_err();
    assert_eq!(audit_rows(env.fx.app.connection(), "reconcile_provider").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_stay_in_the_keyring_never_in_sqlite_or_logs() {
    let log = captured_log();
    let mut env = env().await;
    let secret = format!("clave-secreta-{}", std::process::id());
    env.fx.app.set_provider_credentials(credentials("SOLI", "usuario-soli", &secret)).unwrap();
    let connections = env.fx.app.list_provider_connections().unwrap();
    let soli = connections.iter().find(|c| c.banco == "SOLI").unwrap();
    assert_eq!(soli.credenciales, EstadoCredenciales::Guardadas);
    let wire = serde_json::to_string(&connections).unwrap();
    assert!(!wire.contains(&secret) && !wire.contains(WALLET_PASSWORD) && !wire.contains(BANK_SECRET));
    // Round trip through the keyring, as the worker reads it.
    let key = mostrador::sync::credential_key(env.fx.app.connection(), "SOLI").unwrap();
    let stored = env.fx.app.secrets().get(&key).unwrap().unwrap();
    assert!(stored.contains(&secret) && stored.contains("usuario-soli"));

    // Work that uses the credentials: sends, a token refresh, a rejected login.
    env.deposit("TIGO_MONEY", "10", "S-1").unwrap();
    env.deposit("BCP", "10", "S-2").unwrap();
    env.drain().await;
    env.fx.app.set_provider_credentials(credentials("BCP", BANK_ID, "secreto-equivocado-123")).unwrap();
    env.deposit("BCP", "11", "S-3").unwrap();
    env.deposit("BCP", "12", "S-4").unwrap();
    // Refused credentials pause the provider: the calls wait (not one by one into the
    // attention list, not a login per call) until the credentials change.
    let worker = env.worker();
    let summary = worker.run_until_drained(Duration::from_millis(1500)).await.unwrap();
    assert_eq!((summary.pending, summary.needs_attention), (2, 0));
    let bcp = worker.links().into_iter().find(|l| l.banco == "BCP").unwrap();
    assert!(bcp.problema.as_deref().is_some_and(|p| p.contains("credenciales")), "{bcp:?}");
    let attempts: i64 = env
        .fx
        .app
        .connection()
        .query_row("SELECT SUM(attempts) FROM outbox WHERE provider = 'BCP' AND state = 'retry_wait'", [], |r| r.get(0))
        .unwrap();
    assert!(attempts <= 2, "{attempts} attempts with refused credentials");
    env.fx.app.set_provider_credentials(credentials("BCP", BANK_ID, BANK_SECRET)).unwrap();
    let summary = env.drain().await;
    assert_eq!((summary.pending, summary.needs_attention), (0, 0));

    drop(env.fx.app.connection().execute_batch("PRAGMA wal_checkpoint(PASSIVE);"));
    let dir = env.fx.path().parent().unwrap().to_path_buf();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for needle in [secret.as_str(), WALLET_PASSWORD, BANK_SECRET, "secreto-equivocado-123"] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                    "{} contains a secret",
                    path.display()
                );
            }
        }
    }
    let logged = log.0.lock().unwrap().clone();
    assert!(!logged.is_empty(), "the log capture works");
    for needle in [secret.as_str(), WALLET_PASSWORD, BANK_SECRET, "secreto-equivocado-123"] {
        assert!(!logged.contains(needle), "the log contains a secret");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_waits_while_offline_and_sends_on_reconnect() {
    let mut env = env().await;
    let addr: std::net::SocketAddr = env.sim.url().trim_start_matches("http://").parse().unwrap();
    let sim_path = env._sim_dir.path().join("sim.sqlite3");
    // The provider goes away; the cashier keeps working.
    let sim = std::mem::replace(
        &mut env.sim,
        simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(env._sim_dir.path().join("other.sqlite3")))
            .await
            .unwrap(),
    );
    sim.stop().await.unwrap();
    env.deposit("TIGO_MONEY", "25", "O-1").unwrap();
    env.deposit("BCP", "25", "O-2").unwrap();

    let mut core = env.fx.open_handle();
    let worker = env.worker();
    core.attach_sync(worker.clone());
    core.login(creds(ADMIN_NAME, ADMIN_PIN)).unwrap();
    let background = tokio::spawn(worker.run_forever());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let offline = loop {
        let status = core.sync_status().unwrap();
        if status.proveedores.iter().filter(|p| p.en_linea == Some(false)).count() == 2 {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "the worker never saw the providers offline: {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(!offline.en_linea);
    assert_eq!((offline.pendientes, offline.monto_pendiente), (2, bs(5_000)));
    assert!(env.outbox(None).iter().all(|r| r.intentos == 0), "nothing is attempted while the provider is unreachable");

    // The provider comes back on the same address: the next probe finds it and sends.
    let back = simulator::spawn(addr, SimulatorConfig::demo(sim_path)).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let status = core.sync_status().unwrap();
        if status.pendientes == 0 {
            assert!(status.en_linea);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "nothing was sent after reconnecting: {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(env.outbox(Some("acked")).len(), 2);
    background.abort();
    back.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_headless_end_of_day_job_syncs_reconciles_and_writes_the_csv() {
    let mut env = env().await;
    let now = chrono::Utc::now();
    env.fx.clock.advance(now - start_time());
    let today = now.with_timezone(&mostrador::domain::clock::store_offset()).date_naive();
    env.deposit("TIGO_MONEY", "12.34", "E-1").unwrap();
    env.deposit("BCP", "56.78", "E-2").unwrap();
    env.sim_post(
        "/_sim/plant",
        json!({"contract": "wallet", "operation": "cashin", "amount": "9.99", "date": today.to_string(),
               "cvu": "0000003100000000000777", "cuit": "20304050607"}),
    )
    .await;
    let data_dir = env.fx.path().parent().unwrap().to_path_buf();
    let dir = data_dir.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_mostrador"))
            .args(["fin-de-dia", "--data-dir"])
            .arg(&dir)
            .args(["--fecha", &today.to_string(), "--espera", "30", "--reintento-min-ms", "20"])
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The planted payment is unknown to the store, so the job reports work left to do.
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("Envío: 2 confirmados, 0 pendientes, 0 requieren atención"), "{stdout}");
    assert!(stdout.contains("1 conciliadas, 0 faltan en el proveedor, 1 desconocidas"), "{stdout}");
    let csv = std::fs::read_to_string(data_dir.join(format!("conciliacion-TIGO_MONEY-{today}.csv"))).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("CONCILIADA,") && l.contains("12.34")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("DESCONOCIDA_EN_TIENDA,") && l.contains("9.99")), "{csv}");
    assert_eq!(env.outbox(Some("acked")).len(), 2);
    let stored: i64 =
        env.fx.app.connection().query_row("SELECT COUNT(*) FROM reconciliations", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1);
    // A bad date is refused before anything is sent: usage error, exit 2.
    let dir = data_dir.clone();
    let refused = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_mostrador"))
            .args(["fin-de-dia", "--fecha", "2025-13-01", "--data-dir"])
            .arg(&dir)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--fecha"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voided_operation_whose_call_may_have_left_is_only_confirmed_never_sent_anew() {
    let mut env = env().await;
    // Two cashouts whose first attempt timed out: one never reached the wallet, the
    // other did (the simulator committed it) but its answer was lost.
    let lost = env.deposit("TIGO_MONEY", "31", "U-1").unwrap();
    let arrived = env.deposit("TIGO_MONEY", "32", "U-2").unwrap();
    let conn = env.fx.app.connection();
    conn.execute("UPDATE outbox SET next_attempt_at = 9999999999999 WHERE agent_transaction_id = ?1", [lost.id]).unwrap();
    env.worker().run_until_drained(Duration::from_millis(500)).await.unwrap();
    // Put both rows where a timed-out first attempt leaves them: the second's answer
    // was lost, the first never arrived. Written today by the worker's clock (the
    // fixture's store clock is in 2025), so the wallet's list covers their day.
    let conn = env.fx.app.connection();
    conn.execute(
        "UPDATE outbox SET state = 'retry_wait', outcome_unknown = 1, next_attempt_at = 0, provider_ref = NULL, acked_at = NULL,
                created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE agent_transaction_id IN (?1, ?2)",
        [lost.id, arrived.id],
    )
    .unwrap();
    assert_eq!(env.records("wallet", "cashout").await.len(), 1, "only the second reached the wallet");
    let unknown: i64 = conn.query_row("SELECT COUNT(*) FROM outbox WHERE outcome_unknown = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(unknown, 2, "both outcomes unknown");
    for record in [&lost, &arrived] {
        env.fx.app.void_agent_transaction(void(record.id, "El cliente se arrepintió")).unwrap();
    }
    env.drain().await;
    let rows = env.outbox(None);
    let state_of = |id: i64| rows.iter().find(|r| r.id_transaccion == id && r.revierte.is_none()).unwrap().estado;
    assert_eq!(state_of(lost.id), EstadoEnvio::Cancelled, "not at the wallet: cancelled, not sent after the void");
    assert_eq!(state_of(arrived.id), EstadoEnvio::Acked, "at the wallet: confirmed by the lookup");
    assert_eq!(env.records("wallet", "cashout").await.len(), 1, "the voided call was never sent anew");
    // The wallet cannot reverse: the confirmed one is left to the manager; the other's note is gone.
    let notes: Vec<(i64, EstadoEnvio)> =
        rows.iter().filter(|r| r.revierte.is_some()).map(|r| (r.id_transaccion, r.estado)).collect();
    assert!(notes.contains(&(arrived.id, EstadoEnvio::NeedsAttention)), "{notes:?}");
    assert!(notes.contains(&(lost.id, EstadoEnvio::Cancelled)), "{notes:?}");
    assert_owed_matches_outbox(env.fx.app.connection());
}

#[test]
fn the_demo_store_connects_to_the_demo_bank_and_a_new_start_only_moves_its_url() {
    let sim_dir = tempfile::tempdir().unwrap();
    let bank = simulator::start_demo(sim_dir.path().join("sim.sqlite3")).unwrap();
    assert!(bank.url.starts_with("http://127.0.0.1:"), "{}", bank.url);
    assert_eq!((bank.wallet.user.as_str(), bank.wallet.secret.as_str()), (WALLET_USER, WALLET_PASSWORD));
    assert_eq!((bank.bank.user.as_str(), bank.bank.secret.as_str()), (BANK_ID, BANK_SECRET));
    assert_eq!(bank.correspondent_account, DEMO_CORRESPONDENT_ACCOUNT);
    assert!(!format!("{bank:?}").contains(WALLET_PASSWORD), "a login's Debug hides its secret");

    let mut store = EmptyStore::new();
    let operators = demo::seed(&mut store.app).unwrap();
    assert!(demo::connect_simulator(&mut store.app, &bank).unwrap());
    let admin = operators.iter().find(|o| o.role == Role::Administrador).unwrap();
    store.app.login(creds(&admin.name, &admin.pin)).unwrap();
    let connected = |app: &mostrador::Mostrador, banco: &str| {
        app.list_provider_connections().unwrap().into_iter().find(|c| c.banco == banco).unwrap()
    };
    let bcp = connected(&store.app, "BCP");
    assert_eq!(
        (bcp.contrato, bcp.url_base.as_deref(), bcp.cuenta_tienda.as_deref()),
        (Some(Contrato::BancoV1), Some(bank.url.as_str()), Some(DEMO_CORRESPONDENT_ACCOUNT))
    );
    assert!(bcp.credenciales == EstadoCredenciales::Guardadas && bcp.punto_servicio.is_some() && !bcp.enviar_retiro);
    let tigo = connected(&store.app, "TIGO_MONEY");
    assert_eq!((tigo.contrato, tigo.enviar_retiro, tigo.credenciales), (Some(Contrato::BilleteraV2), true, EstadoCredenciales::Guardadas));

    // What the manager set survives the next start; only the simulator's URL moves.
    let limited = ConfigureProviderInput { limite_operacion: Some("100".into()), ..connection("TIGO_MONEY", "BILLETERA_V2", &bank.url) };
    store.app.configure_provider(limited).unwrap();
    let moved = DemoBank { url: "http://127.0.0.1:1".into(), ..bank.clone() };
    assert!(demo::connect_simulator(&mut store.app, &moved).unwrap());
    let tigo = connected(&store.app, "TIGO_MONEY");
    assert_eq!((tigo.url_base.as_deref(), tigo.limite_operacion), (Some("http://127.0.0.1:1"), Money::from_centavos(10_000)));
}

/// A demo store connected to `bank`, its administrator logged in.
fn demo_store(bank: &DemoBank) -> EmptyStore {
    let mut store = EmptyStore::new();
    let operators = demo::seed(&mut store.app).unwrap();
    assert!(demo::connect_simulator(&mut store.app, bank).unwrap());
    let admin = operators.iter().find(|o| o.role == Role::Administrador).unwrap();
    store.app.login(creds(&admin.name, &admin.pin)).unwrap();
    store
}

#[test]
fn the_demo_refuses_a_store_whose_provider_points_at_a_real_bank_and_changes_nothing() {
    let sim_dir = tempfile::tempdir().unwrap();
    let bank = simulator::start_demo(sim_dir.path().join("sim.sqlite3")).unwrap();
    let real = |input: ConfigureProviderInput| ConfigureProviderInput { url_token: Some("https://auth.bcp.example/oauth/token".into()), ..input };
    let cases: [(&str, ConfigureProviderInput); 3] = [
        ("a real bank", real(connection("BCP", "BANCO_V1", "https://api.bcp.example"))),
        ("only the token on a real bank", real(connection("BCP", "BANCO_V1", &bank.url))),
        ("a provider the demo does not connect", connection("SOLI", "BILLETERA_V2", "http://127.0.0.1:1")),
    ];
    for (what, input) in cases {
        let mut store = demo_store(&bank);
        store.app.configure_provider(input).unwrap();
        store.app.logout().unwrap();
        let before = store.snapshot();
        let err = demo::seed(&mut store.app).unwrap_err();
        assert_eq!(err.code, ErrorCode::EstadoNoPermite, "{what}: {err:?}");
        assert!(err.message.contains("simulador") && err.message.contains("No se cambió nada"), "{what}: {}", err.message);
        let moved = DemoBank { url: "http://127.0.0.1:1".into(), ..bank.clone() };
        let err = demo::connect_simulator(&mut store.app, &moved).unwrap_err();
        assert_eq!(err.code, ErrorCode::EstadoNoPermite, "{what}: {err:?}");
        before.assert_same(&store.snapshot(), what);
    }
}

#[test]
fn the_demo_names_the_connection_that_points_elsewhere() {
    let sim_dir = tempfile::tempdir().unwrap();
    let bank = simulator::start_demo(sim_dir.path().join("sim.sqlite3")).unwrap();
    let mut store = demo_store(&bank);
    let input = ConfigureProviderInput {
        url_token: Some("https://auth.bcp.example/oauth/token".into()),
        ..connection("BCP", "BANCO_V1", "https://api.bcp.example")
    };
    store.app.configure_provider(input).unwrap();
    let err = demo::check_only_simulator(&store.app).unwrap_err();
    assert!(err.message.contains("BCP (https://api.bcp.example)"), "{}", err.message);
    assert!(!err.message.contains("TIGO_MONEY"), "{}", err.message);
}

#[test]
fn a_demo_store_from_before_the_simulator_url_was_kept_is_recognised_by_its_audit_row() {
    let sim_dir = tempfile::tempdir().unwrap();
    let bank = simulator::start_demo(sim_dir.path().join("sim.sqlite3")).unwrap();
    let mut store = demo_store(&bank);
    store.app.logout().unwrap();
    store.app.connection().execute("DELETE FROM settings WHERE key = 'demo_simulator_url'", []).unwrap();
    assert_eq!(demo::seed(&mut store.app).unwrap().len(), 3);
    let moved = DemoBank { url: "http://127.0.0.1:1".into(), ..bank.clone() };
    assert!(demo::connect_simulator(&mut store.app, &moved).unwrap());
    // And the next start knows the moved URL.
    demo::check_only_simulator(&store.app).unwrap();
}

#[test]
fn the_demo_refuses_a_store_it_did_not_create_that_has_providers() {
    let mut store = EmptyStore::new();
    store.app.create_first_admin(creds("Ana", "482915")).unwrap();
    store.app.login(creds("Ana", "482915")).unwrap();
    store.app.configure_provider(connection("TIGO_MONEY", "BILLETERA_V2", "https://api.tigo.example")).unwrap();
    let before = store.snapshot();
    assert_eq!(demo::seed(&mut store.app).unwrap_err().code, ErrorCode::EstadoNoPermite);
    before.assert_same(&store.snapshot(), "demo on a real store with a provider");
}

#[test]
fn mostrador_demo_exits_with_an_error_on_a_store_pointed_at_a_real_bank() {
    let sim_dir = tempfile::tempdir().unwrap();
    let bank = simulator::start_demo(sim_dir.path().join("sim.sqlite3")).unwrap();
    let mut store = demo_store(&bank);
    let input = ConfigureProviderInput {
        url_token: Some("https://auth.bcp.example/oauth/token".into()),
        ..connection("BCP", "BANCO_V1", "https://api.bcp.example")
    };
    store.app.configure_provider(input).unwrap();
    store.app.logout().unwrap();
    let before = store.snapshot();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mostrador"))
        .args(["--demo", "--data-dir"])
        .arg(store.dir.path())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("simulador") && stderr.contains("BCP (https://api.bcp.example)"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("PIN"), "no PIN is printed");
    assert!(!store.dir.path().join("bank-simulator.sqlite3").exists(), "no simulator is started");
    before.assert_same(&store.snapshot(), "mostrador --demo on a store pointed at a real bank");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_settings_are_kept_with_the_connection_and_shape_what_is_sent() {
    let mut env = env().await;
    let url = env.sim.url();
    let connection = env
        .fx
        .app
        .configure_provider(ConfigureProviderInput {
            zona_horaria: Some("+05:00".into()),
            terminal_id: Some("CAJA-01".into()),
            ip_terminal: Some("192.168.1.20".into()),
            usuario_modificador: Some("ANA".into()),
            // A wallet-only setting on a bank connection: checked, not kept.
            concepto: Some("VAR".into()),
            ..connection("BCP", "BANCO_V1", &url)
        })
        .unwrap();
    let a = &connection.ajustes;
    assert_eq!(a.url_token.as_deref(), Some(format!("{url}{}", simulator::BANK_TOKEN_STAND_IN).as_str()));
    assert_eq!((a.zona_horaria.as_deref(), a.terminal_id.as_deref()), (Some("+05:00"), Some("CAJA-01")));
    assert_eq!((a.ip_terminal.as_deref(), a.ip_servidor.as_deref()), (Some("192.168.1.20"), None));
    assert_eq!((a.usuario_modificador.as_deref(), a.concepto.as_deref()), (Some("ANA"), None));

    let record = env.deposit("BCP", "80", "ZONA-1").unwrap();
    let (body, created): (String, String) = env
        .fx
        .app
        .connection()
        .query_row(
            "SELECT o.body, o.created_at FROM outbox o WHERE o.agent_transaction_id = ?1",
            [record.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    // The hour and book date are the bank's zone (+05:00), not the store's.
    let at = chrono::DateTime::parse_from_rfc3339(&created).unwrap().with_timezone(&chrono::FixedOffset::east_opt(5 * 3600).unwrap());
    assert_eq!(body["trn"]["type"], "N", "the table's code by default");
    assert_eq!(body["invoker"]["processDate"], at.format("%Y-%m-%d").to_string());
    assert_eq!(body["trn"]["transactionHour"].as_str().unwrap()[..2], at.format("%H").to_string());
    assert_eq!(body["invoker"]["txId"].as_str().unwrap().len(), 16);

    // The strict simulator takes it (every required header), and its reversal (P1).
    env.drain().await;
    env.fx.app.void_agent_transaction(void(record.id, "Error de la cajera")).unwrap();
    env.drain().await;
    env.drain().await;
    let bank_rows: Vec<OutboundItem> = env.outbox(None).into_iter().filter(|r| r.id_transaccion == record.id).collect();
    assert_eq!(bank_rows.len(), 2, "{bank_rows:#?}");
    assert!(bank_rows.iter().all(|r| r.estado == EstadoEnvio::Acked), "{bank_rows:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_reads_credentials_only_for_a_provider_with_something_to_send() {
    let mut env = env().await;
    // BCP's credentials are gone from the keyring; nothing is queued for anyone.
    let key = mostrador::sync::credential_key(env.fx.app.connection(), "BCP").unwrap();
    env.fx.app.secrets().delete(&key).unwrap();
    let worker = env.worker();
    let idle = worker.run_until_drained(Duration::from_millis(600)).await.unwrap();
    assert_eq!((idle.pending, idle.needs_attention), (0, 0));
    let bcp = worker.links().into_iter().find(|l| l.banco == "BCP").unwrap();
    // Not read while idle: no "missing credentials" problem, no probe either.
    assert_eq!((bcp.en_linea, bcp.problema), (None, None));

    // A deposit to send: now the worker reads them, finds none and says so; the call waits.
    env.deposit("BCP", "10", "K-1").unwrap();
    let waiting = worker.run_until_drained(Duration::from_millis(600)).await.unwrap();
    assert_eq!(waiting.pending, 1);
    let bcp = worker.links().into_iter().find(|l| l.banco == "BCP").unwrap();
    assert!(bcp.problema.as_deref().is_some_and(|p| p.contains("Faltan las credenciales")), "{bcp:?}");
    env.fx.app.set_provider_credentials(credentials("BCP", BANK_ID, BANK_SECRET)).unwrap();
    let sent = env.drain().await;
    assert_eq!((sent.pending, sent.needs_attention), (0, 0));
}
