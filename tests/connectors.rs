//! The provider connectors against the bank simulator, in-process on a free loopback port
//! with its own state file: outcomes of every fault class, idempotent resends, token
//! renewal, lookups of unknown outcomes, the transaction list and the error tables.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeZone;
use mostrador::connectors::{
    bank, wallet, Connector, ConnectorConfig, ConnectorError, ErrorClass, Lookup, Outcome,
    ProviderSecret, AMOUNT_MISMATCH, CREDENTIALS_REJECTED, INVALID_CALL,
};
use mostrador::domain::{AjustesContrato, Contrato, LlamadaApi, Money, TipoDeposito};
use mostrador::simulator::{self, SimulatorConfig, SimulatorHandle, DEMO_CORRESPONDENT_ACCOUNT};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use tempfile::TempDir;

const CVU: &str = "0000003100000000000123";
const BLOCKED_CVU: &str = "0000999900000000000001";
const CUSTOMER: &str = "20000000001";
const BLOCKED_ACCOUNT: &str = "99900000001";
const QUICK: Duration = Duration::from_millis(300);
const NORMAL: Duration = Duration::from_secs(3);

struct Sim {
    handle: Option<SimulatorHandle>,
    http: reqwest::Client,
    _dir: TempDir,
}

impl Sim {
    async fn start() -> Sim {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let config = SimulatorConfig::demo(dir.path().join("bank-simulator.sqlite3"));
        let handle = simulator::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), config).await.unwrap();
        let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
        Sim { handle: Some(handle), http, _dir: dir }
    }

    fn url(&self) -> String {
        self.handle.as_ref().unwrap().url()
    }

    async fn stop(mut self) {
        self.handle.take().unwrap().stop().await.unwrap();
    }

    fn connector(&self, contract: Contrato, user: &str, secret: &str, timeout: Duration) -> Connector {
        Connector::new(ConnectorConfig {
            contract,
            base_url: self.url(),
            secret: ProviderSecret { user: user.into(), secret: secret.into() },
            timeout,
            settings: AjustesContrato {
                url_token: Some(format!("{}{}", self.url(), simulator::BANK_TOKEN_STAND_IN)),
                ..AjustesContrato::default()
            },
        })
        .unwrap()
    }

    fn wallet(&self, timeout: Duration) -> Connector {
        self.connector(Contrato::BilleteraV2, simulator::DEMO_WALLET_USERNAME, simulator::DEMO_WALLET_PASSWORD, timeout)
    }

    fn bank(&self, timeout: Duration) -> Connector {
        self.connector(
            Contrato::BancoV1,
            simulator::DEMO_BANK_CLIENT_ID,
            simulator::DEMO_BANK_CLIENT_SECRET,
            timeout,
        )
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.url()));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn faults(&self, patch: Value) {
        self.admin(reqwest::Method::POST, "/_sim/faults", Some(patch)).await;
    }

    async fn reset(&self) {
        self.admin(reqwest::Method::POST, "/_sim/reset", None).await;
    }

    /// Expires every token and says how many were ever issued.
    async fn expire_tokens(&self) -> u64 {
        self.admin(reqwest::Method::POST, "/_sim/tokens/expire", None).await["expired"].as_u64().unwrap()
    }

    async fn records(&self, query: &str) -> Vec<Value> {
        let body = self.admin(reqwest::Method::GET, &format!("/_sim/records{query}"), None).await;
        body["records"].as_array().unwrap().clone()
    }

    async fn plant(&self, body: Value) -> Value {
        self.admin(reqwest::Method::POST, "/_sim/plant", Some(body)).await
    }
}

fn money(centavos: i64) -> Money {
    Money::from_centavos(centavos)
}

fn cashout(reference: &str, centavos: i64) -> Box<RawValue> {
    cashout_to(reference, CVU, centavos, "Depósito agente")
}

fn cashout_to(reference: &str, destination: &str, centavos: i64, description: &str) -> Box<RawValue> {
    wallet::cashout_body(&wallet::Cashout {
        reference_id: reference,
        destination,
        cuit: "20304050607",
        amount: money(centavos),
        concept: simulator::DEMO_WALLET_CONCEPT,
        description,
    })
}

fn point() -> bank::ServicePoint {
    bank::ServicePoint {
        code: "123456789123456".into(),
        branch_name: "TIENDA DEMO".into(),
        city_id: "20101".into(),
        city: "LA PAZ".into(),
        state_prov: "02".into(),
    }
}

fn deposit(trn_rq_uid: &str, to: &str, centavos: i64) -> Box<RawValue> {
    let at = chrono::FixedOffset::west_opt(4 * 3600).unwrap().with_ymd_and_hms(2025, 3, 10, 10, 15, 0).unwrap();
    bank::deposit_body(trn_rq_uid, to, DEMO_CORRESPONDENT_ACCOUNT, money(centavos), at, &point(), TipoDeposito::CodigoNR)
}

fn acked_ref(outcome: Outcome) -> String {
    match outcome {
        Outcome::Acked { provider_ref: Some(r) } => r,
        other => panic!("expected Acked with a provider ref, got {other:?}"),
    }
}

fn class_of(outcome: &Outcome) -> ErrorClass {
    match outcome {
        Outcome::Retryable { .. } => ErrorClass::Retryable,
        Outcome::Unknown { .. } => ErrorClass::Unknown,
        Outcome::Rejected { .. } => ErrorClass::Rejected,
        Outcome::Acked { .. } => panic!("expected an error outcome, got {outcome:?}"),
    }
}

fn assert_rejected(outcome: &Outcome, code: &str, text: &str) {
    assert_eq!(outcome, &Outcome::Rejected { code: code.into(), text: text.into() });
}

// ---------------------------------------------------------------------------------------
// Acked, and idempotent resends

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cashout_is_acked_and_a_resend_returns_the_same_id() {
    let sim = Sim::start().await;
    let wallet = sim.wallet(NORMAL);
    let body = cashout("dep-0001", 15_050);
    let first = acked_ref(wallet.send(LlamadaApi::Cashout, &body).await);
    let again = acked_ref(wallet.send(LlamadaApi::Cashout, &body).await);
    assert_eq!(first, again);
    let records = sim.records("?contract=wallet&operation=cashout").await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["amount"], "150.50");
    assert_eq!(records[0]["idempotency_key"], "dep-0001");

    // The same key with another amount is the provider's 409, shown to the manager.
    let other = wallet.send(LlamadaApi::Cashout, &cashout("dep-0001", 15_051)).await;
    assert_rejected(&other, "409", "El reference_id ya fue utilizado con otros datos");

    // An alias goes in `alias`.
    let alias = cashout_to("dep-0002", "juana.mamani", 1_000, "");
    acked_ref(wallet.send(LlamadaApi::Cashout, &alias).await);
    let records = sim.records("?contract=wallet&operation=cashout").await;
    assert_eq!(records[1]["counterpart"], "juana.mamani");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposit_and_its_reversal_are_acked() {
    let sim = Sim::start().await;
    let bank = sim.bank(NORMAL);
    let body = deposit("123456", CUSTOMER, 9_950);
    let approval = acked_ref(bank.send(LlamadaApi::Deposito, &body).await);
    assert_eq!(acked_ref(bank.send(LlamadaApi::Deposito, &body).await), approval, "a resend is the first answer");

    let reversal = bank::reversal_body(&body).unwrap();
    let reversed = acked_ref(bank.send(LlamadaApi::Reverso, &reversal).await);
    assert_ne!(reversed, approval);
    assert_eq!(acked_ref(bank.send(LlamadaApi::Reverso, &reversal).await), reversed);

    let records = sim.records("?contract=bank").await;
    let kinds: Vec<_> =
        records.iter().map(|r| (r["operation"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
    assert_eq!(kinds, [("deposit", "reversed"), ("reversal", "posted")]);

    // A body that does not fit its call is refused before anything is sent.
    assert!(
        matches!(bank.send(LlamadaApi::Reverso, &body).await, Outcome::Rejected { code, .. } if code == INVALID_CALL)
    );
    assert!(
        matches!(bank.send(LlamadaApi::Cashout, &body).await, Outcome::Rejected { code, .. } if code == INVALID_CALL)
    );
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------
// Fault classes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_or_looked_up_and_refused_connections_are_retryable() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet(NORMAL), sim.bank(NORMAL));
    // Tokens first, so the 500 hits the operation itself.
    acked_ref(wallet.send(LlamadaApi::Cashout, &cashout("warm-1", 100)).await);
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("100001", CUSTOMER, 100)).await);

    sim.faults(json!({ "error_500_rate": 1.0 })).await;
    // The wallet documents no status: its 500 may have been applied, so it is looked up
    // (and resent with the same reference_id), never taken as nothing done.
    let outcome = wallet.send(LlamadaApi::Cashout, &cashout("dep-500", 1_000)).await;
    assert!(matches!(&outcome, Outcome::Unknown { detail } if detail.contains("500")), "{outcome:?}");
    let outcome = bank.send(LlamadaApi::Deposito, &deposit("100002", CUSTOMER, 1_000)).await;
    assert!(
        matches!(&outcome, Outcome::Retryable { detail } if detail.contains("NO LO PODEMOS ATENDER")),
        "{outcome:?}"
    );
    // Without a cached token the token request fails first: still nothing was sent.
    let fresh = sim.wallet(NORMAL);
    assert!(matches!(fresh.send(LlamadaApi::Cashout, &cashout("dep-500", 1_000)).await, Outcome::Retryable { .. }));
    sim.reset().await;
    assert_eq!(sim.records("?contract=wallet&operation=cashout").await.len(), 1);
    assert_eq!(sim.records("?contract=bank").await.len(), 1);

    // A port nobody listens on: the connection is refused before anything is sent.
    let closed = closed_port().await;
    let nowhere = Connector::new(ConnectorConfig {
        contract: Contrato::BilleteraV2,
        base_url: format!("http://127.0.0.1:{closed}"),
        secret: ProviderSecret { user: "agente.demo".into(), secret: "demo-1234".into() },
        timeout: QUICK,
        settings: AjustesContrato::default(),
    })
    .unwrap();
    let outcome = nowhere.send(LlamadaApi::Cashout, &cashout("dep-x", 100)).await;
    assert!(matches!(outcome, Outcome::Retryable { .. }), "{outcome:?}");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_past_the_timeout_is_unknown() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet(QUICK), sim.bank(QUICK));
    acked_ref(wallet.send(LlamadaApi::Cashout, &cashout("warm-1", 100)).await);
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("100001", CUSTOMER, 100)).await);

    sim.faults(json!({ "hang_rate": 1.0, "hang_ms": 3000 })).await;
    let started = Instant::now();
    let (cash, dep) = (cashout("dep-hang", 1_000), deposit("100002", CUSTOMER, 1_000));
    let (w, b) = tokio::join!(wallet.send(LlamadaApi::Cashout, &cash), bank.send(LlamadaApi::Deposito, &dep));
    assert!(matches!(w, Outcome::Unknown { .. }), "{w:?}");
    assert!(matches!(b, Outcome::Unknown { .. }), "{b:?}");
    assert!(started.elapsed() < Duration::from_millis(1_500), "gave up at the client's timeout");
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_response_is_unknown_and_the_lookup_resolves_it() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet(NORMAL), sim.bank(NORMAL));
    acked_ref(wallet.send(LlamadaApi::Cashout, &cashout("warm-1", 100)).await);
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("100001", CUSTOMER, 100)).await);

    sim.faults(json!({ "drop_after_commit_rate": 1.0 })).await;
    let body = cashout("dep-drop", 2_500);
    let outcome = wallet.send(LlamadaApi::Cashout, &body).await;
    assert!(matches!(outcome, Outcome::Unknown { .. }), "{outcome:?}");
    let dep = deposit("100002", CUSTOMER, 2_500);
    let outcome = bank.send(LlamadaApi::Deposito, &dep).await;
    assert!(matches!(outcome, Outcome::Unknown { .. }), "{outcome:?}");
    sim.reset().await;

    // The wallet's list (no ids: matched on amount, CUIT and CVU) has the committed
    // cashout; one never sent is not there.
    let found = wallet.lookup(LlamadaApi::Cashout, "dep-drop", &body).await;
    assert_eq!(found, Lookup::Found { provider_ref: None });
    assert_eq!(
        wallet.lookup(LlamadaApi::Cashout, "never-sent", &cashout("never-sent", 2_600)).await,
        Lookup::NotFound
    );
    // And a resend with the same reference_id is answered with the first id, applied once.
    let id = acked_ref(wallet.send(LlamadaApi::Cashout, &body).await);
    assert_eq!(acked_ref(wallet.send(LlamadaApi::Cashout, &body).await), id);
    let committed = sim.records("?contract=wallet&operation=cashout").await;
    assert_eq!(committed.iter().filter(|r| r["idempotency_key"] == "dep-drop").count(), 1);

    // The bank has no lookup: the worker resends with the same trnRqUID, applied once.
    assert!(matches!(bank.lookup(LlamadaApi::Deposito, "100002", &dep).await, Lookup::Unavailable { .. }));
    acked_ref(bank.send(LlamadaApi::Deposito, &dep).await);
    let deposits = sim.records("?contract=bank&operation=deposit").await;
    assert_eq!(deposits.iter().filter(|r| r["idempotency_key"] == "100002").count(), 1);
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_errors_are_rejected_with_the_providers_code_and_text() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet(NORMAL), sim.bank(NORMAL));

    sim.faults(json!({ "business_error": { "contract": "bank", "code": "W2", "remaining_calls": 1 } })).await;
    let outcome = bank.send(LlamadaApi::Deposito, &deposit("200001", CUSTOMER, 1_000)).await;
    assert_rejected(&outcome, "W2", "FONDOS INSUFICIENTES PARA RETIRO");
    sim.faults(json!({ "business_error": { "contract": "bank", "code": "NF", "remaining_calls": 1 } })).await;
    let outcome = bank.send(LlamadaApi::Deposito, &deposit("200001", CUSTOMER, 1_000)).await;
    assert_rejected(&outcome, "NF", "CUENTA BLOQUEADA");
    // And the real thing: a blocked account, a deposit beyond the correspondent's balance.
    let outcome = bank.send(LlamadaApi::Deposito, &deposit("200002", BLOCKED_ACCOUNT, 1_000)).await;
    assert_rejected(&outcome, "NF", "CUENTA BLOQUEADA");
    let outcome = bank.send(LlamadaApi::Deposito, &deposit("200003", CUSTOMER, 60_000_000)).await;
    assert_rejected(&outcome, "W2", "FONDOS INSUFICIENTES PARA RETIRO");
    // A reversal of nothing.
    let outcome =
        bank.send(LlamadaApi::Reverso, &bank::reversal_body(&deposit("200004", CUSTOMER, 1_000)).unwrap()).await;
    assert!(matches!(&outcome, Outcome::Rejected { code, .. } if code == "N4"), "{outcome:?}");

    sim.faults(
        json!({ "business_error": { "contract": "wallet", "code": "saldo_insuficiente", "remaining_calls": 1 } }),
    )
    .await;
    let outcome = wallet.send(LlamadaApi::Cashout, &cashout("dep-biz", 1_000)).await;
    assert_rejected(&outcome, "422", "Saldo insuficiente");
    sim.faults(json!({ "business_error": { "contract": "wallet", "code": "cuenta_bloqueada", "remaining_calls": 1 } }))
        .await;
    let outcome = wallet.send(LlamadaApi::Cashout, &cashout("dep-biz", 1_000)).await;
    assert_rejected(&outcome, "422", "La cuenta destino está bloqueada");
    let blocked = cashout_to("dep-biz-2", BLOCKED_CVU, 1_000, "");
    assert_rejected(&wallet.send(LlamadaApi::Cashout, &blocked).await, "422", "La cuenta destino está bloqueada");

    // A rejection does not consume the key: the same request passes later.
    acked_ref(wallet.send(LlamadaApi::Cashout, &cashout("dep-biz", 1_000)).await);
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("200001", CUSTOMER, 1_000)).await);
    sim.stop().await;
}

/// Every documented bank error the simulator can inject, end to end: the outcome has the
/// class of its row, and a rejection carries the row's code and description.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_injectable_bank_error_gets_its_class() {
    let sim = Sim::start().await;
    let bank = sim.bank(NORMAL);
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("300000", CUSTOMER, 100)).await);
    let simulated = ["transfers", "fees", "transfiya", "pockets"];
    let mut seen = std::collections::BTreeSet::new();
    for row in bank::DOCUMENTED_ERRORS.iter().filter(|r| simulated.contains(&r.table) && r.code != "*") {
        if !seen.insert((row.code, row.status)) {
            continue; // the simulator answers the first row with that code and status
        }
        sim.faults(json!({ "business_error": {
            "contract": "bank", "code": row.code, "http_status": row.status, "remaining_calls": 1 } }))
            .await;
        let outcome = bank.send(LlamadaApi::Deposito, &deposit("300001", CUSTOMER, 100)).await;
        assert_eq!(class_of(&outcome), row.class, "{} {} {}: {outcome:?}", row.status, row.code, row.kind);
        if row.class == ErrorClass::Rejected {
            assert_rejected(&outcome, row.code, row.desc);
        }
    }
    assert!(seen.len() >= 118, "{}", seen.len());
    sim.stop().await;
}

/// The wallet's documented errors (the simulator's fixed set), end to end. The 401s are
/// answered by renewing the token and sending once more, which then passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_wallet_error_gets_its_class() {
    let sim = Sim::start().await;
    let wallet = sim.wallet(NORMAL);
    let cases: &[(&str, Option<ErrorClass>, &str, &str)] = &[
        ("solicitud_invalida", Some(ErrorClass::Rejected), "400", "Solicitud inválida"),
        (
            "monto_invalido",
            Some(ErrorClass::Rejected),
            "400",
            "El monto debe ser mayor que cero y tener como máximo dos decimales",
        ),
        ("cvu_y_alias", Some(ErrorClass::Rejected), "400", "Debe informarse cvu o alias, no ambos"),
        ("sin_destino", Some(ErrorClass::Rejected), "400", "Debe informarse cvu o alias"),
        ("concepto_invalido", Some(ErrorClass::Rejected), "400", "Concepto inválido"),
        ("referencia_requerida", Some(ErrorClass::Rejected), "400", "reference_id es obligatorio"),
        ("credenciales_invalidas", None, "", ""),
        ("token_invalido", None, "", ""),
        ("token_vencido", None, "", ""),
        ("saldo_insuficiente", Some(ErrorClass::Rejected), "422", "Saldo insuficiente"),
        ("cuenta_bloqueada", Some(ErrorClass::Rejected), "422", "La cuenta destino está bloqueada"),
        ("cuenta_inexistente", Some(ErrorClass::Rejected), "422", "La cuenta destino no existe"),
        ("referencia_duplicada", Some(ErrorClass::Rejected), "409", "El reference_id ya fue utilizado con otros datos"),
        ("no_encontrado", Some(ErrorClass::Rejected), "404", "Recurso inexistente"),
        // A server error in the documented shape says nothing of what was applied.
        ("error_interno", Some(ErrorClass::Unknown), "", ""),
    ];
    for (i, (code, class, status, text)) in cases.iter().enumerate() {
        sim.faults(json!({ "business_error": { "contract": "wallet", "code": code, "remaining_calls": 1 } })).await;
        let outcome = wallet.send(LlamadaApi::Cashout, &cashout(&format!("dep-w{i}"), 100)).await;
        match class {
            None => {
                acked_ref(outcome);
            }
            Some(ErrorClass::Rejected) => assert_rejected(&outcome, status, text),
            Some(class) => assert_eq!(class_of(&outcome), *class, "{code}: {outcome:?}"),
        }
    }
    // A 401 that persists after renewing the token: retry later, nothing was done.
    sim.faults(json!({ "business_error": { "contract": "wallet", "code": "token_vencido", "remaining_calls": 2 } }))
        .await;
    let outcome = wallet.send(LlamadaApi::Cashout, &cashout("dep-w401", 100)).await;
    assert!(matches!(outcome, Outcome::Retryable { .. }), "{outcome:?}");
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------
// Tokens and credentials

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tokens_are_renewed_and_shared() {
    let sim = Sim::start().await;
    let (wallet, bank) = (Arc::new(sim.wallet(NORMAL)), sim.bank(NORMAL));
    // Concurrent first sends share one token per connector.
    concurrent_cashouts(&wallet, "dep-t", 6).await;
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("400001", CUSTOMER, 100)).await);
    assert_eq!(sim.expire_tokens().await, 2, "one token per connector");

    // Expired between calls (mid-drain): renewed once, still acked.
    concurrent_cashouts(&wallet, "dep-u", 6).await;
    acked_ref(bank.send(LlamadaApi::Deposito, &deposit("400002", CUSTOMER, 100)).await);
    assert_eq!(sim.expire_tokens().await, 4, "one renewal per connector");
    let reversal = bank::reversal_body(&deposit("400002", CUSTOMER, 100)).unwrap();
    acked_ref(bank.send(LlamadaApi::Reverso, &reversal).await);
    assert_eq!(sim.records("?contract=wallet&operation=cashout").await.len(), 12);
    sim.stop().await;
}

/// `count` cashouts sent at once through one connector; all must be acked.
async fn concurrent_cashouts(wallet: &Arc<Connector>, prefix: &str, count: usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..count {
        let (wallet, body) = (wallet.clone(), cashout(&format!("{prefix}{i}"), 100));
        tasks.spawn(async move { wallet.send(LlamadaApi::Cashout, &body).await });
    }
    while let Some(outcome) = tasks.join_next().await {
        acked_ref(outcome.unwrap());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_are_rejected_not_retried() {
    let sim = Sim::start().await;
    let wallet = sim.connector(Contrato::BilleteraV2, simulator::DEMO_WALLET_USERNAME, "clave-equivocada", NORMAL);
    let outcome = wallet.send(LlamadaApi::Cashout, &cashout("dep-cred", 100)).await;
    let Outcome::Rejected { code, text } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(code, CREDENTIALS_REJECTED);
    assert!(text.contains("401") && !text.contains("clave-equivocada"), "{text}");

    let bank = sim.connector(Contrato::BancoV1, simulator::DEMO_BANK_CLIENT_ID, "secreto-equivocado", NORMAL);
    let outcome = bank.send(LlamadaApi::Deposito, &deposit("500001", CUSTOMER, 100)).await;
    let Outcome::Rejected { code, text } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(code, CREDENTIALS_REJECTED);
    assert!(!text.contains("secreto-equivocado"), "{text}");
    assert!(!format!("{bank:?}").contains("secreto-equivocado"));

    assert!(matches!(
        wallet.transactions(chrono::Local::now().date_naive()).await,
        Err(ConnectorError::Credentials(_))
    ));
    assert!(sim.records("").await.is_empty(), "nothing reached the ledger");
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------
// Reads: cash-in check, transaction list, reachability

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cashin_check_finds_the_customers_transfer() {
    let sim = Sim::start().await;
    let wallet = sim.wallet(NORMAL);
    let planted =
        sim.plant(json!({ "contract": "wallet", "operation": "cashin", "amount": "250.00", "cvu": CVU })).await;
    let id = planted["id"].as_i64().unwrap().to_string();
    let outcome = wallet.send(LlamadaApi::VerificarCobro, &wallet::cashin_check_body(&id)).await;
    assert_eq!(outcome, Outcome::Acked { provider_ref: Some(id.clone()) });
    let exact = wallet::cashin_check_body_for_amount(&id, money(25_000));
    assert_eq!(acked_ref(wallet.send(LlamadaApi::VerificarCobro, &exact).await), id);
    let other = wallet::cashin_check_body_for_amount(&id, money(25_001));
    let outcome = wallet.send(LlamadaApi::VerificarCobro, &other).await;
    assert!(matches!(&outcome, Outcome::Rejected { code, .. } if code == AMOUNT_MISMATCH), "{outcome:?}");

    let missing = wallet.send(LlamadaApi::VerificarCobro, &wallet::cashin_check_body("999999")).await;
    assert_rejected(&missing, "404", "Acreditación inexistente");
    let odd = wallet.send(LlamadaApi::VerificarCobro, &wallet::cashin_check_body("no/es/un id")).await;
    assert_rejected(&odd, "404", "Acreditación inexistente");
    assert_eq!(
        wallet.lookup(LlamadaApi::VerificarCobro, &id, &wallet::cashin_check_body(&id)).await,
        Lookup::Found { provider_ref: Some(id.clone()) }
    );
    sim.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_list_every_page_of_the_day() {
    let sim = Sim::start().await;
    let wallet = sim.wallet(NORMAL);
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let mut planted = Vec::new();
    for i in 0..12 {
        let amount = format!("{}.{:02}", 100 + i, i);
        let body = sim
            .plant(json!({ "contract": "wallet", "operation": "cashin", "amount": amount,
                           "date": format!("2025-03-01 {:02}:00:00", 8 + i), "cvu": CVU, "cuit": "20304050607" }))
            .await;
        planted.push(body["id"].as_i64().unwrap().to_string());
    }
    sim.plant(json!({ "contract": "wallet", "operation": "cashin", "amount": "1.00", "date": "2025-03-02" })).await;

    let listed = wallet.transactions(day).await.unwrap();
    assert_eq!(listed.len(), 12, "two pages of 10: {listed:?}");
    // The list carries no id (seeds/002): each planted operation is known by its hour.
    assert_eq!(planted.len(), 12);
    let hours: Vec<_> = listed.iter().map(|t| t.at[11..13].to_string()).collect();
    assert_eq!(hours, (0..12).map(|i| format!("{:02}", 8 + i)).collect::<Vec<_>>());
    assert!(listed.iter().all(|t| t.provider_ref.is_none() && t.reference.is_none()));
    let total: i64 = listed.iter().map(|t| t.amount.centavos()).sum();
    assert_eq!(total, (0..12).map(|i| (100 + i) * 100 + i).sum::<i64>());
    assert!(listed.iter().all(|t| t.operation == "cashin" && t.income == Some(true) && t.at.starts_with("2025-03-01")));
    assert_eq!(listed[0].amount, money(10_000));
    assert_eq!(listed[11].amount, money(11_111));

    assert!(wallet.transactions(chrono::NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()).await.unwrap().is_empty());
    assert_eq!(sim.bank(NORMAL).transactions(day).await, Err(ConnectorError::NotSupported));
    sim.stop().await;
}

async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reachable_probes_the_providers_port() {
    let sim = Sim::start().await;
    assert!(sim.wallet(QUICK).reachable().await);
    assert!(sim.bank(QUICK).reachable().await);
    let port = closed_port().await;
    let closed = Connector::new(ConnectorConfig {
        contract: Contrato::BancoV1,
        base_url: format!("http://127.0.0.1:{port}/transfers-management/v1"),
        secret: ProviderSecret { user: "x".into(), secret: "y".into() },
        timeout: QUICK,
        settings: AjustesContrato { url_token: Some(format!("http://127.0.0.1:{port}/token")), ..AjustesContrato::default() },
    })
    .unwrap();
    assert!(!closed.reachable().await);
    sim.stop().await;
}

// ---------------------------------------------------------------------------------------
// Wire strings and classification tables

#[test]
fn wire_strings_round_trip() {
    for &call in LlamadaApi::ALL {
        assert_eq!(LlamadaApi::parse(call.as_str()).unwrap(), call);
        assert_eq!(serde_json::to_value(call).unwrap(), json!(call.as_str()));
    }
    for &contract in Contrato::ALL {
        assert_eq!(Contrato::parse(contract.as_str()).unwrap(), contract);
    }
    assert_eq!(LlamadaApi::Cashout.as_str(), "CASHOUT");
    assert_eq!(LlamadaApi::VerificarCobro.as_str(), "VERIFICAR_COBRO");
    assert_eq!(LlamadaApi::Deposito.as_str(), "DEPOSITO");
    assert_eq!(LlamadaApi::Reverso.as_str(), "REVERSO");
    assert_eq!(Contrato::BilleteraV2.as_str(), "BILLETERA_V2");
    assert_eq!(Contrato::BancoV1.as_str(), "BANCO_V1");
    let secret = ProviderSecret { user: "u".into(), secret: "s3cr3t".into() };
    assert!(!format!("{secret:?}").contains("s3cr3t"));
    let stored = serde_json::to_string(&secret).unwrap();
    assert_eq!(serde_json::from_str::<ProviderSecret>(&stored).unwrap(), secret);
}

/// The wallet documents no HTTP status: each status below is read as the connector's
/// stated assumption (`wallet::HTTP_ASSUMPTIONS`); a 5xx may have been applied.
#[test]
fn wallet_statuses_are_classified_as_the_stated_assumptions_say() {
    use ErrorClass::*;
    let expected = [
        (200, Rejected),
        (400, Rejected),
        (401, Unauthorized),
        (403, Rejected),
        (404, Rejected),
        (408, Retryable),
        (409, Rejected),
        (422, Rejected),
        (429, Retryable),
        (500, Unknown),
        (502, Unknown),
        (503, Unknown),
        (504, Unknown),
        (418, Rejected),
        (507, Unknown),
        (302, Rejected),
    ];
    for (status, class) in expected {
        assert_eq!(wallet::classify(status), class, "HTTP {status}");
    }
    assert_eq!(wallet::HTTP_ASSUMPTIONS.len(), 7, "each assumption is written in CONTRACTS.md");
}

/// Every row of the bank contract's error tables, `table status code type class`, stated
/// independently of the connector's table: each must classify as written here, and the
/// two lists must hold the same rows.
const BANK_EXPECTED: &str = "
transfers 500 ZEROS TPS retry
transfers 500 ZEROS TPX unknown
transfers 500 SQLCODE TPS retry
transfers 500 SQLCODE ORA retry
transfers 500 SQLCODE ORA retry
transfers 404 SQLCODE VAL reject
transfers 500 2 TRS retry
transfers 400 10002 TPS retry
transfers 500 10003 TPS retry
transfers 400 10004 TPS reject
transfers 400 10006 TPS retry
transfers 400 11111 EXP reject
transfers 400 11112 EXP reject
transfers 400 163 VAL reject
transfers 400 6905 VAL reject
transfers 400 11101 VAL reject
transfers 400 11102 VAL reject
transfers 400 11103 VAL reject
transfers 400 11104 VAL reject
transfers 400 11105 VAL reject
transfers 400 11106 VAL reject
transfers 400 11109 VAL reject
transfers 400 11110 VAL reject
transfers 500 SQLCODE ORA retry
transfers 404 SQLCODE ORA reject
transfers 404 SQLCODE ORA reject
transfers 500 SQLCODE ORA retry
transfers 500 SQLCODE ORA retry
transfers 500 SQLCODE ORA retry
transfers 500 SQLCODE ORA retry
transfers 500 SQLCODE TPS retry
transfers 400 5620 RGN reject
transfers 400 5621 RGN reject
transfers 400 14257 AUT retry
transfers 400 35704 ERN reject
transfers 404 35705 ERN reject
transfers 400 35706 ERN reject
transfers 400 35707 ERN reject
transfers 400 35708 ERN reject
transfers 400 35709 ERN reject
transfers 400 N1 TRX reject
transfers 400 N2 TRX reject
transfers 400 N3 TRX reject
transfers 400 N4 TRX reject
transfers 400 N5 TRX reject
transfers 400 N6 TRX reject
transfers 400 N7 TRX reject
transfers 404 NC TRX reject
transfers 400 ND TRX reject
transfers 400 NF TRX reject
transfers 400 NG TRX reject
transfers 400 NH TRX reject
transfers 400 NI TRX reject
transfers 400 NJ TRX reject
transfers 400 NK TRX reject
transfers 400 NL TRX reject
transfers 400 NM TRX reject
transfers 400 NN TRX reject
transfers 400 NO TRX reject
transfers 400 NP TRX reject
transfers 400 NQ TRX reject
transfers 400 NR TRX reject
transfers 400 NS TRX reject
transfers 400 NT TRX reject
transfers 400 NU TRX reject
transfers 400 NV TRX reject
transfers 400 NW TRX reject
transfers 400 NX TRX reject
transfers 400 OD TRX reject
transfers 400 OE TRX reject
transfers 400 OF TRX reject
transfers 400 OT TRX reject
transfers 400 OU TRX reject
transfers 400 OV TRX reject
transfers 400 OW TRX reject
transfers 400 OX TRX reject
transfers 400 OY TRX reject
transfers 400 OZ TRX reject
transfers 400 P1 TRX reject
transfers 400 PA TRX reject
transfers 500 PB TRX reject
transfers 400 PH TRX reject
transfers 400 PJ TRX reject
transfers 400 PK TRX reject
transfers 400 PM TRX reject
transfers 400 W1 TRX reject
transfers 400 W2 TRX reject
transfers 400 W4 TRX unknown
transfers 400 W5 TRX reject
transfers 400 W6 TRX reject
transfers 400 W7 TRX reject
transfers 400 W8 TRX reject
transfers 400 10001 OSB reject
transfers 400 28108 AUT reject
transfers 400 28110 AUT reject
transfers 400 28112 AUT reject
transfers 400 28127 AUT reject
transfers 400 28129 AUT reject
transfers 400 28131 AUT reject
transfers 400 28134 AUT reject
transfers 400 28136 AUT reject
transfers 400 28247 AUT reject
transfers 400 28248 AUT reject
fees 500 SQLCODE TPS retry
fees 400 14252 TPS retry
fees 500 14257 AUT retry
fees 500 SQLCODE ORA retry
fees 500 SQLCODE ORA retry
fees 500 SQLCODE ORA retry
fees 404 SQLCODE ORA reject
fees 500 SQLCODE ORA retry
fees 404 SQLCODE ORA reject
fees 500 SQLCODE ORA retry
fees 500 SQLCODE ORA retry
fees 404 05620 RGN reject
fees 404 05621 RGN reject
fees 400 24543 RGN reject
fees 400 35704 ERN reject
fees 404 35705 ERN reject
fees 400 35706 ERN reject
fees 400 35707 ERN reject
fees 400 35708 ERN reject
fees 500 35709 ERN retry
ccr 400 00001 INP reject
ccr 500 00003 TPE retry
ccr 400 00007 INP reject
ccr 500 00031 TXS retry
ccr 400 00040 TXS reject
ccr 500 00041 TXS unknown
ccr 400 00012 OPC reject
ccr 500 00013 OPC reject
ccr 404 00014 OPC reject
ccr 400 00051 OPC reject
ccr 400 00052 OPC reject
ccr 400 00054 OPC reject
ccr 400 00061 OPC reject
ccr 400 00062 OPC reject
ccr 400 00065 OPC reject
ccr 400 00097 OPC reject
ccr 500 00099 TXS unknown
ccr 404 SQLCODE VAL reject
ccr 500 SQLCODE SQL retry
ccr 400 11123 VAL reject
ccr 400 14252 TPS retry
tfi 500 16001 TPS retry
tfi 500 16002 TUX unknown
tfi 400 16005 VAL reject
tfi 400 16007 VAL reject
tfi 404 1403 ORA reject
tfi 500 SQLCODE ORA retry
tfi 400 00002 PRA retry
tfi 400 00015 PRA reject
tfi 400 00077 PRA retry
tfi 404 00078 PRA reject
tfi 400 00102 PRA retry
tfi 400 00191 PRA reject
tfi 400 00296 PRA reject
tfi 400 00315 PRA reject
tfi 400 00047 PRA reject
transfiya 404 20001 RGN reject
transfiya 404 20002 RGN reject
transfiya 400 20101 RGN reject
transfiya 404 00001 RGN reject
transfiya 404 00002 RGN reject
transfiya 404 00003 RGN reject
transfiya 404 00004 RGN reject
transfiya 400 00123 RES reject
transfiya 400 00010 EXP reject
transfiya 400 00005 RGN reject
transfiya 400 00101 RGN reject
transfiya 400 11102 VAL reject
transfiya 400 00163 VAL reject
transfiya 400 11101 VAL reject
transfiya 400 06905 VAL reject
transfiya 400 11105 VAL reject
transfiya 400 11102 VAL reject
transfiya 400 11109 VAL reject
transfiya 400 01101 RGN reject
transfiya 400 11201 RGN reject
transfiya 400 01102 RGN reject
transfiya 500 00304 RGN retry
pockets 400 00001 INP reject
pockets 500 * SQL retry
pockets 500 * MDB retry
pockets 500 00011 EXP retry
pockets 500 30024 PRA retry
ejemplos 0 2 CLI reject
ejemplos 0 00003 RNE reject
ejemplos 0 00050 APL reject
ejemplos 0 20001 RNE reject
gateway 401 401 SEC auth
gateway 400 400 APIKIT reject
";

#[test]
fn every_documented_bank_error_is_classified() {
    let class = |name: &str| match name {
        "retry" => ErrorClass::Retryable,
        "unknown" => ErrorClass::Unknown,
        "reject" => ErrorClass::Rejected,
        "auth" => ErrorClass::Unauthorized,
        other => panic!("{other}"),
    };
    let expected: Vec<(String, u16, String, String, ErrorClass)> = BANK_EXPECTED
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string(), f[3].to_string(), class(f[4]))
        })
        .collect();
    let table: Vec<(String, u16, String, String, ErrorClass)> = bank::DOCUMENTED_ERRORS
        .iter()
        .map(|r| (r.table.to_string(), r.status, r.code.to_string(), r.kind.to_string(), r.class))
        .collect();
    assert_eq!(table, expected, "the connector's table and this list hold the same rows, in order");

    for (table, status, code, kind, class) in &expected {
        // An example row has no status: it is looked up as a 400.
        let status = if *status == 0 { 400 } else { *status };
        assert_eq!(bank::classify(status, code, kind), *class, "{table} {status} {code} {kind}");
    }

    // Rows that share status, code and type agree on the class (no ambiguity).
    for a in bank::DOCUMENTED_ERRORS {
        for b in bank::DOCUMENTED_ERRORS {
            if (a.status, a.code, a.kind) == (b.status, b.code, b.kind) {
                assert_eq!(a.class, b.class, "{} {} {}", a.status, a.code, a.kind);
            }
        }
    }

    // Codes repeated across tables are told apart by type and status.
    assert_eq!(bank::classify(500, "00003", "TPE"), ErrorClass::Retryable);
    assert_eq!(bank::classify(404, "00003", "RGN"), ErrorClass::Rejected);
    assert_eq!(bank::classify(400, "35709", "ERN"), ErrorClass::Rejected);
    assert_eq!(bank::classify(500, "35709", "ERN"), ErrorClass::Retryable);
    assert_eq!(bank::classify(400, "00002", "PRA"), ErrorClass::Retryable);
    assert_eq!(bank::classify(404, "00002", "RGN"), ErrorClass::Rejected);
    // Undocumented answers fall back on the HTTP status: L362 "Any error that is not
    // identified will return a 500" does not say it was not processed.
    assert_eq!(bank::classify(500, "", ""), ErrorClass::Unknown, "the deposit's ER500 example, empty code");
    assert_eq!(bank::classify(500, "ORA-01234", "ORA"), ErrorClass::Unknown, "an unidentified core error");
    assert_eq!(bank::classify(503, "", ""), ErrorClass::Unknown);
    assert_eq!(bank::classify(429, "", ""), ErrorClass::Retryable);
    assert_eq!(bank::classify(502, "", ""), ErrorClass::Unknown);
    assert_eq!(bank::classify(504, "", ""), ErrorClass::Unknown);
    assert_eq!(bank::classify(401, "", ""), ErrorClass::Unauthorized);
    assert_eq!(bank::classify(400, "ZZ", "TRX"), ErrorClass::Rejected);
    assert_eq!(bank::classify(404, "", ""), ErrorClass::Rejected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concept_missing_from_the_wallets_catalogue_is_not_sent() {
    let sim = Sim::start().await;
    let wallet = sim.wallet(NORMAL);
    let body = wallet::cashout_body(&wallet::Cashout {
        reference_id: "dep-concept",
        destination: CVU,
        cuit: "20304050607",
        amount: money(1_000),
        concept: "NO-EXISTE",
        description: "Depósito agente",
    });
    let outcome = wallet.send(LlamadaApi::Cashout, &body).await;
    assert!(matches!(&outcome, Outcome::Rejected { code, .. } if code == wallet::CONCEPT_NOT_OFFERED), "{outcome:?}");
    assert!(sim.records("?contract=wallet&operation=cashout").await.is_empty(), "nothing reached the wallet");
    assert!(wallet.wallet_concepts().await.unwrap().iter().any(|c| c == simulator::DEMO_WALLET_CONCEPT));
    sim.stop().await;
}
