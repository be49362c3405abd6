//! Cash register sessions: open with a float, cash in and out, blind close.

use std::collections::HashSet;

use rusqlite::Connection;
use serde_json::json;

use super::{audit, Mostrador};
use crate::domain::{
    Credentials,
    text, AccountCode, CashMovement, CashMovementInput, CashSession, CloseOutcome, CloseResult, CloseSessionInput,
    CoreError, CoreResult, Denomination, DenominationCount, ErrorCode, Money, MovementKind, MovementReason,
    OpenSessionInput, Operator, Role, SessionBalance, SessionStatus, TransferKind,
};
use crate::store::sessions::{Drawer, Moment};
use crate::store::{self, ledger};

pub const NOTE_MAX: usize = 200;
pub const MAX_PIECES_PER_DENOMINATION: i64 = 100_000;

pub(super) fn load_session(conn: &Connection, id: i64) -> CoreResult<CashSession> {
    store::sessions::load(conn, id)?.ok_or_else(|| CoreError::not_found("session_id", "la sesión de caja"))
}

fn drawer_of(conn: &Connection, session_id: i64) -> CoreResult<Drawer> {
    store::sessions::drawer(conn, session_id)?.ok_or_else(|| CoreError::not_found("session_id", "la sesión de caja"))
}

/// The session's cashier or an administrator may act on it; only while it is open.
fn check_open_and_allowed(actor: &Operator, drawer: &Drawer) -> CoreResult<()> {
    if actor.role != Role::Administrador && actor.id != drawer.operator_id {
        return Err(CoreError::general(
            ErrorCode::PermisoDenegado,
            "Esta sesión de caja pertenece a otro operador.",
        ));
    }
    if drawer.status != SessionStatus::Abierta {
        return Err(CoreError::new(ErrorCode::SesionCerrada, "session_id", "La sesión de caja ya está cerrada."));
    }
    Ok(())
}

/// Refuses a second open session on the register, or for the operator.
fn check_can_open(conn: &Connection, register_id: i64, operator_id: i64) -> CoreResult<()> {
    if store::sessions::register_has_open_session(conn, register_id)? {
        return Err(CoreError::new(
            ErrorCode::SesionYaAbierta,
            "register_id",
            "La caja ya tiene una sesión abierta; ciérrela antes de abrir otra.",
        ));
    }
    if store::sessions::open_session_of(conn, operator_id)?.is_some() {
        return Err(CoreError::general(
            ErrorCode::OperadorConSesionAbierta,
            "Usted ya tiene una sesión abierta en otra caja; ciérrela primero.",
        ));
    }
    Ok(())
}

/// What an opening books: the new session's float, taken from its register's vault.
struct Opening {
    session_id: i64,
    operator_id: i64,
    vault: i64,
    float: Money,
    /// The declared float less what the vault held: booked against `external` first.
    adjustment: Money,
}

/// Creates the session's drawer and posts the opening: the vault's adjustment (either
/// way, when there is one), then the float from the vault into the drawer.
fn book_opening(conn: &Connection, opening: &Opening, now: &str) -> CoreResult<()> {
    let drawer = ledger::create_account(conn, &AccountCode::Drawer(opening.session_id), false)?;
    let external = ledger::existing(conn, &AccountCode::External)?;
    let base = ledger::Transfer {
        from: external,
        to: opening.vault,
        amount: opening.adjustment.abs(),
        kind: TransferKind::OpeningAdjustment,
        session_id: Some(opening.session_id),
        operator_id: opening.operator_id,
        operation: None,
    };
    if opening.adjustment.is_positive() {
        ledger::post(conn, base, now)?;
    } else if opening.adjustment.is_negative() {
        ledger::post(conn, base.flipped(), now)?;
    }
    if opening.float.is_positive() {
        let float = ledger::Transfer { from: opening.vault, to: drawer, amount: opening.float, kind: TransferKind::OpeningFloat, ..base };
        ledger::post(conn, float, now)?;
    }
    Ok(())
}

impl Mostrador {
    /// Opens a session on a register for the logged-in operator. The float comes out of the
    /// register's vault (its last counted close); a declared float that differs from what
    /// the vault holds is booked as an explicit adjustment against `external`.
    pub fn open_session(&mut self, input: OpenSessionInput) -> CoreResult<CashSession> {
        let actor = self.operator()?.clone();
        let float = Money::parse_non_negative("opening_float", &input.opening_float)?;
        let vault = ledger::account_id(&self.conn, &AccountCode::Vault(input.register_id))?
            .ok_or_else(|| CoreError::not_found("register_id", "la caja"))?;
        let vault_before = ledger::balance(&self.conn, vault)?;
        let authorized_by = self.authorize_opening_gap(&actor, float, vault_before, input.authorization.as_ref())?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        check_can_open(&tx, input.register_id, actor.id)?;
        let in_vault = ledger::balance(&tx, vault)?;
        if in_vault != vault_before {
            return Err(CoreError::general(ErrorCode::Conflicto, "La bóveda cambió durante la apertura; vuelva a intentarlo."));
        }
        let adjustment = float.checked_sub(in_vault).ok_or_else(|| CoreError::internal("desborde"))?;
        let session_id = store::sessions::insert_open(&tx, input.register_id, actor.id, float, adjustment, &now)?;
        let opening = Opening { session_id, operator_id: actor.id, vault, float, adjustment };
        book_opening(&tx, &opening, &now)?;
        store::sessions::snapshot_carriers(&tx, session_id, Moment::Opening)?;
        audit(
            &tx,
            Some(actor.id),
            "open_session",
            "cash_session",
            Some(session_id),
            json!({"register_id": input.register_id, "opening_float": float, "in_vault": in_vault, "adjustment": adjustment,
                   "authorized_by": authorized_by.as_ref().map(|a| a.id)}),
            &now,
        )?;
        let session = load_session(&tx, session_id)?;
        tx.commit()?;
        Ok(session)
    }

    /// A cashier who declares a float the vault does not hold (beyond the close threshold)
    /// needs an administrator's name and PIN: the administrator who gave them, if asked.
    /// An administrator opening has given theirs at login.
    fn authorize_opening_gap(
        &mut self,
        actor: &Operator,
        float: Money,
        vault_before: Money,
        authorization: Option<&Credentials>,
    ) -> CoreResult<Option<Operator>> {
        let gap = float.checked_sub(vault_before).ok_or_else(|| CoreError::internal("desborde"))?;
        if actor.role == Role::Administrador || gap.abs() <= self.settings()?.close_difference_threshold {
            return Ok(None);
        }
        let missing = "La apertura declara un fondo que difiere de la bóveda más que el umbral permitido: necesita la autorización de un administrador (nombre y PIN).";
        self.authorization(authorization, "la apertura", missing).map(Some)
    }

    /// The logged-in operator's open session, if any.
    pub fn active_session(&self) -> CoreResult<Option<CashSession>> {
        let actor = self.operator()?;
        let id = store::sessions::open_session_of(&self.conn, actor.id)?;
        id.map(|id| load_session(&self.conn, id)).transpose()
    }

    /// Whether the blind-close policy keeps the expected cash from `actor` for a session in
    /// `status`: a cashier's own open session while the policy is on. Administrators and
    /// closed sessions (the count was submitted) always show it.
    pub(super) fn hides_expected(&self, actor: &Operator, status: SessionStatus) -> CoreResult<bool> {
        Ok(actor.role != Role::Administrador && status == SessionStatus::Abierta && super::registers::blind_close(&self.conn)?)
    }

    pub fn session_balance(&self, session_id: i64) -> CoreResult<SessionBalance> {
        let actor = self.operator()?;
        let drawer = drawer_of(&self.conn, session_id)?;
        if actor.role != Role::Administrador && actor.id != drawer.operator_id {
            return Err(CoreError::general(ErrorCode::PermisoDenegado, "Esta sesión de caja pertenece a otro operador."));
        }
        let hidden = self.hides_expected(actor, SessionStatus::Abierta)?;
        Ok(SessionBalance { session_id, balance: (!hidden).then_some(drawer.balance) })
    }

    /// INGRESO or EGRESO of cash with a typed reason. An EGRESO larger than the drawer's
    /// balance is refused.
    pub fn record_cash_movement(&mut self, input: CashMovementInput) -> CoreResult<CashMovement> {
        let actor = self.operator()?.clone();
        let kind = MovementKind::parse(input.kind.trim())
            .ok_or_else(|| CoreError::invalid("kind", "debe ser INGRESO o EGRESO"))?;
        let reason = MovementReason::parse(input.reason.trim())
            .ok_or_else(|| CoreError::invalid("reason", "no es un motivo conocido"))?;
        if reason.kind() != kind {
            return Err(CoreError::invalid("reason", &format!("no corresponde a un {}", kind.as_str())));
        }
        let amount = Money::parse_positive("amount", &input.amount)?;
        let note = text::optional("note", input.note.as_deref(), NOTE_MAX)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let drawer = drawer_of(&tx, input.session_id)?;
        check_open_and_allowed(&actor, &drawer)?;
        if kind == MovementKind::Egreso && drawer.balance < amount {
            return Err(CoreError::new(
                ErrorCode::FondosInsuficientes,
                "amount",
                format!("No hay suficiente efectivo en caja para el monto: hay Bs {}, se pidió Bs {amount}.", drawer.balance),
            ));
        }
        let external = ledger::existing(&tx, &AccountCode::External)?;
        let (from, to, transfer_kind) = match kind {
            MovementKind::Ingreso => (external, drawer.account, TransferKind::CashIn),
            MovementKind::Egreso => (drawer.account, external, TransferKind::CashOut),
        };
        let transfer = ledger::Transfer {
            from,
            to,
            amount,
            kind: transfer_kind,
            session_id: Some(input.session_id),
            operator_id: actor.id,
            operation: None,
        };
        let id = ledger::post(&tx, transfer, &now)?;
        let row = store::sessions::MovementRow {
            transfer_id: id,
            session_id: input.session_id,
            kind,
            reason,
            amount,
            note: note.as_deref(),
            operator_id: actor.id,
        };
        store::sessions::insert_movement(&tx, &row, &now)?;
        let detail = json!({"session_id": input.session_id, "kind": kind, "amount": amount});
        audit(&tx, Some(actor.id), "cash_movement", "cash_movement", Some(id), detail, &now)?;
        tx.commit()?;
        Ok(CashMovement { id, session_id: input.session_id, kind, reason, amount, note, operator_id: actor.id, created_at: now })
    }

    /// Blind close: the count by denomination comes in before the expected amount is shown.
    /// The difference goes to `over_short`, the counted cash to the register's vault.
    pub fn close_session(&mut self, input: CloseSessionInput) -> CoreResult<CloseOutcome> {
        let actor = self.operator()?.clone();
        let (counts, counted) = read_count(&input.counts)?;
        let note = text::optional("note", input.note.as_deref(), NOTE_MAX)?;
        let threshold = self.settings()?.close_difference_threshold;

        let drawer = drawer_of(&self.conn, input.session_id)?;
        check_open_and_allowed(&actor, &drawer)?;
        let expected = drawer.balance;
        let difference = counted.checked_sub(expected).ok_or_else(|| CoreError::internal("desborde"))?;
        let authorized_by = if difference.abs() > threshold { Some(self.authorization(input.authorization.as_ref(), "el cierre", "La diferencia supera el umbral permitido: el cierre necesita la autorización de un administrador (nombre y PIN).")?) } else { None };
        let result = match difference.centavos() {
            0 => CloseResult::Cuadrado,
            d if d > 0 => CloseResult::Sobrante,
            _ => CloseResult::Faltante,
        };

        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        // Re-read inside the write lock: nothing may have moved since the count was compared.
        let drawer = drawer_of(&tx, input.session_id)?;
        check_open_and_allowed(&actor, &drawer)?;
        if drawer.balance != expected {
            return Err(CoreError::general(ErrorCode::Conflicto, "El saldo cambió durante el cierre; vuelva a intentarlo."));
        }
        post_close(&tx, input.session_id, drawer.account, actor.id, difference, counted, &now)?;
        let closing = store::sessions::Closing {
            session_id: input.session_id,
            closed_by: actor.id,
            counted,
            expected,
            difference,
            result,
            authorized_by: authorized_by.as_ref().map(|a| a.id),
            note: note.as_deref(),
            counts: &counts,
        };
        store::sessions::close(&tx, &closing, &now)?;
        store::sessions::snapshot_carriers(&tx, input.session_id, Moment::Close)?;
        let detail = json!({"counted": counted, "expected": expected, "difference": difference, "result": result,
                            "authorized_by": authorized_by.as_ref().map(|a| a.id)});
        audit(&tx, Some(actor.id), "close_session", "cash_session", Some(input.session_id), detail, &now)?;
        let session = load_session(&tx, input.session_id)?;
        tx.commit()?;
        Ok(CloseOutcome { session, counted, expected, difference, result, authorized_by: authorized_by.map(|a| a.name) })
    }

    /// An administrator's name and PIN, for a close (or an opening) whose difference passes
    /// the threshold; `what` names it in the refusal, `missing` is the message without one.
    fn authorization(&mut self, authorization: Option<&Credentials>, what: &str, missing: &str) -> CoreResult<Operator> {
        let Some(auth) = authorization else {
            return Err(CoreError::new(ErrorCode::AutorizacionRequerida, "authorization", missing));
        };
        let name = text::required("authorization", &auth.name, super::auth::NAME_MAX)?;
        let admin = self.check_credentials(&name, &auth.pin, "authorization")?;
        if admin.role != Role::Administrador {
            return Err(CoreError::new(
                ErrorCode::PermisoDenegado,
                "authorization",
                format!("La autorización de {what} debe darla un administrador."),
            ));
        }
        Ok(admin)
    }
}

/// A close's count: each denomination once, with 0 to [`MAX_PIECES_PER_DENOMINATION`]
/// pieces; returns the lines and the counted total.
fn read_count(lines: &[DenominationCount]) -> CoreResult<(Vec<(Denomination, i64)>, Money)> {
    let mut seen = HashSet::new();
    let mut counts = Vec::with_capacity(lines.len());
    let mut counted = Money::ZERO;
    for line in lines {
        let denomination = Denomination::parse(line.denomination.trim())
            .ok_or_else(|| CoreError::invalid("counts", &format!("tiene una denominación desconocida: «{}»", line.denomination)))?;
        if !seen.insert(denomination) {
            return Err(CoreError::invalid("counts", &format!("repite la denominación {}", denomination.as_str())));
        }
        if !(0..=MAX_PIECES_PER_DENOMINATION).contains(&line.quantity) {
            return Err(CoreError::invalid(
                "counts",
                &format!("debe tener una cantidad entre 0 y {MAX_PIECES_PER_DENOMINATION} para {}", denomination.as_str()),
            ));
        }
        let subtotal = Money::from_centavos(denomination.value().centavos() * line.quantity);
        counted = counted.checked_add(subtotal).ok_or_else(|| CoreError::internal("desborde"))?;
        counts.push((denomination, line.quantity));
    }
    Ok((counts, counted))
}

/// The close's transfers: the difference against `over_short`, the counted cash to the vault.
fn post_close(conn: &Connection, session_id: i64, drawer: i64, actor: i64, difference: Money, counted: Money, now: &str) -> CoreResult<()> {
    let register_id = store::sessions::register_of(conn, session_id)?;
    let vault = ledger::existing(conn, &AccountCode::Vault(register_id))?;
    let over_short = ledger::existing(conn, &AccountCode::OverShort)?;
    let base = ledger::Transfer {
        from: over_short,
        to: drawer,
        amount: difference.abs(),
        kind: TransferKind::CloseDifference,
        session_id: Some(session_id),
        operator_id: actor,
        operation: None,
    };
    if difference.is_positive() {
        ledger::post(conn, base, now)?;
    } else if difference.is_negative() {
        ledger::post(conn, base.flipped(), now)?;
    }
    if counted.is_positive() {
        let to_vault = ledger::Transfer { from: drawer, to: vault, amount: counted, kind: TransferKind::CloseToVault, ..base };
        ledger::post(conn, to_vault, now)?;
    }
    Ok(())
}
