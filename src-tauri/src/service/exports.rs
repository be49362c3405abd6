//! CSV exports of the lists a manager takes to a spreadsheet: History's agent
//! transactions, the register sessions and the outbox. Each reads every page of its list
//! with the same filter and permissions as the screen, and writes the file with the `csv`
//! crate (`domain::csv_text::write_table`: `;`, a byte-order mark, amounts as `1234,50`).

use serde::Serialize;

use super::ops::MAX_PAGE_SIZE;
use super::Mostrador;
use crate::domain::{csv_text, text, AgentFilter, CoreError, CoreResult, ErrorCode, Money, OutboxFilter, Page, SessionFilter};

/// An amount as a spreadsheet in Bolivia reads it: "1234,50", "-5,00".
fn amount(m: Money) -> String {
    m.to_string().replacen('.', ",", 1)
}

fn optional_amount(m: Option<Money>) -> String {
    m.map(amount).unwrap_or_default()
}

/// An enum as it travels on the wire ("DEPOSITO", "acked").
fn wire(value: impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn text_or_empty(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Every item of a paged list, asking for the largest page until the total is read.
pub(super) fn all_pages<T>(mut page: impl FnMut(i64) -> CoreResult<Page<T>>) -> CoreResult<Vec<T>> {
    let mut items = Vec::new();
    for number in 1.. {
        let next = page(number)?;
        let done = next.items.is_empty() || next.page.saturating_mul(next.size) >= next.total;
        items.extend(next.items);
        if done {
            break;
        }
    }
    Ok(items)
}

/// Writes `bytes` to `path` (chosen in the save dialog) and returns the path.
pub(super) fn write_export(path: &str, bytes: CoreResult<Vec<u8>>) -> CoreResult<String> {
    let path = text::required("ruta", path, 1000)?;
    let bytes = bytes?;
    std::fs::write(&path, bytes)
        .map_err(|e| CoreError::new(ErrorCode::ArchivoInvalido, "ruta", format!("No se pudo escribir el archivo: {e}.")))?;
    Ok(path)
}

pub(super) fn table(header: &[&str], rows: Vec<Vec<String>>) -> CoreResult<Vec<u8>> {
    csv_text::write_table(header, rows).map_err(|e| CoreError::internal(format!("CSV: {e}")))
}

pub const AGENT_COLUMNS: [&str; 13] = [
    "id",
    "fecha",
    "banco",
    "tipo_operacion",
    "monto",
    "comision_cliente",
    "comision_banco",
    "nro_referencia",
    "cuenta_cliente",
    "id_caja_sesion",
    "id_usuario",
    "anulada_en",
    "motivo_anulacion",
];

pub const SESSION_COLUMNS: [&str; 12] = [
    "id",
    "caja",
    "operador",
    "estado",
    "abierta",
    "cerrada",
    "fondo_inicial",
    "ajuste_apertura",
    "contado",
    "esperado",
    "diferencia",
    "resultado",
];

pub const OUTBOX_COLUMNS: [&str; 17] = [
    "id",
    "banco",
    "llamada",
    "id_transaccion",
    "tipo_operacion",
    "nro_referencia",
    "clave",
    "monto",
    "estado",
    "intentos",
    "referencia_proveedor",
    "codigo_error",
    "mensaje_error",
    "creado",
    "actualizado",
    "confirmado",
    "motivo_cancelacion",
];

impl Mostrador {
    /// History's agent transactions matching `filter` (every page) as CSV at `path`.
    pub fn export_agent_transactions_csv(&self, filter: AgentFilter, path: &str) -> CoreResult<String> {
        let items = all_pages(|page| {
            self.list_agent_transactions(AgentFilter { page: Some(page), size: Some(MAX_PAGE_SIZE), despues_de: None, ..filter.clone() })
        })?;
        let rows = items
            .into_iter()
            .map(|t| {
                vec![
                    t.id.to_string(),
                    t.fecha,
                    t.banco,
                    wire(t.tipo_operacion),
                    amount(t.monto),
                    amount(t.comision_cliente),
                    amount(t.comision_banco),
                    t.nro_referencia,
                    text_or_empty(&t.cuenta_cliente),
                    t.id_caja_sesion.to_string(),
                    t.id_usuario.to_string(),
                    text_or_empty(&t.anulada_en),
                    text_or_empty(&t.motivo_anulacion),
                ]
            })
            .collect();
        write_export(path, table(&AGENT_COLUMNS, rows))
    }

    /// The register sessions matching `filter` (every page) as CSV at `path`; a cashier
    /// gets only their own, as on the screen.
    pub fn export_sessions_csv(&self, filter: SessionFilter, path: &str) -> CoreResult<String> {
        let items = all_pages(|page| self.list_sessions(SessionFilter { page: Some(page), size: Some(MAX_PAGE_SIZE), ..filter.clone() }))?;
        let rows = items
            .into_iter()
            .map(|s| {
                vec![
                    s.id.to_string(),
                    s.register_name,
                    s.operator_name,
                    wire(s.status),
                    s.opened_at,
                    text_or_empty(&s.closed_at),
                    amount(s.opening_float),
                    amount(s.opening_adjustment),
                    optional_amount(s.counted),
                    optional_amount(s.expected),
                    optional_amount(s.difference),
                    s.result.map(wire).unwrap_or_default(),
                ]
            })
            .collect();
        write_export(path, table(&SESSION_COLUMNS, rows))
    }

    /// The outbox's calls matching `filter` (every page) as CSV at `path`.
    pub fn export_outbox_csv(&self, filter: OutboxFilter, path: &str) -> CoreResult<String> {
        let items = all_pages(|page| self.list_outbox(OutboxFilter { page: Some(page), size: Some(MAX_PAGE_SIZE), ..filter.clone() }))?;
        let rows = items
            .into_iter()
            .map(|o| {
                vec![
                    o.id.to_string(),
                    o.banco,
                    wire(o.llamada),
                    o.id_transaccion.to_string(),
                    wire(o.tipo_operacion),
                    o.nro_referencia,
                    o.clave,
                    amount(o.monto),
                    wire(o.estado),
                    o.intentos.to_string(),
                    text_or_empty(&o.referencia_proveedor),
                    text_or_empty(&o.codigo_error),
                    text_or_empty(&o.mensaje_error),
                    o.creado,
                    o.actualizado,
                    text_or_empty(&o.confirmado),
                    text_or_empty(&o.motivo_cancelacion),
                ]
            })
            .collect();
        write_export(path, table(&OUTBOX_COLUMNS, rows))
    }
}
