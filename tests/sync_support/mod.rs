//! A store connected to the bank simulator over loopback: Tigo Money on the wallet v2
//! contract, BCP on the bank v1 contract, both funded, a cashier's session open. Shared by
//! the outcome tests and the deterministic simulation.

#![allow(dead_code)]

use std::time::Duration;

use crate::common::Who::*;
use crate::common::*;
use mostrador::domain::*;
use mostrador::simulator::{self, SimulatorConfig, SimulatorHandle};
use mostrador::sync::{DrainSummary, SyncHandle, WorkerConfig};
use serde_json::Value;
use tempfile::TempDir;

pub const CVU: &str = "0000003100000000000123";
pub const CUSTOMER_ACCOUNT: &str = "20000000001";
pub const WALLET: &str = "TIGO_MONEY";
pub const BANK: &str = "BCP";

pub struct Env {
    pub fx: Fixture,
    pub sim: SimulatorHandle,
    pub http: reqwest::Client,
    pub session: i64,
    pub sim_dir: TempDir,
}

pub fn credentials(banco: &str, usuario: &str, secreto: &str) -> ProviderCredentialsInput {
    ProviderCredentialsInput { banco: banco.into(), usuario: usuario.into(), secreto: secreto.into() }
}

/// The simulator's demo credentials for `banco`.
pub fn demo_credentials(banco: &str) -> ProviderCredentialsInput {
    if banco == WALLET {
        credentials(WALLET, "agente.demo", "demo-1234")
    } else {
        credentials(BANK, "mostrador-demo", "secreto-demo-1234")
    }
}

pub async fn env() -> Env {
    env_at(false).await
}

/// `now`: the store's clock is moved to the machine's time first (the simulator stamps
/// its entries with it), so the store's days and the provider's agree.
pub async fn env_at(now: bool) -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim_dir = tempfile::tempdir().unwrap();
    let sim = simulator::spawn("127.0.0.1:0".parse().unwrap(), SimulatorConfig::demo(sim_dir.path().join("sim.sqlite3")))
        .await
        .unwrap();
    let mut fx = Fixture::new();
    if now {
        fx.clock.advance(chrono::Utc::now() - start_time());
    }
    let url = sim.url();
    for banco in [WALLET, BANK] {
        fx.app.adjust_provider_float(fund(banco, "900000")).unwrap();
    }
    fx.app.configure_provider(connection(WALLET, "BILLETERA_V2", &url)).unwrap();
    fx.app.configure_provider(connection(BANK, "BANCO_V1", &url)).unwrap();
    fx.app.set_provider_credentials(demo_credentials(WALLET)).unwrap();
    fx.app.set_provider_credentials(demo_credentials(BANK)).unwrap();
    let mixta = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(mixta, "50000")).unwrap().id;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    Env { fx, sim, http, session, sim_dir }
}

pub fn fast(timeout_ms: u64, seed: u64) -> WorkerConfig {
    WorkerConfig {
        concurrency: 4,
        request_timeout: Duration::from_millis(timeout_ms),
        min_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
        probe_interval: Duration::from_millis(100),
        seed,
        lookup_quiet: Duration::from_millis(1000),
        // The automatic balance check is off: these tests count the requests each call
        // makes, and a wallet's first check may ask for a token (a request the seeded
        // faults draw for). tests/provider_balance.rs turns it on.
        balance_every: None,
        ..WorkerConfig::default()
    }
}

impl Env {
    /// A customer's deposit (or QR transfer) sent to `banco`.
    pub fn send(&mut self, banco: &str, tipo: &str, monto: &str, referencia: &str) -> CoreResult<TransaccionAgente> {
        let account = if banco == BANK { CUSTOMER_ACCOUNT } else { CVU };
        let input = NewAgentTransaction {
            cuenta_cliente: Some(account.into()),
            cuit_cliente: (banco != BANK).then(|| CUSTOMER_CUIT.to_string()),
            ..agent(banco, tipo, monto, referencia, self.session)
        };
        self.fx.as_(Cashier).create_agent_transaction(input)
    }

    pub fn deposit(&mut self, banco: &str, monto: &str, referencia: &str) -> CoreResult<TransaccionAgente> {
        self.send(banco, "DEPOSITO", monto, referencia)
    }

    pub fn worker(&self, config: WorkerConfig) -> SyncHandle {
        SyncHandle::new(self.fx.path(), self.fx.app.secrets().clone(), config)
    }

    pub async fn drain_for(&self, config: WorkerConfig, wait: Duration) -> DrainSummary {
        self.worker(config).run_until_drained(wait).await.unwrap()
    }

    pub fn outbox(&mut self) -> Vec<OutboundItem> {
        let filter = OutboxFilter { size: Some(100), ..Default::default() };
        self.fx.app.list_outbox(filter).unwrap().items
    }

    /// The call `agent_id` made itself (not its reversal).
    pub fn original(&mut self, agent_id: i64) -> OutboundItem {
        self.outbox().into_iter().find(|r| r.id_transaccion == agent_id && r.revierte.is_none()).unwrap()
    }

    pub fn reversal(&mut self, agent_id: i64) -> Option<OutboundItem> {
        self.outbox().into_iter().find(|r| r.id_transaccion == agent_id && r.revierte.is_some())
    }

    pub async fn faults(&self, body: Value) {
        let response = self.http.post(format!("{}/_sim/faults", self.sim.url())).json(&body).send().await.unwrap();
        assert!(response.status().is_success(), "faults {body}: {}", response.status());
    }

    pub async fn records(&self, contract: &str, operation: &str) -> Vec<Value> {
        let url = format!("{}/_sim/records?contract={contract}&operation={operation}", self.sim.url());
        let body: Value = self.http.get(url).send().await.unwrap().json().await.unwrap();
        body["records"].as_array().cloned().unwrap_or_default()
    }

    /// The simulator's records of `operation` committed under `key`.
    pub async fn records_of(&self, contract: &str, operation: &str, key: &str) -> Vec<Value> {
        self.records(contract, operation).await.into_iter().filter(|r| r["idempotency_key"] == Value::from(key)).collect()
    }

    /// The simulator's own state file, for a test that must age its entries.
    pub fn sim_db(&self) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(self.sim_dir.path().join("sim.sqlite3")).unwrap();
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn
    }
}
