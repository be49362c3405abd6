//! Conformance with the provider documents, not with our simulator: every request the
//! product can send — wallet token, concepts, cashout, cash-in check, transaction list and
//! its filters; bank token stand-in, deposit and reversal — is built by the product's own
//! connectors, captured by a tiny loopback listener, and checked against the extracts
//! `tests/contracts/wallet_v2.json` and `tests/contracts/bank_v1.json` (each rule with the
//! seed line it comes from): every required field and header present, of the documented
//! type and length, and nothing undocumented sent.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{NaiveDate, TimeZone};
use mostrador::connectors::{bank, wallet, Connector, ConnectorConfig, Outcome, ProviderSecret};
use mostrador::domain::{AjustesContrato, Contrato, LlamadaApi, Money, TipoDeposito};
use serde_json::{json, Value};

const TOKEN: &str = "tok_0123456789abcdefghijklmnopqrstuvwxyz";
const TOKEN_PATH: &str = "/stand-in/oauth/token";

// ---------------------------------------------------------------------------------------
// A captured request

#[derive(Debug, Clone)]
struct Captured {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    /// Lower-case names, values trimmed of the surrounding whitespace HTTP allows.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A loopback HTTP/1.1 listener that records every request and answers each documented
/// path with a minimal success, one request per connection.
struct Listener {
    url: String,
    seen: Arc<Mutex<Vec<Captured>>>,
}

impl Listener {
    fn start() -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let log = log.clone();
                std::thread::spawn(move || serve(stream, &log));
            }
        });
        Listener { url, seen }
    }

    fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

fn serve(mut stream: TcpStream, log: &Mutex<Vec<Captured>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), url_pairs(q)),
        None => (target.clone(), Vec::new()),
    };
    let answer = answer_for(&method, &path);
    log.lock().unwrap().push(Captured { method, path, query, headers, body });
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

fn url_pairs(text: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{text}")).unwrap().query_pairs().map(|(k, v)| (k.into(), v.into())).collect()
}

fn answer_for(method: &str, path: &str) -> String {
    let far = chrono::Utc::now().timestamp() + 3600;
    match (method, path) {
        ("POST", "/v2/auth/token") => json!({"status": "ok", "token": TOKEN, "expires_at": far}).to_string(),
        ("POST", TOKEN_PATH) => json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}).to_string(),
        ("GET", "/v2/payment/concepts") => json!({"status": "ok", "concepts": [{"id": "HAB", "name": "Haberes"}]}).to_string(),
        ("POST", "/v2/payment/cashout") => json!({"status": "ok", "id": 12}).to_string(),
        ("GET", "/v2/account/transactions_filters") => {
            json!({"status": "ok", "operations": [{"id": "cashout", "name": "Enviada", "type": "out"}]}).to_string()
        }
        ("GET", "/v2/account/transactions") => {
            json!({"status": "ok", "transactions": [], "number_of_results": 0, "page": 1, "pages": 1, "pagination": 50})
                .to_string()
        }
        ("GET", p) if p.starts_with("/v2/payment/cashin/") => {
            json!({"status": "ok", "buyer": [], "amount": "250.00", "concept": "HAB", "description": "", "transaction_id": 3})
                .to_string()
        }
        ("PUT", "/transfers-management/v1/deposit") => {
            json!({"responseType": {"value": "OK"}, "trn": {"approvalId": "Z69599FB119FB12927E1"}}).to_string()
        }
        _ => json!({"status": "error", "message": "not documented"}).to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The checker

fn extract(name: &str) -> Value {
    let path = format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let (p, a): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == a.len() && p.iter().zip(&a).all(|(p, a)| (p.starts_with('{') && !a.is_empty()) || p == a)
}

/// The documented call a request is, by method and path (`path_setting`: the configured URL).
fn call_of<'a>(doc: &'a Value, req: &Captured, token_path: &str) -> Option<&'a Value> {
    doc["calls"].as_array().unwrap().iter().find(|c| {
        let path = c["path"].as_str().unwrap_or(if c.get("path_setting").is_some() { token_path } else { "" });
        c["method"] == req.method.as_str() && path_matches(path, &req.path)
    })
}

/// Leaves of a JSON object as dotted paths.
fn leaves(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                leaves(&path, v, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn length(text: &str) -> usize {
    text.chars().count()
}

/// Problems of one value against one documented field or parameter.
fn check_value(rule: &Value, value: &Value, problems: &mut Vec<String>) {
    let name = rule["path"].as_str().unwrap();
    let line = &rule["line"];
    let text = value.as_str();
    let ok = match rule["type"].as_str().unwrap() {
        "string" => text.is_some(),
        "digits" => text.is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())),
        "time" => text.is_some_and(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").is_ok() && t.len() == 8),
        "date" => text.is_some_and(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() && t.len() == 10),
        // A JSON number; `decimal` at most two places (money), never an exponent.
        "number" | "decimal" => value.as_number().is_some_and(|n| {
            let t = n.to_string();
            !t.contains(['e', 'E']) && t.split_once('.').is_none_or(|(_, f)| f.len() <= 2)
        }),
        other => panic!("unknown type {other} in the extract"),
    };
    if !ok {
        problems.push(format!("{name} (L{line}): {value} is not a {}", rule["type"]));
        return;
    }
    if let Some(text) = text {
        if let Some(max) = rule["max_length"].as_u64() {
            if length(text) as u64 > max {
                problems.push(format!("{name} (L{line}): {} characters, at most {max}", length(text)));
            }
        }
        if let Some(exact) = rule["length"].as_u64() {
            if length(text) as u64 != exact {
                problems.push(format!("{name} (L{line}): {} characters, exactly {exact}", length(text)));
            }
        }
        if let Some(values) = rule["one_of"].as_array() {
            if !values.iter().any(|v| v == text) {
                problems.push(format!("{name} (L{line}): {text:?} is not one of {values:?}"));
            }
        }
    }
}

/// Problems of a set of named values (body leaves or query parameters) against the rules.
fn check_fields(what: &str, rules: &[Value], given: &BTreeMap<String, Value>, problems: &mut Vec<String>) {
    for rule in rules {
        let name = rule["path"].as_str().unwrap();
        match given.get(name) {
            Some(value) => check_value(rule, value, problems),
            None if rule["required"] == true => problems.push(format!("{what} {name} (L{}): missing", rule["line"])),
            None => {}
        }
    }
    for name in given.keys() {
        if !rules.iter().any(|r| r["path"] == name.as_str()) {
            problems.push(format!("{what} {name}: not in the document"));
        }
    }
}

/// Every problem of one captured request against its document's extract.
fn check(doc: &Value, req: &Captured, token_path: &str) -> Vec<String> {
    let Some(call) = call_of(doc, req, token_path) else {
        return vec![format!("{} {}: no such call in the document", req.method, req.path)];
    };
    let mut problems = Vec::new();
    // Headers.
    let rules = call["headers"].as_array().unwrap();
    for rule in rules {
        let name = rule["name"].as_str().unwrap().to_ascii_lowercase();
        let line = &rule["line"];
        let Some((_, value)) = req.headers.iter().find(|(n, _)| *n == name) else {
            if rule["required"] == true {
                problems.push(format!("header {name} (L{line}): missing"));
            }
            continue;
        };
        if let Some(fixed) = rule["value"].as_str() {
            if value != fixed {
                problems.push(format!("header {name} (L{line}): {value:?}, the document fixes {fixed:?}"));
            }
        }
        if let Some(prefix) = rule["prefix"].as_str() {
            if !value.starts_with(prefix) {
                problems.push(format!("header {name} (L{line}): does not start with {prefix:?}"));
            }
        }
        if let Some(max) = rule["max_length"].as_u64() {
            if length(value) as u64 > max {
                problems.push(format!("header {name} (L{line}): {} characters, at most {max}", length(value)));
            }
        }
        if let Some(values) = rule["one_of"].as_array() {
            if !values.iter().any(|v| v == value.as_str()) {
                problems.push(format!("header {name} (L{line}): {value:?} is not one of {values:?}"));
            }
        }
        if rule["format"] == "date" && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() {
            problems.push(format!("header {name} (L{line}): {value:?} is not a date AAAA-MM-DD"));
        }
    }
    let transport = doc["transport_headers"].as_array().unwrap();
    for (name, _) in &req.headers {
        let documented = rules.iter().any(|r| r["name"].as_str().unwrap().eq_ignore_ascii_case(name));
        if !documented && !transport.iter().any(|t| t == name.as_str()) {
            problems.push(format!("header {name}: not in the document"));
        }
    }
    // Query.
    let query: BTreeMap<String, Value> = req.query.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    check_fields("query", call["query"].as_array().map(Vec::as_slice).unwrap_or(&[]), &query, &mut problems);
    // Body.
    let rules = call["body"].as_array().unwrap();
    let given = match call["body_kind"].as_str().unwrap() {
        "none" => {
            if !req.body.is_empty() {
                problems.push("body: the document gives this call no body".into());
            }
            BTreeMap::new()
        }
        "form" => url_pairs(&String::from_utf8_lossy(&req.body))
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
        _ => match serde_json::from_slice::<Value>(&req.body) {
            Ok(body @ Value::Object(_)) => {
                let mut out = BTreeMap::new();
                leaves("", &body, &mut out);
                out
            }
            _ => {
                problems.push("body: not a JSON object".into());
                BTreeMap::new()
            }
        },
    };
    check_fields("body", rules, &given, &mut problems);
    for group in call["exactly_one_of"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let fields = group["fields"].as_array().unwrap();
        let present = fields.iter().filter(|f| given.contains_key(f.as_str().unwrap())).count();
        if present != 1 {
            problems.push(format!("body: exactly one of {fields:?} (L{}), {present} sent", group["line"]));
        }
    }
    problems
}

fn assert_conforms(doc: &Value, seen: &[Captured], expected_calls: &[&str]) {
    let mut problems = Vec::new();
    for req in seen {
        for p in check(doc, req, TOKEN_PATH) {
            problems.push(format!("{} {}: {p}", req.method, req.path));
        }
    }
    assert!(problems.is_empty(), "requests that do not follow {}:\n{}", doc["document"], problems.join("\n"));
    for name in expected_calls {
        let call = doc["calls"].as_array().unwrap().iter().find(|c| c["name"] == *name).unwrap();
        assert!(
            seen.iter().any(|r| call_of(doc, r, TOKEN_PATH) == Some(call)),
            "the product never sent {name}; sent: {:?}",
            seen.iter().map(|r| format!("{} {}", r.method, r.path)).collect::<Vec<_>>()
        );
    }
}

// ---------------------------------------------------------------------------------------
// The product's requests

fn connector(listener: &Listener, contract: Contrato, settings: AjustesContrato) -> Connector {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Connector::new(ConnectorConfig {
        contract,
        base_url: listener.url.clone(),
        secret: ProviderSecret { user: "agente".into(), secret: "clave-secreta".into() },
        timeout: Duration::from_secs(5),
        settings: AjustesContrato { url_token: Some(format!("{}{TOKEN_PATH}", listener.url)), ..settings },
    })
    .unwrap()
}

fn point() -> bank::ServicePoint {
    bank::ServicePoint {
        code: "123456789123456".into(),
        branch_name: "MI OFICINA BETTY".into(),
        city_id: "25386".into(),
        city: "LA MESA".into(),
        state_prov: "25".into(),
    }
}

#[tokio::test]
async fn every_wallet_request_the_product_sends_follows_the_wallet_v2_document() {
    let listener = Listener::start();
    let c = connector(&listener, Contrato::BilleteraV2, AjustesContrato::default());
    let today = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
    for (reference, destination) in [("MST-1-1", "0000003100000000000123"), ("MST-1-2", "juana.mamani")] {
        let body = wallet::cashout_body(&wallet::Cashout {
            reference_id: reference,
            destination,
            cuit: "20304050607",
            amount: Money::from_centavos(15_050),
            concept: "HAB",
            description: "Depósito MST-1",
        });
        assert!(matches!(c.send(LlamadaApi::Cashout, &body).await, Outcome::Acked { .. }));
        // The unknown-outcome lookup: transactions_filters, then the list filtered by it.
        let _ = c.lookup_on(LlamadaApi::Cashout, reference, &body, today).await;
    }
    let check = wallet::cashin_check_body_for_amount("77", Money::from_centavos(25_000));
    assert!(matches!(c.send(LlamadaApi::VerificarCobro, &check).await, Outcome::Acked { .. }));
    // The end-of-day reconciliation: the list without a filter.
    c.transactions(today).await.unwrap();
    let seen = listener.take();
    assert_conforms(
        &extract("wallet_v2.json"),
        &seen,
        &["token", "concepts", "cashout", "cashin", "transactions", "transactions_filters"],
    );
    assert!(
        seen.iter().any(|r| r.path == "/v2/account/transactions" && r.query.iter().any(|(k, v)| k == "operation" && v == "cashout")),
        "the lookup filters by the operation id transactions_filters gave"
    );
}

#[tokio::test]
async fn every_bank_request_the_product_sends_follows_the_bank_v1_document_in_both_type_forms() {
    for form in [TipoDeposito::CodigoNR, TipoDeposito::Palabras] {
        let listener = Listener::start();
        let settings = AjustesContrato { tipo_deposito: Some(form), ..AjustesContrato::default() };
        let c = connector(&listener, Contrato::BancoV1, settings);
        let at = chrono::FixedOffset::west_opt(4 * 3600).unwrap().with_ymd_and_hms(2025, 3, 10, 23, 59, 30).unwrap();
        let deposit =
            bank::deposit_body("123456", "20000000001", "10000000001", Money::from_centavos(9_900), at, &point(), form);
        assert!(matches!(c.send(LlamadaApi::Deposito, &deposit).await, Outcome::Acked { .. }));
        let reversal = bank::reversal_body(&deposit).unwrap();
        assert!(matches!(c.send(LlamadaApi::Reverso, &reversal).await, Outcome::Acked { .. }));
        let seen = listener.take();
        assert_conforms(&extract("bank_v1.json"), &seen, &["token", "deposit"]);
        let deposits: Vec<_> = seen.iter().filter(|r| r.method == "PUT").collect();
        assert_eq!(deposits.len(), 2, "the deposit and its reversal");
        let header = |r: &Captured, name: &str| r.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        // P1 (L337): the reversal's book date and amount are the deposit's.
        assert_eq!(header(deposits[1], "x-invoker-processdate"), header(deposits[0], "x-invoker-processdate"));
        assert_eq!(header(deposits[1], "x-invoker-processid"), header(deposits[0], "x-invoker-txid"));
        // The amount's text as sent (a `Value` would re-read it through a float).
        let amount = |r: &Captured| {
            let text = String::from_utf8_lossy(&r.body).to_string();
            let at = text.find(r#""amt":"#).unwrap() + 6;
            text[at..].split('}').next().unwrap().to_string()
        };
        assert_eq!((amount(deposits[0]), amount(deposits[1])), ("99.00".to_string(), "99.00".to_string()));
    }
}

#[test]
fn the_checker_refuses_a_cashout_missing_a_field_and_carrying_an_undocumented_one() {
    let doc = extract("wallet_v2.json");
    let good = Captured {
        method: "POST".into(),
        path: "/v2/payment/cashout".into(),
        query: Vec::new(),
        headers: vec![
            ("authorization".into(), "Bearer abc".into()),
            ("content-type".into(), "application/json".into()),
        ],
        body: br#"{"cvu":"0000003100000000000123","cuit":"20304050607","amount":150.50,"reference_id":"r1","concept":"HAB","description":"d"}"#.to_vec(),
    };
    assert_eq!(check(&doc, &good, TOKEN_PATH), Vec::<String>::new());

    let bad = Captured {
        headers: vec![("authorization".into(), "Bearer abc".into()), ("x-debug".into(), "1".into())],
        body: br#"{"cvu":"0000003100000000000123","alias":"juana","amount":150.5,"reference_id":"r1","concept":"HAB","description":"d","id":7}"#.to_vec(),
        ..good.clone()
    };
    let problems = check(&doc, &bad, TOKEN_PATH);
    let has = |text: &str| problems.iter().any(|p| p.contains(text));
    assert!(has("body cuit (L44): missing"), "{problems:?}");
    assert!(has("body id: not in the document"), "{problems:?}");
    assert!(has("header x-debug: not in the document"), "{problems:?}");
    assert!(has("exactly one of"), "{problems:?}");
    assert_eq!(problems.len(), 4, "{problems:?}");

    let bank = extract("bank_v1.json");
    let deposit = Captured {
        method: "PUT".into(),
        path: "/transfers-management/v1/deposit".into(),
        query: Vec::new(),
        headers: vec![("x-invoker-txid".into(), "APIF50693212345678901".into())],
        body: br#"{"trn":{"transactionHour":"3pm","curAmt":{"amt":"99"},"type":"Reverso","extra":1}}"#.to_vec(),
    };
    let problems = check(&bank, &deposit, TOKEN_PATH);
    let has = |text: &str| problems.iter().any(|p| p.contains(text));
    assert!(has("header x-invoker-txid (L2431): 21 characters, at most 16"), "{problems:?}");
    assert!(has("header x-invoker-terminalid (L2424): missing"), "{problems:?}");
    assert!(has("trn.transactionHour (L2452)"), "{problems:?}");
    assert!(has("trn.curAmt.amt (L2455)"), "{problems:?}");
    assert!(has("body trn.trnRqUID (L2457): missing"), "{problems:?}");
    assert!(has("body trn.extra: not in the document"), "{problems:?}");
    assert!(check(&bank, &Captured { method: "POST".into(), ..deposit }, TOKEN_PATH)[0].contains("no such call"));
}
