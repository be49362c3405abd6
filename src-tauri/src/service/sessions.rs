//! Cash register sessions: open with a float, cash in and out, blind close.

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

use super::{audit, Mostrador};
use crate::domain::{
    text, CashMovement, CashMovementInput, CashSession, CloseOutcome, CloseResult, CloseSessionInput,
    CoreError, CoreResult, Denomination, ErrorCode, Money, MovementKind, MovementReason, OpenSessionInput,
    Operator, Role, SessionBalance, SessionStatus,
};
use crate::store::{self, ledger};

pub const NOTE_MAX: usize = 200;
pub const MAX_PIECES_PER_DENOMINATION: i64 = 100_000;

pub(super) const SESSION_COLUMNS: &str = "s.id, s.register_id, r.name, s.operator_id, o.name, s.status, s.opened_at,
     s.closed_at, s.opening_float, s.opening_adjustment, s.counted, s.expected, s.difference, s.result";

pub(super) const SESSION_FROM: &str =
    "FROM cash_sessions s JOIN registers r ON r.id = s.register_id JOIN operators o ON o.id = s.operator_id";

pub(super) fn session_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CashSession> {
    Ok(CashSession {
        id: r.get(0)?,
        register_id: r.get(1)?,
        register_name: r.get(2)?,
        operator_id: r.get(3)?,
        operator_name: r.get(4)?,
        status: r.get(5)?,
        opened_at: r.get(6)?,
        closed_at: r.get(7)?,
        opening_float: r.get(8)?,
        opening_adjustment: r.get(9)?,
        counted: r.get(10)?,
        expected: r.get(11)?,
        difference: r.get(12)?,
        result: r.get(13)?,
    })
}

pub(super) fn load_session(conn: &Connection, id: i64) -> CoreResult<CashSession> {
    conn.prepare_cached(&format!("SELECT {SESSION_COLUMNS} {SESSION_FROM} WHERE s.id = ?1"))?
        .query_row([id], session_from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("session_id", "la sesión de caja"))
}

/// What a movement or a close needs to know about its session, in one indexed read.
struct OpenDrawer {
    operator_id: i64,
    status: SessionStatus,
    drawer: i64,
    balance: Money,
}

fn drawer_of(conn: &Connection, session_id: i64) -> CoreResult<OpenDrawer> {
    conn.prepare_cached(
        "SELECT s.operator_id, s.status, a.id, a.balance
         FROM cash_sessions s JOIN accounts a ON a.code = 'drawer:' || s.id WHERE s.id = ?1",
    )?
    .query_row([session_id], |r| {
        Ok(OpenDrawer { operator_id: r.get(0)?, status: r.get(1)?, drawer: r.get(2)?, balance: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| CoreError::not_found("session_id", "la sesión de caja"))
}

/// The session's cashier or an administrator may act on it; only while it is open.
fn check_open_and_allowed(actor: &Operator, drawer: &OpenDrawer) -> CoreResult<()> {
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

/// Records each carrier's balance when a session opens or closes, for the X/Z report.
fn snapshot_carriers(conn: &Connection, session_id: i64, moment: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO session_carrier_balances (session_id, moment, operadora, saldo)
         SELECT ?1, ?2, c.operadora, a.balance FROM carriers c JOIN accounts a ON a.code = 'carrier_float:' || c.operadora",
    )?
    .execute(params![session_id, moment])
}

impl Mostrador {
    /// Opens a session on a register for the logged-in operator. The float comes out of the
    /// register's vault (its last counted close); a declared float that differs from what
    /// the vault holds is booked as an explicit adjustment against `external`.
    pub fn open_session(&mut self, input: OpenSessionInput) -> CoreResult<CashSession> {
        let actor = self.operator()?.clone();
        let float = Money::parse_non_negative("opening_float", &input.opening_float)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let vault = ledger::account_id(&tx, &ledger::vault_code(input.register_id))?
            .ok_or_else(|| CoreError::not_found("register_id", "la caja"))?;
        let register_busy: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM cash_sessions WHERE register_id = ?1 AND status = 'ABIERTA')",
            [input.register_id],
            |r| r.get(0),
        )?;
        if register_busy {
            return Err(CoreError::new(
                ErrorCode::SesionYaAbierta,
                "register_id",
                "La caja ya tiene una sesión abierta; ciérrela antes de abrir otra.",
            ));
        }
        let operator_busy: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM cash_sessions WHERE operator_id = ?1 AND status = 'ABIERTA')",
            [actor.id],
            |r| r.get(0),
        )?;
        if operator_busy {
            return Err(CoreError::general(
                ErrorCode::OperadorConSesionAbierta,
                "Usted ya tiene una sesión abierta en otra caja; ciérrela primero.",
            ));
        }
        let in_vault = ledger::balance(&tx, vault)?;
        let adjustment = float.checked_sub(in_vault).ok_or_else(|| CoreError::internal("desborde"))?;
        tx.execute(
            "INSERT INTO cash_sessions (register_id, operator_id, status, opened_at, opening_float, opening_adjustment)
             VALUES (?1, ?2, 'ABIERTA', ?3, ?4, ?5)",
            params![input.register_id, actor.id, now, float, adjustment],
        )?;
        let session_id = tx.last_insert_rowid();
        let drawer = ledger::create_account(&tx, &ledger::drawer_code(session_id), false)?;
        let external = ledger::account_id(&tx, ledger::EXTERNAL)?.ok_or_else(|| CoreError::internal("sin cuenta external"))?;
        let base = ledger::Transfer {
            from: external,
            to: vault,
            amount: adjustment.abs(),
            kind: ledger::kind::OPENING_ADJUSTMENT,
            session_id: Some(session_id),
            operator_id: actor.id,
            operation: None,
        };
        if adjustment.is_positive() {
            ledger::post(&tx, base, &now)?;
        } else if adjustment.is_negative() {
            ledger::post(&tx, ledger::Transfer { from: vault, to: external, ..base }, &now)?;
        }
        if float.is_positive() {
            let opening = ledger::Transfer { from: vault, to: drawer, amount: float, kind: ledger::kind::OPENING_FLOAT, ..base };
            ledger::post(&tx, opening, &now)?;
        }
        snapshot_carriers(&tx, session_id, "APERTURA")?;
        audit(
            &tx,
            Some(actor.id),
            "open_session",
            "cash_session",
            Some(session_id),
            json!({"register_id": input.register_id, "opening_float": float, "in_vault": in_vault, "adjustment": adjustment}),
            &now,
        )?;
        let session = load_session(&tx, session_id)?;
        tx.commit()?;
        Ok(session)
    }

    /// The logged-in operator's open session, if any.
    pub fn active_session(&self) -> CoreResult<Option<CashSession>> {
        let actor = self.operator()?;
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM cash_sessions WHERE operator_id = ?1 AND status = 'ABIERTA'",
                [actor.id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| load_session(&self.conn, id)).transpose()
    }

    pub fn session_balance(&self, session_id: i64) -> CoreResult<SessionBalance> {
        let actor = self.operator()?;
        let drawer = drawer_of(&self.conn, session_id)?;
        if actor.role != Role::Administrador && actor.id != drawer.operator_id {
            return Err(CoreError::general(ErrorCode::PermisoDenegado, "Esta sesión de caja pertenece a otro operador."));
        }
        Ok(SessionBalance { session_id, balance: drawer.balance })
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
        let external = ledger::account_id(&tx, ledger::EXTERNAL)?.ok_or_else(|| CoreError::internal("sin cuenta external"))?;
        let (from, to, transfer_kind) = match kind {
            MovementKind::Ingreso => (external, drawer.drawer, ledger::kind::CASH_IN),
            MovementKind::Egreso => (drawer.drawer, external, ledger::kind::CASH_OUT),
        };
        let transfer_id = ledger::post(
            &tx,
            ledger::Transfer {
                from,
                to,
                amount,
                kind: transfer_kind,
                session_id: Some(input.session_id),
                operator_id: actor.id,
                operation: None,
            },
            &now,
        )?;
        tx.prepare_cached(
            "INSERT INTO cash_movements (id, session_id, kind, reason, amount, note, operator_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![transfer_id, input.session_id, kind, reason, amount, note, actor.id, now])?;
        let id = transfer_id;
        audit(&tx, Some(actor.id), "cash_movement", "cash_movement", Some(id), json!({"session_id": input.session_id, "kind": kind, "amount": amount}), &now)?;
        tx.commit()?;
        Ok(CashMovement { id, session_id: input.session_id, kind, reason, amount, note, operator_id: actor.id, created_at: now })
    }

    /// Blind close: the count by denomination comes in before the expected amount is shown.
    /// The difference goes to `over_short`, the counted cash to the register's vault.
    pub fn close_session(&mut self, input: CloseSessionInput) -> CoreResult<CloseOutcome> {
        let actor = self.operator()?.clone();
        let mut seen = HashSet::new();
        let mut counts = Vec::with_capacity(input.counts.len());
        let mut counted = Money::ZERO;
        for line in &input.counts {
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
        let note = text::optional("note", input.note.as_deref(), NOTE_MAX)?;
        let threshold = self.settings()?.close_difference_threshold;

        let drawer = drawer_of(&self.conn, input.session_id)?;
        check_open_and_allowed(&actor, &drawer)?;
        let expected = drawer.balance;
        let difference = counted.checked_sub(expected).ok_or_else(|| CoreError::internal("desborde"))?;
        let authorized_by = if difference.abs() > threshold {
            let Some(auth) = &input.authorization else {
                return Err(CoreError::new(
                    ErrorCode::AutorizacionRequerida,
                    "authorization",
                    "La diferencia supera el umbral permitido: el cierre necesita la autorización de un administrador (nombre y PIN).",
                ));
            };
            let name = text::required("authorization", &auth.name, super::auth::NAME_MAX)?;
            let admin = self.check_credentials(&name, &auth.pin, "authorization")?;
            if admin.role != Role::Administrador {
                return Err(CoreError::new(
                    ErrorCode::PermisoDenegado,
                    "authorization",
                    "La autorización del cierre debe darla un administrador.",
                ));
            }
            Some(admin)
        } else {
            None
        };
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
            return Err(CoreError::general(ErrorCode::ErrorInterno, "El saldo cambió durante el cierre; vuelva a intentarlo."));
        }
        let register_id: i64 = tx.query_row("SELECT register_id FROM cash_sessions WHERE id = ?1", [input.session_id], |r| r.get(0))?;
        let vault = ledger::account_id(&tx, &ledger::vault_code(register_id))?.ok_or_else(|| CoreError::internal("sin bóveda"))?;
        let over_short = ledger::account_id(&tx, ledger::OVER_SHORT)?.ok_or_else(|| CoreError::internal("sin cuenta over_short"))?;
        let base = ledger::Transfer {
            from: over_short,
            to: drawer.drawer,
            amount: difference.abs(),
            kind: ledger::kind::CLOSE_DIFFERENCE,
            session_id: Some(input.session_id),
            operator_id: actor.id,
            operation: None,
        };
        if difference.is_positive() {
            ledger::post(&tx, base, &now)?;
        } else if difference.is_negative() {
            ledger::post(&tx, ledger::Transfer { from: drawer.drawer, to: over_short, ..base }, &now)?;
        }
        if counted.is_positive() {
            let to_vault = ledger::Transfer { from: drawer.drawer, to: vault, amount: counted, kind: ledger::kind::CLOSE_TO_VAULT, ..base };
            ledger::post(&tx, to_vault, &now)?;
        }
        tx.execute(
            "UPDATE cash_sessions SET status = 'CERRADA', closed_at = ?2, closed_by = ?3, counted = ?4, expected = ?5,
                 difference = ?6, result = ?7, authorized_by = ?8, close_note = ?9
             WHERE id = ?1",
            params![input.session_id, now, actor.id, counted, expected, difference, result, authorized_by.as_ref().map(|a| a.id), note],
        )?;
        {
            let mut insert = tx.prepare_cached("INSERT INTO close_counts (session_id, denomination, quantity) VALUES (?1, ?2, ?3)")?;
            for (denomination, quantity) in &counts {
                insert.execute(params![input.session_id, denomination, quantity])?;
            }
        }
        snapshot_carriers(&tx, input.session_id, "CIERRE")?;
        audit(
            &tx,
            Some(actor.id),
            "close_session",
            "cash_session",
            Some(input.session_id),
            json!({"counted": counted, "expected": expected, "difference": difference, "result": result,
                   "authorized_by": authorized_by.as_ref().map(|a| a.id)}),
            &now,
        )?;
        let session = load_session(&tx, input.session_id)?;
        tx.commit()?;
        Ok(CloseOutcome { session, counted, expected, difference, result, authorized_by: authorized_by.map(|a| a.name) })
    }
}
