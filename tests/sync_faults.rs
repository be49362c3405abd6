//! Exactly once under faults: 1,000 operations across a wallet-v2 provider and a bank-v1
//! provider, drained by the app's headless `sincronizar` process while the simulator
//! answers 20% of requests with HTTP 500, holds 10% past the client's timeout and drops
//! 10% of responses after committing; the worker process is killed (SIGKILL) twice in
//! the middle of the drain and started again. At the end every operation is
//! acknowledged and the simulator's own records hold each exactly once.

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Who::*;
use common::*;
use mostrador::domain::*;
use mostrador::simulator::{self, SimulatorConfig, DEMO_CORRESPONDENT_ACCOUNT};
use serde_json::{json, Value};

const OPERATIONS: usize = 1_000;

fn start_worker(data_dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_mostrador"))
        .args(["sincronizar", "--data-dir"])
        .arg(data_dir)
        .args(["--timeout-ms", "400", "--reintento-min-ms", "20", "--reintento-max-ms", "400", "--concurrencia", "16"])
        .args(["--espera", "300"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the headless worker")
}

fn acked(fx: &Fixture) -> i64 {
    fx.app.connection().query_row("SELECT COUNT(*) FROM outbox WHERE state = 'acked'", [], |r| r.get(0)).unwrap()
}

/// Kills the worker once at least `threshold` calls are acknowledged.
fn kill_after(child: &mut Child, fx: &Fixture, threshold: i64) {
    let deadline = Instant::now() + Duration::from_secs(240);
    while acked(fx) < threshold {
        assert!(child.try_wait().unwrap().is_none(), "the worker ended before it was killed");
        assert!(Instant::now() < deadline, "the drain made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn every_operation_reaches_its_provider_exactly_once_despite_faults_and_kills() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim_dir = tempfile::tempdir().unwrap();
    let sim = runtime
        .block_on(simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(sim_dir.path().join("sim.sqlite3"))))
        .unwrap();
    let url = sim.url();

    let mut fx = Fixture::new();
    for (banco, contrato) in [("TIGO_MONEY", "BILLETERA_V2"), ("BCP", "BANCO_V1")] {
        fx.app.adjust_provider_float(fund(banco, "900000")).unwrap();
        fx.app
            .configure_provider(with_bank_point(ConfigureProviderInput {
                banco: banco.into(),
                contrato: contrato.into(),
                url_base: Some(url.clone()),
                enviar_deposito: true,
                enviar_retiro: false,
                enviar_qr: true,
                cuenta_tienda: Some(DEMO_CORRESPONDENT_ACCOUNT.into()),
                limite_operacion: Some("10000".into()),
                limite_pendiente: Some("1000000".into()),
                concepto: Some(simulator::DEMO_WALLET_CONCEPT.into()),
                ..ConfigureProviderInput::default()
            }))
            .unwrap();
    }
    fx.app
        .set_provider_credentials(ProviderCredentialsInput {
            banco: "TIGO_MONEY".into(),
            usuario: "agente.demo".into(),
            secreto: "demo-1234".into(),
        })
        .unwrap();
    fx.app
        .set_provider_credentials(ProviderCredentialsInput {
            banco: "BCP".into(),
            usuario: "mostrador-demo".into(),
            secreto: "secreto-demo-1234".into(),
        })
        .unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "100")).unwrap().id;
    let mut expected: HashMap<i64, Money> = HashMap::new();
    for n in 0..OPERATIONS {
        let (banco, account, tipo) = match n % 4 {
            0 => ("TIGO_MONEY", "0000003100000000000123", "DEPOSITO"),
            1 => ("BCP", "20000000001", "DEPOSITO"),
            2 => ("TIGO_MONEY", "cliente.demo", "TRANSFERENCIA_QR"),
            _ => ("BCP", "20000000002", "TRANSFERENCIA_QR"),
        };
        let monto = format!("{}.{:02}", 1 + n % 97, n % 100);
        let input = NewAgentTransaction { cuenta_cliente: Some(account.into()), cuit_cliente: Some(CUSTOMER_CUIT.into()), ..agent(banco, tipo, &monto, &format!("F-{n}"), session) };
        let record = fx.as_(Cashier).create_agent_transaction(input).unwrap();
        expected.insert(record.id, record.monto);
    }

    let http = reqwest::blocking::Client::new();
    let faults = json!({"error_500_rate": 0.2, "hang_rate": 0.1, "hang_ms": 700, "drop_after_commit_rate": 0.1, "seed": 7});
    assert!(http.post(format!("{url}/_sim/faults")).json(&faults).send().unwrap().status().is_success());

    let data_dir = fx.path().parent().unwrap().to_path_buf();
    for threshold in [OPERATIONS as i64 / 4, OPERATIONS as i64 / 2] {
        let mut worker = start_worker(&data_dir);
        kill_after(&mut worker, &fx, threshold);
    }
    let worker = start_worker(&data_dir);
    let output = worker.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the last run must drain everything: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));

    // Every row acknowledged, each with the provider's reference.
    let rows: Vec<(i64, String, String, String, Option<String>, i64)> = fx
        .app
        .connection()
        .prepare("SELECT agent_transaction_id, provider, idempotency_key, state, provider_ref, amount FROM outbox")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), OPERATIONS, "one outbox row per operation");
    for (agent_id, _, key, state, provider_ref, amount) in &rows {
        assert_eq!(state, "acked", "{key}");
        assert!(provider_ref.is_some(), "{key} has no provider reference");
        assert_eq!(expected[agent_id].centavos(), *amount);
    }

    // Nothing is owed any more, by the running totals the offline limit reads.
    let owed: i64 = fx.app.connection().query_row("SELECT COALESCE(SUM(amount), 0) FROM outbox_owed", [], |r| r.get(0)).unwrap();
    assert_eq!(owed, 0);

    // The faults were real: many calls needed more than one attempt.
    let retried: i64 =
        fx.app.connection().query_row("SELECT COUNT(*) FROM outbox WHERE attempts > 1", [], |r| r.get(0)).unwrap();
    assert!(retried > OPERATIONS as i64 / 10, "only {retried} calls were retried: were the faults on?");

    // The simulator's own ledger: each key exactly once, with the right amount.
    let records = |contract: &str, operation: &str| -> Vec<Value> {
        let body: Value = http
            .get(format!("{url}/_sim/records?contract={contract}&operation={operation}"))
            .send()
            .unwrap()
            .json()
            .unwrap();
        body["records"].as_array().cloned().unwrap()
    };
    for (banco, contract, operation) in [("TIGO_MONEY", "wallet", "cashout"), ("BCP", "bank", "deposit")] {
        let remote = records(contract, operation);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for record in &remote {
            *seen.entry(record["idempotency_key"].as_str().unwrap_or_default().to_string()).or_default() += 1;
        }
        let local: Vec<_> = rows.iter().filter(|r| r.1 == banco).collect();
        assert_eq!(remote.len(), local.len(), "{banco}: the provider holds exactly the store's calls");
        for (_, _, key, _, _, amount) in local {
            assert_eq!(seen.get(key.as_str()), Some(&1), "{banco} key {key} must be committed exactly once");
            let record = remote.iter().find(|r| r["idempotency_key"] == json!(key)).unwrap();
            let remote_amount = record["amount"].as_i64().or_else(|| {
                record["amount"].as_str().and_then(|a| a.parse::<rust_decimal::Decimal>().ok()).map(|d| (d * rust_decimal::Decimal::from(100)).try_into().unwrap())
            });
            assert_eq!(remote_amount, Some(*amount), "{banco} key {key}: amount");
        }
    }
    runtime.block_on(sim.stop()).unwrap();
}
