//! The bank simulator: one HTTP server on loopback that speaks the wallet v2 contract
//! (`/v2/...`) and the bank transfers-management v1 contract
//! (`/transfers-management/v1/...`), keeps its own ledger in a SQLite file, enforces
//! idempotency keys and injects faults on demand through `/_sim/...`.
//!
//! Tests start it in-process with [`spawn`]; the `bank-simulator` binary runs [`serve`];
//! the demo store (`mostrador --demo`) reaches it only through [`start_demo`].
//!
//! It stands for the providers, so it shares nothing with the product but what is on
//! the wire between them: [`Money`] (amounts as the contracts write them, two decimals,
//! never a float) and the providers' wall-clock offset ([`store_offset`], UTC−4, the
//! same for the providers and the store). It never reads the store's database, rules or
//! services.

mod admin;
mod auth;
mod faults;
mod state;
mod transfers;
mod wallet;
mod wire;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::domain::clock::store_offset;
use crate::domain::Money;

pub use faults::{BusinessErrorFault, Contract, FaultConfig};

/// Everything the simulator needs to start. [`SimulatorConfig::demo`] fills in the demo
/// credentials and accounts; tests change what they need (a short token TTL, a seed).
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// The simulator's own SQLite file; created and seeded with the accounts below when new.
    pub state_path: PathBuf,
    /// Seed of the fault RNG, so a run with the same requests draws the same faults.
    pub seed: u64,
    /// How long an issued token (wallet or bank) stays valid.
    pub token_ttl: Duration,
    pub wallet: WalletConfig,
    pub bank: BankConfig,
    /// Account numbers, CVUs or aliases refused as blocked, in both contracts.
    pub blocked_accounts: BTreeSet<String>,
    /// Account numbers, CVUs or aliases that do not exist; every other well-formed one does.
    pub missing_accounts: BTreeSet<String>,
    /// Page size of the wallet's paginated transaction list.
    pub page_size: u32,
}

/// The wallet v2 user the simulator accepts (the agent's wallet).
#[derive(Debug, Clone)]
pub struct WalletConfig {
    pub username: String,
    pub password: String,
    pub holder: String,
    pub cvu: String,
    pub cuit: String,
    /// Balance of a new state file.
    pub opening_balance: Money,
}

/// The transfers-management v1 API client the simulator accepts, and the bank's accounts.
#[derive(Debug, Clone)]
pub struct BankConfig {
    pub client_id: String,
    pub client_secret: String,
    /// Accounts of a new state file; the first one is the agent's correspondent account.
    pub accounts: Vec<SeedAccount>,
}

#[derive(Debug, Clone)]
pub struct SeedAccount {
    pub acct_id: String,
    pub holder: String,
    pub balance: Money,
}

pub const DEMO_WALLET_USERNAME: &str = "agente.demo";
pub const DEMO_WALLET_PASSWORD: &str = "demo-1234";
pub const DEMO_BANK_CLIENT_ID: &str = "mostrador-demo";
pub const DEMO_BANK_CLIENT_SECRET: &str = "secreto-demo-1234";
pub const DEMO_CORRESPONDENT_ACCOUNT: &str = "10000000001";
/// The port the demo's simulator and the `bank-simulator` binary listen on unless it is taken.
pub const DEMO_PORT: u16 = 8765;

/// The bank's token endpoint **stand-in**: transfers-management v1 names no token
/// endpoint, so the simulator serves an OAuth 2 client-credentials one among its extras,
/// and a bank connection points its `url_token` here (the demo does).
pub const BANK_TOKEN_STAND_IN: &str = "/_sim/bank/oauth/token";

/// A concept of the wallet simulator's `payment/concepts` catalogue, for the demo's connection.
pub const DEMO_WALLET_CONCEPT: &str = "VAR";

impl SimulatorConfig {
    /// Demo credentials and accounts, a 300 s token TTL and seed 1.
    pub fn demo(state_path: impl Into<PathBuf>) -> Self {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        SimulatorConfig {
            state_path: state_path.into(),
            seed: 1,
            token_ttl: Duration::from_secs(300),
            wallet: WalletConfig {
                username: DEMO_WALLET_USERNAME.into(),
                password: DEMO_WALLET_PASSWORD.into(),
                holder: "TIENDA DEMO MOSTRADOR".into(),
                cvu: "0000003100010000000001".into(),
                cuit: "20123456786".into(),
                opening_balance: Money::from_centavos(50_000_000),
            },
            bank: BankConfig {
                client_id: DEMO_BANK_CLIENT_ID.into(),
                client_secret: DEMO_BANK_CLIENT_SECRET.into(),
                accounts: vec![
                    SeedAccount {
                        acct_id: DEMO_CORRESPONDENT_ACCOUNT.into(),
                        holder: "TIENDA DEMO MOSTRADOR".into(),
                        balance: Money::from_centavos(50_000_000),
                    },
                    SeedAccount {
                        acct_id: "20000000001".into(),
                        holder: "JUANA MAMANI QUISPE".into(),
                        balance: Money::from_centavos(500_000),
                    },
                    SeedAccount {
                        acct_id: "20000000002".into(),
                        holder: "CARLOS CHOQUE FLORES".into(),
                        balance: Money::from_centavos(120_000),
                    },
                ],
            },
            blocked_accounts: strings(&["99900000001", "0000999900000000000001", "cuenta.bloqueada"]),
            missing_accounts: strings(&["99900000002", "0000999900000000000002", "alias.inexistente"]),
            page_size: 10,
        }
    }

    /// The correspondent account deposits are debited from in the demo.
    pub fn correspondent_account(&self) -> Option<&str> {
        self.bank.accounts.first().map(|a| a.acct_id.as_str())
    }
}

/// What every handler shares: the configuration, the state file and the fault switches.
pub(crate) struct Sim {
    pub config: SimulatorConfig,
    pub db: state::Db,
    pub faults: faults::Faults,
    /// Flips to true when the server stops, so delayed requests give up instead of committing.
    pub stopping: watch::Receiver<bool>,
}

pub(crate) type Shared = Arc<Sim>;

fn router(sim: Shared) -> Router {
    let wallet =
        wallet::routes().layer(axum::middleware::from_fn_with_state((sim.clone(), Contract::Wallet), faults::inject));
    let bank =
        transfers::routes().layer(axum::middleware::from_fn_with_state((sim.clone(), Contract::Bank), faults::inject));
    // Faults wrap the contract routes only; `/_sim/` always answers.
    Router::new().merge(wallet).merge(bank).merge(admin::routes()).with_state(sim)
}

/// Serves the simulator on `listener` until the process ends.
pub async fn serve(listener: TcpListener, config: SimulatorConfig) -> std::io::Result<()> {
    let (_stop, stopping) = watch::channel(false);
    run(listener, config, stopping).await
}

/// A simulator running in this process. [`SimulatorHandle::stop`] stops accepting, closes
/// the open connections and abandons held requests; the state file closes once the last
/// in-flight write has finished, and a new simulator may open it at once.
pub struct SimulatorHandle {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl SimulatorHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// A username (or client id) and its password (or client secret).
#[derive(Clone)]
pub struct Login {
    pub user: String,
    pub secret: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login").field("user", &self.user).finish_non_exhaustive()
    }
}

/// The demo's bank as the store connects to it: where it listens, the logins it accepts
/// and the store's correspondent account.
#[derive(Debug, Clone)]
pub struct DemoBank {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    pub wallet: Login,
    pub bank: Login,
    pub correspondent_account: String,
}

/// Starts the simulator with the demo accounts and its state in `state_path`, on
/// [`DEMO_PORT`] or a free port if that one is taken, in a thread of its own that runs
/// for as long as the process; returns once it listens.
pub fn start_demo(state_path: PathBuf) -> std::io::Result<DemoBank> {
    let config = SimulatorConfig::demo(state_path);
    let bank = DemoBank {
        url: String::new(),
        wallet: Login { user: config.wallet.username.clone(), secret: config.wallet.password.clone() },
        bank: Login { user: config.bank.client_id.clone(), secret: config.bank.client_secret.clone() },
        correspondent_account: config.correspondent_account().unwrap_or_default().to_string(),
    };
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Runtime::new() {
            Ok(runtime) => runtime,
            Err(err) => return drop(ready_tx.send(Err(err))),
        };
        runtime.block_on(async move {
            let preferred = spawn(SocketAddr::from(([127, 0, 0, 1], DEMO_PORT)), config.clone()).await;
            let handle = match preferred {
                Ok(handle) => Ok(handle),
                Err(_) => spawn(SocketAddr::from(([127, 0, 0, 1], 0)), config).await,
            };
            match handle {
                Ok(handle) => {
                    let _ = ready_tx.send(Ok(handle.url()));
                    std::future::pending::<()>().await;
                }
                Err(err) => drop(ready_tx.send(Err(err))),
            }
        });
    });
    let url = ready_rx.recv().map_err(std::io::Error::other)??;
    Ok(DemoBank { url, ..bank })
}

/// Binds `addr` (use `127.0.0.1:0` for a free port), opens the state and serves in a
/// background task.
pub async fn spawn(addr: SocketAddr, config: SimulatorConfig) -> std::io::Result<SimulatorHandle> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopping) = watch::channel(false);
    let sim = open(config, stopping.clone()).await?;
    let task = tokio::spawn(accept_loop(listener, sim, stopping));
    Ok(SimulatorHandle { addr, stop, task })
}

async fn run(listener: TcpListener, config: SimulatorConfig, stopping: watch::Receiver<bool>) -> std::io::Result<()> {
    let sim = open(config, stopping.clone()).await?;
    accept_loop(listener, sim, stopping).await
}

async fn open(config: SimulatorConfig, stopping: watch::Receiver<bool>) -> std::io::Result<Shared> {
    let db = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || state::Db::open(&config)).await.map_err(std::io::Error::other)?
    }
    .map_err(|e| std::io::Error::other(format!("estado del simulador {}: {e}", config.state_path.display())))?;
    let faults = faults::Faults::new(config.seed);
    Ok(Arc::new(Sim { config, db, faults, stopping }))
}

/// Resolves when the server is told to stop (or its handle is gone).
pub(crate) async fn stopped(mut stopping: watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// Marker a response carries when the connection must close without sending it: the
/// request was processed (and committed), the reply is "lost on the network".
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

#[derive(Debug)]
struct ResponseDropped;

impl std::fmt::Display for ResponseDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("response dropped on purpose by the fault injector")
    }
}

impl std::error::Error for ResponseDropped {}

/// Accepts connections and serves each with hyper directly (not `axum::serve`): when the
/// service answers with an error, hyper closes the connection without writing a byte,
/// which is exactly a response lost after commit.
async fn accept_loop(listener: TcpListener, sim: Shared, stopping: watch::Receiver<bool>) -> std::io::Result<()> {
    let app = router(sim);
    let mut connections = JoinSet::new();
    let stop = stopped(stopping);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of descriptors and the like: wait and keep serving.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let app = app.clone();
                        async move {
                            let response = app.oneshot(request).await.unwrap_or_else(|never| match never {});
                            if response.extensions().get::<DropConnection>().is_some() {
                                Err(ResponseDropped)
                            } else {
                                Ok(response)
                            }
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
    Ok(())
}
