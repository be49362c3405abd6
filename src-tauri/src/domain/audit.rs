//! The audit log as an administrator reads it: who did what, when, to which record.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One row of the append-only audit log, with the operator's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    pub id: i64,
    /// None for what no one logged in did (a first setup, a scheduled job).
    pub operator_id: Option<i64>,
    pub operator_name: Option<String>,
    /// A stable machine name: `create_agent_transaction`, `login_failed`, ...
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    /// A small JSON object with the row's particulars.
    pub detail: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AuditFilter {
    #[ts(optional)]
    pub operator_id: Option<i64>,
    /// One action's exact name.
    #[ts(optional)]
    pub action: Option<String>,
    /// Inclusive store-local dates, YYYY-MM-DD.
    #[ts(optional)]
    pub from_date: Option<String>,
    #[ts(optional)]
    pub to_date: Option<String>,
    #[ts(optional)]
    pub page: Option<i64>,
    #[ts(optional)]
    pub size: Option<i64>,
}

/// The longest action name the filter takes; the log's own names are far shorter.
pub const ACTION_MAX: usize = 64;

/// Whether `text` can be an action's name: lower-case letters, digits and `_`.
pub fn is_action_name(text: &str) -> bool {
    !text.is_empty() && text.len() <= ACTION_MAX && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
