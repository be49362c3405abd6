//! What every store-side operation shares: the session it happens in, posting its
//! transfers after checking the balance rules, reversing them on a void, and paging.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::domain::{CoreError, CoreResult, ErrorCode, Money, Operator, Role, SessionStatus, Specialty};
use crate::store::ledger::{self, Transfer};

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

struct Loaded {
    operator_id: i64,
    drawer: i64,
    specialty: Specialty,
}

fn load(conn: &Connection, session_id: i64) -> CoreResult<Loaded> {
    let row: Option<(i64, SessionStatus, i64, Specialty)> = conn
        .prepare_cached(
            "SELECT s.operator_id, s.status, a.id, r.specialty
             FROM cash_sessions s JOIN registers r ON r.id = s.register_id
             JOIN accounts a ON a.code = 'drawer:' || s.id WHERE s.id = ?1",
        )?
        .query_row([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let (operator_id, status, drawer, specialty) =
        row.ok_or_else(|| CoreError::not_found("id_caja_sesion", "la sesión de caja"))?;
    if status != SessionStatus::Abierta {
        return Err(CoreError::new(ErrorCode::SesionCerrada, "id_caja_sesion", "La sesión de caja ya está cerrada."));
    }
    Ok(Loaded { operator_id, drawer, specialty })
}

/// An operation to void: the row that records it and the transfers it posted.
pub struct VoidTarget<'a> {
    /// Table of the record; it has `voided_at`, `voided_by` and `void_reason`.
    pub table: &'static str,
    /// Extra assignments for the record, e.g. "vigente = 0, ".
    pub also_set: &'static str,
    pub id: i64,
    /// Key of its transfers in `transfers.operation`.
    pub operation: &'a str,
    pub session_id: i64,
    pub already_voided: bool,
    /// Said when it was voided before, naming the «identificador» field.
    pub already_voided_message: &'static str,
}

/// Voids an operation once, while its session is open, as an administrator: posts the
/// exact reversing transfers and marks the record. Returns the session it happened in.
pub fn void(conn: &Connection, actor: &Operator, target: VoidTarget<'_>, motivo: &str, now: &str) -> CoreResult<SessionDrawer> {
    if target.already_voided {
        return Err(CoreError::new(ErrorCode::YaAnulada, "id", target.already_voided_message));
    }
    let session = session_for_void(conn, target.session_id, actor)?;
    reverse(conn, target.operation, session.session_id, actor.id, now)?;
    conn.execute(
        &format!(
            "UPDATE {} SET {}voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
            target.table, target.also_set
        ),
        rusqlite::params![target.id, now, actor.id, motivo],
    )?;
    Ok(session)
}

/// The id of an account that the schema creates.
pub fn account(conn: &Connection, code: &str) -> CoreResult<i64> {
    ledger::account_id(conn, code)?.ok_or_else(|| CoreError::internal(format!("falta la cuenta {code}")))
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
pub fn reverse(conn: &Connection, operation: &str, session_id: i64, operator_id: i64, at: &str) -> CoreResult<()> {
    let originals = ledger::reversal_of(conn, operation)?;
    if originals.is_empty() {
        return Err(CoreError::internal(format!("la operación {operation} no tiene transferencias")));
    }
    let reversals: Vec<(i64, Transfer<'_>)> = originals
        .iter()
        .map(|(id, from, to, amount, kind)| {
            (*id, Transfer { from: *from, to: *to, amount: *amount, kind: kind.as_str(), session_id: Some(session_id), operator_id, operation: Some(operation) })
        })
        .collect();
    let transfers: Vec<Transfer<'_>> = reversals.iter().map(|(_, t)| *t).collect();
    if let Some(short) = ledger::shortfall(conn, &transfers)? {
        return Err(shortfall_error(&short, "id"));
    }
    for (original, transfer) in reversals {
        ledger::post_reversal(conn, original, transfer, at)?;
    }
    Ok(())
}

fn shortfall_error(short: &ledger::Shortfall, field: &str) -> CoreError {
    let (code, what) = if short.account_code.starts_with("provider_float:") {
        (ErrorCode::SaldoProveedorInsuficiente, format!("el saldo con {}", &short.account_code["provider_float:".len()..]))
    } else if short.account_code.starts_with("carrier_float:") {
        (ErrorCode::SaldoOperadoraInsuficiente, format!("el saldo de recargas {}", &short.account_code["carrier_float:".len()..]))
    } else {
        (ErrorCode::FondosInsuficientes, "el efectivo en caja".to_string())
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

/// Validated paging: `page` counts from `first` (0 or 1), `size` from 1 to [`MAX_PAGE_SIZE`].
pub fn paging(page: Option<i64>, size: Option<i64>, first: i64) -> CoreResult<(i64, i64, i64)> {
    let page = page.unwrap_or(first);
    if page < first {
        return Err(CoreError::invalid("page", &format!("debe ser {first} o más")));
    }
    let size = size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(CoreError::invalid("size", &format!("debe estar entre 1 y {MAX_PAGE_SIZE}")));
    }
    // Saturating: a page past the end (even i64::MAX) is an empty page, not an overflow.
    Ok((page, size, (page - first).saturating_mul(size)))
}

/// Adds `column >= start of desde` and `column < start of the day after hasta` (local
/// store dates) to a query's clauses.
pub fn push_date_range(
    desde: (&str, &Option<String>),
    hasta: (&str, &Option<String>),
    column: &str,
    clauses: &mut Vec<String>,
    args: &mut Vec<rusqlite::types::Value>,
) -> CoreResult<()> {
    let (start, end) = date_bounds(desde, hasta)?;
    if let Some(start) = start {
        clauses.push(format!("{column} >= ?"));
        args.push(start.into());
    }
    if let Some(end) = end {
        clauses.push(format!("{column} < ?"));
        args.push(end.into());
    }
    Ok(())
}

/// The stored instants a local-date filter spans: from the start of `desde` (inclusive)
/// to the start of the day after `hasta` (exclusive).
pub fn date_bounds(
    (desde_field, desde): (&str, &Option<String>),
    (hasta_field, hasta): (&str, &Option<String>),
) -> CoreResult<(Option<String>, Option<String>)> {
    let desde = filter_date(desde_field, desde)?;
    let hasta = filter_date(hasta_field, hasta)?;
    if let (Some(d), Some(h)) = (desde, hasta) {
        if d > h {
            return Err(CoreError::invalid(hasta_field, &format!("no puede ser anterior a «{}»", crate::domain::error::label(desde_field))));
        }
    }
    Ok((
        desde.map(super::clock::start_of_local_day),
        hasta.and_then(|h| h.succ_opt()).map(super::clock::start_of_local_day),
    ))
}

/// `WHERE a AND b`, or nothing.
pub fn where_sql(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

/// One page of `SELECT columns FROM from where ORDER BY order` with the total count of
/// the filter (counted here unless the caller `known_total` already has it); `args` are the
/// filter's parameters, `paging` what [`paging`] returned.
#[allow(clippy::too_many_arguments)]
pub fn page_of<T>(
    conn: &Connection,
    from: &str,
    columns: &str,
    where_sql: &str,
    order: &str,
    mut args: Vec<rusqlite::types::Value>,
    (page, size, offset): (i64, i64, i64),
    known_total: Option<i64>,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> CoreResult<crate::domain::Page<T>> {
    let total: i64 = match known_total {
        Some(total) => total,
        None => count(conn, from, where_sql, &args)?,
    };
    args.push(size.into());
    args.push(offset.into());
    let items = conn
        .prepare_cached(&format!("SELECT {columns} FROM {from} {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"))?
        .query_map(rusqlite::params_from_iter(args.iter()), row)?
        .collect::<Result<_, _>>()?;
    Ok(crate::domain::Page { items, page, size, total })
}

/// How many rows of `from` match `where_sql`.
pub fn count(conn: &Connection, from: &str, where_sql: &str, args: &[rusqlite::types::Value]) -> CoreResult<i64> {
    Ok(conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM {from} {where_sql}"))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?)
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
