//! What every store-side operation shares: the session it happens in, posting its
//! transfers after checking the balance rules, reversing them on a void, and paging.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::clock;
use crate::domain::ledger::Shortage;
use crate::domain::{CoreError, CoreResult, ErrorCode, Money, OperationKey, Operator, Role, SessionStatus, Specialty};
use crate::store::ledger::{self, Transfer};
use crate::store::query::Paging;
use crate::store;

/// Which side of the store an operation belongs to; a register's specialty allows one or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Agentes,
    Ventas,
}

impl Side {
    fn allowed_on(self, specialty: Specialty) -> bool {
        matches!(
            (self, specialty),
            (_, Specialty::Mixta) | (Side::Agentes, Specialty::SoloAgentes) | (Side::Ventas, Specialty::SoloVentas)
        )
    }
}

pub struct SessionDrawer {
    pub session_id: i64,
    pub drawer: i64,
}

/// The open session an operation is recorded in: it must exist, be open, belong to the
/// logged-in operator and sit on a register whose specialty allows the operation.
pub fn session_for_operation(conn: &Connection, session_id: i64, actor: &Operator, side: Side) -> CoreResult<SessionDrawer> {
    let session = load(conn, session_id)?;
    if session.operator_id != actor.id {
        return Err(CoreError::new(
            ErrorCode::PermisoDenegado,
            "id_caja_sesion",
            "La sesión de caja pertenece a otro operador; use su propia sesión.",
        ));
    }
    if !side.allowed_on(session.specialty) {
        let what = match side {
            Side::Agentes => "operaciones de agente bancario",
            Side::Ventas => "ventas, recargas ni pagos",
        };
        return Err(CoreError::new(
            ErrorCode::EspecialidadNoPermite,
            "id_caja_sesion",
            format!("La sesión de caja es de una caja {} que no admite {what}.", session.specialty.as_str()),
        ));
    }
    Ok(SessionDrawer { session_id, drawer: session.drawer })
}

/// The session a void happens in: it must still be open; only an administrator voids.
/// A void's input names the operation, not its session, so a closed session is reported
/// on the operation's `id`.
pub fn session_for_void(conn: &Connection, session_id: i64, actor: &Operator) -> CoreResult<SessionDrawer> {
    if actor.role != Role::Administrador {
        return Err(CoreError::forbidden("anular operaciones"));
    }
    let session = load(conn, session_id).map_err(|err| match err.code {
        ErrorCode::SesionCerrada => CoreError::new(
            ErrorCode::SesionCerrada,
            "id",
            "La operación indicada en «identificador» es de una sesión de caja ya cerrada; ya no se puede anular.",
        ),
        _ => err,
    })?;
    Ok(SessionDrawer { session_id, drawer: session.drawer })
}

fn load(conn: &Connection, session_id: i64) -> CoreResult<store::sessions::OperationSession> {
    let session = store::sessions::for_operation(conn, session_id)?
        .ok_or_else(|| CoreError::not_found("id_caja_sesion", "la sesión de caja"))?;
    if session.status != SessionStatus::Abierta {
        return Err(CoreError::new(ErrorCode::SesionCerrada, "id_caja_sesion", "La sesión de caja ya está cerrada."));
    }
    Ok(session)
}

/// A record an administrator can void: what the one void path needs to know of it.
pub trait Voidable {
    /// Its key in `transfers.operation`, which also names its row.
    fn operation(&self) -> OperationKey;
    fn session_id(&self) -> i64;
    fn is_voided(&self) -> bool;
    /// Said when it was voided before, naming the «identificador» field.
    const ALREADY_VOIDED: &'static str;
    /// What a cashier is told they may not do ("anular recargas").
    const ACTION: &'static str;
    /// The audit row's action and entity.
    const AUDIT: (&'static str, &'static str);
    /// Reads the record by id, or says which one was not found.
    fn load(conn: &Connection, id: i64) -> CoreResult<Self>
    where
        Self: Sized;
}

/// Voids an operation once, while its session is open, as an administrator: posts the
/// exact reversing transfers and marks the record. Returns the session it happened in.
pub fn void<R: Voidable>(conn: &Connection, actor: &Operator, record: &R, motivo: &str, now: &str) -> CoreResult<SessionDrawer> {
    if record.is_voided() {
        return Err(CoreError::new(ErrorCode::YaAnulada, "id", R::ALREADY_VOIDED));
    }
    let session = session_for_void(conn, record.session_id(), actor)?;
    let operation = record.operation();
    reverse(conn, &operation, session.session_id, actor.id, now)?;
    store::records::mark_voided(conn, &operation, actor.id, motivo, now)?;
    Ok(session)
}

/// Posts an operation's transfers after checking that no account that may not go
/// negative would; `field` is the input the shortage is reported on.
pub fn post_all(conn: &Connection, transfers: &[Transfer<'_>], field: &str, at: &str) -> CoreResult<()> {
    if let Some(short) = ledger::shortfall(conn, transfers)? {
        return Err(shortfall_error(&short, field));
    }
    for transfer in transfers {
        ledger::post(conn, *transfer, at)?;
    }
    Ok(())
}

/// Posts the exact reversing transfers of `operation`, refusing if an account is short.
pub fn reverse(conn: &Connection, operation: &OperationKey, session_id: i64, operator_id: i64, at: &str) -> CoreResult<()> {
    let originals = ledger::reversal_of(conn, operation)?;
    if originals.is_empty() {
        return Err(CoreError::internal(format!("la operación {operation} no tiene transferencias")));
    }
    let reversal = |r: &ledger::Reversible| Transfer {
        from: r.from,
        to: r.to,
        amount: r.amount,
        kind: r.kind,
        session_id: Some(session_id),
        operator_id,
        operation: Some(operation),
    };
    let transfers: Vec<Transfer<'_>> = originals.iter().map(reversal).collect();
    if let Some(short) = ledger::shortfall(conn, &transfers)? {
        return Err(shortfall_error(&short, "id"));
    }
    for (original, transfer) in originals.iter().zip(transfers) {
        ledger::post_reversal(conn, original.original, transfer, at)?;
    }
    Ok(())
}

fn shortfall_error(short: &ledger::Shortfall, field: &str) -> CoreError {
    let (code, what) = match short.account.shortage() {
        Shortage::ProviderFloat(provider) => (ErrorCode::SaldoProveedorInsuficiente, format!("el saldo con {provider}")),
        Shortage::CarrierFloat(carrier) => (ErrorCode::SaldoOperadoraInsuficiente, format!("el saldo de recargas {}", carrier.as_str())),
        Shortage::Cash => (ErrorCode::FondosInsuficientes, "el efectivo en caja".to_string()),
    };
    CoreError::new(
        code,
        field,
        format!(
            "No alcanza {what} para «{}»: hay Bs {}, se necesitan Bs {}.",
            crate::domain::error::label(field),
            short.balance,
            short.needed
        ),
    )
}

pub const DEFAULT_PAGE_SIZE: i64 = 20;
pub const MAX_PAGE_SIZE: i64 = 100;

/// Validated paging: the input `page` counts from `first` (0 on the payments wire, 1
/// elsewhere); inside the code pages count from 1. `size` is 1 to [`MAX_PAGE_SIZE`].
pub fn paging(page: Option<i64>, size: Option<i64>, first: i64) -> CoreResult<Paging> {
    let page = page.unwrap_or(first);
    if page < first {
        return Err(CoreError::invalid("page", &format!("debe ser {first} o más")));
    }
    let size = size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(CoreError::invalid("size", &format!("debe estar entre 1 y {MAX_PAGE_SIZE}")));
    }
    Ok(Paging { number: page.saturating_sub(first).saturating_add(1), size })
}

/// A local-date filter: its days and the stored instants they span, from the start of
/// `from` (inclusive) to the start of the day after `to` (exclusive).
#[derive(Debug, Clone, Default)]
pub struct DateRange {
    pub from_day: Option<NaiveDate>,
    pub to_day: Option<NaiveDate>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Reads a from/to pair of YYYY-MM-DD inputs; each tuple is the input's field name and text.
pub fn date_range((from_field, from): (&str, &Option<String>), (to_field, to): (&str, &Option<String>)) -> CoreResult<DateRange> {
    let from_day = filter_date(from_field, from)?;
    let to_day = filter_date(to_field, to)?;
    if let (Some(d), Some(h)) = (from_day, to_day) {
        if d > h {
            return Err(CoreError::invalid(to_field, &format!("no puede ser anterior a «{}»", crate::domain::error::label(from_field))));
        }
    }
    Ok(DateRange {
        from_day,
        to_day,
        start: from_day.map(clock::start_of_local_day),
        end: to_day.and_then(|h| h.succ_opt()).map(clock::start_of_local_day),
    })
}

/// An optional YYYY-MM-DD filter date.
pub fn filter_date(field: &str, input: &Option<String>) -> CoreResult<Option<NaiveDate>> {
    match input.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| CoreError::invalid(field, "debe ser una fecha AAAA-MM-DD")),
    }
}

/// A void reason: required, up to 200 characters.
pub fn void_reason(input: &str) -> CoreResult<String> {
    crate::domain::text::required("motivo", input, 200)
}

pub fn amount_or_zero(field: &str, input: &Option<String>) -> CoreResult<Money> {
    match input.as_deref().map(str::trim) {
        None | Some("") => Ok(Money::ZERO),
        Some(text) => Money::parse_non_negative(field, text),
    }
}
