//! Reading the audit log (its rows are written by `records::audit`).

use rusqlite::Connection;

use super::query::{self, Filter, Listing, Paging};
use crate::domain::{AuditEntry, Page};

/// What the viewer filters on; dates are stored instants (start inclusive, end exclusive).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub operator_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub before: Option<String>,
}

const LISTING: Listing<AuditEntry> = Listing {
    from: "audit_log l LEFT JOIN operators o ON o.id = l.operator_id",
    columns: "l.id, l.operator_id, o.name, l.action, l.entity, l.entity_id, l.detail, l.created_at",
    order: "l.id DESC",
    row: |r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            operator_id: r.get(1)?,
            operator_name: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            detail: r.get(6)?,
            created_at: r.get(7)?,
        })
    },
};

/// One page of the log under `q`, newest first.
pub fn list(conn: &Connection, q: AuditQuery, paging: Paging) -> rusqlite::Result<Page<AuditEntry>> {
    let mut filter = Filter::default();
    filter
        .and_some("l.operator_id = ?", q.operator_id)
        .and_some("l.action = ?", q.action)
        .and_some("l.created_at >= ?", q.from)
        .and_some("l.created_at < ?", q.before);
    query::page(conn, &LISTING, &filter, paging, None)
}

/// Every action name the log holds, alphabetically (the viewer's choice list).
pub fn actions(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT DISTINCT action FROM audit_log ORDER BY action")?.query_map([], |r| r.get(0))?.collect()
}
