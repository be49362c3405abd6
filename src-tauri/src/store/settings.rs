//! Registers and the key-value settings an administrator keeps.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{AccountCode, Register, Specialty};

/// Reads one setting, if present.
pub fn setting(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()
}

/// Sets a setting, or removes it with `None`.
pub fn put_setting(conn: &Connection, key: &str, value: Option<&str>) -> rusqlite::Result<()> {
    match value {
        Some(value) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// Every register with its vault's balance and its open session, by name.
pub fn registers(conn: &Connection) -> rusqlite::Result<Vec<Register>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.name, r.specialty, a.balance,
                (SELECT s.id FROM cash_sessions s WHERE s.register_id = r.id AND s.status = 'ABIERTA')
         FROM registers r JOIN accounts a ON a.code = ?1
         WHERE r.id = ?2",
    )?;
    let ids: Vec<i64> = conn.prepare_cached("SELECT id FROM registers ORDER BY name")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    ids.into_iter()
        .map(|id| {
            stmt.query_row(params![AccountCode::Vault(id), id], |r| {
                Ok(Register {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    specialty: r.get(2)?,
                    vault_balance: r.get(3)?,
                    open_session_id: r.get(4)?,
                })
            })
        })
        .collect()
}

pub fn register_name_taken(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM registers WHERE name = ?1)", [name], |r| r.get(0))
}

/// Adds a register with its vault account; returns its id.
pub fn insert_register(conn: &Connection, name: &str, specialty: Specialty, at: &str) -> rusqlite::Result<i64> {
    conn.execute("INSERT INTO registers (name, specialty, created_at) VALUES (?1, ?2, ?3)", params![name, specialty, at])?;
    let id = conn.last_insert_rowid();
    super::ledger::create_account(conn, &AccountCode::Vault(id), false)?;
    Ok(id)
}

/// `PRAGMA integrity_check`'s messages ("ok" alone when sound).
pub fn integrity_messages(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("PRAGMA integrity_check")?.query_map([], |r| r.get(0))?.collect()
}

/// `PRAGMA quick_check`'s messages ("ok" alone when sound): the structure without the
/// index-to-table cross-check, fast enough for every start-up.
pub fn quick_check_messages(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("PRAGMA quick_check")?.query_map([], |r| r.get(0))?.collect()
}
