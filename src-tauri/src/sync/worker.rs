//! The worker that sends the outbox: one pass claims the calls that are due for the
//! providers that answer, sends up to `concurrency` at a time, and records each outcome
//! before anything else happens to that row. Its state lives in the rows (state,
//! attempts, next attempt, whether the last outcome is unknown), so a killed worker
//! resumes where it stopped.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use chrono::{DateTime, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinSet;

use crate::connectors::{Connector, Lookup, Outcome, CREDENTIALS_REJECTED, INVALID_CALL};
use crate::domain::clock::{self, Clock, SystemClock};
use crate::domain::{CoreError, CoreResult, Contrato, LlamadaApi, MomentoSaldo, ProviderLink, SyncProgress};
use crate::secrets::SecretStore;
use crate::store;
use crate::store::outbox::{self, Claimed};
use crate::store::providers;

#[derive(Clone)]
pub struct WorkerConfig {
    /// Calls in flight at once.
    pub concurrency: usize,
    /// Whole-request timeout of each call.
    pub request_timeout: Duration,
    /// First retry delay; it doubles per attempt up to `max_backoff`, with full jitter.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// How often an unreachable provider is probed again, and the longest idle sleep.
    pub probe_interval: Duration,
    /// Where the worker reads the time: when a call is due, the stamps it writes.
    pub clock: Arc<dyn Clock>,
    /// Seed of the retry jitter: the same seed draws the same delays, so a run that went
    /// wrong can be replayed. Drawn from the OS by default.
    pub seed: u64,
    /// How long after an attempt whose outcome is unknown a provider's "not found" is
    /// believed for a voided operation's call: a request still in flight (held by a slow
    /// server, a proxy) may be applied late. Until then the call is asked about again,
    /// never cancelled. A stated assumption (CONTRACTS.md); a connection's
    /// `segundos_espera_consulta` sets its own.
    pub lookup_quiet: Duration,
    /// How often, at most, an automatic pass asks each connected wallet for its balance
    /// (`sync::balance::AUTOMATIC_EVERY` by default); `None` never.
    pub balance_every: Option<Duration>,
}

impl std::fmt::Debug for WorkerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerConfig")
            .field("concurrency", &self.concurrency)
            .field("request_timeout", &self.request_timeout)
            .field("min_backoff", &self.min_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("probe_interval", &self.probe_interval)
            .field("seed", &self.seed)
            .field("lookup_quiet", &self.lookup_quiet)
            .field("balance_every", &self.balance_every)
            .finish_non_exhaustive()
    }
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            concurrency: 8,
            request_timeout: Duration::from_secs(15),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            probe_interval: Duration::from_secs(10),
            clock: Arc::new(SystemClock),
            seed: rand::random(),
            lookup_quiet: Duration::from_secs(300),
            balance_every: Some(super::balance::AUTOMATIC_EVERY),
        }
    }
}

/// The handle the app, the CLI and the tests hold; cheap to clone.
#[derive(Clone)]
pub struct SyncHandle {
    shared: Arc<Shared>,
}

struct Shared {
    db_path: PathBuf,
    secrets: SecretStore,
    config: WorkerConfig,
    wake: Notify,
    links: Mutex<BTreeMap<String, ProviderLink>>,
    sending: AtomicBool,
    /// The background loop could not start: nobody will answer `sync_now`.
    stopped: AtomicBool,
    /// `sync_now` callers waiting for the next pass's progress.
    listeners: Mutex<Vec<mpsc::UnboundedSender<SyncProgress>>>,
}

/// What a drain left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainSummary {
    pub acked: i64,
    pub pending: i64,
    pub needs_attention: i64,
}

impl SyncHandle {
    pub fn new(db_path: PathBuf, secrets: SecretStore, config: WorkerConfig) -> Self {
        SyncHandle {
            shared: Arc::new(Shared {
                db_path,
                secrets,
                config,
                wake: Notify::new(),
                links: Mutex::new(BTreeMap::new()),
                sending: AtomicBool::new(false),
                stopped: AtomicBool::new(false),
                listeners: Mutex::new(Vec::new()),
            }),
        }
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.shared.secrets
    }

    /// The clock the worker reads, for work done beside it (a reconciliation).
    pub fn clock(&self) -> &dyn Clock {
        self.shared.config.clock.as_ref()
    }

    /// The background loop, to spawn on a tokio runtime: a pass, then sleep until the
    /// next call is due, a provider should be probed again, or someone wakes it.
    pub fn run_forever(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let handle = self.clone();
        async move {
            let mut worker = match Worker::open(handle.shared.clone()) {
                Ok(worker) => worker,
                Err(err) => {
                    log::error!("el envío a los proveedores no pudo iniciar: {}", err.message);
                    handle.shared.stopped.store(true, Ordering::Relaxed);
                    lock(&handle.shared.listeners).clear();
                    return;
                }
            };
            loop {
                let wait = match worker.pass().await {
                    Ok(online) => worker.idle_wait(&online),
                    Err(err) => {
                        log::error!("pasada de envío fallida: {}", err.message);
                        handle.shared.config.probe_interval
                    }
                };
                tokio::select! {
                    _ = handle.shared.wake.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        }
    }

    /// Wakes the background loop (a new operation, a retry, "sync now").
    pub fn wake(&self) {
        self.shared.wake.notify_one();
    }

    /// Progress of the next pass, ending with `terminado`; the channel simply closes if
    /// the background loop is not running.
    pub fn sync_now(&self) -> mpsc::UnboundedReceiver<SyncProgress> {
        let (tx, rx) = mpsc::unbounded_channel();
        if !self.shared.stopped.load(Ordering::Relaxed) {
            lock(&self.shared.listeners).push(tx);
            self.wake();
        }
        rx
    }

    pub fn links(&self) -> Vec<ProviderLink> {
        lock(&self.shared.links).values().cloned().collect()
    }

    pub fn sending(&self) -> bool {
        self.shared.sending.load(Ordering::Relaxed)
    }

    /// Runs passes in this task (no background loop) until nothing is left to send or
    /// `max_wait` has passed; the headless end-of-day job and the tests use it.
    pub async fn run_until_drained(&self, max_wait: Duration) -> CoreResult<DrainSummary> {
        let started = tokio::time::Instant::now();
        let mut worker = Worker::open(self.shared.clone())?;
        loop {
            let online = worker.pass().await?;
            let summary = worker.summary()?;
            if summary.pending == 0 || started.elapsed() >= max_wait {
                return Ok(summary);
            }
            let wait = worker.idle_wait(&online);
            tokio::time::sleep(wait.min(max_wait.saturating_sub(started.elapsed()))).await;
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Worker {
    shared: Arc<Shared>,
    conn: Connection,
    /// Per provider: the settings the connector was built from, and the connector.
    connectors: HashMap<String, (String, Arc<Connector>)>,
    /// Providers that refused their credentials, with the connector fingerprint they
    /// refused: nothing is sent to them until the credentials (or settings) change.
    paused: HashMap<String, String>,
    /// Draws the retry jitter, seeded from the configuration.
    rng: StdRng,
    /// When this worker last asked each wallet for its balance, answered or not.
    balance_asked: HashMap<String, DateTime<Utc>>,
}

impl Worker {
    fn open(shared: Arc<Shared>) -> CoreResult<Worker> {
        let conn = store::open(&shared.db_path).map_err(CoreError::from)?;
        let seed = shared.config.seed;
        log::debug!("envío a proveedores: semilla de reintentos {seed}");
        let rng = StdRng::seed_from_u64(seed);
        let worker = Worker { shared, conn, connectors: HashMap::new(), paused: HashMap::new(), rng, balance_asked: HashMap::new() };
        worker.recover()?;
        Ok(worker)
    }

    /// A row left in `sending` by a worker that died may have reached the provider.
    fn recover(&self) -> CoreResult<()> {
        let now = self.now();
        Ok(outbox::recover_sending(&self.conn, millis(now), &clock::stamp(now))?)
    }

    fn summary(&self) -> CoreResult<DrainSummary> {
        let counts = outbox::counts(&self.conn)?;
        Ok(DrainSummary { acked: counts.acked, pending: counts.pending, needs_attention: counts.needs_attention })
    }

    /// How long until the earliest call this worker could send is due (a provider that
    /// did not answer is only tried again at the next probe), capped by the probe interval.
    fn idle_wait(&self, online: &[String]) -> Duration {
        let cap = self.shared.config.probe_interval;
        if online.is_empty() {
            return cap;
        }
        let next = outbox::next_due(&self.conn, online).unwrap_or(None);
        match next {
            Some(at) => Duration::from_millis((at - millis(self.now())).max(5) as u64).min(cap),
            None => cap,
        }
    }

    /// Builds or reuses each connected provider's connector and probes it; returns the
    /// providers that answer.
    async fn refresh_links(&mut self) -> CoreResult<Vec<String>> {
        let mut online = Vec::new();
        let mut links = BTreeMap::new();
        for providers::Endpoint { provider, contract, base_url, updated_at } in providers::endpoints(&self.conn)? {
            // Credentials are read only for a provider with calls to send or settle: an idle
            // counter leaves the keyring alone (a locked one is not asked pass after pass).
            if outbox::unacked_count(&self.conn, &provider)? == 0 {
                links.insert(provider.clone(), ProviderLink { banco: provider, en_linea: None, problema: None });
                continue;
            }
            let connector = match self.connector(&provider, contract, &base_url, &updated_at) {
                Ok(connector) => connector,
                Err(problem) => {
                    links.insert(provider.clone(), ProviderLink { banco: provider, en_linea: None, problema: Some(problem) });
                    continue;
                }
            };
            let fingerprint = self.connectors.get(&provider).map(|c| c.0.clone()).unwrap_or_default();
            match self.paused.get(&provider) {
                Some(refused) if *refused == fingerprint => {
                    let problem = "El proveedor rechazó las credenciales: corríjalas en «Conexiones y credenciales»; \
                                   lo pendiente espera.";
                    links.insert(provider.clone(), ProviderLink { banco: provider, en_linea: None, problema: Some(problem.into()) });
                    continue;
                }
                Some(_) => {
                    self.paused.remove(&provider);
                }
                None => {}
            }
            let reachable = connector.reachable().await;
            if reachable {
                online.push(provider.clone());
            }
            links.insert(
                provider.clone(),
                ProviderLink {
                    banco: provider,
                    en_linea: Some(reachable),
                    problema: (!reachable).then(|| "No responde: se reintentará al volver la conexión.".to_string()),
                },
            );
        }
        *lock(&self.shared.links) = links;
        Ok(online)
    }

    fn connector(&mut self, provider: &str, contract: Contrato, base_url: &str, updated_at: &str) -> Result<Arc<Connector>, String> {
        let secret_json = super::stored_secret(&self.conn, &self.shared.secrets, provider)?;
        // A hash of the credentials, so a change rebuilds the connector.
        let fingerprint = format!("{contract:?}|{base_url}|{updated_at}|{}", short_hash(&secret_json));
        if let Some((known, connector)) = self.connectors.get(provider) {
            if *known == fingerprint {
                return Ok(connector.clone());
            }
        }
        let timeout = self.shared.config.request_timeout;
        let settings = providers::link(&self.conn, provider).map_err(|e| e.to_string())?.map(|l| l.settings).unwrap_or_default();
        let connector = Arc::new(super::build_connector(contract, base_url, &settings, &secret_json, timeout)?);
        self.connectors.insert(provider.to_string(), (fingerprint, connector.clone()));
        Ok(connector)
    }

    /// Reversals whose original never took effect have nothing to reverse: the original
    /// was cancelled, or rejected by the provider with a known outcome (an original of a
    /// voided operation is never retried). And an original of a voided operation that
    /// the provider refused is done with.
    fn cancel_orphan_reversals(&self) -> CoreResult<()> {
        Ok(outbox::cancel_orphan_reversals(&self.conn, &clock::stamp(self.now()))?)
    }

    /// Records the outcomes that came back and claims up to `limit` due rows, in one
    /// transaction: one commit per round instead of two per call.
    fn record_and_claim(
        &mut self,
        done: &[(Claimed, Verdict)],
        online: &[String],
        limit: usize,
    ) -> CoreResult<(Vec<Step>, Vec<Claimed>)> {
        if done.is_empty() && (online.is_empty() || limit == 0) {
            return Ok((Vec::new(), Vec::new()));
        }
        let backoffs: Vec<Duration> = done.iter().map(|(claimed, _)| self.backoff(claimed.attempts)).collect();
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let mut steps = Vec::with_capacity(done.len());
        for ((claimed, verdict), backoff) in done.iter().zip(backoffs) {
            steps.push(record(&tx, claimed, verdict, backoff, now)?);
        }
        let claimed = outbox::claim(&tx, online, limit, millis(now), &clock::stamp(now))?;
        tx.commit()?;
        Ok((steps, claimed))
    }

    fn due_count(&self, online: &[String]) -> CoreResult<i64> {
        if online.is_empty() {
            return Ok(0);
        }
        Ok(outbox::due_count(&self.conn, online, millis(self.now()))?)
    }

    fn now(&self) -> DateTime<Utc> {
        self.shared.config.clock.now()
    }

    fn backoff(&mut self, attempts: i64) -> Duration {
        let config = &self.shared.config;
        backoff(config.min_backoff, config.max_backoff, attempts, &mut self.rng)
    }

    /// One pass; returns the providers that answered.
    async fn pass(&mut self) -> CoreResult<Vec<String>> {
        let listeners: Vec<_> = std::mem::take(&mut *lock(&self.shared.listeners));
        // Nothing is in flight between passes: a row still in `sending` was left by an
        // earlier pass that failed midway, and may have reached the provider.
        self.recover()?;
        self.cancel_orphan_reversals()?;
        let mut online = self.refresh_links().await?;
        let mut progress = SyncProgress {
            total: self.due_count(&online)?,
            hechos: 0,
            confirmados: 0,
            reintentos: 0,
            requieren_atencion: 0,
            terminado: false,
        };
        let notify = |progress: &SyncProgress| {
            for listener in &listeners {
                let _ = listener.send(progress.clone());
            }
        };
        notify(&progress);
        self.shared.sending.store(progress.total > 0, Ordering::Relaxed);
        let concurrency = self.shared.config.concurrency.max(1);
        let mut in_flight: JoinSet<(Claimed, Verdict)> = JoinSet::new();
        let result = async {
            let mut done: Vec<(Claimed, Verdict)> = Vec::new();
            loop {
                let free = concurrency - in_flight.len();
                let (steps, claimed) = self.record_and_claim(&done, &online, free)?;
                let recorded = std::mem::take(&mut done);
                if !steps.is_empty() {
                    self.tally(steps, &recorded, &mut progress, &mut online);
                    notify(&progress);
                }
                self.dispatch(claimed, &mut in_flight, &mut done);
                if in_flight.is_empty() && !done.is_empty() {
                    continue;
                }
                // Wait for one call, then take every other that has finished meanwhile.
                let Some(joined) = in_flight.join_next().await else { break };
                done.push(joined.map_err(CoreError::internal)?);
                while let Some(joined) = in_flight.try_join_next() {
                    done.push(joined.map_err(CoreError::internal)?);
                }
            }
            Ok::<(), CoreError>(())
        }
        .await;
        // What this pass cancelled may leave reversals with nothing to reverse.
        let result = result.and_then(|()| self.cancel_orphan_reversals());
        // Whatever is still in flight after an error is left in `sending`; the next
        // pass treats it as an unknown outcome.
        self.shared.sending.store(false, Ordering::Relaxed);
        progress.terminado = true;
        notify(&progress);
        if progress.total > 0 {
            log::info!(
                "envío a proveedores: {} confirmados, {} a reintentar, {} requieren atención",
                progress.confirmados,
                progress.reintentos,
                progress.requieren_atencion
            );
        }
        // Once the pass is reported done (nothing shows as sending while wallets are asked).
        // A manual «Sincronizar ahora» asks every wallet itself.
        if result.is_ok() && listeners.is_empty() {
            self.check_balances(&online).await;
        }
        result.map(|()| online)
    }

    /// Asks each connected wallet that is due ([`WorkerConfig::balance_every`]) for its
    /// balance and records the comparison. Only a wallet this pass reached: one with calls
    /// pending was probed already; an idle one is probed now (its credentials are read
    /// only when it is due). A wallet that cannot be asked keeps its last check.
    async fn check_balances(&mut self, online: &[String]) {
        let Some(every) = self.shared.config.balance_every else { return };
        let endpoints = match providers::endpoints(&self.conn) {
            Ok(endpoints) => endpoints,
            Err(err) => return log::warn!("saldo de billeteras: {err}"),
        };
        for providers::Endpoint { provider, contract, base_url, updated_at } in endpoints {
            let now = self.now();
            let asked = self.balance_asked.get(&provider).is_some_and(|at| (now - *at).to_std().is_ok_and(|e| e < every));
            let last = crate::store::provider_rules::last_balance_check_at(&self.conn, &provider).unwrap_or(None);
            if contract != Contrato::BilleteraV2 || asked || !super::balance::due(last.as_deref(), now, every) {
                continue;
            }
            self.balance_asked.insert(provider.clone(), now);
            let Ok(connector) = self.connector(&provider, contract, &base_url, &updated_at) else { continue };
            let paused = self.paused.contains_key(&provider);
            if paused || !(online.contains(&provider) || connector.reachable().await) {
                continue;
            }
            let checked = match connector.wallet_balance().await {
                Ok(remote) => super::balance::record(&mut self.conn, self.shared.config.clock.as_ref(), &provider, MomentoSaldo::Sincronizacion, remote),
                Err(err) => Err(CoreError::internal(err)),
            };
            match checked {
                Ok(check) if check.diferencia.centavos() != 0 => {
                    log::warn!("saldo de {provider}: la billetera difiere de lo registrado en {}", check.diferencia.centavos())
                }
                Ok(_) => {}
                Err(err) => log::warn!("saldo de {provider}: no se pudo comparar: {}", err.message),
            }
        }
    }

    /// Counts recorded outcomes in the pass's progress; a provider that refused the
    /// credentials is paused and left out of the rest of the pass.
    fn tally(&mut self, steps: Vec<Step>, recorded: &[(Claimed, Verdict)], progress: &mut SyncProgress, online: &mut Vec<String>) {
        for (step, (claimed, _)) in steps.into_iter().zip(recorded) {
            match step {
                Step::Acked | Step::Cancelled => progress.confirmados += 1,
                Step::Retry => progress.reintentos += 1,
                Step::Attention => progress.requieren_atencion += 1,
                Step::Paused => {
                    progress.reintentos += 1;
                    if let Some(fingerprint) = self.connectors.get(&claimed.provider).map(|c| c.0.clone()) {
                        self.paused.insert(claimed.provider.clone(), fingerprint);
                    }
                    online.retain(|p| *p != claimed.provider);
                }
            }
        }
        progress.hechos = (progress.confirmados + progress.requieren_atencion).min(progress.total.max(0));
    }

    /// Starts sending each claimed row through its provider's connector.
    fn dispatch(&self, claimed: Vec<Claimed>, in_flight: &mut JoinSet<(Claimed, Verdict)>, done: &mut Vec<(Claimed, Verdict)>) {
        for claimed in claimed {
            let Some((_, connector)) = self.connectors.get(&claimed.provider) else {
                // Not sent: recorded as such in the next round.
                let verdict = Verdict::Sent(Outcome::Retryable { detail: "sin conector".into() });
                done.push((claimed, verdict));
                continue;
            };
            let connector = connector.clone();
            // The store-local day a lookup of an unknown outcome searches around.
            let now = self.now();
            let today = now.with_timezone(&clock::store_offset()).date_naive();
            // A "not found" is believed once the last unknown attempt is this old (the
            // connection's own quiet period, or the worker's).
            let trust = connector.lookup_trust();
            let quiet = trust.quiet.unwrap_or(self.shared.config.lookup_quiet).as_millis() as i64;
            let list_days = trust.list_days.unwrap_or(LIST_TRUSTED_DAYS);
            let settled = claimed.unknown_since.is_none_or(|since| millis(now) - since >= quiet);
            in_flight.spawn(async move {
                let verdict = attempt(&connector, &claimed, Asked { today, settled, list_days }).await;
                (claimed, verdict)
            });
        }
    }
}

/// Exponential delay for this attempt (backon's curve), with full jitter: a uniform
/// pick between zero and the delay, so retries of many rows spread out.
fn backoff(min: Duration, max: Duration, attempts: i64, rng: &mut impl Rng) -> Duration {
    let ceiling = ExponentialBuilder::default()
        .with_min_delay(min)
        .with_max_delay(max)
        .without_max_times()
        .build()
        .nth(attempts.saturating_sub(1).clamp(0, 64) as usize)
        .unwrap_or(max);
    let millis = ceiling.as_millis().max(1) as u64;
    Duration::from_millis(rng.gen_range(1..=millis))
}

/// Records one outcome; returns which progress counter it moves.
fn record(conn: &Connection, claimed: &Claimed, verdict: &Verdict, backoff: Duration, at: DateTime<Utc>) -> CoreResult<Step> {
    let now = clock::stamp(at);
    let next = millis(at) + backoff.as_millis() as i64;
    let outcome = match verdict {
        Verdict::Cancel(reason) => {
            super::outbox::cancel(conn, claimed.id, None, reason, &now)?;
            return Ok(Step::Cancelled);
        }
        Verdict::Resolved(reason) => {
            outbox::cancel_resolved(conn, claimed.id, reason, &now)?;
            return Ok(Step::Cancelled);
        }
        Verdict::Sent(outcome) => outcome,
    };
    match outcome {
        Outcome::Acked { provider_ref } => {
            outbox::mark_acked(conn, claimed.id, provider_ref.as_deref(), &now)?;
            Ok(Step::Acked)
        }
        Outcome::Retryable { detail } | Outcome::Unknown { detail } => {
            let unknown = matches!(outcome, Outcome::Unknown { .. });
            // An earlier unknown outcome stays unknown until a later answer is known.
            let code = if unknown || claimed.outcome_unknown { UNKNOWN_OUTCOME } else { "REINTENTABLE" };
            outbox::mark_retry(conn, claimed.id, next, millis(at), &now, unknown, code, detail)?;
            Ok(Step::Retry)
        }
        // Credentials the provider refuses are the provider's problem, not this call's:
        // the call waits and the provider is paused until they change.
        Outcome::Rejected { code, text } if code == CREDENTIALS_REJECTED => {
            outbox::mark_waiting(conn, claimed.id, next, &now, code, text)?;
            Ok(Step::Paused)
        }
        // "This reference already exists" to a resend: the earlier attempt was applied
        // (bank N3 / PM, the wallet's 409). Recorded as applied, to be confirmed by the
        // provider's statement; never as refused. To a first attempt it is a refusal
        // (the key collided with something else).
        Outcome::Rejected { code, text } if is_resend(claimed) && duplicate_reference(claimed.call, code) => {
            let note = format!(
                "Aplicada por el proveedor, por confirmar con su extracto: respondió al reenvío que la referencia ya existe ({code}: {text})."
            );
            outbox::mark_applied_unconfirmed(conn, claimed.id, &now, APPLIED_UNCONFIRMED, &note)?;
            Ok(Step::Acked)
        }
        Outcome::Rejected { code, text } => {
            // A refusal proves nothing was applied only as the answer to the first time
            // the call could reach the provider: once an earlier attempt may have been
            // applied, a refusal of a resend does not undo it, and the outcome stays
            // unknown (a person resolves it, or a later lookup). A call that never left
            // (an invalid call, a concept not offered) keeps whatever it was; an
            // ambiguous lookup keeps the outcome unknown too.
            let keep_unknown = claimed.outcome_unknown
                || code == INVALID_CALL
                || code == crate::connectors::wallet::CONCEPT_NOT_OFFERED
                || code == AMBIGUOUS_LOOKUP;
            outbox::mark_attention(conn, claimed.id, &now, code, text, keep_unknown)?;
            Ok(Step::Attention)
        }
    }
}

enum Step {
    Acked,
    Retry,
    Attention,
    Cancelled,
    /// The provider refused the credentials.
    Paused,
}

/// What became of one claimed row.
enum Verdict {
    Sent(Outcome),
    /// The operation was voided and the call never took effect: nothing to send.
    Cancel(&'static str),
    /// The operation was voided and the provider's lookup resolved the unknown outcome:
    /// never applied.
    Resolved(&'static str),
}

/// `codigo_error` of a bank call whose unknown outcome waits for a person with the
/// bank's statement (the connection's `reenvio_incierto` is `EXTRACTO`).
pub const AWAITING_STATEMENT: &str = "ESPERA_EXTRACTO";

/// `codigo_error` while an earlier attempt may have reached the provider.
pub const UNKNOWN_OUTCOME: &str = "RESULTADO_INCIERTO";

/// `codigo_error` of a call the provider said it already holds when it was sent again:
/// applied, to be confirmed by the provider's statement.
pub const APPLIED_UNCONFIRMED: &str = "APLICADA_POR_CONFIRMAR";

/// Whether the claimed attempt is a resend: an earlier one was made.
fn is_resend(claimed: &Claimed) -> bool {
    claimed.attempts > 1 || claimed.outcome_unknown
}

/// Whether `code` is the provider's "this reference already exists" for `call`.
fn duplicate_reference(call: LlamadaApi, code: &str) -> bool {
    match call {
        LlamadaApi::Deposito | LlamadaApi::Reverso => crate::connectors::bank::is_duplicate_reference(code),
        LlamadaApi::Cashout => crate::connectors::wallet::is_duplicate_reference(code),
        LlamadaApi::VerificarCobro => false,
    }
}

/// How many days back a wallet's transaction list is trusted to cover by default (a
/// connection's `dias_lista_confiable` sets its own): a call older than this that the list
/// does not show is *not* taken as never applied (the document, seeds/002 L284–L291, does
/// not say how far back `date_from` may go; CONTRACTS.md).
pub const LIST_TRUSTED_DAYS: i64 = 30;

/// What a lookup of a call in doubt is measured against.
#[derive(Clone, Copy)]
struct Asked {
    /// The store-local day a lookup searches up to.
    today: NaiveDate,
    /// The last unknown attempt is older than the quiet period: a "not found" is believed.
    settled: bool,
    /// A "not found" for a call older than this many days proves nothing.
    list_days: i64,
}

/// One attempt at a call: an unknown earlier outcome is first asked about, so nothing
/// is sent twice when the provider can say it already has it. The call of a voided
/// operation is only ever confirmed, not sent anew, except a bank deposit whose outcome
/// the bank cannot tell: resent with its key, it is followed by its reversal.
async fn attempt(connector: &Connector, claimed: &Claimed, asked: Asked) -> Verdict {
    let call = claimed.call;
    let settled = asked.settled;
    if claimed.voided && !claimed.outcome_unknown {
        return Verdict::Cancel("Operación anulada antes de llegar al proveedor: no se envía.");
    }
    if claimed.outcome_unknown {
        match lookup(connector, claimed, asked.today, asked.list_days).await {
            Lookup::Found { provider_ref } => return Verdict::Sent(Outcome::Acked { provider_ref }),
            // Two candidates (or one a twin call could be): a person looks, never a pick.
            Lookup::Ambiguous { detail } => {
                return Verdict::Sent(Outcome::Rejected { code: AMBIGUOUS_LOOKUP.into(), text: detail })
            }
            Lookup::NotFound if claimed.voided && settled => {
                return Verdict::Resolved("Operación anulada; el proveedor confirmó que no la tiene: no se envía.")
            }
            // The last attempt may still be in flight: asked again later, never cancelled.
            Lookup::NotFound if claimed.voided => {
                return Verdict::Sent(Outcome::Retryable {
                    detail: "el proveedor aún no la muestra; el último intento pudo llegar tarde: se vuelve a consultar".into(),
                });
            }
            Lookup::Unavailable { detail } if claimed.voided && call != LlamadaApi::Deposito => {
                return Verdict::Sent(Outcome::Retryable { detail });
            }
            // The bank cannot be asked and the connection does not rely on its dedup: a
            // person resolves it with the statement (the outcome stays unknown).
            Lookup::Unavailable { .. } if !connector.resends_unknown() => {
                return Verdict::Sent(Outcome::Rejected {
                    code: AWAITING_STATEMENT.into(),
                    text: "Resultado incierto y el banco no tiene consulta: confirme con su extracto si se aplicó \
                           (la conexión no reenvía con el mismo trnRqUID)."
                        .into(),
                });
            }
            // Not there, or the provider cannot say: the idempotency key makes a resend safe.
            Lookup::NotFound | Lookup::Unavailable { .. } => {}
        }
    }
    Verdict::Sent(connector.send(call, &claimed.body).await)
}

/// Asks the provider about an unknown outcome, from the day before the call was written
/// (however old; a day's margin for the provider's own clock) to tomorrow. A wallet list's "not found" for a call older than
/// `list_days` (the connection's, or [`LIST_TRUSTED_DAYS`]) is no proof (the list may not
/// reach back that far): unavailable.
async fn lookup(connector: &Connector, claimed: &Claimed, today: NaiveDate, list_days: i64) -> Lookup {
    let created = DateTime::parse_from_rfc3339(&claimed.created_at)
        .map(|at| at.with_timezone(&clock::store_offset()).date_naive())
        .unwrap_or(today);
    let from = created.min(today) - chrono::Days::new(1);
    let to = today + chrono::Days::new(1);
    let found = if claimed.call == LlamadaApi::Cashout {
        connector.lookup_cashout_between(&claimed.body, from, to, claimed.twins).await
    } else {
        connector.lookup_between(claimed.call, &claimed.key, &claimed.body, from, to).await
    };
    let age = (today - created).num_days();
    match found {
        Lookup::NotFound if claimed.call == LlamadaApi::Cashout && age > list_days => Lookup::Unavailable {
            detail: format!(
                "la lista de la billetera no muestra este cashout de hace {age} días, pero no se sabe si cubre esa fecha: \
                 un encargado debe confirmarlo con el extracto"
            ),
        },
        other => other,
    }
}

/// `codigo_error` of a call whose unknown outcome the provider's list cannot settle: two
/// or more listed operations fit it.
pub const AMBIGUOUS_LOOKUP: &str = "CONSULTA_AMBIGUA";

/// An instant as `next_attempt_at` stores it: Unix milliseconds.
fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_millis(10);
    const MAX: Duration = Duration::from_secs(5);

    fn delays(seed: u64) -> Vec<Duration> {
        let mut rng = StdRng::seed_from_u64(seed);
        (1..=12).map(|attempts| backoff(MIN, MAX, attempts, &mut rng)).collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_retry_delays() {
        assert_eq!(delays(42), delays(42));
        assert_ne!(delays(42), delays(43), "another seed draws other delays");
    }

    #[test]
    fn a_retry_delay_is_never_zero_and_never_above_its_attempts_ceiling() {
        let mut rng = StdRng::seed_from_u64(7);
        for attempts in 0..80 {
            let delay = backoff(MIN, MAX, attempts, &mut rng);
            assert!(delay >= Duration::from_millis(1), "attempt {attempts}: {delay:?}");
            assert!(delay <= MAX, "attempt {attempts}: {delay:?}");
        }
        // The first attempt waits at most the minimum delay.
        assert!(backoff(MIN, MAX, 1, &mut rng) <= MIN);
    }
}
