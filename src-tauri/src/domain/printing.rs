//! What a printed receipt or report says, and the printer it goes to. A [`Ticket`] is built
//! in the core from the record, so the thermal printer, the system print dialog and the
//! PDF all print the same text; [`Ticket::render`] lays it out for a paper width.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::clock::store_offset;
use super::error::{CoreError, ErrorCode};
use super::wire::wire_enum;
use super::{Language, Money};

wire_enum!(
    /// How the thermal printer is reached: none (the system dialog prints), a network
    /// printer's raw port, or a device file (USB printer class or serial port).
    TipoImpresora { Ninguna => "NINGUNA", Red => "RED", Usb => "USB", Serie => "SERIE" }
);

wire_enum!(
    /// Paper roll width in millimetres.
    AnchoPapel { Mm58 => "58", Mm80 => "80" }
);

impl AnchoPapel {
    /// Characters per line in the printer's standard font (font A, 12×24 dots): 32 on a
    /// 58 mm roll (384 dots), 48 on an 80 mm roll (576 dots).
    pub const fn columns(self) -> usize {
        match self {
            AnchoPapel::Mm58 => 32,
            AnchoPapel::Mm80 => 48,
        }
    }
}

/// The raw port of a network receipt printer (the de facto standard "JetDirect" port).
pub const DEFAULT_PRINTER_PORT: u16 = 9100;

/// The store's thermal printer, as the administrator set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrinterSettings {
    pub tipo: TipoImpresora,
    /// `host[:port]` for RED (port 9100 when omitted), the device file for USB / SERIE.
    pub direccion: Option<String>,
    pub ancho: AnchoPapel,
    /// Print each operation's receipt as soon as it is recorded.
    pub impresion_automatica: bool,
    /// Print a second copy marked for the store.
    pub copia_tienda: bool,
}

impl Default for PrinterSettings {
    fn default() -> Self {
        PrinterSettings {
            tipo: TipoImpresora::Ninguna,
            direccion: None,
            ancho: AnchoPapel::Mm80,
            impresion_automatica: false,
            copia_tienda: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PrinterSettingsInput {
    #[ts(as = "TipoImpresora")]
    pub tipo: String,
    #[ts(optional)]
    pub direccion: Option<String>,
    #[ts(as = "AnchoPapel")]
    pub ancho: String,
    pub impresion_automatica: bool,
    pub copia_tienda: bool,
}

/// Where a network printer listens: a host (IP or name) and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkAddress {
    pub host: String,
    pub port: u16,
}

/// Reads `host[:port]`; the port defaults to 9100.
pub fn network_address(field: &str, text: &str) -> Result<NetworkAddress, CoreError> {
    let bad = || CoreError::invalid(field, "debe ser una dirección de red como 192.168.1.50 o 192.168.1.50:9100");
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(bad)?),
        None => (text, DEFAULT_PRINTER_PORT),
    };
    let valid_host = !host.is_empty()
        && host.len() <= 253
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !valid_host {
        return Err(bad());
    }
    Ok(NetworkAddress { host: host.to_string(), port })
}

/// Validates the printer settings an administrator typed. The address is required for a
/// printer type that needs one, and ignored (stored empty) for NINGUNA.
pub fn printer_settings(input: &PrinterSettingsInput) -> Result<PrinterSettings, CoreError> {
    let tipo = TipoImpresora::parse(input.tipo.trim())
        .ok_or_else(|| CoreError::invalid("tipo", "debe ser NINGUNA, RED, USB o SERIE"))?;
    let ancho = AnchoPapel::parse(input.ancho.trim()).ok_or_else(|| CoreError::invalid("ancho", "debe ser 58 u 80"))?;
    let text = input.direccion.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let direccion = match (tipo, text) {
        (TipoImpresora::Ninguna, _) => None,
        (_, None) => return Err(CoreError::required("direccion")),
        (_, Some(text)) if text.chars().count() > 200 => {
            return Err(CoreError::new(ErrorCode::TextoDemasiadoLargo, "direccion", "El campo «dirección» admite como máximo 200 caracteres."))
        }
        (TipoImpresora::Red, Some(text)) => {
            network_address("direccion", text)?;
            Some(text.to_string())
        }
        (_, Some(text)) => Some(device_path(text)?),
    };
    Ok(PrinterSettings { tipo, direccion, ancho, impresion_automatica: input.impresion_automatica, copia_tienda: input.copia_tienda })
}

/// A device file: an absolute path (`/dev/usb/lp0`, `/dev/ttyUSB0`) or a Windows port
/// (`COM3`, `\\.\COM10`), with no control characters.
fn device_path(text: &str) -> Result<String, CoreError> {
    let windows_port = text.to_ascii_uppercase().trim_start_matches(r"\\.\").starts_with("COM");
    if !(text.starts_with('/') || windows_port) || text.chars().any(char::is_control) {
        return Err(CoreError::invalid("direccion", "debe ser la ruta del dispositivo, como /dev/usb/lp0 o /dev/ttyUSB0"));
    }
    Ok(text.to_string())
}

wire_enum!(
    /// The record a receipt is printed from.
    TipoComprobante {
        Agente => "AGENTE",
        Recarga => "RECARGA",
        Inyeccion => "INYECCION",
        Pago => "PAGO",
        Movimiento => "MOVIMIENTO",
    }
);

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct PrintReceiptInput {
    #[ts(as = "TipoComprobante")]
    pub tipo: String,
    pub id: i64,
}

/// What was sent to the thermal printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintOutcome {
    /// The printer, as the settings name it ("red 192.168.1.50:9100").
    pub destino: String,
    /// Copies printed: 1, or 2 with the store copy.
    pub copias: i64,
    pub bytes: i64,
}

/// One line of a ticket, before it is laid out for a paper width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketLine {
    /// Centred text (the store's name, the title); `big` prints it emphasised.
    Center { text: String, big: bool },
    /// Text from the left margin, wrapped.
    Text(String),
    /// A label on the left and its value on the right; `big` for the amount that changes hands.
    Pair { label: String, value: String, big: bool },
    /// A full-width rule.
    Rule,
    Blank,
}

/// A receipt or report as printed, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ticket {
    pub lines: Vec<TicketLine>,
}

/// A laid-out line: its text (at most the width's columns) and whether to emphasise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedLine {
    pub text: String,
    pub big: bool,
}

impl Ticket {
    pub fn center(&mut self, text: impl Into<String>) -> &mut Self {
        self.lines.push(TicketLine::Center { text: text.into(), big: false });
        self
    }

    pub fn title(&mut self, text: impl Into<String>) -> &mut Self {
        self.lines.push(TicketLine::Center { text: text.into(), big: true });
        self
    }

    pub fn text(&mut self, text: impl Into<String>) -> &mut Self {
        self.lines.push(TicketLine::Text(text.into()));
        self
    }

    pub fn pair(&mut self, label: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.lines.push(TicketLine::Pair { label: label.into(), value: value.into(), big: false });
        self
    }

    pub fn big_pair(&mut self, label: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.lines.push(TicketLine::Pair { label: label.into(), value: value.into(), big: true });
        self
    }

    pub fn rule(&mut self) -> &mut Self {
        self.lines.push(TicketLine::Rule);
        self
    }

    pub fn blank(&mut self) -> &mut Self {
        self.lines.push(TicketLine::Blank);
        self
    }

    /// The ticket laid out in `columns` characters per line: text wrapped at spaces, a
    /// pair's value right-aligned (on its own line when both do not fit), characters the
    /// printer's code page lacks replaced by `?`.
    pub fn render(&self, columns: usize) -> Vec<PrintedLine> {
        assert!(columns >= 16, "a receipt needs at least 16 columns");
        let mut out = Vec::new();
        for line in &self.lines {
            match line {
                TicketLine::Center { text, big } => {
                    for part in wrap(&printable(text), columns) {
                        let pad = (columns - width(&part)) / 2;
                        out.push(PrintedLine { text: format!("{}{part}", " ".repeat(pad)), big: *big });
                    }
                }
                TicketLine::Text(text) => {
                    out.extend(wrap(&printable(text), columns).into_iter().map(|text| PrintedLine { text, big: false }))
                }
                TicketLine::Pair { label, value, big } => out.extend(pair(&printable(label), &printable(value), columns, *big)),
                TicketLine::Rule => out.push(PrintedLine { text: "-".repeat(columns), big: false }),
                TicketLine::Blank => out.push(PrintedLine { text: String::new(), big: false }),
            }
        }
        debug_assert!(out.iter().all(|l| width(&l.text) <= columns));
        out
    }

    /// The ticket as plain text lines of `columns` characters (the print dialog, the PDF).
    pub fn plain(&self, columns: usize) -> Vec<String> {
        self.render(columns).into_iter().map(|l| l.text).collect()
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn pair(label: &str, value: &str, columns: usize, big: bool) -> Vec<PrintedLine> {
    let line = |text: String| PrintedLine { text, big };
    if width(label) + 1 + width(value) <= columns {
        let gap = columns - width(label) - width(value);
        return vec![line(format!("{label}{}{value}", " ".repeat(gap)))];
    }
    let mut lines: Vec<PrintedLine> = wrap(label, columns).into_iter().map(line).collect();
    for part in wrap(value, columns) {
        lines.push(line(format!("{}{part}", " ".repeat(columns - width(&part)))));
    }
    lines
}

/// Splits `text` into lines of at most `columns` characters, at spaces where it can.
fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > columns {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(word.drain(..columns).collect());
        }
        let word: String = word.into_iter().collect();
        if !current.is_empty() && width(&current) + 1 + width(&word) > columns {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Keeps what the printer's Western European code page (Windows-1252) prints and every
/// thermal printer font has: ASCII and the letters and signs Bolivian Spanish uses;
/// anything else becomes `?`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c,
            'á' | 'é' | 'í' | 'ó' | 'ú' | 'Á' | 'É' | 'Í' | 'Ó' | 'Ú' | 'ñ' | 'Ñ' | 'ü' | 'Ü' | '¿' | '¡' | 'º' | 'ª' | '°' => c,
            '—' | '–' => '-',
            '«' | '»' => '"',
            _ => '?',
        })
        .collect()
}

/// An amount as a Bolivian reads it on paper: `Bs 1.234,50`, `Bs -5,00`.
pub fn bs(amount: Money) -> String {
    bs_in(amount, Language::Es)
}

/// An amount as the operator's language writes it, like the screens do: Spanish
/// `Bs 1.234,50`, English `Bs 1,234.50`.
pub fn bs_in(amount: Money, language: Language) -> String {
    let (thousands, decimal) = match language {
        Language::Es => ('.', ','),
        Language::En => (',', '.'),
    };
    let centavos = amount.centavos();
    let sign = if centavos < 0 { "-" } else { "" };
    let abs = centavos.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(digit);
    }
    format!("Bs {sign}{grouped}{decimal}{:02}", abs % 100)
}

/// A stored instant as the store's local date and time: `05/12/2026 14:30`.
pub fn local_time(stamp: &str) -> String {
    match DateTime::parse_from_rfc3339(stamp) {
        Ok(at) => at.with_timezone(&Utc).with_timezone(&store_offset()).format("%d/%m/%Y %H:%M").to_string(),
        Err(_) => stamp.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_with_dots_for_thousands_and_a_comma_for_centavos() {
        assert_eq!(bs(Money::from_centavos(123_450)), "Bs 1.234,50");
        assert_eq!(bs(Money::from_centavos(5)), "Bs 0,05");
        assert_eq!(bs(Money::from_centavos(-500)), "Bs -5,00");
        assert_eq!(bs(Money::from_centavos(100_000_000)), "Bs 1.000.000,00");
        assert_eq!(bs(Money::from_centavos(99_999)), "Bs 999,99");
    }

    #[test]
    fn amounts_in_english_print_with_commas_for_thousands_and_a_point_for_centavos() {
        assert_eq!(bs_in(Money::from_centavos(123_450), Language::En), "Bs 1,234.50");
        assert_eq!(bs_in(Money::from_centavos(5), Language::En), "Bs 0.05");
        assert_eq!(bs_in(Money::from_centavos(-500), Language::En), "Bs -5.00");
        assert_eq!(bs_in(Money::from_centavos(100_000_000), Language::En), "Bs 1,000,000.00");
        assert_eq!(bs_in(Money::from_centavos(123_450), Language::Es), bs(Money::from_centavos(123_450)));
    }

    #[test]
    fn every_rendered_line_fits_the_paper_and_pairs_keep_their_value_on_the_right() {
        let mut t = Ticket::default();
        t.title("Depósito — agente bancario")
            .pair("Monto", "Bs 1.234,50")
            .pair("Una etiqueta muy larga que no cabe en la línea", "Bs 12.345.678,90")
            .text("palabra ".repeat(20))
            .text("x".repeat(70))
            .rule();
        for columns in [32, 48] {
            let lines = t.render(columns);
            assert!(lines.iter().all(|l| l.text.chars().count() <= columns), "{lines:?}");
            let monto = lines.iter().find(|l| l.text.starts_with("Monto")).unwrap();
            assert_eq!(monto.text.chars().count(), columns);
            assert!(monto.text.ends_with("Bs 1.234,50"));
            assert_eq!(lines.last().unwrap().text, "-".repeat(columns));
            assert!(lines.iter().any(|l| l.text.ends_with("Bs 12.345.678,90")));
        }
    }

    #[test]
    fn characters_the_printer_lacks_become_question_marks() {
        assert_eq!(printable("Ñandú €5 «sí» 😀"), "Ñandú ?5 \"sí\" ?");
    }

    #[test]
    fn printer_settings_refuse_what_cannot_reach_a_printer() {
        let input = |tipo: &str, direccion: Option<&str>, ancho: &str| PrinterSettingsInput {
            tipo: tipo.into(),
            direccion: direccion.map(str::to_string),
            ancho: ancho.into(),
            impresion_automatica: true,
            copia_tienda: false,
        };
        let field = |i: PrinterSettingsInput| printer_settings(&i).unwrap_err().field.unwrap();
        assert_eq!(field(input("LASER", None, "80")), "tipo");
        assert_eq!(field(input("RED", Some("10.0.0.5"), "72")), "ancho");
        assert_eq!(field(input("RED", None, "80")), "direccion");
        assert_eq!(field(input("RED", Some("10.0.0.5:0"), "80")), "direccion");
        assert_eq!(field(input("RED", Some("10.0.0.5:99999"), "80")), "direccion");
        assert_eq!(field(input("RED", Some("http://10.0.0.5"), "80")), "direccion");
        assert_eq!(field(input("USB", Some("lp0"), "58")), "direccion");
        let ok = printer_settings(&input("RED", Some(" 10.0.0.5 "), "58")).unwrap();
        assert_eq!((ok.direccion.as_deref(), ok.ancho.columns()), (Some("10.0.0.5"), 32));
        assert_eq!(network_address("d", "printer.local:9101").unwrap().port, 9101);
        assert_eq!(printer_settings(&input("NINGUNA", Some("x"), "80")).unwrap().direccion, None);
        assert_eq!(printer_settings(&input("SERIE", Some("/dev/ttyUSB0"), "80")).unwrap().tipo, TipoImpresora::Serie);
    }
}
