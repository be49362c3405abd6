//! `bank-simulator`: serves the wallet v2 and bank transfers-management v1 contracts on
//! loopback, with its own state file and fault control under `/_sim/`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use mostrador::simulator::{self, SimulatorConfig};

const USAGE: &str = "Uso: bank-simulator [--port PUERTO] [--state ARCHIVO] [--seed N]

  --port PUERTO    puerto en 127.0.0.1 (por omisión 8765; 0 elige uno libre)
  --state ARCHIVO  archivo de estado SQLite del simulador; por omisión
                   bank-simulator.sqlite3 en la carpeta de datos del usuario (bo.mostrador.pos)
  --seed N         semilla del generador de fallas (por omisión 1)";

struct Args {
    port: u16,
    state: Option<PathBuf>,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { port: simulator::DEMO_PORT, state: None, seed: 1 };
    let mut iter = std::env::args_os().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().ok_or(format!("falta el valor después de {name}"));
        match arg.to_str() {
            Some("--port") => {
                args.port = value("--port")?.to_str().and_then(|v| v.parse().ok()).ok_or("--port debe ser un número")?
            }
            Some("--state") => args.state = Some(value("--state")?.into()),
            Some("--seed") => {
                args.seed = value("--seed")?.to_str().and_then(|v| v.parse().ok()).ok_or("--seed debe ser un número")?
            }
            Some("-h" | "--help") => return Err(String::new()),
            _ => return Err(format!("argumento desconocido: {}", arg.to_string_lossy())),
        }
    }
    Ok(args)
}

fn default_state() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("bo.mostrador.pos").join("bank-simulator.sqlite3")
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut config = SimulatorConfig::demo(args.state.unwrap_or_else(default_state));
    config.seed = args.seed;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("no se pudo iniciar: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
        let addr = listener.local_addr()?;
        print_banner(addr, &config);
        simulator::serve(listener, config).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bank-simulator: {err}");
            ExitCode::FAILURE
        }
    }
}

fn print_banner(addr: SocketAddr, config: &SimulatorConfig) {
    let wallet = &config.wallet;
    let bank = &config.bank;
    println!("Simulador de bancos escuchando en http://{addr}");
    println!("Estado: {}", config.state_path.display());
    println!("Semilla de fallas: {}", config.seed);
    println!();
    println!("Billetera v2      http://{addr}/v2");
    println!("  username: {}", wallet.username);
    println!("  password: {}", wallet.password);
    println!("Banco v1          http://{addr}/transfers-management/v1");
    println!("  client_id:     {}", bank.client_id);
    println!("  client_secret: {}", bank.client_secret);
    println!("  token:         POST /transfers-management/v1/oauth/token");
    println!("  cuenta corresponsal: {}", config.correspondent_account().unwrap_or("-"));
    println!("Control de fallas http://{addr}/_sim/faults");
}
