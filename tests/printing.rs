//! Receipts and the X/Z report printed to a real raw printer socket on loopback (a
//! `TcpListener` standing in for the printer's port 9100) and to a device file, decoded
//! back from the ESC/POS bytes; the Z report's PDF read back with `pdftotext`.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::*;
use mostrador::domain::*;
use mostrador::printer::SEND_TIMEOUT;
use Who::*;

/// A raw printer: accepts one connection on loopback and keeps every byte sent to it.
struct RawPrinter {
    address: String,
    received: JoinHandle<Vec<u8>>,
}

impl RawPrinter {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let received = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut bytes = Vec::new();
            stream.read_to_end(&mut bytes).unwrap();
            bytes
        });
        RawPrinter { address, received }
    }

    fn bytes(self) -> Vec<u8> {
        self.received.join().unwrap()
    }
}

/// What the printer was told: the commands in order and the text of each printed line.
#[derive(Debug, Default)]
struct Decoded {
    /// One per ticket: the lines printed before its cut.
    tickets: Vec<Vec<String>>,
    inits: usize,
    code_pages: Vec<u8>,
    /// Lines printed bold and double height.
    big: Vec<String>,
    ends_with_cut: bool,
}

/// A byte of code page WPC1252 back to Unicode: ASCII, and from 0xA0 on Latin-1 (á is
/// 0xE1, ñ 0xF1, ¿ 0xBF), which is all the receipts use.
fn cp1252(byte: u8) -> char {
    match byte {
        b if b.is_ascii() && !b.is_ascii_control() => b as char,
        b if b >= 0xA0 => char::from(b),
        b => panic!("unexpected byte {b:#04x} in text"),
    }
}

/// Reads the ESC/POS stream the way a printer would, for the commands the product sends.
fn decode(bytes: &[u8]) -> Decoded {
    const ESC: u8 = 0x1B;
    const GS: u8 = 0x1D;
    let mut d = Decoded::default();
    let (mut line, mut lines, mut big) = (String::new(), Vec::new(), false);
    let mut i = 0;
    while i < bytes.len() {
        d.ends_with_cut = false;
        match bytes[i] {
            ESC => {
                match bytes[i + 1] {
                    b'@' => d.inits += 1,
                    b't' => d.code_pages.push(bytes[i + 2]),
                    b'E' => big = bytes[i + 2] == 1,
                    b'a' => {}
                    b'd' => {
                        for _ in 0..bytes[i + 2] {
                            if big && !line.is_empty() {
                                d.big.push(line.clone());
                            }
                            lines.push(std::mem::take(&mut line));
                        }
                    }
                    other => panic!("unexpected ESC {other:#04x}"),
                }
                i += if bytes[i + 1] == b'@' { 2 } else { 3 };
            }
            GS => match bytes[i + 1] {
                b'!' => i += 3,
                b'V' => {
                    assert_eq!(&bytes[i + 2..i + 4], &[b'A', 0], "a full cut");
                    // Trailing feeds before the cut are blank lines; the ticket is what came before.
                    while lines.last().is_some_and(|l: &String| l.is_empty()) {
                        lines.pop();
                    }
                    d.tickets.push(std::mem::take(&mut lines));
                    d.ends_with_cut = true;
                    i += 4;
                }
                other => panic!("unexpected GS {other:#04x}"),
            },
            byte => {
                line.push(cp1252(byte));
                i += 1;
            }
        }
    }
    d
}

fn network_printer(address: &str, ancho: &str, copia_tienda: bool) -> PrinterSettingsInput {
    PrinterSettingsInput {
        tipo: "RED".into(),
        direccion: Some(address.into()),
        ancho: ancho.into(),
        impresion_automatica: true,
        copia_tienda,
    }
}

/// The cashier's open session on MIXTA with a DEPOSITO of Bs 1.234,50 plus Bs 5 commission.
fn deposit(fx: &mut Fixture) -> (i64, TransaccionAgente) {
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    let tx = fx.as_(Cashier).create_agent_transaction(agent_c("TIGO_MONEY", "DEPOSITO", "1.234,50", "5", "REF-778", session)).unwrap();
    (session, tx)
}

fn receipt(tipo: &str, id: i64) -> PrintReceiptInput {
    PrintReceiptInput { tipo: tipo.into(), id }
}

#[test]
fn a_deposit_receipt_reaches_a_raw_printer_on_loopback_as_es_bo_lines_on_58_mm_paper_and_is_cut() {
    let mut fx = Fixture::new();
    let (_, tx) = deposit(&mut fx);
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "58", false)).unwrap();

    let outcome = fx.as_(Cashier).print_receipt(receipt("AGENTE", tx.id)).unwrap();
    let bytes = printer.bytes();
    assert_eq!((outcome.copias, outcome.bytes), (1, bytes.len() as i64));
    assert_eq!(outcome.destino, format!("red {}", fx.app.get_printer_settings().unwrap().direccion.unwrap()));

    assert_eq!(&bytes[..2], &[0x1B, b'@'], "the job starts by initialising the printer");
    let d = decode(&bytes);
    assert_eq!(d.inits, 1);
    assert_eq!(d.code_pages, [16], "code page WPC1252, so á, ñ and ¿ print");
    assert!(d.ends_with_cut, "the paper is cut after the receipt");
    assert_eq!(d.tickets.len(), 1);
    let lines = &d.tickets[0];
    assert!(lines.iter().all(|l| l.chars().count() <= 32), "58 mm holds 32 columns: {lines:#?}");
    assert!(lines.contains(&"-".repeat(32)), "a rule as wide as the paper");
    let line = |start: &str| lines.iter().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no {start}: {lines:#?}")).clone();
    assert_eq!(line("Monto"), format!("Monto{}Bs 1.234,50", " ".repeat(32 - 5 - 11)));
    assert!(line("Comisión").ends_with("Bs 5,00"));
    assert!(line("Recibido del cliente").ends_with("Bs 1.239,50"));
    assert!(d.big.iter().any(|l| l.starts_with("Recibido del cliente")), "the cash that changes hands prints large");
    assert!(line("N.º de referencia").ends_with("REF-778"));
    assert!(lines.iter().any(|l| l.trim() == format!("Operación de agente N.º {}", tx.id)));
    assert!(lines.iter().any(|l| l.trim() == "Depósito - agente bancario"));
    assert!(line("Operador:").contains(CASHIER_NAME));
    assert!(line("Fecha:").contains("10/03/2025 10:00"), "local time in Bolivia: {lines:#?}");
}

#[test]
fn an_english_operators_deposit_receipt_prints_english_labels_and_amounts_like_the_screen() {
    let mut fx = Fixture::new();
    let (_, tx) = deposit(&mut fx);
    fx.as_(Cashier).set_own_language("en").unwrap();
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "58", true)).unwrap();

    fx.as_(Cashier).print_receipt(receipt("AGENTE", tx.id)).unwrap();
    let d = decode(&printer.bytes());
    assert_eq!(d.tickets.len(), 2, "the customer's copy and the store's");
    let lines = &d.tickets[0];
    assert!(lines.iter().all(|l| l.chars().count() <= 32), "{lines:#?}");
    assert_eq!(value_of(lines, "Amount"), "Bs 1,234.50", "{lines:#?}");
    assert_eq!(value_of(lines, "Fee"), "Bs 5.00");
    assert_eq!(value_of(lines, "Received from the customer"), "Bs 1,239.50");
    assert_eq!(value_of(lines, "Reference No."), "REF-778");
    assert_eq!(value_of(lines, "Operation"), "Deposit");
    assert!(lines.iter().any(|l| l.trim() == "Deposit - banking agent"), "{lines:#?}");
    assert!(lines.iter().any(|l| l.trim() == format!("Agent operation No. {}", tx.id)));
    assert!(lines.iter().any(|l| l.starts_with("Operator: ") && l.contains(CASHIER_NAME)));
    assert!(lines.iter().any(|l| l == "Date: 10/03/2025 10:00"), "still Bolivian time: {lines:#?}");
    assert!(lines.iter().any(|l| l.trim() == "Bolivia time"));
    assert!(d.tickets[1].iter().any(|l| l.trim() == "*** STORE COPY ***"));
    let spanish = ["Monto", "Comisión", "Recibido", "Operador", "Fecha", "Depósito", "Sesión", "Impreso"];
    for ticket in &d.tickets {
        assert!(!ticket.iter().any(|l| spanish.iter().any(|w| l.contains(w))), "a Spanish word left: {ticket:#?}");
    }
    // The print dialog gets the same English lines; a Spanish operator still gets Spanish.
    let dialog = fx.as_(Cashier).receipt_lines(receipt("AGENTE", tx.id)).unwrap();
    assert_eq!(value_of(&dialog, "Amount"), "Bs 1,234.50");
    let admin_copy = fx.app.receipt_lines(receipt("AGENTE", tx.id)).unwrap();
    assert_eq!(value_of(&admin_copy, "Monto"), "Bs 1.234,50");
}

#[test]
fn a_receipt_for_a_connected_provider_says_its_call_is_pending_until_the_provider_confirms() {
    let mut fx = Fixture::new();
    // Connected (nothing listens on that port: the call stays queued), so the deposit
    // has a call to the wallet; the unconnected BCP's has none.
    fx.as_(Admin).configure_provider(connection("TIGO_MONEY", "BILLETERA_V2", "http://127.0.0.1:9")).unwrap();
    fx.app.adjust_provider_float(fund("TIGO_MONEY", "100000")).unwrap();
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    let input = NewAgentTransaction {
        cuenta_cliente: Some("0000003100000000000123".into()),
        cuit_cliente: Some("20304050607".into()),
        ..agent_c("TIGO_MONEY", "DEPOSITO", "1.234,50", "5", "REF-778", session)
    };
    let tx = fx.as_(Cashier).create_agent_transaction(input).unwrap();
    let lines = fx.as_(Cashier).receipt_lines(receipt("AGENTE", tx.id)).unwrap();
    let state = lines.iter().position(|l| l.starts_with("Estado con el proveedor")).unwrap_or_else(|| panic!("{lines:#?}"));
    assert!(lines[state..].join(" ").contains("pendiente de confirmación"), "{lines:#?}");

    fx.app.adjust_provider_float(fund("BCP", "100000")).unwrap();
    let bcp = fx.as_(Cashier).create_agent_transaction(agent_c("BCP", "DEPOSITO", "100", "5", "REF-779", session)).unwrap();
    let lines = fx.as_(Cashier).receipt_lines(receipt("AGENTE", bcp.id)).unwrap();
    let call_line = |l: &String| l.starts_with("Estado con el proveedor") || l.starts_with("Referencia del proveedor");
    assert!(!lines.iter().any(call_line), "a recorded-only operation has no call line: {lines:#?}");

    fx.as_(Cashier).set_own_language("en").unwrap();
    let lines = fx.as_(Cashier).receipt_lines(receipt("AGENTE", tx.id)).unwrap();
    assert!(lines.iter().any(|l| l.starts_with("Status with the provider")), "{lines:#?}");
}

#[test]
fn with_a_store_copy_the_printer_gets_two_cut_tickets_the_second_marked_on_80_mm_paper() {
    let mut fx = Fixture::new();
    let (_, tx) = deposit(&mut fx);
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "80", true)).unwrap();

    let outcome = fx.as_(Cashier).print_receipt(receipt("AGENTE", tx.id)).unwrap();
    let d = decode(&printer.bytes());
    assert_eq!((outcome.copias, d.tickets.len(), d.inits), (2, 2, 2));
    for ticket in &d.tickets {
        assert!(ticket.iter().all(|l| l.chars().count() <= 48));
        assert!(ticket.contains(&"-".repeat(48)), "80 mm holds 48 columns");
        assert!(ticket.iter().any(|l| l.starts_with("Monto") && l.ends_with("Bs 1.234,50") && l.chars().count() == 48));
    }
    let marked = |t: &Vec<String>| t.iter().any(|l| l.contains("COPIA TIENDA"));
    assert!(!marked(&d.tickets[0]) && marked(&d.tickets[1]), "the customer's copy first, then the store's");
}

#[test]
fn a_printer_that_is_off_gives_a_clear_error_within_the_bound_and_the_operation_stays_recorded() {
    let mut fx = Fixture::new();
    let (session, tx) = deposit(&mut fx);
    // A port nobody listens on: the printer is off.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    // An address no route answers (TEST-NET-1, RFC 5737): the printer is unplugged.
    for address in [closed.as_str(), "192.0.2.1:9100"] {
        fx.app.update_printer_settings(network_printer(address, "80", false)).unwrap();
        let before = fx.snapshot();
        let started = Instant::now();
        let err = expect_err(fx.as_(Cashier).print_receipt(receipt("AGENTE", tx.id)), address);
        assert!(started.elapsed() < SEND_TIMEOUT + Duration::from_secs(2), "{address}: gave up after {:?}", started.elapsed());
        assert_eq!(err.code, ErrorCode::ImpresoraNoDisponible, "{address}");
        assert!(err.message.contains("no está disponible") && err.message.contains("diálogo del sistema"), "{}", err.message);
        before.assert_same(&fx.snapshot(), "a failed print writes nothing");
    }
    // The deposit is recorded and in the drawer all the same.
    assert_eq!(fx.as_(Cashier).get_agent_transaction(tx.id).unwrap(), tx);
    assert_eq!(fx.drawer(session), 50_000 + 123_450 + 500);
}

#[test]
fn a_usb_or_serial_printer_is_a_device_file_that_receives_the_same_bytes() {
    let mut fx = Fixture::new();
    let (_, tx) = deposit(&mut fx);
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    for tipo in ["USB", "SERIE"] {
        std::fs::write(&device, b"").unwrap();
        let settings = PrinterSettingsInput { tipo: tipo.into(), direccion: Some(device.to_str().unwrap().into()), ..network_printer("", "58", false) };
        fx.app.update_printer_settings(settings).unwrap();
        let outcome = fx.as_(Cashier).print_receipt(receipt("AGENTE", tx.id)).unwrap();
        let bytes = std::fs::read(&device).unwrap();
        assert_eq!(outcome.bytes, bytes.len() as i64);
        let d = decode(&bytes);
        assert!(d.ends_with_cut && d.tickets[0].iter().any(|l| l.ends_with("Bs 1.234,50")), "{tipo}");
    }
    // A device that is not there (the printer unplugged) is refused at once, clearly.
    let gone = PrinterSettingsInput { tipo: "USB".into(), direccion: Some("/dev/usb/lp-ninguna".into()), ..network_printer("", "58", false) };
    fx.app.update_printer_settings(gone).unwrap();
    let err = expect_err(fx.as_(Cashier).print_receipt(receipt("AGENTE", tx.id)), "no device");
    assert_eq!(err.code, ErrorCode::ImpresoraNoDisponible);
    assert!(err.message.contains("/dev/usb/lp-ninguna"), "{}", err.message);
}

#[test]
fn every_kind_of_receipt_prints_the_same_lines_on_the_printer_as_in_the_print_dialog() {
    let mut fx = Fixture::new();
    let (session, tx) = deposit(&mut fx);
    let cashier = fx.as_(Cashier);
    let injection = cashier.inject_carrier_float(injection("Tigo", "1500", session)).unwrap();
    let topup = cashier.create_topup(topup("Tigo", "71234567", "20", session)).unwrap();
    let pago = cashier.create_payment(pago(42, "EFECTIVO", "2.345,60", None, session)).unwrap();
    let movement = cashier.record_cash_movement(ingreso(session, "1.000,25")).unwrap();
    fx.app.void_topup(void(topup.id, "Número equivocado")).unwrap();

    let cases = [
        (receipt("AGENTE", tx.id), "Recibido del cliente", "Bs 1.239,50"),
        (receipt("RECARGA", topup.id), "Cobrado al cliente", "Bs 20,00"),
        (receipt("INYECCION", injection.id), "Pagado con efectivo de caja", "Bs 1.500,00"),
        (receipt("PAGO", pago.id), "Monto pagado", "Bs 2.345,60"),
        (receipt("MOVIMIENTO", movement.id), "Ingresado a caja", "Bs 1.000,25"),
    ];
    for (input, label, amount) in cases {
        let printer = RawPrinter::start();
        fx.app.update_printer_settings(network_printer(&printer.address, "58", false)).unwrap();
        let dialog = fx.as_(Cashier).receipt_lines(input.clone()).unwrap();
        fx.as_(Cashier).print_receipt(input.clone()).unwrap();
        let printed = decode(&printer.bytes()).tickets.remove(0);
        assert_eq!(value_of(&printed, label), amount, "{}: {printed:#?}", input.tipo);
        // The dialog's copy is the same text (its footer's print time aside).
        let body = |lines: &[String]| lines.iter().filter(|l| !l.contains("Impreso:")).cloned().collect::<Vec<_>>();
        assert_eq!(body(&printed), body(&dialog), "{}", input.tipo);
    }
    let voided = fx.as_(Cashier).receipt_lines(receipt("RECARGA", topup.id)).unwrap();
    assert!(voided.iter().any(|l| l.trim() == "ANULADO") && voided.iter().any(|l| l.contains("Número equivocado")));
}

/// The value printed for `label`: on its line, or right-aligned on the next when both do
/// not fit the paper.
fn value_of(lines: &[String], label: &str) -> String {
    let at = lines.iter().position(|l| l.starts_with(label)).unwrap_or_else(|| panic!("no {label}: {lines:#?}"));
    let rest = lines[at][label.len()..].trim();
    if rest.is_empty() { lines[at + 1].trim().to_string() } else { rest.to_string() }
}

/// Closes the cashier's session after an INGRESO of Bs 1.234,50, counting what is expected.
fn closed_session(fx: &mut Fixture) -> i64 {
    let register = fx.mixta.id;
    let session = fx.as_(Cashier).open_session(open(register, "500")).unwrap().id;
    fx.as_(Cashier).record_cash_movement(ingreso(session, "1.234,50")).unwrap();
    fx.as_(Cashier).record_cash_movement(egreso(session, "34,50")).unwrap();
    let expected = fx.drawer(session);
    fx.as_(Cashier).close_session(close(session, counts_for(expected))).unwrap();
    session
}

#[test]
fn the_z_report_prints_on_the_thermal_printer_and_saves_as_a_pdf_whose_totals_pdftotext_reads() {
    let mut fx = Fixture::new();
    let session = closed_session(&mut fx);
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "80", true)).unwrap();
    let outcome = fx.app.print_session_report(session).unwrap();
    assert_eq!(outcome.copias, 1, "the store copy is for receipts; the report prints once");
    let printed = decode(&printer.bytes()).tickets.remove(0);
    let has = |lines: &[String], label: &str, amount: &str| lines.iter().any(|l| l.starts_with(label) && l.trim_end().ends_with(amount));
    assert!(printed.iter().any(|l| l.trim() == "REPORTE Z (cierre)"), "{printed:#?}");
    assert!(has(&printed, "Total ingresos", "Bs 1.234,50") && has(&printed, "Total egresos", "Bs 34,50"), "{printed:#?}");
    assert!(has(&printed, "Esperado", "Bs 1.700,00") && has(&printed, "Contado", "Bs 1.700,00"));
    assert!(has(&printed, "Diferencia", "Bs 0,00") && has(&printed, "Resultado", "CUADRADO"));
    // The print dialog gets the same lines.
    let dialog = fx.app.session_report_lines(session).unwrap();
    let body = |lines: &[String]| lines.iter().filter(|l| !l.contains("Impreso:")).cloned().collect::<Vec<_>>();
    assert_eq!(body(&printed), body(&dialog));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reporte-z.pdf");
    let written = fx.app.save_session_report_pdf(session, path.to_str().unwrap()).unwrap();
    assert!(std::fs::read(&written).unwrap().starts_with(b"%PDF-"));
    let out = std::process::Command::new("pdftotext").args(["-layout", &written, "-"]).output().expect("pdftotext (poppler-utils) installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
    assert!(lines.iter().any(|l| l == "REPORTE Z (cierre)"), "{text}");
    assert!(has(&lines, "Total ingresos", "Bs 1.234,50") && has(&lines, "Total egresos", "Bs 34,50"), "{text}");
    assert!(has(&lines, "Esperado", "Bs 1.700,00") && has(&lines, "Contado", "Bs 1.700,00") && has(&lines, "Fondo inicial", "Bs 500,00"), "{text}");
    assert!(has(&lines, "Aporte del dueño (1)", "Bs 1.234,50"), "accents survive the PDF: {text}");
    assert!(has(&lines, "Sesión", &format!("N.º {session}")));
}

#[test]
fn an_english_operators_z_report_prints_and_saves_in_english_with_english_amounts() {
    let mut fx = Fixture::new();
    let session = closed_session(&mut fx);
    fx.app.set_own_language("en").unwrap();
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "80", false)).unwrap();
    fx.app.print_session_report(session).unwrap();
    let printed = decode(&printer.bytes()).tickets.remove(0);
    let has = |lines: &[String], label: &str, amount: &str| lines.iter().any(|l| l.starts_with(label) && l.trim_end().ends_with(amount));
    assert!(printed.iter().any(|l| l.trim() == "Z REPORT (close)"), "{printed:#?}");
    assert!(has(&printed, "Total cash in", "Bs 1,234.50") && has(&printed, "Total cash out", "Bs 34.50"), "{printed:#?}");
    assert!(has(&printed, "Expected", "Bs 1,700.00") && has(&printed, "Counted", "Bs 1,700.00"), "{printed:#?}");
    assert!(has(&printed, "Difference", "Bs 0.00") && has(&printed, "Result", "BALANCED"));
    assert!(has(&printed, "Opening float", "Bs 500.00") && has(&printed, "Owner contribution (1)", "Bs 1,234.50"));
    assert!(printed.iter().any(|l| l == "CASH COUNT") && printed.iter().any(|l| l == "CASH MOVEMENTS"));
    let dialog = fx.app.session_report_lines(session).unwrap();
    let body = |lines: &[String]| lines.iter().filter(|l| !l.contains("Printed:")).cloned().collect::<Vec<_>>();
    assert_eq!(body(&printed), body(&dialog));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z-report.pdf");
    let written = fx.app.save_session_report_pdf(session, path.to_str().unwrap()).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", &written, "-"]).output().expect("pdftotext (poppler-utils) installed");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
    assert!(lines.iter().any(|l| l == "Z REPORT (close)"), "{text}");
    assert!(has(&lines, "Total cash in", "Bs 1,234.50") && has(&lines, "Expected", "Bs 1,700.00"), "{text}");
    assert!(has(&lines, "Session", &format!("No. {session}")), "{text}");
    // The cashier, still in Spanish, prints the same report in Spanish.
    let spanish = fx.as_(Cashier).session_report_lines(session).unwrap();
    assert!(has(&spanish, "Total ingresos", "Bs 1.234,50"), "{spanish:#?}");
}

#[test]
fn the_test_page_prints_the_width_and_accents_for_an_administrator_only() {
    let mut fx = Fixture::new();
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "58", false)).unwrap();
    let err = expect_err(fx.as_(Cashier).print_test_page(), "cashier");
    assert_eq!(err.code, ErrorCode::PermisoDenegado);
    fx.app.print_test_page().unwrap();
    let page = decode(&printer.bytes()).tickets.remove(0);
    assert!(page.iter().any(|l| l.starts_with("Papel") && l.ends_with("58 mm, 32 columnas")), "{page:#?}");
    assert!(page.iter().any(|l| l == "Acentos: á é í ó ú ñ Ñ ¿ ¡"));
    assert!(page.iter().any(|l| l.ends_with("Bs 1.234,50")));
    assert!(page.contains(&"12345678901234567890123456789012".to_string()));
    // In English for an English administrator, accents still printed.
    fx.app.set_own_language("en").unwrap();
    let printer = RawPrinter::start();
    fx.app.update_printer_settings(network_printer(&printer.address, "58", false)).unwrap();
    fx.app.print_test_page().unwrap();
    let page = decode(&printer.bytes()).tickets.remove(0);
    assert!(page.iter().any(|l| l.starts_with("Paper") && l.ends_with("58 mm, 32 columns")), "{page:#?}");
    assert!(page.iter().any(|l| l.starts_with("Sample amount") && l.ends_with("Bs 1,234.50")), "{page:#?}");
    assert!(page.iter().any(|l| l == "Accents: á é í ó ú ñ Ñ ¿ ¡"));
}

#[test]
fn printer_settings_are_kept_audited_and_read_by_every_operator() {
    let mut fx = Fixture::new();
    assert_eq!(fx.as_(Cashier).get_printer_settings().unwrap(), PrinterSettings::default());
    let saved = fx.app.update_printer_settings(network_printer("192.168.1.50", "58", true)).unwrap();
    assert_eq!(saved.direccion.as_deref(), Some("192.168.1.50"));
    assert_eq!(fx.as_(Cashier).get_printer_settings().unwrap(), saved);
    let audit = fx.app.list_audit_log(AuditFilter { action: Some("update_printer_settings".into()), ..AuditFilter::default() }).unwrap();
    assert_eq!(audit.total, 1);
    assert!(audit.items[0].detail.contains("192.168.1.50"));
}

#[test]
fn the_printed_words_are_the_screens_words_where_the_screen_has_the_same_label() {
    use mostrador::domain::ticket_labels::{Labels, EN, ES};
    let locale = |file: &str| -> serde_json::Value {
        let path = format!("{}/ui/src/locales/{file}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    };
    let pairs: [(fn(&Labels) -> &'static str, &str); 44] = [
        (|l| l.amount, "receiptText.amount"),
        (|l| l.fee, "receiptText.fee"),
        (|l| l.received, "receiptText.received"),
        (|l| l.handed_over, "receiptText.handedOver"),
        (|l| l.provider, "receiptText.provider"),
        (|l| l.operation, "receiptText.operation"),
        (|l| l.reference_no, "receiptText.reference"),
        (|l| l.customer_account, "receiptText.customerAccount"),
        (|l| l.bank_voucher, "receiptText.bankVoucher"),
        (|l| l.archived, "receiptText.archived"),
        (|l| l.carrier, "receiptText.carrier"),
        (|l| l.mobile, "receiptText.mobile"),
        (|l| l.charged, "receiptText.charged"),
        (|l| l.paid_from_drawer, "receiptText.paidFromDrawer"),
        (|l| l.bonus, "receiptText.bonus"),
        (|l| l.credited, "receiptText.credited"),
        (|l| l.payment_title, "receiptText.paymentTitle"),
        (|l| l.work_order, "receiptText.workOrder"),
        (|l| l.customer, "receiptText.customer"),
        (|l| l.payment_date, "receiptText.paymentDate"),
        (|l| l.method, "receiptText.method"),
        (|l| l.payment_reference, "receiptText.paymentReference"),
        (|l| l.paid, "receiptText.paid"),
        (|l| l.voided, "receipt.anulado"),
        (|l| l.register, "report.caja"),
        (|l| l.operator, "report.operador"),
        (|l| l.session, "report.sesion"),
        (|l| l.opening, "report.apertura"),
        (|l| l.closing, "report.cierre"),
        (|l| l.opening_float, "report.fondo_inicial"),
        (|l| l.opening_adjustment, "report.ajuste_de_apertura"),
        (|l| l.total_in, "report.total_ingresos"),
        (|l| l.total_out, "report.total_egresos"),
        (|l| l.expected, "report.esperado"),
        (|l| l.counted, "report.contado"),
        (|l| l.difference, "report.diferencia"),
        (|l| l.result, "report.resultado"),
        (|l| l.by_operator, "report.por_operador"),
        (|l| l.no_movements, "report.sin_movimientos"),
        (|l| l.voided_operations, "report.operaciones_anuladas"),
        (|l| l.balances_title, "report.balancesTitle"),
        (|l| l.balances_when, "report.balancesWhen"),
        (|l| l.balances_store, "report.balancesStore"),
        (|l| l.balances_provider, "report.balancesProvider"),
    ];
    for (labels, file) in [(&ES, "es.json"), (&EN, "en.json")] {
        let screen = locale(file);
        for (label, key) in &pairs {
            let (group, name) = key.split_once('.').unwrap();
            assert_eq!(label(labels), screen[group][name].as_str().unwrap_or_else(|| panic!("{file} has no {key}")), "{file} {key}");
        }
        for reason in MovementReason::ALL {
            assert_eq!(Some(labels.of_reason(*reason)), screen["reason"][reason.as_str()].as_str(), "{file} reason.{}", reason.as_str());
        }
        for tipo in TipoOperacion::ALL {
            assert_eq!(Some(labels.of_tipo(*tipo)), screen["tipo"][tipo.as_str()].as_str(), "{file} tipo.{}", tipo.as_str());
        }
        for metodo in MetodoPago::ALL {
            assert_eq!(Some(labels.of_metodo(*metodo)), screen["metodo"][metodo.as_str()].as_str(), "{file} metodo.{}", metodo.as_str());
        }
    }
}
