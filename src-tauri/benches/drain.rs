//! Draining the outbox, run with `cargo bench --bench drain`.
//!
//! 10,000 queued agent transactions (wallet-v2 cashouts and bank-v1 deposits in turn) are
//! sent by the worker (`SyncHandle::run_until_drained`, 8 calls in flight) to the bank
//! simulator, which runs as its own process (this bench started again with `SIM_STATE`
//! set, serving as the `bank-simulator` program does) with 5 ms added to every request. Printed:
//! - operations per second of the drain;
//! - the simulator's own maximum rate for the same calls: the same connectors sending the
//!   same kind of calls straight from memory, with the same concurrency, no outbox; and the
//!   drain's rate as a ratio of it;
//! - peak memory (VmHWM) of this process during the drain, the high-water mark reset just
//!   before it (the store, the worker and its connectors; the simulator is another process).
//!
//! `cargo test --benches` runs it once with 200 operations.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mostrador::connectors::{self, Outcome};
use mostrador::domain::{
    ConfigureProviderInput, LlamadaApi, Credentials, Money, NewAgentTransaction, NewOperator, NewRegister, OpenSessionInput,
    ProviderCredentialsInput, ProviderFloatInput,
};
use mostrador::service::demo::DEMO_BANK_POINT;
use mostrador::simulator::DEMO_CORRESPONDENT_ACCOUNT;
use mostrador::store;
use mostrador::sync::{self, SyncHandle, WorkerConfig};
use mostrador::Mostrador;
use tokio::sync::Semaphore;

const FULL_OPERATIONS: usize = 10_000;
const TEST_OPERATIONS: usize = 200;
const CONCURRENCY: usize = 8;
const LATENCY_MS: u64 = 5;

struct Simulator {
    child: Child,
    url: String,
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Set in the simulator's process: the state file it serves from.
const SIM_STATE: &str = "MOSTRADOR_DRAIN_SIM_STATE";

/// The simulator's process: the demo configuration on a free loopback port, announced on
/// stdout as the `bank-simulator` program does.
fn serve_simulator(state: std::path::PathBuf) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime
        .block_on(async {
            let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
            println!("Simulador de bancos escuchando en http://{}", listener.local_addr()?);
            mostrador::simulator::serve(listener, mostrador::simulator::SimulatorConfig::demo(state)).await
        })
        .expect("simulator");
}

fn start_simulator(dir: &Path) -> Simulator {
    // The bank simulator is a package of its own (kept out of the installers), so its
    // binary is not this package's; the bench serves it from a second process of itself.
    let mut child = Command::new(std::env::current_exe().expect("bench binary"))
        .env(SIM_STATE, dir.join("sim.sqlite3"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the simulator's process");
    let stdout = child.stdout.take().expect("simulator stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("simulator banner").expect("read banner");
        if let Some(rest) = line.split("http://").nth(1).filter(|_| line.contains("escuchando")) {
            break format!("http://{}", rest.trim());
        }
    };
    // Keep reading so the simulator never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Simulator { child, url }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak-RSS mark (Linux ≥ 4.0), so VmHWM then tells the drain's own peak.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn setup_store(path: &Path, url: &str, operations: usize) -> Mostrador {
    let mut app = Mostrador::open(path).expect("open store");
    app.create_first_admin(Credentials { name: "Admin".into(), pin: "246810".into() }).expect("admin");
    app.create_operator(NewOperator { name: "Cajero".into(), role: "cajero".into(), pin: "135790".into() }).expect("cashier");
    let register = app.create_register(NewRegister { name: "Caja".into(), specialty: "MIXTA".into() }).expect("register");
    for (banco, contrato, user, secret) in [
        ("TIGO_MONEY", "BILLETERA_V2", "agente.demo", "demo-1234"),
        ("BCP", "BANCO_V1", "mostrador-demo", "secreto-demo-1234"),
    ] {
        app.adjust_provider_float(ProviderFloatInput {
            banco: banco.into(),
            tipo: "FONDEO".into(),
            monto: "900000".into(),
            nota: None,
        })
        .expect("fund");
        app.configure_provider(ConfigureProviderInput {
            banco: banco.into(),
            contrato: contrato.into(),
            url_base: Some(url.into()),
            enviar_deposito: true,
            enviar_retiro: false,
            enviar_qr: true,
            cuenta_tienda: Some(DEMO_CORRESPONDENT_ACCOUNT.into()),
            punto_codigo: Some(DEMO_BANK_POINT[0].into()),
            punto_nombre: Some(DEMO_BANK_POINT[1].into()),
            punto_ciudad_id: Some(DEMO_BANK_POINT[2].into()),
            punto_ciudad: Some(DEMO_BANK_POINT[3].into()),
            punto_departamento: Some(DEMO_BANK_POINT[4].into()),
            limite_operacion: Some("10000".into()),
            limite_pendiente: Some("1000000".into()),
            url_token: Some(format!("{url}{}", mostrador::simulator::BANK_TOKEN_STAND_IN)),
            concepto: Some(mostrador::simulator::DEMO_WALLET_CONCEPT.into()),
            ..ConfigureProviderInput::default()
        })
        .expect("connect");
        app.set_provider_credentials(ProviderCredentialsInput { banco: banco.into(), usuario: user.into(), secreto: secret.into() })
            .expect("credentials");
    }
    app.logout().expect("logout");
    app.login(Credentials { name: "Cajero".into(), pin: "135790".into() }).expect("cashier login");
    let session =
        app.open_session(OpenSessionInput { register_id: register.id, opening_float: "100".into(), authorization: Some(Credentials { name: "Admin".into(), pin: "246810".into() }) }).expect("session");
    for n in 0..operations {
        let (banco, account) = if n % 2 == 0 { ("TIGO_MONEY", "0000003100000000000123") } else { ("BCP", "20000000001") };
        app.create_agent_transaction(NewAgentTransaction {
            banco: banco.into(),
            tipo_operacion: "DEPOSITO".into(),
            monto: format!("{}.{:02}", 1 + n % 50, n % 100),
            comision_cliente: None,
            nro_referencia: format!("B-{n}"),
            id_caja_sesion: session.id,
            comprobante: None,
            cuenta_cliente: Some(account.into()),
            cuit_cliente: (banco == "TIGO_MONEY").then(|| "20304050607".into()),
            cliente: None,
            motivo_comision: None,
        })
        .expect("queue an operation");
    }
    app
}

/// The same calls straight through the connectors, `CONCURRENCY` in flight: the rate the
/// simulator itself allows, with no outbox around it.
async fn direct_rate(app: &Mostrador, calls: usize) -> f64 {
    let secret = |banco: &str| sync::stored_secret(app.connection(), app.secrets(), banco).expect("stored credentials");
    let timeout = Duration::from_secs(15);
    let settings = |banco: &str| store::providers::link(app.connection(), banco).expect("link").expect("connected").settings;
    let wallet = Arc::new(
        sync::build_connector(mostrador::domain::Contrato::BilleteraV2, &base_url(app, "TIGO_MONEY"), &settings("TIGO_MONEY"), &secret("TIGO_MONEY"), timeout)
            .expect("wallet connector"),
    );
    let bank = Arc::new(
        sync::build_connector(mostrador::domain::Contrato::BancoV1, &base_url(app, "BCP"), &settings("BCP"), &secret("BCP"), timeout)
            .expect("bank connector"),
    );
    let point = connectors::bank::ServicePoint {
        code: "000000000000001".into(),
        branch_name: "MOSTRADOR".into(),
        city_id: "20101".into(),
        city: "LA PAZ".into(),
        state_prov: "02".into(),
    };
    // trnRqUIDs the outbox has not used (its keys start at an offset drawn per install).
    let used: std::collections::HashSet<String> =
        store::outbox::keys(app.connection(), LlamadaApi::Deposito).expect("keys").into_iter().collect();
    let mut bank_keys = (0..1_000_000).map(|k| format!("{k:06}")).filter(move |k| !used.contains(k));
    let limit = Arc::new(Semaphore::new(CONCURRENCY));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..calls {
        let permit = limit.clone().acquire_owned().await.expect("semaphore");
        let amount = Money::from_centavos(100 + (n % 5000) as i64);
        let (connector, call, body) = if n % 2 == 0 {
            let reference = format!("DIRECTO-{n}");
            let body = connectors::wallet::cashout_body(&connectors::wallet::Cashout {
                reference_id: &reference,
                destination: "0000003100000000000123",
                cuit: "20304050607",
                amount,
                concept: mostrador::simulator::DEMO_WALLET_CONCEPT,
                description: "Directo",
            });
            (wallet.clone(), LlamadaApi::Cashout, body)
        } else {
            let key = bank_keys.next().expect("a free trnRqUID");
            let body = connectors::bank::deposit_body(&key, "20000000001", DEMO_CORRESPONDENT_ACCOUNT, amount, chrono::Utc::now(), &point, mostrador::domain::TipoDeposito::CodigoNR);
            (bank.clone(), LlamadaApi::Deposito, body)
        };
        tasks.spawn(async move {
            let outcome = connector.send(call, &body).await;
            drop(permit);
            matches!(outcome, Outcome::Acked { .. })
        });
    }
    let mut acked = 0;
    while let Some(done) = tasks.join_next().await {
        acked += usize::from(done.expect("task"));
    }
    let elapsed = started.elapsed();
    assert_eq!(acked, calls, "every direct call is acknowledged");
    calls as f64 / elapsed.as_secs_f64()
}

fn base_url(app: &Mostrador, banco: &str) -> String {
    store::providers::base_url(app.connection(), banco).expect("base url").expect("a connected provider")
}

fn main() {
    if let Some(state) = std::env::var_os(SIM_STATE) {
        return serve_simulator(state.into());
    }
    let args: Vec<String> = std::env::args().collect();
    let measuring = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let operations = if measuring { FULL_OPERATIONS } else { TEST_OPERATIONS };
    let root = tempfile::Builder::new()
        .prefix("mostrador-drain-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temporary folder under the target directory");
    let simulator = start_simulator(root.path());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let http = reqwest::blocking::Client::new();
    let set_latency = |ms: u64| {
        let response = http
            .post(format!("{}/_sim/faults", simulator.url))
            .json(&serde_json::json!({ "latency_ms": ms }))
            .send()
            .expect("fault control");
        assert!(response.status().is_success());
    };

    let seeding = Instant::now();
    let db = root.path().join("mostrador.sqlite3");
    let app = setup_store(&db, &simulator.url, operations);
    println!("{operations} operaciones en cola en {:.1} s", seeding.elapsed().as_secs_f64());
    set_latency(LATENCY_MS);

    let worker = SyncHandle::new(
        db.clone(),
        app.secrets().clone(),
        WorkerConfig { concurrency: CONCURRENCY, ..WorkerConfig::default() },
    );
    let peak_reset = reset_peak_rss();
    let started = Instant::now();
    let summary = runtime.block_on(worker.run_until_drained(Duration::from_secs(1800))).expect("drain");
    let elapsed = started.elapsed();
    let peak = peak_rss_kib();
    assert_eq!((summary.acked, summary.pending, summary.needs_attention), (operations as i64, 0, 0), "everything acknowledged");
    let drain_rate = operations as f64 / elapsed.as_secs_f64();

    let direct_calls = operations.min(4_000);
    let direct = runtime.block_on(direct_rate(&app, direct_calls));

    println!();
    println!("Vaciado de la cola ({operations} operaciones, {CONCURRENCY} llamadas simultáneas, +{LATENCY_MS} ms por solicitud):");
    println!("  tiempo:                         {:.2} s", elapsed.as_secs_f64());
    println!("  operaciones por segundo:        {drain_rate:.0}");
    println!("  máximo del simulador (directo): {direct:.0} op/s ({direct_calls} llamadas con los conectores, sin cola)");
    println!("  razón cola / directo:           {:.2}", drain_rate / direct);
    match (peak, peak_reset) {
        (Some(kib), true) => println!("  memoria pico del proceso:       {:.1} MiB (VmHWM durante el vaciado)", kib as f64 / 1024.0),
        (Some(kib), false) => println!("  memoria pico del proceso:       {:.1} MiB (VmHWM desde el inicio)", kib as f64 / 1024.0),
        (None, _) => println!("  memoria pico del proceso:       no disponible (/proc)"),
    }
    drop(app);
}
