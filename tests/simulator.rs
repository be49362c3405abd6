//! The bank simulator against a real HTTP client: each test starts it on a free loopback
//! port with its own state file and talks to it with reqwest, as the connectors will.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mostrador::simulator::{self, SimulatorConfig, SimulatorHandle, DEMO_CORRESPONDENT_ACCOUNT};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tempfile::TempDir;

const CVU: &str = "0000003100000000000123";
const BLOCKED_CVU: &str = "0000999900000000000001";
const MISSING_CVU: &str = "0000999900000000000002";
const CUSTOMER: &str = "20000000001";
const CUSTOMER_2: &str = "20000000002";
const BLOCKED_ACCOUNT: &str = "99900000001";
const MISSING_ACCOUNT: &str = "99900000002";

struct Sim {
    handle: Option<SimulatorHandle>,
    config: SimulatorConfig,
    http: Client,
    _dir: TempDir,
}

impl Sim {
    async fn start() -> Sim {
        Self::start_with(|_| {}).await
    }

    async fn start_with(adjust: impl FnOnce(&mut SimulatorConfig)) -> Sim {
        // reqwest is built with rustls and no default crypto provider; the app installs ring.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let mut config = SimulatorConfig::demo(dir.path().join("bank-simulator.sqlite3"));
        adjust(&mut config);
        let handle = spawn(&config).await;
        let http = Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
        Sim { handle: Some(handle), config, http, _dir: dir }
    }

    async fn restart(&mut self) {
        self.handle.take().unwrap().stop().await.unwrap();
        self.handle = Some(spawn(&self.config).await);
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.as_ref().unwrap().url())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.expect("a response");
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    // --- wallet v2

    async fn wallet_token(&self) -> String {
        let (status, body) = self
            .send(self.http.post(self.url("/v2/auth/token")).json(&json!({
                "username": simulator::DEMO_WALLET_USERNAME,
                "password": simulator::DEMO_WALLET_PASSWORD,
            })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    fn wallet(&self, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(token)
    }

    async fn cashout(&self, token: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.wallet(Method::POST, "/v2/payment/cashout", token).json(&body)).await
    }

    async fn transactions(&self, token: &str, query: String) -> Value {
        let path = format!("/v2/account/transactions?{query}");
        let (status, body) = self.send(self.wallet(Method::GET, &path, token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn balance(&self, token: &str) -> i64 {
        let (status, body) = self.send(self.wallet(Method::GET, "/v2/account/balance", token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["amount"].as_i64().unwrap()
    }

    // --- bank v1

    async fn bank_token(&self) -> String {
        let (status, body) = self
            .send(
                self.http
                    .post(self.url(mostrador::simulator::BANK_TOKEN_STAND_IN))
                    .header("client_id", simulator::DEMO_BANK_CLIENT_ID)
                    .header("client_secret", simulator::DEMO_BANK_CLIENT_SECRET),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// A `PUT /deposit` with every required header, to send as the test likes.
    fn deposit_request(&self, token: &str) -> reqwest::RequestBuilder {
        let mut request = self.bank(Method::PUT, "/deposit", token);
        for (name, value) in invoker_headers(token, "2025-03-10") {
            request = request.header(name, value);
        }
        request
    }

    fn bank(&self, method: Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(&format!("/transfers-management/v1{path}")))
            .header("client_id", simulator::DEMO_BANK_CLIENT_ID)
            .header("client_secret", simulator::DEMO_BANK_CLIENT_SECRET)
            .bearer_auth(token)
    }

    async fn deposit(&self, token: &str, body: Value) -> (StatusCode, Value) {
        self.deposit_on(token, "2025-03-10", body).await
    }

    /// A deposit with every required header of the table (seeds/004 L2416-L2442), booked on `date`.
    async fn deposit_on(&self, token: &str, date: &str, body: Value) -> (StatusCode, Value) {
        let mut request = self.bank(Method::PUT, "/deposit", token);
        for (name, value) in invoker_headers(token, date) {
            request = request.header(name, value);
        }
        self.send(request.json(&body)).await
    }

    // --- /_sim/

    async fn faults(&self, patch: Value) {
        let (status, body) = self.send(self.http.post(self.url("/_sim/faults")).json(&patch)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn reset_faults(&self) {
        let (status, _) = self.send(self.http.post(self.url("/_sim/reset"))).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn records(&self, query: &str) -> Vec<Value> {
        let (status, body) = self.send(self.http.get(self.url(&format!("/_sim/records{query}")))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["records"].as_array().unwrap().clone()
    }

    async fn bank_balance(&self, acct: &str) -> String {
        let (_, body) = self.send(self.http.get(self.url("/_sim/accounts"))).await;
        let accounts = body["accounts"].as_array().unwrap();
        let found = accounts.iter().find(|a| a["contract"] == "bank" && a["account"] == acct);
        found.map_or("0.00".to_string(), |a| a["balance"].as_str().unwrap().to_string())
    }

    async fn plant(&self, body: Value) -> Value {
        let (status, body) = self.send(self.http.post(self.url("/_sim/plant")).json(&body)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

async fn spawn(config: &SimulatorConfig) -> SimulatorHandle {
    simulator::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), config.clone()).await.unwrap()
}

fn cashout_body(reference: &str, amount: Value) -> Value {
    json!({
        "cvu": CVU,
        "cuit": "20304050607",
        "amount": amount,
        "reference_id": reference,
        "concept": "VAR",
        "description": "Depósito agente",
    })
}

/// The deposit's required headers as the table writes them.
fn invoker_headers(token: &str, date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Accept", "application/json".into()),
        ("X-Invoker-Channel", "13".into()),
        ("X-Invoker-BranchId", "1108".into()),
        ("X-Invoker-TerminalId", "123456789123456".into()),
        ("X-Invoker-UserIPAddress", "192.168.1.20".into()),
        ("X-Invoker-ServerIPAddress", "192.168.1.20".into()),
        ("X-Invoker-ProcessDate", date.into()),
        ("X-Invoker-TxId", "APIF5069321234567"[..16].into()),
        ("X-Invoker-SessionKey", token.chars().take(30).collect()),
        ("X-Invoker-Country", "CO".into()),
        ("X-Invoker-ProcessId", "APIF506932123456".into()),
        ("X-Invoker-subChannel", "06".into()),
        ("X-Invoker-User", "NEWCBSER".into()),
        ("X-Invoker-Action", "C".into()),
        ("X-Invoker-ModifierUser", " ".into()),
    ]
}

fn deposit_body(trn_rq_uid: &str, kind: &str, to: &str, amount: Value) -> Value {
    json!({
        "trn": {
            "transactionHour": "15:37:59",
            "code": "123456789123456",
            "depAcctIdTo": { "acctId": to },
            "curAmt": { "amt": amount },
            "type": kind,
            "trnRqUID": trn_rq_uid,
            "branchName": "MI OFICINA BETTY",
            "cityId": "25386",
            "city": "LA MESA",
            "stateProv": "25",
            "depAcctIdFrom": { "acctId": DEMO_CORRESPONDENT_ACCOUNT }
        }
    })
}

fn assert_bank_error(status: StatusCode, body: &Value, http: u16, code: &str, kind: &str) {
    assert_eq!(status.as_u16(), http, "{body}");
    assert_eq!(body["responseType"]["value"], "ER", "{body}");
    assert_eq!(body["responseDetail"]["errorCode"], code, "{body}");
    assert_eq!(body["responseDetail"]["errorType"], kind, "{body}");
    assert!(body["responseDetail"]["errorDesc"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
}

fn assert_wallet_error(status: StatusCode, body: &Value, http: u16, message: &str) {
    assert_eq!(status.as_u16(), http, "{body}");
    assert_eq!(body, &json!({ "status": "error", "message": message }));
}

// ---------------------------------------------------------------------------------------
// Tokens

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wallet_token_flow_and_expiry() {
    let sim = Sim::start_with(|c| c.token_ttl = Duration::from_millis(400)).await;
    let (status, body) = sim
        .send(sim.http.post(sim.url("/v2/auth/token")).json(&json!({ "username": "agente.demo", "password": "mala" })))
        .await;
    assert_wallet_error(status, &body, 401, "Usuario o contraseña incorrectos");

    let (status, body) = sim.send(sim.http.get(sim.url("/v2/account/balance"))).await;
    assert_wallet_error(status, &body, 401, "Token inválido");
    let (status, body) = sim.send(sim.wallet(Method::GET, "/v2/account/balance", "no-existe")).await;
    assert_wallet_error(status, &body, 401, "Token inválido");

    let token = sim.wallet_token().await;
    assert_eq!(sim.balance(&token).await, 50_000_000);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, body) = sim.send(sim.wallet(Method::GET, "/v2/account/balance", &token)).await;
    assert_wallet_error(status, &body, 401, "Token vencido");
    // An expired token refused a cashout before anything was written.
    let (status, _) = sim.cashout(&token, cashout_body("exp-1", json!(10))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(sim.records("").await.is_empty());

    let fresh = sim.wallet_token().await;
    assert_eq!(sim.balance(&fresh).await, 50_000_000);
    // `/_sim/tokens/expire` ends every token at once, for expiry in the middle of a drain.
    let (status, _) = sim.send(sim.http.post(sim.url("/_sim/tokens/expire"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sim.send(sim.wallet(Method::GET, "/v2/account/balance", &fresh)).await;
    assert_wallet_error(status, &body, 401, "Token vencido");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_token_flow_and_expiry() {
    let sim = Sim::start_with(|c| c.token_ttl = Duration::from_millis(400)).await;
    let (status, body) = sim
        .send(
            sim.http
                .post(sim.url(mostrador::simulator::BANK_TOKEN_STAND_IN))
                .header("client_id", simulator::DEMO_BANK_CLIENT_ID)
                .header("client_secret", "otro"),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    // The form-encoded client-credentials grant works too.
    let (status, body) = sim
        .send(sim.http.post(sim.url(mostrador::simulator::BANK_TOKEN_STAND_IN)).body(format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            simulator::DEMO_BANK_CLIENT_ID,
            simulator::DEMO_BANK_CLIENT_SECRET
        )))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");

    let token = sim.bank_token().await;
    let body = deposit_body("000001", "Normal", CUSTOMER, json!(10));
    // Without client_id / client_secret, and with a wrong secret: refused in the contract's shape.
    let (status, reply) =
        sim.send(sim.http.put(sim.url("/transfers-management/v1/deposit")).bearer_auth(&token).json(&body)).await;
    assert_bank_error(status, &reply, 401, "401", "SEC");
    let (status, reply) = sim.send(sim.bank(Method::PUT, "/deposit", "falso").json(&body)).await;
    assert_bank_error(status, &reply, 401, "401", "SEC");

    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, reply) = sim.deposit(&token, body.clone()).await;
    assert_bank_error(status, &reply, 401, "401", "SEC");
    assert_eq!(reply["responseDetail"]["errorDesc"], "Token de acceso vencido");
    assert!(sim.records("").await.is_empty());
    let (status, reply) = sim.deposit(&sim.bank_token().await, body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

// ---------------------------------------------------------------------------------------
// Wallet cashout

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balance_cashout_and_voucher() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let (status, body) = sim.send(sim.wallet(Method::GET, "/v2/payment/concepts", &token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["concepts"].as_array().unwrap().iter().any(|c| c["id"] == "VAR"));

    let before = sim.balance(&token).await;
    let (status, body) = sim.cashout(&token, cashout_body("ref-001", json!(150.55))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ok");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(sim.balance(&token).await, before - 15_055);

    let (status, body) = sim.send(sim.wallet(Method::GET, &format!("/v2/payment/cashout/{id}"), &token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let voucher = body["voucher"].as_str().unwrap();
    assert!(voucher.contains("Referencia: ref-001") && voucher.contains("Monto: 150.55"), "{voucher}");
    let (status, body) = sim.send(sim.wallet(Method::GET, "/v2/payment/cashout/999", &token)).await;
    assert_wallet_error(status, &body, 404, "Transferencia inexistente");

    // An alias destination with the cvu key sent empty is fine.
    let body = json!({
        "cvu": "", "alias": "juan.perez.mp", "cuit": "20304050607", "amount": "20", "reference_id": "ref-002",
        "concept": "VAR", "description": "",
    });
    let (status, reply) = sim.cashout(&token, body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cashout_retry_with_the_same_key_returns_the_first_result() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let before = sim.balance(&token).await;
    let (status, first) = sim.cashout(&token, cashout_body("ref-retry", json!(99))).await;
    assert_eq!(status, StatusCode::OK);
    // The same request written differently (99.00 for 99, keys in another order).
    let same = json!({
        "description": "Depósito agente",
        "reference_id": "ref-retry",
        "amount": "99.00",
        "concept": "VAR",
        "cuit": "20304050607",
        "cvu": CVU,
    });
    for _ in 0..3 {
        let (status, again) = sim.cashout(&token, same.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, first);
    }
    assert_eq!(sim.balance(&token).await, before - 9_900);
    let records = sim.records("?operation=cashout").await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["idempotency_key"], "ref-retry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_with_one_key_commit_once() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let request = sim.wallet(Method::POST, "/v2/payment/cashout", &token).json(&cashout_body("ref-race", json!(5)));
        tasks.push(tokio::spawn(async move { request.send().await.unwrap().json::<Value>().await.unwrap() }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap()["id"].as_i64().unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1, "every answer names the one cashout");
    assert_eq!(sim.records("").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cashout_same_key_with_a_different_body_is_refused() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let (status, _) = sim.cashout(&token, cashout_body("ref-dup", json!(10))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sim.cashout(&token, cashout_body("ref-dup", json!(11))).await;
    assert_wallet_error(status, &body, 409, "El reference_id ya fue utilizado con otros datos");
    let mut other_destination = cashout_body("ref-dup", json!(10));
    other_destination["cvu"] = json!("0000003100000000000999");
    let (status, _) = sim.cashout(&token, other_destination).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(sim.records("").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cashout_validation_and_business_errors() {
    let sim = Sim::start_with(|c| c.wallet.opening_balance = mostrador::domain::Money::from_centavos(10_000)).await;
    let token = sim.wallet_token().await;

    let mut both = cashout_body("ref-both", json!(10));
    both["alias"] = json!("juan.perez.mp");
    let (status, body) = sim.cashout(&token, both).await;
    assert_wallet_error(status, &body, 400, "Debe informarse cvu o alias, no ambos");
    let neither = json!({ "amount": 10, "reference_id": "ref-none" });
    let (status, body) = sim.cashout(&token, neither).await;
    assert_wallet_error(status, &body, 400, "Debe informarse cvu o alias");
    let (status, body) = sim.cashout(&token, json!({ "cvu": CVU, "amount": 10 })).await;
    assert_wallet_error(status, &body, 400, "reference_id es obligatorio");
    let invalid_amount = "El monto debe ser mayor que cero y tener como máximo dos decimales";
    for bad in [json!(0), json!(-5), json!(1.005), json!("abc"), json!(null)] {
        let (status, body) = sim.cashout(&token, cashout_body("ref-bad", bad.clone())).await;
        assert_wallet_error(status, &body, 400, invalid_amount);
    }
    // Literal JSON the json! macro cannot write: an exponent, and more digits than an f64 holds.
    for amount in ["1e1", "10.000000000000000000001"] {
        let raw = format!(r#"{{"cvu":"{CVU}","amount":{amount},"reference_id":"ref-raw"}}"#);
        let (status, body) = sim.send(sim.wallet(Method::POST, "/v2/payment/cashout", &token).body(raw)).await;
        assert_wallet_error(status, &body, 400, invalid_amount);
    }

    let (status, body) = sim.cashout(&token, cashout_body("ref-big", json!(100.01))).await;
    assert_wallet_error(status, &body, 422, "Saldo insuficiente");
    let mut blocked = cashout_body("ref-blocked", json!(1));
    blocked["cvu"] = json!(BLOCKED_CVU);
    let (status, body) = sim.cashout(&token, blocked).await;
    assert_wallet_error(status, &body, 422, "La cuenta destino está bloqueada");
    let mut missing = cashout_body("ref-missing", json!(1));
    missing["cvu"] = json!(MISSING_CVU);
    let (status, body) = sim.cashout(&token, missing).await;
    assert_wallet_error(status, &body, 422, "La cuenta destino no existe");
    assert_eq!(sim.balance(&token).await, 10_000);
    assert!(sim.records("").await.is_empty());

    // A rejection does not consume the key: the same key later goes through.
    let (status, body) = sim.cashout(&token, cashout_body("ref-big", json!(100))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(sim.balance(&token).await, 0);
}

// ---------------------------------------------------------------------------------------
// Bank deposit

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposit_normal_then_reverso_reverses_exactly_once() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let correspondent = sim.bank_balance(DEMO_CORRESPONDENT_ACCOUNT).await;
    let customer = sim.bank_balance(CUSTOMER).await;
    assert_eq!((correspondent.as_str(), customer.as_str()), ("500000.00", "5000.00"));

    let normal = deposit_body("123456", "Normal", CUSTOMER, json!(250.75));
    let (status, first) = sim.deposit(&token, normal.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["responseType"]["value"], "OK");
    assert_eq!(first["trn"]["depAcctId"]["acctId"], CUSTOMER);
    assert_eq!(first["trn"]["personName"]["fullName"], "JUANA MAMANI QUISPE");
    assert_eq!(first["trn"]["approvalId"].as_str().unwrap().len(), 20);
    let (_, again) = sim.deposit(&token, normal.clone()).await;
    assert_eq!(again, first, "a retried Normal deposit is the first one");
    assert_eq!(sim.bank_balance(CUSTOMER).await, "5250.75");
    assert_eq!(sim.bank_balance(DEMO_CORRESPONDENT_ACCOUNT).await, "499749.25");

    // A Reverso that does not match the deal, or of an unknown deal, is refused.
    let (status, body) = sim.deposit(&token, deposit_body("123456", "R", CUSTOMER, json!(250))).await;
    assert_bank_error(status, &body, 400, "P1", "TRX");
    let (status, body) = sim.deposit(&token, deposit_body("654321", "R", CUSTOMER, json!(250.75))).await;
    assert_bank_error(status, &body, 400, "N4", "TRX");

    let reverso = deposit_body("123456", "R", CUSTOMER, json!(250.75));
    let (status, reversed) = sim.deposit(&token, reverso.clone()).await;
    assert_eq!(status, StatusCode::OK, "{reversed}");
    assert_ne!(reversed["trn"]["approvalId"], first["trn"]["approvalId"]);
    assert_eq!(sim.bank_balance(CUSTOMER).await, "5000.00");
    assert_eq!(sim.bank_balance(DEMO_CORRESPONDENT_ACCOUNT).await, "500000.00");
    // The same Reverso retried is the first answer, not a second reversal.
    let (status, again) = sim.deposit(&token, reverso.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, reversed);
    // Another Reverso of the same deal is refused.
    let mut second = reverso.clone();
    second["trn"]["transactionHour"] = json!("16:00:00");
    let (status, body) = sim.deposit(&token, second).await;
    assert_bank_error(status, &body, 400, "N4", "TRX");
    assert_eq!(sim.bank_balance(CUSTOMER).await, "5000.00");

    let records = sim.records("?contract=bank").await;
    let kinds: Vec<_> =
        records.iter().map(|r| (r["operation"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
    assert_eq!(kinds, [("deposit", "reversed"), ("reversal", "posted")]);
    assert_eq!(records[1]["related_id"], records[0]["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposit_errors_have_the_documented_codes() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let (status, _) = sim.deposit(&token, deposit_body("100001", "N", CUSTOMER, json!(10))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sim.deposit(&token, deposit_body("100001", "N", CUSTOMER, json!(11))).await;
    assert_bank_error(status, &body, 400, "N3", "TRX");

    let (status, body) = sim.deposit(&token, deposit_body("100002", "N", BLOCKED_ACCOUNT, json!(10))).await;
    assert_bank_error(status, &body, 400, "NF", "TRX");
    assert_eq!(body["responseDetail"]["errorDesc"], "CUENTA BLOQUEADA");
    let (status, body) = sim.deposit(&token, deposit_body("100003", "N", MISSING_ACCOUNT, json!(10))).await;
    assert_bank_error(status, &body, 404, "NC", "TRX");
    let (status, body) = sim.deposit(&token, deposit_body("100004", "N", CUSTOMER, json!(500_000))).await;
    assert_bank_error(status, &body, 400, "W2", "TRX");
    assert_eq!(body["responseDetail"]["errorDesc"], "FONDOS INSUFICIENTES PARA RETIRO");
    for bad in [json!(0), json!(-1), json!(0.001), json!("x")] {
        let (status, body) = sim.deposit(&token, deposit_body("100005", "N", CUSTOMER, bad)).await;
        assert_bank_error(status, &body, 400, "NS", "TRX");
    }
    for bad_key in ["", "12345", "1234567", "12a456"] {
        let (status, body) = sim.deposit(&token, deposit_body(bad_key, "N", CUSTOMER, json!(1))).await;
        assert_bank_error(status, &body, 400, "N1", "TRX");
    }
    let (status, body) = sim.deposit(&token, deposit_body("100006", "X", CUSTOMER, json!(1))).await;
    assert_bank_error(status, &body, 400, "NR", "TRX");
    let (status, body) = sim.deposit(&token, deposit_body("100007", "N", DEMO_CORRESPONDENT_ACCOUNT, json!(1))).await;
    assert_bank_error(status, &body, 400, "11110", "VAL");
    assert_eq!(sim.records("").await.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Transaction list

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_list_filters_by_date_and_operation_and_paginates() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let plant = |operation: &str, date: &str, amount: &str| {
        let mut body = json!({ "contract": "wallet", "cvu": CVU });
        body["operation"] = json!(operation);
        body["date"] = json!(date);
        body["amount"] = json!(amount);
        body
    };
    sim.plant(plant("cashin", "2025-03-01 09:00:00", "10.00")).await;
    sim.plant(plant("cashout", "2025-03-01 10:00:00", "1.50")).await;
    for i in 0..23 {
        let operation = if i % 2 == 0 { "cashout" } else { "cashin" };
        sim.plant(plant(operation, &format!("2025-03-02 10:{i:02}:00"), &format!("{}.05", i + 1))).await;
    }
    sim.plant(plant("cashout", "2025-03-03 08:00:00", "7.00")).await;

    let list = |query: String| sim.transactions(&token, query);
    let day1 = list("date_from=2025-03-01&date_to=2025-03-01".into()).await;
    let day1_items = day1["transactions"].as_array().unwrap();
    assert_eq!(day1_items.len(), 2);
    assert_eq!(day1_items[0]["income"], 1);
    assert_eq!(day1_items[0]["amount"], "10.00");
    assert_eq!(day1_items[1]["operation"], "cashout");
    assert_eq!(day1_items[1]["cvu_cbu"], CVU);
    assert!(day1.get("pages").is_none(), "pagination fields only when paginated");

    let range = list("date_from=2025-03-01&date_to=2025-03-03".into()).await;
    assert_eq!(range["transactions"].as_array().unwrap().len(), 26);
    let outs = list("date_from=2025-03-02&date_to=2025-03-02&operation=cashout".into()).await;
    assert_eq!(outs["transactions"].as_array().unwrap().len(), 12);
    assert!(outs["transactions"].as_array().unwrap().iter().all(|t| t["operation"] == "cashout" && t["income"] == 0));

    let page =
        |n: i64| sim.transactions(&token, format!("date_from=2025-03-02&date_to=2025-03-02&paginate=1&page={n}"));
    let first = page(1).await;
    assert_eq!(first["transactions"].as_array().unwrap().len(), 10);
    assert_eq!((first["number_of_results"].as_i64(), first["pages"].as_i64()), (Some(23), Some(3)));
    assert_eq!((first["page"].as_i64(), first["pagination"].as_i64()), (Some(1), Some(10)));
    let third = page(3).await;
    let third_items = third["transactions"].as_array().unwrap();
    assert_eq!(third_items.len(), 3);
    assert_eq!(third_items[2]["amount"], "23.05");
    assert!(page(4).await["transactions"].as_array().unwrap().is_empty());

    // The parameters may also come as the JSON body the contract draws.
    let (status, body) = sim
        .send(
            sim.wallet(Method::GET, "/v2/account/transactions", &token)
                .json(&json!({ "date_from": "2025-03-03", "date_to": "2025-03-03", "paginate": 1, "page": 1 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["number_of_results"], 1);

    let (status, body) = sim
        .send(sim.wallet(
            Method::GET,
            "/v2/account/transactions?date_from=2025-03-01&date_to=2025-03-01&operation=x",
            &token,
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = sim.send(sim.wallet(Method::GET, "/v2/account/transactions?date_from=2025-03-01", &token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, filters) = sim.send(sim.wallet(Method::GET, "/v2/account/transactions_filters", &token)).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<_> = filters["operations"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"cashout") && ids.contains(&"cashin"), "{ids:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn committed_cashouts_appear_in_the_list_with_their_reference() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let (_, body) = sim.cashout(&token, cashout_body("ref-list", json!(12.3))).await;
    // The list's dates are the providers' (UTC−4), not this machine's.
    let today = chrono::Utc::now().with_timezone(&mostrador::domain::clock::store_offset()).format("%Y-%m-%d").to_string();
    let (status, list) = sim
        .send(sim.wallet(Method::GET, &format!("/v2/account/transactions?date_from={today}&date_to={today}"), &token))
        .await;
    assert_eq!(status, StatusCode::OK);
    let items = list["transactions"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["amount"], "12.30");
    // seeds/002 L298-L306: the documented fields and nothing else.
    let mut keys: Vec<_> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["amount", "cuit", "cvu_cbu", "date", "holder", "income", "operation", "sale_point_name", "status"]
    );
    assert_eq!(items[0]["cuit"], "20304050607");
    // The id and the reference it was committed under are the simulator's extras, under /_sim/.
    let records = sim.records("?contract=wallet&operation=cashout").await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], body["id"]);
    assert_eq!(records[0]["idempotency_key"], "ref-list");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashout_without_cuit_is_refused_in_the_documented_error_shape() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let mut body = cashout_body("ref-no-cuit", json!(10));
    body.as_object_mut().unwrap().remove("cuit");
    let (status, reply) = sim.cashout(&token, body.clone()).await;
    assert_wallet_error(status, &reply, 400, "cuit es obligatorio");
    body["cuit"] = json!("");
    let (status, reply) = sim.cashout(&token, body).await;
    assert_wallet_error(status, &reply, 400, "cuit es obligatorio");
    assert!(sim.records("").await.is_empty(), "nothing was applied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashout_whose_concept_is_missing_or_not_in_the_catalogue_is_refused_in_the_documented_error_shape() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let (_, catalogue) = sim.send(sim.wallet(Method::GET, "/v2/payment/concepts", &token)).await;
    let offered: Vec<_> = catalogue["concepts"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
    assert!(!offered.contains(&json!("XYZ")));
    let mut body = cashout_body("ref-concept", json!(10));
    body["concept"] = json!("XYZ");
    let (status, reply) = sim.cashout(&token, body.clone()).await;
    assert_wallet_error(status, &reply, 400, "Concepto inválido");
    body.as_object_mut().unwrap().remove("concept");
    let (status, reply) = sim.cashout(&token, body.clone()).await;
    assert_wallet_error(status, &reply, 400, "concept es obligatorio");
    assert!(sim.records("").await.is_empty(), "nothing was applied");
    // Every concept of the catalogue is taken.
    body["concept"] = offered[0].clone();
    let (status, reply) = sim.cashout(&token, body).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}

// ---------------------------------------------------------------------------------------
// Faults

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_error_500_answers_in_the_contract_shape_without_committing() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet_token().await, sim.bank_token().await);
    sim.faults(json!({ "error_500_rate": 1.0 })).await;
    let (status, body) = sim.cashout(&wallet, cashout_body("ref-500", json!(10))).await;
    assert_wallet_error(status, &body, 500, "Error interno, reintente más tarde");
    let (status, body) = sim.deposit(&bank, deposit_body("500500", "N", CUSTOMER, json!(10))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["responseType"]["value"], "ER500");
    assert_eq!(body["responseDetail"]["errorCode"], "2");
    let (status, _) = sim.send(sim.bank(Method::POST, "/transfers/pockets", &bank).json(&json!({}))).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    // `/_sim/` is never faulted, and nothing was committed.
    assert!(sim.records("").await.is_empty());

    sim.reset_faults().await;
    let (status, _) = sim.cashout(&wallet, cashout_body("ref-500", json!(10))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_hang_outlives_the_client_timeout_and_still_commits() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    sim.faults(json!({ "hang_rate": 1.0, "hang_ms": 700 })).await;
    let started = Instant::now();
    let err = sim
        .wallet(Method::POST, "/v2/payment/cashout", &token)
        .timeout(Duration::from_millis(200))
        .json(&cashout_body("ref-hang", json!(10)))
        .send()
        .await
        .expect_err("the client gives up first");
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_millis(600));
    // The held request is processed after the hang: the outcome the client did not see.
    let deadline = Instant::now() + Duration::from_secs(3);
    while sim.records("").await.is_empty() {
        assert!(Instant::now() < deadline, "the hung cashout never committed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    sim.reset_faults().await;
    let (status, body) = sim.cashout(&token, cashout_body("ref-hang", json!(10))).await;
    assert_eq!(status, StatusCode::OK);
    let records = sim.records("").await;
    assert_eq!(records.len(), 1);
    assert_eq!(body["id"], records[0]["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_drop_after_commit_loses_the_response_but_not_the_operation() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet_token().await, sim.bank_token().await);
    sim.faults(json!({ "drop_after_commit_rate": 1.0 })).await;
    let err = sim
        .wallet(Method::POST, "/v2/payment/cashout", &wallet)
        .json(&cashout_body("ref-drop", json!(10)))
        .send()
        .await
        .expect_err("no response, a connection error");
    assert!(!err.is_timeout() && err.status().is_none(), "{err:?}");
    let deposit = deposit_body("777777", "Normal", CUSTOMER, json!(40));
    let err = sim.deposit_request(&bank).json(&deposit).send().await.expect_err("dropped");
    assert!(err.status().is_none(), "{err:?}");

    let records = sim.records("").await;
    assert_eq!(records.len(), 2, "both were committed");
    assert_eq!(sim.bank_balance(CUSTOMER).await, "5040.00");

    // A retry whose reply is dropped again commits nothing new; once answered, retries
    // return the original results.
    let retry = sim.wallet(Method::POST, "/v2/payment/cashout", &wallet).json(&cashout_body("ref-drop", json!(10)));
    assert!(retry.send().await.is_err());
    sim.reset_faults().await;
    let (status, body) = sim.cashout(&wallet, cashout_body("ref-drop", json!(10))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], records[0]["id"]);
    let (status, body) = sim.deposit(&bank, deposit).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["trn"]["approvalId"], records[1]["reference"]);
    assert_eq!(sim.records("").await.len(), 2);
    assert_eq!(sim.bank_balance(CUSTOMER).await, "5040.00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_business_error_for_the_next_n_operations() {
    let sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet_token().await, sim.bank_token().await);
    sim.faults(json!({ "business_error": { "contract": "bank", "code": "W2", "remaining_calls": 2 } })).await;
    // Reads and tokens do not count.
    sim.bank_token().await;
    let (status, _) = sim.cashout(&wallet, cashout_body("ref-other-contract", json!(1))).await;
    assert_eq!(status, StatusCode::OK, "the other contract is not affected");
    for n in 0..2 {
        let (status, body) = sim.deposit(&bank, deposit_body(&format!("20000{n}"), "N", CUSTOMER, json!(1))).await;
        assert_bank_error(status, &body, 400, "W2", "TRX");
    }
    let (status, body) = sim.deposit(&bank, deposit_body("200000", "N", CUSTOMER, json!(1))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    sim.faults(json!({ "business_error": { "contract": "wallet", "code": "cuenta_bloqueada", "remaining_calls": 1 } }))
        .await;
    let (status, body) = sim.cashout(&wallet, cashout_body("ref-be", json!(1))).await;
    assert_wallet_error(status, &body, 422, "La cuenta destino está bloqueada");
    let (status, _) = sim.cashout(&wallet, cashout_body("ref-be", json!(1))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, faults) = sim.send(sim.http.get(sim.url("/_sim/faults"))).await;
    assert_eq!(faults["business_error"], Value::Null);

    // Unknown codes are refused by the control endpoint.
    let (status, _) = sim
        .send(sim.http.post(sim.url("/_sim/faults")).json(&json!({
            "business_error": { "contract": "bank", "code": "ZZ", "remaining_calls": 1 }
        })))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_latency_and_seeded_draws_are_reproducible() {
    let sim = Sim::start_with(|c| c.seed = 7).await;
    let token = sim.wallet_token().await;
    sim.faults(json!({ "latency_ms": 120 })).await;
    let started = Instant::now();
    sim.balance(&token).await;
    assert!(started.elapsed() >= Duration::from_millis(120));
    let started = Instant::now();
    sim.records("").await;
    assert!(started.elapsed() < Duration::from_millis(120), "no latency on /_sim/");

    let draws = || async {
        // The reset restarts the RNG from the seed.
        sim.reset_faults().await;
        sim.faults(json!({ "error_500_rate": 0.5 })).await;
        let mut outcomes = Vec::new();
        for _ in 0..24 {
            let response = sim.wallet(Method::GET, "/v2/account/balance", &token).send().await.unwrap();
            outcomes.push(response.status().as_u16());
        }
        sim.reset_faults().await;
        outcomes
    };
    let first = draws().await;
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
    assert_eq!(draws().await, first, "the same seed draws the same faults");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn balance_reads_draw_their_faults_apart_and_never_shift_the_draws_of_other_requests() {
    let sim = Sim::start_with(|c| c.seed = 11).await;
    let token = sim.wallet_token().await;
    // What 24 requests to another route meet, with `balance_reads` balance reads before each.
    let draws = |balance_reads: usize| {
        let (sim, token) = (&sim, token.clone());
        async move {
            sim.reset_faults().await;
            sim.faults(json!({ "error_500_rate": 0.5 })).await;
            let (mut others, mut balances) = (Vec::new(), Vec::new());
            for _ in 0..24 {
                for _ in 0..balance_reads {
                    let response = sim.wallet(Method::GET, "/v2/account/balance", &token).send().await.unwrap();
                    balances.push(response.status().as_u16());
                }
                let response = sim.wallet(Method::GET, "/v2/payment/concepts", &token).send().await.unwrap();
                others.push(response.status().as_u16());
            }
            sim.reset_faults().await;
            (others, balances)
        }
    };
    let (alone, _) = draws(0).await;
    assert!(alone.contains(&500) && alone.contains(&200), "{alone:?}");
    let (interleaved, balances) = draws(2).await;
    assert_eq!(interleaved, alone, "balance reads shifted the other requests' faults");
    // The balance reads still meet the configured faults, from their own seeded stream.
    assert!(balances.contains(&500) && balances.contains(&200), "{balances:?}");
    assert_eq!(draws(2).await.1, balances, "the balance stream is seeded too");
}

// ---------------------------------------------------------------------------------------
// Persistence

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_persists_across_a_restart() {
    let mut sim = Sim::start().await;
    let (wallet, bank) = (sim.wallet_token().await, sim.bank_token().await);
    let (_, cashout) = sim.cashout(&wallet, cashout_body("ref-persist", json!(33.33))).await;
    let (_, deposit) = sim.deposit(&bank, deposit_body("424242", "Normal", CUSTOMER_2, json!(66.67))).await;
    let balance = sim.balance(&wallet).await;

    sim.restart().await;
    // Tokens, balances, records and idempotency keys all survive.
    assert_eq!(sim.balance(&wallet).await, balance);
    assert_eq!(sim.bank_balance(CUSTOMER_2).await, "1266.67");
    assert_eq!(sim.records("").await.len(), 2);
    let (status, again) = sim.cashout(&wallet, cashout_body("ref-persist", json!(33.33))).await;
    assert_eq!((status, again), (StatusCode::OK, cashout));
    let (status, again) = sim.deposit(&bank, deposit_body("424242", "Normal", CUSTOMER_2, json!(66.67))).await;
    assert_eq!((status, again), (StatusCode::OK, deposit));
    let (status, _) = sim.deposit(&bank, deposit_body("424242", "R", CUSTOMER_2, json!(66.67))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sim.bank_balance(CUSTOMER_2).await, "1200.00");
}

// ---------------------------------------------------------------------------------------
// The rest of both contracts

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_and_fees() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let fee_request = |code: &str, to: &str| {
        json!({
            "depAcctIdFrom": { "depAcctId": { "acctId": CUSTOMER } },
            "depAcctIdTo": { "depAcctId": { "acctId": to } },
            "xFerInfo": { "processingCode": code, "curAmt": { "amt": 100 } }
        })
    };
    let response =
        sim.bank(Method::POST, "/fees", &token).json(&fee_request("88013", CUSTOMER_2)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.contains(r#""curtAmt":{"amt":5.00}"#), "an exact JSON number: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["personName"]["fullName"], "CARLOS CHOQUE FLORES");
    let (status, body) =
        sim.send(sim.bank(Method::POST, "/fees", &token).json(&fee_request("12345", CUSTOMER_2))).await;
    assert_bank_error(status, &body, 400, "10004", "TPS");
    let (status, body) =
        sim.send(sim.bank(Method::POST, "/fees", &token).json(&fee_request("88018", MISSING_ACCOUNT))).await;
    assert_bank_error(status, &body, 404, "05620", "RGN");

    let transfer = |ref_id: &str, categ: &str, to: &str, amt: Value, fee: Value| {
        json!({
            "refId": ref_id,
            "xFerRec": { "categCode": categ },
            "custPayeeInfo": {
                "refId": "1234",
                "govIssueIdent": { "govIssueIdentType": "CI", "identSerialNum": "1234567" }
            },
            "fee": { "curAmt": { "amt": fee } },
            "xFerInfo": {
                "depAcctIdFrom": { "acctId": CUSTOMER },
                "processingCode": "88018",
                "amt": amt,
                "desc": "Pago alquiler",
                "bankId": "0032",
                "depAcctIdTo": { "acctId": to, "acctType": "SDA" },
                "xFerId": "AV001",
                "origDt": "2025-03-01T10:00:00"
            },
            "bankInfo": { "branchIdFrom": "1108", "branchIdTo": "1108" }
        })
    };
    let third = transfer("APII0000000000000001", "THIRD", CUSTOMER_2, json!(100), json!(0));
    let (status, body) = sim.send(sim.bank(Method::POST, "/transfers", &token).json(&third)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "responseType": { "value": "OK" }, "refId": "APII0000000000000001" }));
    let (_, again) = sim.send(sim.bank(Method::POST, "/transfers", &token).json(&third)).await;
    assert_eq!(again, body);
    assert_eq!(sim.bank_balance(CUSTOMER).await, "4900.00");
    assert_eq!(sim.bank_balance(CUSTOMER_2).await, "1300.00");
    let changed = transfer("APII0000000000000001", "THIRD", CUSTOMER_2, json!(101), json!(0));
    let (status, body) = sim.send(sim.bank(Method::POST, "/transfers", &token).json(&changed)).await;
    assert_bank_error(status, &body, 400, "PM", "TRX");

    let interbank = transfer("APII0000000000000002", "INTERBANK", "55500011122", json!(50), json!(5));
    let (status, _) = sim.send(sim.bank(Method::POST, "/transfers", &token).json(&interbank)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sim.bank_balance(CUSTOMER).await, "4845.00");

    let cases = [
        (transfer("APII3", "THIRD", CUSTOMER_2, json!(999_999), json!(0)), 400, "W2", "TRX"),
        (transfer("APII4", "OWN", CUSTOMER, json!(1), json!(0)), 400, "11110", "VAL"),
        (transfer("APII5", "CCR", CUSTOMER_2, json!(1), json!(0)), 400, "10001", "OSB"),
        (transfer("APII6", "THIRD", BLOCKED_ACCOUNT, json!(1), json!(0)), 400, "NF", "TRX"),
        (transfer("APII7", "THIRD", "12ab", json!(1), json!(0)), 400, "11111", "EXP"),
        (transfer("", "THIRD", CUSTOMER_2, json!(1), json!(0)), 400, "N1", "TRX"),
    ];
    for (body, http, code, kind) in cases {
        let (status, reply) = sim.send(sim.bank(Method::POST, "/transfers", &token).json(&body)).await;
        assert_bank_error(status, &reply, http, code, kind);
    }
    assert_eq!(sim.records("?contract=bank").await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfiya_send_pending_and_accept() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let fingerprint = r#"{"General":{"deviceId":"caja-1"}}"#;
    let send = json!({
        "xFerInfo": {
            "depAcctIdFrom": { "acctId": CUSTOMER, "cellPhone": "70011122" },
            "depAcctIdTo": { "cellPhone": "70099988" },
            "amt": 120.50,
            "desc": "Retiro en agente"
        },
        "fee": { "curAmt": { "amt": 0 } },
        "deviceFingerPrint": fingerprint
    });
    let request = || sim.bank(Method::POST, "/transfiya/credit", &token).header("X-Invoker-TxId", "TX0001");
    let (status, sent) = sim.send(request().json(&send)).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let code = sent["xFerInfo"]["pseTrnCode"].as_str().unwrap().to_string();
    let (_, again) = sim.send(request().json(&send)).await;
    assert_eq!(again, sent, "the X-Invoker-TxId keys the send");
    assert_eq!(sim.bank_balance(CUSTOMER).await, "4879.50");

    let (status, pending) = sim.send(sim.bank(Method::GET, "/transfiya/transfers/70099988/pending/get", &token)).await;
    assert_eq!(status, StatusCode::OK);
    let items = pending["xFerInfo"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["pseTrnCode"], code.as_str());
    assert_eq!(items[0]["curAmt"]["amt"], json!(120.5));

    let agree = |flag: &str, acct: &str| {
        json!({
            "xFerInfo": {
                "pseTrnCode": code,
                "depAcctIdFrom": { "acctId": acct, "cellPhone": "70011122" },
                "depAcctIdTo": { "cellPhone": "70099988" },
                "amt": 120.50,
                "desc": "Retiro en agente"
            },
            "fee": { "curAmt": { "amt": 0 } },
            "flagTransferAccept": flag,
            "flagEstablishTrust": false,
            "deviceFingerPrint": fingerprint
        })
    };
    let (status, body) =
        sim.send(sim.bank(Method::PUT, "/transfiya/transfers/agree", &token).json(&agree("Accept", CUSTOMER))).await;
    assert_bank_error(status, &body, 400, "01102", "RGN");
    let accept = agree("Accept", DEMO_CORRESPONDENT_ACCOUNT);
    let (status, body) = sim.send(sim.bank(Method::PUT, "/transfiya/transfers/agree", &token).json(&accept)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = sim.send(sim.bank(Method::PUT, "/transfiya/transfers/agree", &token).json(&accept)).await;
    assert_eq!(status, StatusCode::CREATED, "a retried accept is replayed");
    assert_eq!(sim.bank_balance(DEMO_CORRESPONDENT_ACCOUNT).await, "500120.50");
    let (status, body) = sim
        .send(
            sim.bank(Method::PUT, "/transfiya/transfers/agree", &token)
                .json(&agree("Reject", DEMO_CORRESPONDENT_ACCOUNT)),
        )
        .await;
    assert_bank_error(status, &body, 400, "01101", "RGN");
    let (status, body) = sim.send(sim.bank(Method::GET, "/transfiya/transfers/70099988/pending/get", &token)).await;
    assert_bank_error(status, &body, 404, "00001", "RGN");

    // A customer's incoming transfer planted for the agent's phone, then rejected.
    let planted = sim
        .plant(json!({ "contract": "bank", "operation": "transfiya", "amount": "80", "cell_phone": "70099988" }))
        .await;
    let (_, pending) = sim.send(sim.bank(Method::GET, "/transfiya/transfers/70099988/pending/get", &token)).await;
    assert_eq!(pending["xFerInfo"][0]["pseTrnCode"], planted["pseTrnCode"]);

    let (status, body) = sim.send(sim.bank(Method::POST, "/transfiya/credit", &token).json(&json!({}))).await;
    assert_bank_error(status, &body, 400, "20101", "RGN");
    let mut poor = send.clone();
    poor["xFerInfo"]["depAcctIdFrom"]["acctId"] = json!("30000000001");
    let (status, body) = sim.send(sim.bank(Method::POST, "/transfiya/credit", &token).json(&poor)).await;
    assert_bank_error(status, &body, 400, "11201", "RGN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pockets_move_money_between_account_and_pocket() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let pocket = |amt: Value, flag: &str| {
        json!({
            "depAcctId": { "acctId": CUSTOMER },
            "xFerInfo": { "amt": amt, "flagTransfer": flag },
            "branch": { "branchId": "1102" }
        })
    };
    let response =
        sim.bank(Method::POST, "/transfers/pockets", &token).json(&pocket(json!(1000), "D")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.text().await.unwrap().contains(r#""acctBal":{"curAmt":{"amt":4000.00}}"#));
    let (status, body) =
        sim.send(sim.bank(Method::POST, "/transfers/pockets", &token).json(&pocket(json!(1000.01), "C"))).await;
    assert_bank_error(status, &body, 400, "W2", "TRX");
    let (status, body) =
        sim.send(sim.bank(Method::POST, "/transfers/pockets", &token).json(&pocket(json!(400), "C"))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["acctBal"]["curAmt"]["amt"], json!(4400.0));
    let (status, body) =
        sim.send(sim.bank(Method::POST, "/transfers/pockets", &token).json(&pocket(json!(1), "X"))).await;
    assert_bank_error(status, &body, 400, "00001", "INP");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wallet_cashin_orders_and_sale_points() {
    let sim = Sim::start().await;
    let token = sim.wallet_token().await;
    let (status, qr) = sim
        .send(sim.wallet(Method::POST, "/v2/payment/cashin/qr/generate", &token).json(&json!({
            "amount": 45.10, "concept": "VAR", "description": "Retiro"
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{qr}");
    assert!(qr["qr_code"].as_str().is_some_and(|q| !q.is_empty()));
    let order = qr["qr_order_id"].as_i64().unwrap();

    let before = sim.balance(&token).await;
    let paid = sim
        .plant(json!({
            "contract": "wallet", "operation": "cashin", "amount": "45.10",
            "qr_order_id": order, "cvu": CVU, "cuit": "20304050607"
        }))
        .await;
    assert_eq!(sim.balance(&token).await, before + 4_510);
    let id = paid["id"].as_i64().unwrap();
    let response = sim.wallet(Method::GET, &format!("/v2/payment/cashin/{id}"), &token).send().await.unwrap();
    let text = response.text().await.unwrap();
    assert!(text.contains(r#""amount":45.10"#), "{text}");
    let cashin: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(cashin["buyer"], json!({ "cuit": "20304050607", "cvu": CVU }));
    assert_eq!(cashin["qr_order_id"], order);
    assert_eq!(cashin["transaction_id"], id);
    assert_eq!(cashin["description"], "Retiro");

    let (status, link) = sim
        .send(sim.wallet(Method::POST, "/v2/payment/cashin/link/generate", &token).json(&json!({
            "expiration_date": "2099-12-31 23:59:59", "amount": 100, "multiple_use": false, "concept": "VAR",
            "distribution": [{ "cvu": CVU, "amount": 40 }]
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert!(link["link_id"].as_i64().is_some());
    let (status, transfer) = sim
        .send(sim.wallet(Method::POST, "/v2/payment/cashin/transfer/generate", &token).json(&json!({
            "cvu": CVU, "cuit": "20304050607", "amount": 10, "concept": "VAR", "description": "x"
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{transfer}");
    assert!(transfer["payment_link"].as_str().is_some());

    let path = "/v2/payment/cashin/qr/sale-point";
    let (_, created) = sim.send(sim.wallet(Method::POST, path, &token).json(&json!({ "name": "Caja 1" }))).await;
    let point = created["sale_point_id"].as_i64().unwrap();
    let (_, list) = sim.send(sim.wallet(Method::GET, path, &token)).await;
    assert_eq!(list["sale_points"], json!([{ "id": point, "name": "Caja 1", "status": "active" }]));
    let (status, qr) = sim
        .send(sim.wallet(Method::GET, &format!("{path}/static?type_amount=closed&sale_point_id={point}"), &token))
        .await;
    assert_eq!(status, StatusCode::OK, "{qr}");
    let (status, order) = sim
        .send(sim.wallet(Method::POST, "/v2/payment/cashin/qr/static/order", &token).json(&json!({
            "amount": 12, "concept": "VAR", "description": "y", "sale_point_id": point
        })))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let (status, _) = sim.send(sim.wallet(Method::DELETE, path, &token).json(&json!({ "sale_point_id": point }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) =
        sim.send(sim.wallet(Method::DELETE, path, &token).json(&json!({ "sale_point_id": point }))).await;
    assert_wallet_error(status, &body, 404, "Punto de venta inexistente o dado de baja");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deposit_missing_a_required_header_or_with_a_long_tx_id_is_refused_in_the_documented_shape() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let body = deposit_body("111111", "N", CUSTOMER, json!(10));
    for missing in [
        "X-Invoker-TerminalId",
        "X-Invoker-UserIPAddress",
        "X-Invoker-ServerIPAddress",
        "X-Invoker-ModifierUser",
        "X-Invoker-ProcessId",
        "X-Invoker-TxId",
        "X-Invoker-ProcessDate",
    ] {
        let mut request = sim.bank(Method::PUT, "/deposit", &token);
        for (name, value) in invoker_headers(&token, "2025-03-10").into_iter().filter(|(n, _)| *n != missing) {
            request = request.header(name, value);
        }
        let (status, reply) = sim.send(request.json(&body)).await;
        assert_bank_error(status, &reply, 400, "20101", "RGN");
        assert!(reply["responseDetail"]["errorDesc"].as_str().unwrap().contains(missing), "{reply}");
    }
    let mut request = sim.bank(Method::PUT, "/deposit", &token);
    for (name, value) in invoker_headers(&token, "2025-03-10") {
        let value = if name == "X-Invoker-TxId" { "APIF50693212345678".to_string() } else { value };
        request = request.header(name, value);
    }
    let (status, reply) = sim.send(request.json(&body)).await;
    assert_bank_error(status, &reply, 400, "00001", "INP");
    // "Reverso" is in no line of the document.
    let (status, reply) = sim.deposit(&token, deposit_body("111112", "Reverso", CUSTOMER, json!(10))).await;
    assert_eq!(status.as_u16(), 400, "{reply}");
    assert_eq!(reply["responseDetail"]["errorCode"], "NR");
    assert!(sim.records("").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reversal_booked_on_another_day_than_its_deposit_is_refused_with_p1() {
    let sim = Sim::start().await;
    let token = sim.bank_token().await;
    let (status, reply) = sim.deposit_on(&token, "2025-03-10", deposit_body("222222", "N", CUSTOMER, json!(40))).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let (status, reply) = sim.deposit_on(&token, "2025-03-12", deposit_body("222222", "R", CUSTOMER, json!(40))).await;
    assert_bank_error(status, &reply, 400, "P1", "TRX");
    let (status, reply) = sim.deposit_on(&token, "2025-03-10", deposit_body("222222", "R", CUSTOMER, json!(40))).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
}
