//! Printing: the printer settings, the receipt and report tickets built from the records
//! (with the same read permissions as the screens), the ESC/POS jobs and the Z report's
//! PDF. A print never writes to the ledger: the operation was committed before it.

use serde_json::json;

use super::Mostrador;
use crate::domain::printing::{self, PrinterSettingsInput};
use crate::domain::ticket_labels::{fill, labels};
use crate::domain::tickets::{self, Place};
use crate::domain::{
    text, CoreError, CoreResult, ErrorCode, PrintOutcome, PrintReceiptInput, PrinterSettings, Ticket, TipoComprobante,
};
use crate::printer::{pdf, PrintJob};
use crate::store;
use crate::store::records::audit;

/// The parsed input of a receipt: which record.
fn receipt_input(input: &PrintReceiptInput) -> CoreResult<(TipoComprobante, i64)> {
    let tipo = TipoComprobante::parse(input.tipo.trim())
        .ok_or_else(|| CoreError::invalid("tipo", "debe ser AGENTE, RECARGA, INYECCION, PAGO o MOVIMIENTO"))?;
    if input.id < 1 {
        return Err(CoreError::invalid("id", "debe ser un número positivo"));
    }
    Ok((tipo, input.id))
}

impl Mostrador {
    /// The printer settings: any operator reads them (the counter needs to know whether to
    /// print to the thermal printer or open the dialog, and whether to print at once).
    pub fn get_printer_settings(&self) -> CoreResult<PrinterSettings> {
        self.operator()?;
        Ok(store::printing::printer_settings(&self.conn)?)
    }

    pub fn update_printer_settings(&mut self, input: PrinterSettingsInput) -> CoreResult<PrinterSettings> {
        let actor = self.admin("configurar la impresora")?.id;
        let settings = printing::printer_settings(&input)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        store::printing::put_printer_settings(&tx, &settings)?;
        audit(&tx, Some(actor), "update_printer_settings", "settings", None, json!(settings), &now)?;
        tx.commit()?;
        Ok(settings)
    }

    /// The receipt of a record as printed (the customer's copy, or the store's).
    pub fn receipt_ticket(&self, input: &PrintReceiptInput, store_copy: bool) -> CoreResult<Ticket> {
        let language = self.operator()?.language;
        let (tipo, id) = receipt_input(input)?;
        let scope = self.reader_scope()?;
        let not_found = |what| CoreError::not_found("id", what);
        let place = |session_id: i64, operator: Option<String>| -> CoreResult<Place> {
            self.may_read_session(scope, session_id)?;
            let session = store::sessions::load(&self.conn, session_id)?.ok_or_else(|| not_found("la sesión de caja"))?;
            Ok(Place {
                store: self.get_store_profile()?,
                register: session.register_name,
                session_id,
                operator: operator.unwrap_or(session.operator_name),
                printed_at: self.now(),
                store_copy,
                language,
            })
        };
        Ok(match tipo {
            TipoComprobante::Agente => {
                let t = store::agents::load(&self.conn, id)?.ok_or_else(|| not_found("la transacción de agente"))?;
                let providers = store::agents::providers(&self.conn)?;
                let name = providers.iter().find(|p| p.code == t.banco).map(|p| p.name.as_str());
                let call = store::call_states::of_transactions(&self.conn, &[t.id], None)?.into_iter().next();
                tickets::agent_receipt(&place(t.id_caja_sesion, None)?, &t, name, call.as_ref())
            }
            TipoComprobante::Recarga => {
                let r = store::recargas::load_topup(&self.conn, id)?.ok_or_else(|| not_found("la recarga"))?;
                tickets::topup_receipt(&place(r.id_caja_sesion, None)?, &r)
            }
            TipoComprobante::Inyeccion => {
                let i = store::recargas::load_injection(&self.conn, id)?.ok_or_else(|| not_found("la inyección"))?;
                tickets::injection_receipt(&place(i.id_caja_sesion, None)?, &i)
            }
            TipoComprobante::Pago => {
                let p = store::payments::load(&self.conn, id)?.ok_or_else(|| not_found("el pago"))?;
                tickets::payment_receipt(&place(p.id_caja_sesion, Some(p.empleado.clone()))?, &p)
            }
            TipoComprobante::Movimiento => {
                let m = store::printing::movement(&self.conn, id)?.ok_or_else(|| not_found("el movimiento de caja"))?;
                tickets::movement_receipt(&place(m.session_id, None)?, &m)
            }
        })
    }

    /// The receipt's lines at the configured paper width: what the print dialog prints
    /// when there is no thermal printer, so both say the same.
    pub fn receipt_lines(&self, input: PrintReceiptInput) -> CoreResult<Vec<String>> {
        let width = store::printing::printer_settings(&self.conn)?.ancho;
        Ok(self.receipt_ticket(&input, false)?.plain(width.columns()))
    }

    /// The X/Z report's lines at the configured paper width, for the print dialog.
    pub fn session_report_lines(&self, session_id: i64) -> CoreResult<Vec<String>> {
        let width = store::printing::printer_settings(&self.conn)?.ancho;
        Ok(self.session_report_ticket(session_id)?.plain(width.columns()))
    }

    /// The X/Z report as printed, in the language of the operator who prints it.
    pub fn session_report_ticket(&self, session_id: i64) -> CoreResult<Ticket> {
        let report = self.session_report(session_id)?;
        let language = self.operator()?.language;
        Ok(tickets::session_report(&self.get_store_profile()?, &report, &self.now(), language))
    }

    /// The receipt's job for the thermal printer: the customer's copy, and the store's
    /// when the settings ask for it. Validates before it looks at the printer.
    pub fn receipt_job(&self, input: PrintReceiptInput) -> CoreResult<PrintJob> {
        let customer = self.receipt_ticket(&input, false)?;
        let settings = store::printing::printer_settings(&self.conn)?;
        let mut copies = vec![customer];
        if settings.copia_tienda {
            copies.push(self.receipt_ticket(&input, true)?);
        }
        PrintJob::new(&settings, &copies)
    }

    pub fn session_report_job(&self, session_id: i64) -> CoreResult<PrintJob> {
        let ticket = self.session_report_ticket(session_id)?;
        PrintJob::new(&store::printing::printer_settings(&self.conn)?, &[ticket])
    }

    /// A page that shows the width, the accents and the amounts print as they should.
    pub fn test_page_job(&self) -> CoreResult<PrintJob> {
        let language = self.admin("imprimir la página de prueba")?.language;
        let l = labels(language);
        let settings = store::printing::printer_settings(&self.conn)?;
        let columns = settings.ancho.columns();
        let mut t = Ticket::default();
        t.title(self.get_store_profile()?.nombre)
            .center(l.test_page)
            .rule()
            .pair(l.paper, fill(l.paper_width, &[settings.ancho.as_str(), &columns.to_string()]))
            .pair(l.sample_amount, printing::bs_in(crate::domain::Money::from_centavos(123_450), language))
            .text(format!("{} á é í ó ú ñ Ñ ¿ ¡", l.accents))
            .text("1234567890".repeat(columns / 10 + 1).chars().take(columns).collect::<String>())
            .rule()
            .center(fill(l.printed, &[&printing::local_time(&self.now())]));
        PrintJob::new(&settings, &[t])
    }

    /// Prints a receipt on the thermal printer (waits at most `printer::SEND_TIMEOUT`).
    pub fn print_receipt(&self, input: PrintReceiptInput) -> CoreResult<PrintOutcome> {
        self.receipt_job(input)?.send()
    }

    pub fn print_session_report(&self, session_id: i64) -> CoreResult<PrintOutcome> {
        self.session_report_job(session_id)?.send()
    }

    pub fn print_test_page(&self) -> CoreResult<PrintOutcome> {
        self.test_page_job()?.send()
    }

    /// Writes the X/Z report as a PDF at `path` (chosen in the save dialog).
    pub fn save_session_report_pdf(&self, session_id: i64, path: &str) -> CoreResult<String> {
        let path = text::required("ruta", path, 1000)?;
        let ticket = self.session_report_ticket(session_id)?;
        let title = match self.operator()?.language {
            crate::domain::Language::Es => format!("Reporte de caja - sesión {session_id}"),
            crate::domain::Language::En => format!("Register report - session {session_id}"),
        };
        std::fs::write(&path, pdf::ticket_pdf(&title, &ticket))
            .map_err(|e| CoreError::new(ErrorCode::ArchivoInvalido, "ruta", format!("No se pudo escribir el archivo: {e}.")))?;
        Ok(path)
    }
}
