//! The audit log viewer: administrators only, filtered by operator, action and
//! store-local dates, paged newest first, and exported as CSV with the same filter.

use super::exports::{all_pages, table, write_export};
use super::ops::{self, MAX_PAGE_SIZE};
use super::Mostrador;
use crate::domain::audit::is_action_name;
use crate::domain::{AuditEntry, AuditFilter, CoreError, CoreResult, Page};
use crate::store;

pub const AUDIT_COLUMNS: [&str; 8] = ["id", "fecha", "operador_id", "operador", "accion", "entidad", "entidad_id", "detalle"];

impl Mostrador {
    /// One page of the audit log under `filter`, newest first.
    pub fn list_audit_log(&self, filter: AuditFilter) -> CoreResult<Page<AuditEntry>> {
        self.admin("ver la bitácora de auditoría")?;
        let paging = ops::paging(filter.page, filter.size, 1)?;
        if let Some(id) = filter.operator_id {
            if store::operators::standing(&self.conn, id)?.is_none() {
                return Err(CoreError::not_found("operator_id", "el operador"));
            }
        }
        let action = match filter.action.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) if is_action_name(text) => Some(text.to_string()),
            Some(_) => return Err(CoreError::invalid("action", "debe ser el nombre de una acción de la bitácora")),
        };
        let dates = ops::date_range(("from_date", &filter.from_date), ("to_date", &filter.to_date))?;
        let query = store::audit::AuditQuery { operator_id: filter.operator_id, action, from: dates.start, before: dates.end };
        Ok(store::audit::list(&self.conn, query, paging)?)
    }

    /// The action names the log holds, for the viewer's filter.
    pub fn audit_actions(&self) -> CoreResult<Vec<String>> {
        self.admin("ver la bitácora de auditoría")?;
        Ok(store::audit::actions(&self.conn)?)
    }

    /// The audit rows matching `filter` (every page) as CSV at `path`.
    pub fn export_audit_log_csv(&self, filter: AuditFilter, path: &str) -> CoreResult<String> {
        self.admin("exportar la bitácora de auditoría")?;
        let items = all_pages(|page| self.list_audit_log(AuditFilter { page: Some(page), size: Some(MAX_PAGE_SIZE), ..filter.clone() }))?;
        let rows = items
            .into_iter()
            .map(|e| {
                vec![
                    e.id.to_string(),
                    e.created_at,
                    e.operator_id.map(|id| id.to_string()).unwrap_or_default(),
                    e.operator_name.unwrap_or_default(),
                    e.action,
                    e.entity,
                    e.entity_id.map(|id| id.to_string()).unwrap_or_default(),
                    e.detail,
                ]
            })
            .collect();
        write_export(path, table(&AUDIT_COLUMNS, rows))
    }
}
