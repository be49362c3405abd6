//! The core API: every command the app offers, as plain Rust over one SQLite connection.
//! Tauri commands, the CLI, the tests and the benchmarks all call this.

mod agents;
mod audit;
mod auth;
pub mod backup;
mod exports;
pub mod health;
pub mod demo;
mod ops;
mod payments;
mod provider_rules;
mod printing;
mod preferences;
mod recargas;
mod registers;
mod reports;
mod sessions;
mod sync;

use std::cell::Cell;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use std::sync::{Arc, OnceLock};

use rusqlite::Connection;
use serde_json::json;

use crate::domain::{CoreError, CoreResult, Operator, Role, VoidInput};
use crate::store;
use crate::domain::clock;
use crate::store::records::audit;
pub use clock::{Clock, ManualClock, SystemClock};
pub use audit::AUDIT_COLUMNS;
pub use sync::{DEFAULT_LIMIT_QUEUED, DEFAULT_LIMIT_SINGLE};

/// Who is logged in; the only source of the acting operator for audit rows.
#[derive(Debug, Clone)]
struct LoggedIn {
    operator: Operator,
    /// The last command that counted as activity (polls do not).
    last_seen: Cell<DateTime<Utc>>,
    /// Set once the session has ended (idle, deactivated, role changed): every command
    /// refuses until someone logs in.
    ended: Cell<bool>,
}

impl LoggedIn {
    fn new(operator: Operator, now: DateTime<Utc>) -> Self {
        LoggedIn { operator, last_seen: Cell::new(now), ended: Cell::new(false) }
    }
}

pub struct Mostrador {
    conn: Connection,
    path: PathBuf,
    clock: Arc<dyn Clock>,
    current: Option<LoggedIn>,
    pin_hasher: auth::PinHasher,
    secrets: OnceLock<crate::secrets::SecretStore>,
    sync: Option<crate::sync::SyncHandle>,
    /// Refused credential checks on the damaged-database screen in this process: a
    /// damaged database may not be able to record them, so they are also counted here.
    damaged_refusals: i64,
    /// The damaged database as it was at the screen's first restore attempt.
    damaged_aside: Option<backup::KeptAside>,
}

/// The keyring service provider credentials are stored under.
pub const KEYRING_SERVICE: &str = "bo.mostrador.pos";

impl Mostrador {
    /// Opens the database at `path` (migrating it) with the system clock.
    pub fn open(path: &Path) -> CoreResult<Self> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> CoreResult<Self> {
        let conn = store::open(path)?;
        Ok(Mostrador {
            conn,
            path: path.to_path_buf(),
            clock,
            current: None,
            pin_hasher: auth::PinHasher::default(),
            secrets: OnceLock::new(),
            sync: None,
            damaged_refusals: 0,
            damaged_aside: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access for tests, reports and tools; writes go through the commands.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn now(&self) -> String {
        clock::stamp(self.clock.now())
    }

    /// The logged-in operator, for a command they make: it counts as activity.
    fn operator(&self) -> CoreResult<&Operator> {
        self.standing_operator(true)
    }

    /// Whose sessions the logged-in operator may read the records of: everyone's for an
    /// administrator (`None`), only their own for a cashier (`Some(their id)`).
    fn reader_scope(&self) -> CoreResult<Option<i64>> {
        let actor = self.operator()?;
        Ok(if actor.role == Role::Administrador { None } else { Some(actor.id) })
    }

    /// Refuses a cashier a record of a session that is not theirs.
    fn may_read_session(&self, scope: Option<i64>, session_id: i64) -> CoreResult<()> {
        match scope {
            None => Ok(()),
            Some(reader) if store::sessions::owner(&self.conn, session_id)? == Some(reader) => Ok(()),
            Some(_) => Err(CoreError::forbidden("ver los registros de la sesión de otro operador")),
        }
    }

    /// The logged-in operator, for what the UI polls: it does not keep the session alive.
    fn quiet_operator(&self) -> CoreResult<&Operator> {
        self.standing_operator(false)
    }

    /// Every command re-reads the operator's row, so a deactivation or a role change takes
    /// effect at once, and ends a session idle longer than the setting allows. The end is
    /// audited once.
    fn standing_operator(&self, activity: bool) -> CoreResult<&Operator> {
        let current = self.current.as_ref().ok_or_else(CoreError::not_logged_in)?;
        let operator = &current.operator;
        if current.ended.get() {
            return Err(CoreError::session_ended("La sesión terminó; inicie sesión de nuevo."));
        }
        let now = self.clock.now();
        let ended = match store::operators::standing(&self.conn, operator.id)? {
            Some((true, role)) if role == operator.role => {
                let idle = registers::idle_logout_minutes(&self.conn)?;
                (idle > 0 && now - current.last_seen.get() >= chrono::Duration::minutes(idle)).then(|| {
                    ("idle", format!("La sesión se cerró tras {idle} minutos sin uso; inicie sesión de nuevo."))
                })
            }
            Some((true, _)) => Some(("role_changed", "Su rol cambió; inicie sesión de nuevo.".to_string())),
            _ => Some(("deactivated", "Su cuenta fue desactivada; consulte a un administrador.".to_string())),
        };
        if let Some((reason, message)) = ended {
            current.ended.set(true);
            let id = operator.id;
            audit(&self.conn, Some(id), "session_ended", "operator", Some(id), json!({"reason": reason}), &clock::stamp(now))?;
            return Err(CoreError::session_ended(message));
        }
        if activity {
            current.last_seen.set(now);
        }
        Ok(operator)
    }

    fn admin(&self, action: &str) -> CoreResult<&Operator> {
        let op = self.operator()?;
        if op.role != Role::Administrador {
            return Err(CoreError::forbidden(action));
        }
        Ok(op)
    }
}

impl Mostrador {
    /// The one void path of the records: administrator, reason, session still open, once.
    /// `also` runs in the same transaction after the reversal (the accrued bank commission,
    /// the outbox). Returns the record as voided.
    fn void_record<R: ops::Voidable>(
        &mut self,
        input: VoidInput,
        also: impl FnOnce(&Connection, &Operator, &R, &ops::SessionDrawer, &str, &str) -> CoreResult<()>,
    ) -> CoreResult<R> {
        let actor = self.admin(R::ACTION)?.clone();
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let record = R::load(&tx, input.id)?;
        let session = ops::void(&tx, &actor, &record, &motivo, &now)?;
        also(&tx, &actor, &record, &session, &motivo, &now)?;
        let (action, entity) = R::AUDIT;
        audit(&tx, Some(actor.id), action, entity, Some(input.id), json!({"motivo": motivo}), &now)?;
        let record = R::load(&tx, input.id)?;
        tx.commit()?;
        Ok(record)
    }
}
