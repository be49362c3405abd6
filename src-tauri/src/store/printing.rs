//! What printing reads besides the records' own loaders: the printer settings (one JSON
//! value in `settings`) and a cash movement by id.

use rusqlite::{Connection, OptionalExtension};

use super::settings;
use crate::domain::{CashMovement, PrinterSettings};

const PRINTER_KEY: &str = "impresora";

/// The printer settings; the defaults (no printer, 80 mm) when never set.
pub fn printer_settings(conn: &Connection) -> rusqlite::Result<PrinterSettings> {
    match settings::setting(conn, PRINTER_KEY)? {
        Some(json) => serde_json::from_str(&json).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e))),
        None => Ok(PrinterSettings::default()),
    }
}

pub fn put_printer_settings(conn: &Connection, value: &PrinterSettings) -> rusqlite::Result<()> {
    let json = serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    settings::put_setting(conn, PRINTER_KEY, Some(&json))
}

/// A cash movement (INGRESO / EGRESO) by its id.
pub fn movement(conn: &Connection, id: i64) -> rusqlite::Result<Option<CashMovement>> {
    conn.prepare_cached(
        "SELECT id, session_id, kind, reason, amount, note, operator_id, created_at FROM cash_movements WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(CashMovement {
            id: r.get(0)?,
            session_id: r.get(1)?,
            kind: r.get(2)?,
            reason: r.get(3)?,
            amount: r.get(4)?,
            note: r.get(5)?,
            operator_id: r.get(6)?,
            created_at: r.get(7)?,
        })
    })
    .optional()
}
