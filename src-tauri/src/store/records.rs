//! What the voidable records share: the void mark. Each record's statement is written
//! out here; the operation key names the record.

use rusqlite::{params, Connection};

use crate::domain::OperationKey;

/// Marks the record of `operation` voided by `operator` with `reason`. A payment also
/// stops being `vigente`, as the payments API has it. The tables' triggers allow the
/// mark once.
pub fn mark_voided(conn: &Connection, operation: &OperationKey, operator: i64, reason: &str, at: &str) -> rusqlite::Result<()> {
    let (sql, id) = match operation {
        OperationKey::Agent(id) => {
            ("UPDATE agent_transactions SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1", id)
        }
        OperationKey::Topup(id) => ("UPDATE topups SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1", id),
        OperationKey::Injection(id) => ("UPDATE injections SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1", id),
        OperationKey::Payment(id) => {
            ("UPDATE payments SET vigente = 0, voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1", id)
        }
        OperationKey::BankCommission(_) | OperationKey::ProviderFunding(_) | OperationKey::CommissionSettlement(_) => {
            return Err(rusqlite::Error::InvalidParameterName(format!("{operation} no es un registro anulable")));
        }
    };
    let changed = conn.prepare_cached(sql)?.execute(params![id, at, operator, reason])?;
    debug_assert_eq!(changed, 1, "{operation}");
    Ok(())
}

/// Appends an audit row; `detail` is a small JSON object.
pub fn audit(
    conn: &Connection,
    operator_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: serde_json::Value,
    at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (operator_id, action, entity, entity_id, detail, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![operator_id, action, entity, entity_id, detail.to_string(), at])?;
    Ok(())
}

/// The `detail` of the newest audit row of `action`, if any.
pub fn last_audit_detail(conn: &Connection, action: &str) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT detail FROM audit_log WHERE action = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([action], |r| r.get(0))
        .optional()
}
