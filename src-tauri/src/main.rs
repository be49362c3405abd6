// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use mostrador::service::demo;
use mostrador::store::InstanceLock;
use mostrador::Mostrador;

const USAGE: &str = "Uso: mostrador [--data-dir CARPETA] [--demo]

  --data-dir CARPETA  carpeta de la base de datos (también MOSTRADOR_DATA_DIR);
                      por omisión la carpeta de datos del usuario
  --demo              crea una tienda de demostración e imprime los PIN de sus operadores";

struct Args {
    data_dir: Option<PathBuf>,
    demo: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { data_dir: None, demo: false };
    let mut iter = std::env::args_os().skip(1);
    while let Some(arg) = iter.next() {
        match arg.to_str() {
            Some("--data-dir") => {
                args.data_dir = Some(iter.next().ok_or("falta la carpeta después de --data-dir")?.into())
            }
            Some("--demo") => args.demo = true,
            Some("-h" | "--help") => return Err(String::new()),
            _ => return Err(format!("argumento desconocido: {}", arg.to_string_lossy())),
        }
    }
    Ok(args)
}

fn data_dir(args: &Args) -> PathBuf {
    args.data_dir
        .clone()
        .or_else(|| std::env::var_os("MOSTRADOR_DATA_DIR").map(PathBuf::from))
        .unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("bo.mostrador.pos"))
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
    let db_path = data_dir(&args).join("mostrador.sqlite3");
    let result = (|| -> Result<(), String> {
        let lock = InstanceLock::acquire(&db_path).map_err(|e| e.to_string())?;
        let mut core = Mostrador::open(&db_path).map_err(|e| e.message)?;
        println!("Base de datos: {}", db_path.display());
        if args.demo {
            print_demo(&mut core)?;
        }
        mostrador::app::run(core, lock).map_err(|e| e.to_string())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Mostrador no pudo iniciar: {message}");
            ExitCode::FAILURE
        }
    }
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
    Ok(())
}
