//! Operators (cashiers and administrators) and their PIN lockout counters.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{Language, Operator, Role};

pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM operators", [], |r| r.get(0))
}

pub fn name_taken(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM operators WHERE name = ?1)", [name], |r| r.get(0))
}

pub fn insert(conn: &Connection, name: &str, role: Role, pin_hash: &str, at: &str) -> rusqlite::Result<i64> {
    conn.execute("INSERT INTO operators (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)", params![name, role, pin_hash, at])?;
    Ok(conn.last_insert_rowid())
}

/// Every operator by name; `locked` when a lockout ends after `now` (RFC 3339; the
/// stamps are all UTC with the same format, so text order is time order).
pub fn list(conn: &Connection, now: &str) -> rusqlite::Result<Vec<Operator>> {
    conn.prepare("SELECT id, name, role, active, COALESCE(locked_until > ?1, 0), language FROM operators ORDER BY name")?
        .query_map([now], |r| {
            Ok(Operator { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, active: r.get(3)?, locked: r.get(4)?, language: r.get(5)? })
        })?
        .collect()
}

pub fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Operator>> {
    conn.query_row("SELECT id, name, role, active, language FROM operators WHERE id = ?1", [id], |r| {
        Ok(Operator { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, active: r.get(3)?, locked: false, language: r.get(4)? })
    })
    .optional()
}

/// Active administrators other than `except`.
pub fn other_active_admins(conn: &Connection, except: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM operators WHERE role = 'administrador' AND active = 1 AND id <> ?1",
        [except],
        |r| r.get(0),
    )
}

pub fn has_open_session(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM cash_sessions WHERE operator_id = ?1 AND status = 'ABIERTA')", [id], |r| r.get(0))
}

pub fn set_active(conn: &Connection, id: i64, active: bool) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET active = ?2 WHERE id = ?1", params![id, active])?;
    Ok(())
}

pub fn set_role(conn: &Connection, id: i64, role: Role) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET role = ?2 WHERE id = ?1", params![id, role])?;
    Ok(())
}

/// Gives the operator a new PIN hash and clears any failures or lock.
pub fn set_pin_by_id(conn: &Connection, id: i64, pin_hash: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET pin_hash = ?2, failed_logins = 0, locked_until = NULL WHERE id = ?1", params![id, pin_hash])?;
    Ok(())
}

/// What every command re-reads about the logged-in operator: still active, their role now
/// (None when the row is gone).
pub fn standing(conn: &Connection, id: i64) -> rusqlite::Result<Option<(bool, Role)>> {
    conn.prepare_cached("SELECT active, role FROM operators WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// An operator with what a PIN check needs.
pub struct Login {
    pub operator: Operator,
    pub pin_hash: String,
    pub failed_logins: i64,
    /// RFC 3339, as stored.
    pub locked_until: Option<String>,
}

pub fn by_name(conn: &Connection, name: &str) -> rusqlite::Result<Option<Login>> {
    conn.query_row(
        "SELECT id, name, role, active, pin_hash, failed_logins, locked_until, language FROM operators WHERE name = ?1",
        [name],
        |r| {
            Ok(Login {
                operator: Operator {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                    active: r.get(3)?,
                    locked: false,
                    language: r.get(7)?,
                },
                pin_hash: r.get(4)?,
                failed_logins: r.get(5)?,
                locked_until: r.get(6)?,
            })
        },
    )
    .optional()
}

/// Records one more failed PIN attempt.
pub fn count_failure(conn: &Connection, id: i64, failed: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET failed_logins = ?2 WHERE id = ?1", params![id, failed])?;
    Ok(())
}

/// Locks the operator until `until` (RFC 3339) and keeps the count of failures, so the
/// next lockout is longer; only a correct PIN or an administrator clears it.
pub fn lock(conn: &Connection, id: i64, failed: i64, until: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1", params![id, failed, until])?;
    Ok(())
}

/// A correct PIN clears the failures and any lock.
pub fn clear_failures(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = ?1", [id])?;
    Ok(())
}

/// Gives the operator named `name` a new PIN hash and clears any failures or lock;
/// false when no operator has that name.
pub fn set_pin(conn: &Connection, name: &str, pin_hash: &str) -> rusqlite::Result<bool> {
    let updated = conn.execute(
        "UPDATE operators SET pin_hash = ?2, failed_logins = 0, locked_until = NULL WHERE name = ?1",
        params![name, pin_hash],
    )?;
    Ok(updated > 0)
}

/// Remembers the language an operator reads the counter in.
pub fn set_language(conn: &Connection, id: i64, language: Language) -> rusqlite::Result<()> {
    conn.execute("UPDATE operators SET language = ?2 WHERE id = ?1", params![id, language])?;
    Ok(())
}
