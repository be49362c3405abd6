// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use mostrador::service::backup::BackupJob;
use mostrador::service::demo;
use mostrador::simulator;
use mostrador::store::{InstanceLock, StoreError};
use mostrador::sync::{self, SyncHandle, WorkerConfig};
use mostrador::Mostrador;

const USAGE: &str = "Uso: mostrador [--data-dir CARPETA] [--demo]
     mostrador sincronizar [--data-dir CARPETA] [opciones de envío]
     mostrador fin-de-dia [--data-dir CARPETA] [--fecha AAAA-MM-DD] [opciones de envío]
     mostrador respaldar [--data-dir CARPETA] [--carpeta DESTINO]
     mostrador restaurar ARCHIVO --usuario NOMBRE [--data-dir CARPETA]

  --data-dir CARPETA  carpeta de la base de datos (también MOSTRADOR_DATA_DIR);
                      por omisión la carpeta de datos del usuario
  --demo              crea una tienda de demostración, imprime los PIN de sus operadores
                      y conecta Tigo Money y BCP al simulador de bancos incluido; no toca
                      una base cuyos proveedores apunten a otro lugar (sale con error)

  sincronizar         envía a los proveedores lo que está en cola y termina cuando la cola
                      queda vacía (o al pasar --espera); sin ventana
  fin-de-dia          sincroniza y luego concilia cada proveedor conectado para la fecha
                      (por omisión, hoy); guarda cada informe y su CSV en la carpeta de datos
  Salen con 0 si no queda nada pendiente ni por atender, 1 si queda, 3 si no pudieron
  trabajar (base de datos en uso, error).
  respaldar           copia la base de datos (también con la aplicación abierta) a DESTINO
                      o a la carpeta «respaldos» de la carpeta de datos, y la verifica
  restaurar           reemplaza la base de datos por el respaldo ARCHIVO (verificado antes;
                      la base actual queda al lado); pide el PIN del administrador NOMBRE
                      por la entrada estándar (o MOSTRADOR_PIN). La aplicación debe estar
                      cerrada. Salen con 0 si lo lograron, 3 si no.

Opciones de envío:
  --espera SEGUNDOS       máximo a esperar que la cola se vacíe (600)
  --concurrencia N        llamadas simultáneas (8)
  --timeout-ms N          tiempo máximo de cada llamada (15000)
  --reintento-min-ms N    primera espera entre reintentos; se duplica (1000)
  --reintento-max-ms N    espera máxima entre reintentos (300000)";

#[derive(PartialEq)]
enum Mode {
    Window,
    Sync,
    EndOfDay,
    Backup,
    Restore,
}

struct Args {
    mode: Mode,
    data_dir: Option<PathBuf>,
    demo: bool,
    date: Option<chrono::NaiveDate>,
    max_wait: Duration,
    worker: WorkerConfig,
    /// `respaldar --carpeta`.
    folder: Option<PathBuf>,
    /// `restaurar ARCHIVO --usuario NOMBRE`.
    file: Option<PathBuf>,
    user: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut rest = std::env::args_os().skip(1).peekable();
    let chosen = rest.peek().and_then(|a| a.to_str()).and_then(subcommand);
    if chosen.is_some() {
        rest.next();
    }
    let mut args = Args::new(chosen.unwrap_or(Mode::Window));
    while let Some(arg) = rest.next() {
        args.take(arg, &mut rest)?;
    }
    if args.mode == Mode::Restore && (args.file.is_none() || args.user.is_none()) {
        return Err("restaurar necesita el ARCHIVO del respaldo y --usuario NOMBRE".into());
    }
    Ok(args)
}

/// The mode a first argument names, if it is a subcommand.
fn subcommand(first: &str) -> Option<Mode> {
    match first {
        "sincronizar" => Some(Mode::Sync),
        "fin-de-dia" => Some(Mode::EndOfDay),
        "respaldar" => Some(Mode::Backup),
        "restaurar" => Some(Mode::Restore),
        _ => None,
    }
}

/// The text after an option that needs a value.
fn value_after(rest: &mut impl Iterator<Item = OsString>, name: &str) -> Result<String, String> {
    let raw = rest.next().ok_or(format!("falta el valor después de {name}"))?;
    raw.into_string().map_err(|_| format!("el valor después de {name} no es texto UTF-8"))
}

fn positive_number(name: &str, text: &str) -> Result<u64, String> {
    text.parse::<u64>().ok().filter(|n| *n > 0).ok_or(format!("{name} debe ser un número mayor que cero"))
}

/// The options of the subcommands that send (`sincronizar`, `fin-de-dia`), each with
/// what its (positive) number sets.
const SEND_OPTIONS: [(&str, fn(&mut Args, u64)); 5] = [
    ("--espera", |args, n| args.max_wait = Duration::from_secs(n)),
    ("--concurrencia", |args, n| args.worker.concurrency = n as usize),
    ("--timeout-ms", |args, n| args.worker.request_timeout = Duration::from_millis(n)),
    ("--reintento-min-ms", |args, n| args.worker.min_backoff = Duration::from_millis(n)),
    ("--reintento-max-ms", |args, n| args.worker.max_backoff = Duration::from_millis(n)),
];

impl Args {
    fn new(mode: Mode) -> Args {
        Args {
            mode,
            data_dir: None,
            demo: false,
            date: None,
            max_wait: Duration::from_secs(600),
            // No automatic balance checks: a headless run drains, and one asked mid-drain
            // would record calls still waiting to be sent as a difference; `fin-de-dia`
            // checks every wallet once at the end.
            worker: WorkerConfig { balance_every: None, ..WorkerConfig::default() },
            folder: None,
            file: None,
            user: None,
        }
    }

    fn headless(&self) -> bool {
        self.mode != Mode::Window
    }

    fn sends(&self) -> bool {
        matches!(self.mode, Mode::Sync | Mode::EndOfDay)
    }

    /// Takes one argument, and the value after it from `rest` when it has one.
    fn take(&mut self, arg: OsString, rest: &mut impl Iterator<Item = OsString>) -> Result<(), String> {
        let send_option = arg.to_str().and_then(|name| SEND_OPTIONS.iter().find(|(option, _)| *option == name));
        if let (true, Some(&(name, set))) = (self.sends(), send_option) {
            set(self, positive_number(name, &value_after(rest, name)?)?);
            return Ok(());
        }
        match arg.to_str() {
            Some("--data-dir") => self.data_dir = Some(rest.next().ok_or("falta la carpeta después de --data-dir")?.into()),
            Some("--demo") if !self.headless() => self.demo = true,
            Some("--fecha") if self.mode == Mode::EndOfDay => {
                let text = value_after(rest, "--fecha")?;
                let date = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map_err(|_| "--fecha debe ser una fecha AAAA-MM-DD".to_string())?;
                self.date = Some(date)
            }
            Some("--carpeta") if self.mode == Mode::Backup => self.folder = Some(value_after(rest, "--carpeta")?.into()),
            Some("--usuario") if self.mode == Mode::Restore => self.user = Some(value_after(rest, "--usuario")?),
            Some(file) if self.mode == Mode::Restore && !file.starts_with("--") && self.file.is_none() => {
                self.file = Some(file.into())
            }
            Some("-h" | "--help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Some(other) if other.starts_with("--") && self.headless() => {
                return Err(format!("{other} no es una opción de este subcomando"))
            }
            _ => return Err(format!("argumento desconocido: {}", arg.to_string_lossy())),
        }
        Ok(())
    }
}

fn data_dir(args: &Args) -> PathBuf {
    args.data_dir
        .clone()
        .or_else(|| std::env::var_os("MOSTRADOR_DATA_DIR").map(PathBuf::from))
        .unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("bo.mostrador.pos"))
}

fn main() -> ExitCode {
    // Before any thread starts: a run from cron finds the user's session bus (keyring).
    mostrador::secrets::find_session_bus();
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
    let dir = data_dir(&args);
    let db_path = dir.join("mostrador.sqlite3");
    let headless_mode = args.mode != Mode::Window;
    let result = (|| -> Result<ExitCode, String> {
        if args.mode == Mode::Backup {
            return backup(&args, &db_path);
        }
        let lock = match InstanceLock::acquire(&db_path) {
            Ok(lock) => lock,
            // A second launch of the window: the running one comes to the front and this
            // process ends inside hand_over. If it returns, no window holds the lock.
            Err(StoreError::InUse(_)) if !headless_mode => {
                let _ = mostrador::app::hand_over(&db_path);
                return Err(StoreError::InUse(db_path.clone()).to_string());
            }
            Err(e) => return Err(e.to_string()),
        };
        let mut core = Mostrador::open(&db_path).map_err(|e| e.message)?;
        println!("Base de datos: {}", db_path.display());
        if args.mode == Mode::Restore {
            return restore(&args, core);
        }
        if args.mode != Mode::Window {
            let outcome = headless(&args, core, &dir);
            drop(lock);
            return outcome;
        }
        if args.demo {
            print_demo(&mut core)?;
            start_demo_simulator(&mut core, &dir)?;
        }
        mostrador::app::run(core, lock).map_err(|e| e.to_string())?;
        Ok(ExitCode::SUCCESS)
    })();
    match result {
        Ok(code) => code,
        Err(message) if headless_mode => {
            eprintln!("Mostrador no pudo trabajar: {message}");
            // Distinct from 1 ("something left to do"), so a scheduler can tell them apart.
            ExitCode::from(3)
        }
        Err(message) => {
            eprintln!("Mostrador no pudo iniciar: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `sincronizar` and `fin-de-dia`: the same worker and reconciliation the app runs, with
/// no window, so an end-of-day job can be scheduled.
fn headless(args: &Args, core: Mostrador, dir: &Path) -> Result<ExitCode, String> {
    use mostrador::domain::bs_text as bs;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let secrets = core.secrets().clone();
    mostrador::secrets::check_same_backend(dir, secrets.backend())?;
    let request_timeout = args.worker.request_timeout;
    let handle = SyncHandle::new(core.path().to_path_buf(), secrets.clone(), args.worker.clone());
    let summary = runtime.block_on(handle.run_until_drained(args.max_wait)).map_err(|e| e.message)?;
    println!(
        "Envío: {} confirmados, {} pendientes, {} requieren atención",
        summary.acked, summary.pending, summary.needs_attention
    );
    for link in handle.links() {
        if let Some(problem) = link.problema {
            println!("  {}: {problem}", link.banco);
        }
    }
    let mut clean = summary.pending == 0 && summary.needs_attention == 0;
    if args.mode == Mode::EndOfDay {
        let day = args
            .date
            .unwrap_or_else(|| handle.clock().now().with_timezone(&mostrador::domain::clock::store_offset()).date_naive());
        for provider in core.reconcilable_providers().map_err(|e| e.message)? {
            // One provider's failure does not keep the others from being reconciled.
            let report = match runtime.block_on(sync::reconcile(core.path(), &secrets, handle.clock(), &provider, day, None, request_timeout)) {
                Ok(report) => report,
                Err(err) => {
                    println!("Conciliación {provider} {day}: no se pudo hacer: {}", err.message);
                    clean = false;
                    continue;
                }
            };
            let csv_path = dir.join(format!("conciliacion-{provider}-{day}.csv"));
            std::fs::write(&csv_path, sync::reconcile::to_csv(&report)).map_err(|e| e.to_string())?;
            println!(
                "Conciliación {provider} {day}: {} conciliadas, {} faltan en el proveedor, {} desconocidas en la tienda ({})",
                report.conciliadas,
                report.faltan_en_proveedor,
                report.desconocidas,
                csv_path.display()
            );
            clean &= report.faltan_en_proveedor == 0 && report.desconocidas == 0;
        }
        let moment = mostrador::domain::MomentoSaldo::CierreDia;
        for check in runtime.block_on(sync::balance::check_all(core.path(), &secrets, handle.clock(), moment, request_timeout)) {
            match check {
                Ok(c) => {
                    let word = if c.diferencia == mostrador::domain::Money::ZERO { "cuadra" } else { "DIFERENCIA" };
                    println!("Saldo {}: tienda {}, billetera {}: {word} {}", c.banco, bs(c.saldo_tienda), bs(c.saldo_proveedor), bs(c.diferencia));
                    clean &= c.diferencia == mostrador::domain::Money::ZERO;
                }
                Err(err) => {
                    println!("Saldo: no se pudo consultar: {}", err.message);
                    clean = false;
                }
            }
        }
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `respaldar`: a verified copy of the database, taken while the app may be running (no
/// instance lock: the copy reads a snapshot and never blocks the counter).
fn backup(args: &Args, db_path: &Path) -> Result<ExitCode, String> {
    if !db_path.is_file() {
        return Err(format!("no hay base de datos en {}", db_path.display()));
    }
    if let Some(folder) = &args.folder {
        if !folder.is_dir() {
            return Err(format!("la carpeta {} no existe", folder.display()));
        }
    }
    let job = BackupJob::new(db_path, args.folder.as_deref(), chrono::Utc::now());
    let taken = job.run().map_err(|e| e.message)?;
    println!("Respaldo verificado: {} ({} bytes)", taken.archivo, taken.bytes);
    Ok(ExitCode::SUCCESS)
}

/// `restaurar`: the same restore as the administrator's screen, after their PIN.
fn restore(args: &Args, mut core: Mostrador) -> Result<ExitCode, String> {
    let pin = match std::env::var("MOSTRADOR_PIN") {
        Ok(pin) => pin,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| e.to_string())?;
            line.trim().to_string()
        }
    };
    let name = args.user.clone().unwrap_or_default();
    core.login(mostrador::domain::Credentials { name, pin: pin.clone() }).map_err(|e| e.message)?;
    let file = args.file.as_ref().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let outcome = core.restore_backup(mostrador::domain::RestoreInput { archivo: file, pin }).map_err(|e| e.message)?;
    println!("Restaurado desde {}. La base anterior quedó en {}.", outcome.archivo, outcome.anterior);
    println!("Llamadas a proveedores en duda (se consultan antes de reenviar): {}", outcome.llamadas_en_duda);
    Ok(ExitCode::SUCCESS)
}

/// The bundled bank simulator on its usual port (or a free one), as the demo store's
/// provider endpoint, for as long as the app runs.
fn start_demo_simulator(core: &mut Mostrador, dir: &Path) -> Result<(), String> {
    let bank = simulator::start_demo(dir.join("bank-simulator.sqlite3")).map_err(|e| e.to_string())?;
    if demo::connect_simulator(core, &bank).map_err(|e| e.message)? {
        println!("Simulador de bancos en {}: Tigo Money (billetera v2) y BCP (banco v1) conectados.", bank.url);
    }
    Ok(())
}

fn print_demo(core: &mut Mostrador) -> Result<(), String> {
    let operators = demo::seed(core).map_err(|e| e.message)?;
    if operators.is_empty() {
        println!("Modo demostración: esta base de datos no fue creada por la demostración; no se cambió nada.");
        return Ok(());
    }
    println!("Modo demostración: operadores y sus PIN para esta ejecución:");
    for op in operators {
        println!("  {:<22} {:<14} PIN {}", op.name, op.role.as_str(), op.pin);
    }
    println!("{}", demo::DEMO_EXAMPLE_TARIFF_NOTE);
    Ok(())
}
