//! Fault injection for the contract routes (never for `/_sim/`): added latency, a rate of
//! HTTP 500 before processing, requests held past the client's timeout, and what real
//! providers do after committing: answer 500, drop the connection, answer a resend with
//! the duplicate-key error instead of the first result; a wallet cashout left `pending`
//! and settled later; a transaction list that only covers the last N days; slow lookups;
//! and a chosen documented business error for the next N operations. Draws come from one
//! seeded RNG, so the same sequence of requests meets the same faults; the wallet's
//! balance reads, which the store makes on a timer of its own, draw from a second seeded
//! stream, so they never shift the faults of the requests that move money.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Deserializer, Serialize};

use super::{transfers, wallet, DropConnection, Shared};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Contract {
    /// Wallet v2 (`/v2/...`).
    Wallet,
    /// Bank transfers-management v1 (`/transfers-management/v1/...`).
    #[serde(alias = "transfers")]
    Bank,
}

/// The switches `/_sim/faults` sets. Rates are probabilities in `0..=1`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultConfig {
    /// Added to every contract request.
    pub latency_ms: u64,
    /// Answer HTTP 500 (in the contract's error shape) without processing.
    pub error_500_rate: f64,
    /// Hold an operation (not a read, not a token request) `hang_ms`, then process it
    /// (and commit) as usual: the client has timed out by then and does not know the
    /// outcome.
    pub hang_rate: f64,
    pub hang_ms: u64,
    /// Process (and commit), then close the connection without sending the response.
    pub drop_after_commit_rate: f64,
    /// Process (and commit), then answer HTTP 500 in the contract's error shape.
    #[serde(default)]
    pub commit_then_500_rate: f64,
    /// A resend of a key already applied is answered with the duplicate-key error (bank
    /// `N3` "REF.TRANSAC.PARA NUEVAS NEGOC.DEBE SER UNICA", wallet 409 `referencia_duplicada`)
    /// instead of the first result.
    #[serde(default)]
    pub duplicate_on_resend_rate: f64,
    /// A wallet cashout is committed with status `pending` and settled (`approved`) after
    /// `settle_ms`.
    #[serde(default)]
    pub pending_rate: f64,
    #[serde(default)]
    pub settle_ms: u64,
    /// The wallet's transaction list only covers the last N days (an older `date_from` is
    /// moved up, silently).
    #[serde(default)]
    pub list_days: Option<u32>,
    /// Added to every wallet transaction list request (the lookups).
    #[serde(default)]
    pub lookup_latency_ms: u64,
    /// Answer the next `remaining_calls` operations of `contract` with this error.
    pub business_error: Option<BusinessErrorFault>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessErrorFault {
    pub contract: Contract,
    /// Bank: a documented `errorCode` (`W2`, `NF`, ...). Wallet: a simulator error id
    /// (`saldo_insuficiente`, `cuenta_bloqueada`, ...; see SIMULATOR.md).
    pub code: String,
    /// Chooses among documented rows that share a code (the tables repeat some).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    pub remaining_calls: u32,
}

/// A partial update: absent fields keep their value, `"business_error": null` clears it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPatch {
    latency_ms: Option<u64>,
    error_500_rate: Option<f64>,
    hang_rate: Option<f64>,
    hang_ms: Option<u64>,
    drop_after_commit_rate: Option<f64>,
    commit_then_500_rate: Option<f64>,
    duplicate_on_resend_rate: Option<f64>,
    pending_rate: Option<f64>,
    settle_ms: Option<u64>,
    #[serde(default, deserialize_with = "present_or_null")]
    list_days: Option<Option<u32>>,
    lookup_latency_ms: Option<u64>,
    #[serde(default, deserialize_with = "present_or_null")]
    business_error: Option<Option<BusinessErrorFault>>,
    /// Reseeds the RNG.
    seed: Option<u64>,
}

fn present_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub struct Faults {
    inner: Mutex<Inner>,
}

struct Inner {
    config: FaultConfig,
    seed: u64,
    rng: StdRng,
    /// Draws for the wallet's balance reads, which the store makes on a timer of its own:
    /// a stream apart, so they never shift which fault a money-moving request meets.
    balance_rng: StdRng,
}

/// The seed of the balance reads' stream, derived from the simulator's seed.
fn balance_seed(seed: u64) -> u64 {
    seed ^ 0xBA1A_0CE5_0000_0000
}

/// What happens to one request, drawn before it runs.
#[derive(Debug, Default)]
struct Plan {
    latency: Duration,
    error_500: bool,
    hang: Option<Duration>,
    drop_response: bool,
    commit_then_500: bool,
    duplicate_on_resend: bool,
    pending: Option<Duration>,
    business_error: Option<BusinessErrorFault>,
}

/// Set on a response that replays a key's first result (the request was a resend).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Replayed;

/// Set on a wallet cashout request the fault plan leaves `pending`, settled after this long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PendingEntry(pub Duration);

impl Faults {
    pub fn new(seed: u64) -> Self {
        let inner = Inner { config: FaultConfig::default(), seed, rng: StdRng::seed_from_u64(seed), balance_rng: StdRng::seed_from_u64(balance_seed(seed)) };
        Faults { inner: Mutex::new(inner) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn snapshot(&self) -> (FaultConfig, u64) {
        let inner = self.lock();
        (inner.config.clone(), inner.seed)
    }

    /// Back to no faults, the RNG restarted from its seed.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.config = FaultConfig::default();
        inner.rng = StdRng::seed_from_u64(inner.seed);
        inner.balance_rng = StdRng::seed_from_u64(balance_seed(inner.seed));
    }

    pub fn apply(&self, patch: FaultPatch) -> Result<(), String> {
        let mut next = self.lock().config.clone();
        let rate = |name: &str, value: Option<f64>, slot: &mut f64| -> Result<(), String> {
            if let Some(v) = value {
                if !(0.0..=1.0).contains(&v) {
                    return Err(format!("{name} debe estar entre 0 y 1"));
                }
                *slot = v;
            }
            Ok(())
        };
        rate("error_500_rate", patch.error_500_rate, &mut next.error_500_rate)?;
        rate("hang_rate", patch.hang_rate, &mut next.hang_rate)?;
        rate("drop_after_commit_rate", patch.drop_after_commit_rate, &mut next.drop_after_commit_rate)?;
        rate("commit_then_500_rate", patch.commit_then_500_rate, &mut next.commit_then_500_rate)?;
        rate("duplicate_on_resend_rate", patch.duplicate_on_resend_rate, &mut next.duplicate_on_resend_rate)?;
        rate("pending_rate", patch.pending_rate, &mut next.pending_rate)?;
        if let Some(v) = patch.settle_ms {
            next.settle_ms = v;
        }
        if let Some(v) = patch.list_days {
            next.list_days = v;
        }
        if let Some(v) = patch.lookup_latency_ms {
            next.lookup_latency_ms = v;
        }
        if let Some(v) = patch.latency_ms {
            next.latency_ms = v;
        }
        if let Some(v) = patch.hang_ms {
            next.hang_ms = v;
        }
        if let Some(business) = patch.business_error {
            if let Some(fault) = &business {
                let known = match fault.contract {
                    Contract::Wallet => wallet::WalletError::from_code(&fault.code).is_some(),
                    Contract::Bank => transfers::documented(&fault.code, fault.http_status).is_some(),
                };
                if !known {
                    let hint = match fault.contract {
                        Contract::Wallet => format!("uno de {}", wallet::WalletError::CODES.join(", ")),
                        Contract::Bank => "un errorCode de las tablas del contrato".to_string(),
                    };
                    return Err(format!("código de error desconocido: {}; se espera {hint}", fault.code));
                }
            }
            next.business_error = business.filter(|f| f.remaining_calls > 0);
        }
        let mut inner = self.lock();
        inner.config = next;
        if let Some(seed) = patch.seed {
            inner.seed = seed;
            inner.rng = StdRng::seed_from_u64(seed);
            inner.balance_rng = StdRng::seed_from_u64(balance_seed(seed));
        }
        Ok(())
    }

    /// The list window of the wallet's transaction list, if the fault is on.
    pub fn list_days(&self) -> Option<u32> {
        self.lock().config.list_days
    }

    fn plan(&self, contract: Contract, is_operation: bool, kind: ReadKind) -> Plan {
        let mut inner = self.lock();
        let Inner { config, rng, balance_rng, .. } = &mut *inner;
        let rng = if kind == ReadKind::Balance { balance_rng } else { rng };
        let is_list = kind == ReadKind::List;
        // Always six draws, so one request's faults do not shift the next one's.
        let (r500, rhang, rdrop): (f64, f64, f64) = (rng.gen(), rng.gen(), rng.gen());
        let (rcommit, rdup, rpending): (f64, f64, f64) = (rng.gen(), rng.gen(), rng.gen());
        let mut latency = config.latency_ms;
        if is_list {
            latency += config.lookup_latency_ms;
        }
        let mut plan = Plan { latency: Duration::from_millis(latency), ..Plan::default() };
        if r500 < config.error_500_rate {
            plan.error_500 = true;
            return plan;
        }
        // Held writes: a read or a token request is not what a late commit is about.
        if is_operation && rhang < config.hang_rate {
            plan.hang = Some(Duration::from_millis(config.hang_ms));
        }
        plan.drop_response = rdrop < config.drop_after_commit_rate;
        if is_operation {
            plan.commit_then_500 = rcommit < config.commit_then_500_rate;
            plan.duplicate_on_resend = rdup < config.duplicate_on_resend_rate;
            if contract == Contract::Wallet && rpending < config.pending_rate {
                plan.pending = Some(Duration::from_millis(config.settle_ms));
            }
            if let Some(fault) = config.business_error.as_mut().filter(|f| f.contract == contract) {
                fault.remaining_calls -= 1;
                plan.business_error = Some(fault.clone());
                if fault.remaining_calls == 0 {
                    config.business_error = None;
                }
            }
        }
        plan
    }
}

/// Which reads draw apart or add their own latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadKind {
    /// The wallet's transaction list (the lookups): `lookup_latency_ms` added.
    List,
    /// The wallet's `account/balance`: drawn from its own stream.
    Balance,
    Other,
}

fn read_kind(request: &Request) -> ReadKind {
    let path = request.uri().path();
    match request.method() == Method::GET {
        true if path.ends_with("/account/transactions") => ReadKind::List,
        true if path.ends_with("/account/balance") => ReadKind::Balance,
        _ => ReadKind::Other,
    }
}

/// An operation changes state; reads and token requests are not answered with business errors.
fn is_operation(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() != Method::GET && !path.ends_with("/auth/token") && !path.ends_with("/oauth/token")
}

/// Middleware on the contract routes.
pub(crate) async fn inject(
    State((sim, contract)): State<(Shared, Contract)>,
    request: Request,
    next: Next,
) -> Response {
    let plan = sim.faults.plan(contract, is_operation(&request), read_kind(&request));
    let path = request.uri().path().to_string();
    let mut request = request;
    if let Some(settle) = plan.pending {
        request.extensions_mut().insert(PendingEntry(settle));
    }
    let stopping = sim.stopping.clone();
    let work = async move {
        if !plan.latency.is_zero() {
            tokio::time::sleep(plan.latency).await;
        }
        if plan.error_500 {
            return server_error(contract, &path);
        }
        if let Some(hang) = plan.hang {
            tokio::time::sleep(hang).await;
        }
        let mut response = match &plan.business_error {
            Some(fault) => business_error(fault, &path),
            None => next.run(request).await,
        };
        // What was done stays done; the client is told otherwise.
        if plan.duplicate_on_resend && response.extensions().get::<Replayed>().is_some() {
            response = duplicate_key(contract, &path);
        } else if plan.commit_then_500 {
            response = unidentified_error(contract);
        }
        if plan.drop_response {
            response.extensions_mut().insert(DropConnection);
        }
        response
    };
    // Its own task: a client that gives up (a hang past its timeout) does not cancel the
    // request, which still commits, as a real server would. Stopping the server does.
    let task = tokio::spawn(async move {
        tokio::select! {
            response = work => Some(response),
            _ = super::stopped(stopping) => None,
        }
    });
    match task.await {
        Ok(Some(response)) => response,
        _ => {
            let mut response = server_error(contract, "").into_response();
            response.extensions_mut().insert(DropConnection);
            response
        }
    }
}

fn server_error(contract: Contract, path: &str) -> Response {
    match contract {
        Contract::Wallet => wallet::WalletError::Internal.into_response(),
        Contract::Bank => transfers::BankError::unavailable(path).into_response(),
    }
}

/// A 500 that says nothing of what was done: the wallet's internal error, the bank's
/// unidentified `ER500` (L362).
fn unidentified_error(contract: Contract) -> Response {
    match contract {
        Contract::Wallet => wallet::WalletError::Internal.into_response(),
        Contract::Bank => transfers::BankError::unidentified().into_response(),
    }
}

/// The provider's answer to a key it already holds: bank `N3`, wallet 409.
fn duplicate_key(contract: Contract, path: &str) -> Response {
    match contract {
        Contract::Wallet => wallet::WalletError::DuplicateReference.into_response(),
        Contract::Bank => match transfers::documented("N3", Some(400)) {
            Some(err) => err.into_response(),
            None => transfers::BankError::unavailable(path).into_response(),
        },
    }
}

fn business_error(fault: &BusinessErrorFault, path: &str) -> Response {
    match fault.contract {
        Contract::Wallet => match wallet::WalletError::from_code(&fault.code) {
            Some(err) => err.into_response(),
            None => wallet::WalletError::Internal.into_response(),
        },
        Contract::Bank => match transfers::documented(&fault.code, fault.http_status) {
            Some(err) => err.into_response(),
            None => transfers::BankError::unavailable(path).into_response(),
        },
    }
}

// ---------------------------------------------------------------------------------------
// `/_sim/faults` and `/_sim/reset`

#[derive(Serialize)]
pub(crate) struct FaultsView {
    #[serde(flatten)]
    config: FaultConfig,
    seed: u64,
}

pub(crate) async fn get_faults(State(sim): State<Shared>) -> Json<FaultsView> {
    let (config, seed) = sim.faults.snapshot();
    Json(FaultsView { config, seed })
}

pub(crate) async fn set_faults(State(sim): State<Shared>, body: axum::body::Bytes) -> Response {
    let patch: FaultPatch = match super::wire::parse_body(&body) {
        Ok(patch) => patch,
        Err(message) => return super::admin::bad_request(message),
    };
    if let Err(message) = sim.faults.apply(patch) {
        return super::admin::bad_request(message);
    }
    get_faults(State(sim)).await.into_response()
}
