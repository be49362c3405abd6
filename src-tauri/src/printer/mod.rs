//! The thermal printer and the PDF: a [`Ticket`] laid out by the domain becomes ESC/POS
//! bytes (the `escpos` crate) sent to a network printer's raw port or written to a device
//! file (a USB printer-class device, a serial port), or a PDF page (`printpdf`).
//!
//! Sending is bounded: it runs on its own thread and gives up after [`SEND_TIMEOUT`], so
//! a printer that is off or unplugged answers with `IMPRESORA_NO_DISPONIBLE` in seconds.
//! The operation it prints for was committed before, and stays recorded.
//! A serial port is written as the system configured it (speed, parity: `stty`, or the
//! printer's defaults); the product does not set the line.

pub mod pdf;

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use escpos::driver::{Driver, FileDriver, NetworkDriver};
use escpos::errors::{PrinterError, Result as EscposResult};
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{JustifyMode, PageCode, Protocol};

use crate::domain::printing::{network_address, AnchoPapel, PrintedLine, TipoImpresora};
use crate::domain::{CoreError, CoreResult, ErrorCode, PrintOutcome, PrinterSettings, Ticket};

/// Connecting to a network printer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The whole job, from opening the printer to the last byte written.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the bytes go, read from the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Network { host: String, port: u16 },
    Device { path: String },
}

impl Target {
    /// The configured printer, or `IMPRESORA_NO_DISPONIBLE` when none is.
    pub fn of(settings: &PrinterSettings) -> CoreResult<Target> {
        let address = settings.direccion.as_deref().unwrap_or_default();
        match settings.tipo {
            TipoImpresora::Ninguna => Err(CoreError::general(
                ErrorCode::ImpresoraNoDisponible,
                "No hay una impresora térmica configurada; imprima con el diálogo del sistema.",
            )),
            TipoImpresora::Red => {
                let a = network_address("direccion", address)?;
                Ok(Target::Network { host: a.host, port: a.port })
            }
            TipoImpresora::Usb | TipoImpresora::Serie => Ok(Target::Device { path: address.to_string() }),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Target::Network { host, port } => format!("red {host}:{port}"),
            Target::Device { path } => format!("dispositivo {path}"),
        }
    }
}

/// Bytes ready for a printer: every copy of a ticket, one after the other.
#[derive(Debug, Clone)]
pub struct PrintJob {
    pub target: Target,
    pub bytes: Vec<u8>,
    pub copies: i64,
}

impl PrintJob {
    /// `copies` tickets (the customer's and the store's) for the configured printer.
    pub fn new(settings: &PrinterSettings, copies: &[Ticket]) -> CoreResult<PrintJob> {
        let target = Target::of(settings)?;
        let mut bytes = Vec::new();
        for ticket in copies {
            bytes.extend(escpos_bytes(ticket, settings.ancho)?);
        }
        Ok(PrintJob { target, bytes, copies: copies.len() as i64 })
    }

    /// Sends the job, waiting at most [`SEND_TIMEOUT`].
    pub fn send(self) -> CoreResult<PrintOutcome> {
        let destino = self.target.describe();
        let (done, answer) = mpsc::channel();
        let (target, bytes) = (self.target, self.bytes);
        let size = bytes.len() as i64;
        // The thread is left behind if the device never answers; its own I/O timeouts
        // (network) or the device closing ends it.
        std::thread::spawn(move || {
            let _ = done.send(write(&target, &bytes));
        });
        match answer.recv_timeout(SEND_TIMEOUT) {
            Ok(Ok(())) => Ok(PrintOutcome { destino, copias: self.copies, bytes: size }),
            Ok(Err(e)) => Err(unavailable(&destino, &e)),
            Err(_) => Err(unavailable(&destino, &format!("no respondió en {} segundos", SEND_TIMEOUT.as_secs()))),
        }
    }
}

fn unavailable(destino: &str, why: &str) -> CoreError {
    CoreError::general(
        ErrorCode::ImpresoraNoDisponible,
        format!(
            "La impresora ({destino}) no está disponible: {why}. Lo registrado queda guardado; \
             revise que esté encendida y conectada, o imprima con el diálogo del sistema."
        ),
    )
}

fn write(target: &Target, bytes: &[u8]) -> Result<(), String> {
    let written = match target {
        Target::Network { host, port } => {
            let address = resolve(host, *port)?;
            NetworkDriver::open(&address.ip().to_string(), address.port(), Some(CONNECT_TIMEOUT)).and_then(|d| deliver(&d, bytes))
        }
        Target::Device { path } => FileDriver::open(Path::new(path)).and_then(|d| deliver(&d, bytes)),
    };
    written.map_err(|e| describe(&e))
}

fn deliver(driver: &impl Driver, bytes: &[u8]) -> EscposResult<()> {
    driver.write(bytes)?;
    driver.flush()
}

fn resolve(host: &str, port: u16) -> Result<SocketAddr, String> {
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("no se encontró la dirección {host} ({e})"))?
        .next()
        .ok_or_else(|| format!("no se encontró la dirección {host}"))
}

fn describe(error: &PrinterError) -> String {
    match error {
        PrinterError::Io(text) => format!("error de comunicación ({text})"),
        other => other.to_string(),
    }
}

/// Collects what the `escpos` printer would send, so a job can be built before a device
/// is opened (and inspected in tests).
#[derive(Default)]
struct Collect(std::cell::RefCell<Vec<u8>>);

impl Driver for Collect {
    fn name(&self) -> String {
        "memoria".into()
    }
    fn write(&self, data: &[u8]) -> EscposResult<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> EscposResult<usize> {
        Ok(0)
    }
    fn flush(&self) -> EscposResult<()> {
        Ok(())
    }
}

/// The ESC/POS bytes of one ticket on `width` paper: initialise, code page WPC1252
/// (`ESC t 16`: á, ñ, ¿ and plain ASCII), the lines (emphasised ones bold and double
/// height), feed, full cut. Not PC850/PC858: escpos 0.20's tables for those map the ASCII
/// `-` to 0xF0 and lack `¿`, while its WPC1252 table is the standard one.
pub fn escpos_bytes(ticket: &Ticket, width: AnchoPapel) -> CoreResult<Vec<u8>> {
    let options = PrinterOptions::new(Some(PageCode::WPC1252), None, width.columns() as u8);
    let mut printer = Printer::new(Collect::default(), Protocol::default(), Some(options));
    let lines = ticket.render(width.columns());
    build(&mut printer, &lines).map_err(|e| CoreError::internal(format!("ESC/POS: {e}")))?;
    Ok(printer.driver().0.into_inner())
}

fn build(printer: &mut Printer<Collect>, lines: &[PrintedLine]) -> EscposResult<()> {
    printer.init()?.justify(JustifyMode::LEFT)?;
    for line in lines {
        if line.big {
            printer.bold(true)?.size(1, 2)?.writeln(&line.text)?.reset_size()?.bold(false)?;
        } else {
            printer.writeln(&line.text)?;
        }
    }
    printer.feeds(4)?.print_cut()?;
    Ok(())
}
