//! A deterministic simulation of the sync path, in the spirit of TigerBeetle's VOPR. One
//! seed drives the operation mix (deposits and QR transfers to a wallet-v2 and a bank-v1
//! provider, withdrawals checked against the wallet, voids at every state, an
//! administrator's cancels and retries, credential changes, going offline), the
//! simulator's faults (500 before or after the commit, dropped answers, held requests,
//! duplicate-key answers to resends, pending entries, slow lookups) and kills of the
//! sending process. A kill drops the worker in the middle of a pass, at a point the seed
//! chooses: its in-flight requests are abandoned (the simulator may still apply them) and
//! the rows it was sending stay `sending`; the next worker opens the store from its file
//! again, as a process started after a SIGKILL does. What the seed does not fix is the
//! scheduling of the machine (which in-flight request the kill catches, what a timeout
//! cuts): a replay makes the same operations meet the same fault draws in the same order,
//! and is exact up to that timing.
//!
//! A shadow model is checked after every step and at the end:
//! - every call is applied at its provider at most once, and a cancelled call never;
//! - an acknowledged call is applied (its reversal too: the deposit reads `reversed`);
//! - a step of sending changes nothing in the store's ledger;
//! - at the end, once the faults stop: every operation not voided (nor cancelled by an
//!   administrator, which is allowed only for a call known not applied) is applied
//!   exactly once; a voided one zero times net (never applied, or applied and reversed,
//!   or — the wallet has no reversal — applied, confirmed and left in needs-attention with
//!   the provider's state shown); no call is left with an unknown outcome.
//!
//! `MOSTRADOR_SIM_SEED=N cargo test --test simulation` replays seed N alone;
//! `MOSTRADOR_SIM_SOAK=500 cargo test --release --test simulation` runs seeds 1..=500
//! (`MOSTRADOR_SIM_FROM` moves the start). A failing run prints its seed and that command.

mod common;
mod sync_support;

use std::collections::HashMap;
use std::time::Duration;

use common::Who::*;
use common::*;
use mostrador::domain::*;
use mostrador::simulator;
use mostrador::sync::WorkerConfig;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sync_support::*;

/// The seeds CI runs: two tests of three seeds each, run side by side.
const CI_SEEDS: [&[u64]; 2] = [&[1, 2, 3], &[4, 5, 6]];
const STEPS: usize = 30;
/// Held requests are applied this long after they arrive; the quiet period is longer.
const HANG_MS: u64 = 450;
const REQUEST_TIMEOUT_MS: u64 = 300;
const QUIET: Duration = Duration::from_millis(900);

/// Prints how to replay `seed` if the run panics.
struct ReplayHint(u64);

impl Drop for ReplayHint {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "\nsimulation failed with seed {seed}; replay it with:\n  MOSTRADOR_SIM_SEED={seed} cargo test --test simulation\n",
                seed = self.0
            );
        }
    }
}

fn seeds(set: usize) -> Vec<u64> {
    let var = |name: &str| std::env::var(name).ok().map(|v| v.parse::<u64>().unwrap_or_else(|_| panic!("{name}={v}: a number")));
    if let Some(seed) = var("MOSTRADOR_SIM_SEED") {
        return if set == 0 { vec![seed] } else { Vec::new() };
    }
    if let Some(count) = var("MOSTRADOR_SIM_SOAK") {
        let from = var("MOSTRADOR_SIM_FROM").unwrap_or(1);
        // Two tests share the soak: even offsets in one, odd in the other.
        return (from..from + count).filter(|s| (s - from) as usize % 2 == set).collect();
    }
    CI_SEEDS[set].to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_runs_of_the_first_set_keep_every_promise_of_the_sync_path() {
    for seed in seeds(0) {
        run(seed).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_runs_of_the_second_set_keep_every_promise_of_the_sync_path() {
    for seed in seeds(1) {
        run(seed).await;
    }
}

/// One operation as the shadow model knows it.
#[derive(Debug)]
struct Op {
    id: i64,
    banco: &'static str,
    tipo: &'static str,
    voided: bool,
    /// An administrator cancelled its call (allowed only when known not applied).
    cancelled_by_admin: bool,
    /// An administrator cancelled its reversal (or the wallet's note): a person decided.
    reversal_cancelled_by_admin: bool,
}

struct World {
    seed: u64,
    rng: StdRng,
    env: Env,
    ops: Vec<Op>,
    next: u32,
    /// Providers given wrong credentials, and providers pointed at a closed port.
    bad_credentials: Vec<&'static str>,
    offline: Vec<&'static str>,
    log: Vec<String>,
    /// The bank connection waits for its statement instead of resending unknown deposits.
    statement_mode: bool,
}

impl World {
    fn context(&self) -> String {
        let tail: Vec<&String> = self.log.iter().rev().take(12).collect();
        format!("seed {} — last steps (newest first): {tail:?}", self.seed)
    }

    fn worker_config(&mut self) -> WorkerConfig {
        WorkerConfig {
            lookup_quiet: QUIET,
            concurrency: 2,
            // Long enough that calls wait between steps, where voids and cancels meet them.
            min_backoff: Duration::from_millis(30),
            max_backoff: Duration::from_millis(300),
            // No automatic balance check (as in `fast`): its reads draw from a stream of
            // their own in the simulator, but a wallet's first check may ask for a token,
            // a request that would shift the fault draws of the calls after it.
            balance_every: None,
            ..fast(REQUEST_TIMEOUT_MS, self.rng.gen())
        }
    }

    async fn new_operation(&mut self) {
        let n = self.next;
        self.next += 1;
        let referencia = format!("S{}-{n}", self.seed);
        // Amounts never repeat within a run: the wallet's list has no ids, and twins
        // (same amount and CUIT) are left to a person by design.
        let monto = format!("{}.{:02}", 10 + n, self.rng.gen_range(0..100));
        let pick = self.rng.gen_range(0..10);
        let (banco, tipo) = match pick {
            0..=2 => (WALLET, "DEPOSITO"),
            3 => (WALLET, "TRANSFERENCIA_QR"),
            4..=6 => (BANK, "DEPOSITO"),
            7 => (BANK, "TRANSFERENCIA_QR"),
            _ => (WALLET, "RETIRO"),
        };
        let result = if tipo == "RETIRO" {
            let planted = self.plant_cashin(&monto).await;
            let input = agent(WALLET, "RETIRO", &monto, &planted, self.env.session);
            self.env.fx.as_(Cashier).create_agent_transaction(input)
        } else {
            self.env.send(banco, tipo, &monto, &referencia)
        };
        let op = result.unwrap_or_else(|e| panic!("{}: new {banco} {tipo} {monto}: {e:?}", self.context()));
        self.log.push(format!("new {banco} {tipo} #{} {monto}", op.id));
        self.ops.push(Op { id: op.id, banco, tipo, voided: false, cancelled_by_admin: false, reversal_cancelled_by_admin: false });
    }

    /// The customer's transfer a withdrawal is paid against, planted at the wallet.
    async fn plant_cashin(&self, monto: &str) -> String {
        let url = format!("{}/_sim/plant", self.env.sim.url());
        let body = json!({"contract": "wallet", "operation": "cashin", "amount": monto, "cvu": CVU, "cuit": CUSTOMER_CUIT});
        let planted: Value = self.env.http.post(url).json(&body).send().await.unwrap().json().await.unwrap();
        planted["id"].as_i64().expect("planted id").to_string()
    }

    fn void_one(&mut self) {
        let live: Vec<usize> = (0..self.ops.len()).filter(|&i| !self.ops[i].voided).collect();
        if live.is_empty() {
            return;
        }
        let i = live[self.rng.gen_range(0..live.len())];
        let id = self.ops[i].id;
        let state = self.state_of(id);
        let result = self.env.fx.app.void_agent_transaction(void(id, "Anulada por la simulación"));
        result.unwrap_or_else(|e| panic!("{}: void #{id}: {e:?}", self.context()));
        self.ops[i].voided = true;
        self.log.push(format!("void #{id} while {state}"));
    }

    fn state_of(&mut self, agent_id: i64) -> String {
        self.env
            .fx
            .app
            .connection()
            .query_row(
                "SELECT state || CASE WHEN outcome_unknown = 1 THEN ' (unknown)' ELSE '' END FROM outbox
                 WHERE agent_transaction_id = ?1 AND reverses IS NULL",
                [agent_id],
                |r| r.get(0),
            )
            .unwrap_or_else(|_| "record-only".into())
    }

    fn rows(&mut self) -> Vec<OutboundItem> {
        let filter = OutboxFilter { size: Some(100), ..Default::default() };
        let mut all = Vec::new();
        for page in 1.. {
            let got = self.env.fx.app.list_outbox(OutboxFilter { page: Some(page), ..filter.clone() }).unwrap();
            let done = got.items.len() < 100;
            all.extend(got.items);
            if done {
                break;
            }
        }
        all
    }

    fn admin_cancel(&mut self) {
        let rows = self.rows();
        let open: Vec<&OutboundItem> = rows.iter().filter(|r| !matches!(r.estado, EstadoEnvio::Acked | EstadoEnvio::Cancelled)).collect();
        if open.is_empty() {
            return;
        }
        let row = open[self.rng.gen_range(0..open.len())].clone();
        let input = CancelOutboundInput { id: row.id, motivo: "Cancelado por la simulación".into() };
        match self.env.fx.app.cancel_outbound(input) {
            Ok(_) => {
                assert!(!row.resultado_incierto, "{}: cancelled a call whose outcome is unknown: {row:?}", self.context());
                if let Some(op) = self.ops.iter_mut().find(|o| o.id == row.id_transaccion) {
                    if row.revierte.is_none() {
                        op.cancelled_by_admin = true;
                    } else {
                        op.reversal_cancelled_by_admin = true;
                    }
                }
                self.log.push(format!("admin cancel row {} ({:?})", row.id, row.estado));
            }
            Err(err) => {
                // Unknown outcome (its own, or its original's for a reversal): waits for the
                // provider. A row in `sending` (a killed worker's) is not cancellable either.
                let allowed = if row.resultado_incierto {
                    err.code == ErrorCode::EsperandoProveedor
                } else {
                    matches!(err.code, ErrorCode::EsperandoProveedor | ErrorCode::EstadoNoPermite)
                };
                assert!(allowed, "{}: cancel of {row:?} refused with {err:?}", self.context());
                self.log.push(format!("admin cancel row {} refused: {:?}", row.id, err.code));
            }
        }
    }

    fn admin_retry(&mut self) {
        let rows = self.rows();
        let waiting: Vec<i64> = rows
            .iter()
            .filter(|r| matches!(r.estado, EstadoEnvio::NeedsAttention | EstadoEnvio::RetryWait))
            .map(|r| r.id)
            .collect();
        if let Some(&id) = waiting.get(self.rng.gen_range(0..waiting.len().max(1))) {
            let result = self.env.fx.app.retry_outbound(id);
            self.log.push(format!("admin retry row {id}: {}", if result.is_ok() { "ok" } else { "refused" }));
        }
    }

    fn credentials(&mut self, banco: &'static str, right: bool) {
        let mut input = demo_credentials(banco);
        if !right {
            input.secreto = "clave-equivocada".into();
            self.bad_credentials.push(banco);
        } else {
            self.bad_credentials.retain(|b| *b != banco);
        }
        self.env.fx.app.set_provider_credentials(input).unwrap();
        self.log.push(format!("{banco} credentials {}", if right { "right" } else { "wrong" }));
    }

    fn connect(&mut self, banco: &'static str, online: bool) {
        let url = if online { self.env.sim.url() } else { "http://127.0.0.1:9".to_string() };
        let contrato = if banco == WALLET { "BILLETERA_V2" } else { "BANCO_V1" };
        let mut input = connection(banco, contrato, &url);
        // The bank's token URL stays the simulator's: only the API is out of reach.
        input.url_token = (banco == BANK).then(|| format!("{}{}", self.env.sim.url(), simulator::BANK_TOKEN_STAND_IN));
        input.reenvio_incierto = (banco == BANK && self.statement_mode).then(|| "EXTRACTO".into());
        self.env.fx.app.configure_provider(input).unwrap();
        if online {
            self.offline.retain(|b| *b != banco);
        } else {
            self.offline.push(banco);
        }
        self.log.push(format!("{banco} {}", if online { "online" } else { "offline" }));
    }

    async fn draw_faults(&mut self) {
        let mut pick = |choices: &[f64]| choices[self.rng.gen_range(0..choices.len())];
        let faults = json!({
            "error_500_rate": pick(&[0.0, 0.2, 0.4]),
            "commit_then_500_rate": pick(&[0.0, 0.2, 0.5]),
            "drop_after_commit_rate": pick(&[0.0, 0.15, 0.3]),
            "hang_rate": pick(&[0.0, 0.0, 0.15]),
            "hang_ms": HANG_MS,
            "duplicate_on_resend_rate": pick(&[0.0, 0.5]),
            "pending_rate": pick(&[0.0, 0.3]),
            "settle_ms": 200,
            "lookup_latency_ms": pick(&[0.0, 0.0, 150.0]) as u64,
        });
        self.log.push(format!("faults {faults}"));
        self.env.faults(faults).await;
    }

    async fn step(&mut self) {
        for _ in 0..self.rng.gen_range(0..=3) {
            match self.rng.gen_range(0..100) {
                0..=44 => self.new_operation().await,
                45..=64 => self.void_one(),
                65..=72 => self.admin_cancel(),
                73..=80 => self.admin_retry(),
                81..=85 => {
                    let banco = if self.rng.gen() { WALLET } else { BANK };
                    let right = self.bad_credentials.contains(&banco);
                    self.credentials(banco, right);
                }
                86..=90 => {
                    let banco = if self.rng.gen() { WALLET } else { BANK };
                    let online = self.offline.contains(&banco);
                    self.connect(banco, online);
                }
                _ => self.draw_faults().await,
            }
        }
        let config = self.worker_config();
        let worker = self.env.worker(config);
        let before = ledger(self.env.fx.app.connection());
        match self.rng.gen_range(0..10) {
            // No sending this step: what was queued meets the next step's voids as it is.
            0..=1 => self.log.push("no worker".into()),
            // Killed at a point the seed picks.
            2..=4 => {
                let after = Duration::from_millis(self.rng.gen_range(5..250));
                let killed = tokio::time::timeout(after, worker.run_until_drained(Duration::from_millis(400))).await.is_err();
                self.log.push(format!("worker {} after {after:?}", if killed { "killed" } else { "ended" }));
            }
            // A void while the worker sends (then the ledger changes: the void's own entries).
            5..=6 => {
                let sending = tokio::spawn(async move { worker.run_until_drained(Duration::from_millis(300)).await });
                tokio::time::sleep(Duration::from_millis(self.rng.gen_range(1..60))).await;
                self.void_one();
                sending.await.unwrap().unwrap();
                self.log.push("worker ran beside a void".into());
                self.check(false).await;
                return;
            }
            _ => {
                let wait = Duration::from_millis(self.rng.gen_range(20..300));
                worker.run_until_drained(wait).await.unwrap();
                self.log.push(format!("worker ran {wait:?}"));
            }
        }
        let after = ledger(self.env.fx.app.connection());
        assert!(before == after, "{}: sending changed the store's ledger", self.context());
        self.check(false).await;
    }

    /// The provider's records of each key: `deposit`/`reversal` at the bank, `cashout` at
    /// the wallet.
    async fn provider(&self) -> HashMap<(String, String), Vec<Value>> {
        let mut by_key: HashMap<(String, String), Vec<Value>> = HashMap::new();
        for (contract, operation) in [("bank", "deposit"), ("bank", "reversal"), ("wallet", "cashout")] {
            for record in self.env.records(contract, operation).await {
                let key = record["idempotency_key"].as_str().unwrap_or_default().to_string();
                by_key.entry((operation.to_string(), key)).or_default().push(record);
            }
        }
        by_key
    }

    /// The invariants that hold at every step.
    async fn check(&mut self, end: bool) {
        let provider = self.provider().await;
        let context = self.context();
        for ((operation, key), records) in &provider {
            assert_eq!(records.len(), 1, "{context}: {operation} {key} applied {} times", records.len());
        }
        let applied = |operation: &str, key: &str| provider.get(&(operation.to_string(), key.to_string())).map(|r| r[0].clone());
        for row in self.rows() {
            let operation = match (row.llamada, row.revierte) {
                (LlamadaApi::Cashout, None) => "cashout",
                (LlamadaApi::Deposito, _) => "deposit",
                (LlamadaApi::Reverso, Some(_)) if row.banco == BANK => "reversal",
                _ => continue,
            };
            let record = applied(operation, &row.clave);
            match row.estado {
                EstadoEnvio::Cancelled => {
                    assert!(record.is_none(), "{context}: row {} was cancelled but the provider applied it: {row:?}", row.id)
                }
                EstadoEnvio::Acked => {
                    assert!(record.is_some(), "{context}: row {} acknowledged but not at the provider: {row:?}", row.id);
                    if operation == "reversal" {
                        let deposit = applied("deposit", &row.clave).expect("a reversed deposit");
                        assert_eq!(deposit["status"], "reversed", "{context}: row {}", row.id);
                    }
                }
                _ if end => panic!("{context}: row {} still {:?} at the end: {row:?}", row.id, row.estado),
                _ => {}
            }
        }
        assert_ledger_consistent(self.env.fx.app.connection(), &context);
    }

    /// Faults off, credentials right, everything online; drained until nothing is left
    /// but what waits for a person.
    async fn heal(&mut self) {
        let reset = format!("{}/_sim/reset", self.env.sim.url());
        assert!(self.env.http.post(reset).send().await.unwrap().status().is_success());
        for banco in std::mem::take(&mut self.bad_credentials) {
            self.credentials(banco, true);
        }
        for banco in std::mem::take(&mut self.offline) {
            self.connect(banco, true);
        }
        // Held requests land, pending entries settle, the quiet period passes.
        tokio::time::sleep(Duration::from_millis(HANG_MS + 300).max(QUIET)).await;
        for _ in 0..12 {
            let config = self.worker_config();
            self.env.worker(config).run_until_drained(Duration::from_secs(3)).await.unwrap();
            let rows = self.rows();
            let open: Vec<&OutboundItem> = rows
                .iter()
                .filter(|r| !matches!(r.estado, EstadoEnvio::Acked | EstadoEnvio::Cancelled))
                .filter(|r| r.codigo_error.as_deref() != Some(mostrador::sync::outbox::NO_REVERSAL))
                .collect();
            if open.is_empty() {
                return;
            }
            let provider = self.provider().await;
            for row in open.iter().filter(|r| r.estado == EstadoEnvio::NeedsAttention) {
                if row.codigo_error.as_deref() == Some(mostrador::sync::worker::AWAITING_STATEMENT) {
                    // A person reads the bank's statement (the simulator's own records).
                    // A reversal shares its deposit's trnRqUID: it is its own line of the statement.
                    let line = if row.llamada == LlamadaApi::Reverso { "reversal" } else { "deposit" };
                    let aplicada = provider.contains_key(&(line.to_string(), row.clave.clone()));
                    let input = ResolveOutboundInput { id: row.id, aplicada, motivo: "Extracto del banco".into() };
                    self.env.fx.app.resolve_outbound(input).unwrap_or_else(|e| panic!("{context}: {e:?}", context = self.context()));
                    self.log.push(format!("statement: row {} applied {aplicada}", row.id));
                } else {
                    let _ = self.env.fx.app.retry_outbound(row.id);
                }
            }
            tokio::time::sleep(QUIET).await;
        }
    }

    /// The promises, once the faults stop.
    async fn check_end(&mut self) {
        let provider = self.provider().await;
        let context = self.context();
        let rows = self.rows();
        for op in &self.ops {
            let original = rows.iter().find(|r| r.id_transaccion == op.id && r.revierte.is_none());
            let reversal = rows.iter().find(|r| r.id_transaccion == op.id && r.revierte.is_some());
            let Some(original) = original else { panic!("{context}: #{} has no call", op.id) };
            assert!(!original.resultado_incierto, "{context}: #{} left with an unknown outcome: {original:?}", op.id);
            if op.tipo == "RETIRO" {
                if !op.voided && !op.cancelled_by_admin {
                    assert_eq!(original.estado, EstadoEnvio::Acked, "{context}: withdrawal #{} not confirmed", op.id);
                }
                continue;
            }
            let operation = if op.banco == BANK { "deposit" } else { "cashout" };
            let record = provider.get(&(operation.to_string(), original.clave.clone()));
            let applied = record.map_or(0, Vec::len);
            match (op.voided, op.cancelled_by_admin) {
                (false, false) => {
                    assert_eq!(applied, 1, "{context}: #{} ({} {}) applied {applied} times: {original:?}", op.id, op.banco, op.tipo);
                    assert_eq!(original.estado, EstadoEnvio::Acked, "{context}: #{}", op.id);
                    let status = &record.unwrap()[0]["status"];
                    assert!(status == "approved" || status == "posted", "{context}: #{} listed {status}", op.id);
                }
                (false, true) => assert_eq!(applied, 0, "{context}: #{} cancelled by an administrator yet applied", op.id),
                (true, _) if applied == 0 => {
                    assert_eq!(original.estado, EstadoEnvio::Cancelled, "{context}: voided #{} never applied: {original:?}", op.id)
                }
                // A person cancelled the reversal (or the wallet's note) of an applied call.
                (true, _) if op.reversal_cancelled_by_admin => {
                    assert_eq!(applied, 1, "{context}: #{}", op.id);
                    assert_eq!(reversal.map(|r| r.estado), Some(EstadoEnvio::Cancelled), "{context}: #{}", op.id);
                }
                (true, _) if op.banco == BANK => {
                    assert_eq!(
                        record.unwrap()[0]["status"],
                        "reversed",
                        "{context}: voided deposit #{} not reversed: {original:?} / {reversal:?}",
                        op.id
                    );
                    assert_eq!(reversal.map(|r| r.estado), Some(EstadoEnvio::Acked), "{context}: #{}", op.id);
                }
                (true, _) => {
                    // The wallet has no reversal: confirmed, and left to a person.
                    assert_eq!(original.estado, EstadoEnvio::Acked, "{context}: voided cashout #{}: {original:?}", op.id);
                    let note = reversal.unwrap_or_else(|| panic!("{context}: voided cashout #{} has no note", op.id));
                    assert_eq!(note.estado, EstadoEnvio::NeedsAttention, "{context}: #{}", op.id);
                }
            }
        }
        self.check(true).await;
    }
}

/// The store's ledger: every transfer and every balance.
fn ledger(conn: &rusqlite::Connection) -> (Vec<Vec<String>>, Vec<(String, i64)>) {
    let transfers = conn
        .prepare("SELECT * FROM transfers ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            (0..r.as_ref().column_count()).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let balances = conn
        .prepare("SELECT code, balance FROM accounts ORDER BY code")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (transfers, balances)
}

async fn run(seed: u64) {
    let _hint = ReplayHint(seed);
    let started = std::time::Instant::now();
    let env = env_at(true).await;
    let mut world = World {
        seed,
        rng: StdRng::seed_from_u64(seed),
        env,
        ops: Vec::new(),
        next: 1,
        bad_credentials: Vec::new(),
        offline: Vec::new(),
        log: Vec::new(),
        statement_mode: false,
    };
    world.env.faults(json!({"seed": seed})).await;
    // Half the runs rely on the bank's dedup of trnRqUID, half wait for its statement.
    if world.rng.gen_bool(0.5) {
        let mut input = connection(BANK, "BANCO_V1", &world.env.sim.url());
        input.reenvio_incierto = Some("EXTRACTO".into());
        world.env.fx.app.configure_provider(input).unwrap();
        world.statement_mode = true;
        world.log.push("bank: unknown deposits wait for the statement".into());
    }
    world.draw_faults().await;
    for _ in 0..STEPS {
        world.step().await;
    }
    world.heal().await;
    world.check_end().await;
    let voided = world.ops.iter().filter(|o| o.voided).count();
    eprintln!(
        "simulation seed {seed}: {} operations ({voided} voided), {} steps, {:.1} s",
        world.ops.len(),
        STEPS,
        started.elapsed().as_secs_f64()
    );
}
