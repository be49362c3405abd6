//! X and Z reports and the session list: pure reads of the ledger and its records.

use chrono::Timelike;

use super::sessions::load_session;
use super::{clock, ops, Mostrador};
use crate::domain::{
    AccountCode, AgentTotal, BalanceCheck, CashSession, CoreError, CoreResult, CountLine, HourActivity, Money, MovementKind, MovementTotal, OperatorTotal,
    Page, ReportKind, Role, SessionFilter, SessionReport, SessionStatus,
};
use crate::store::{self, ledger};

impl Mostrador {
    /// X report while the session is open, Z report once it is closed.
    pub fn session_report(&self, session_id: i64) -> CoreResult<SessionReport> {
        let actor = self.operator()?;
        let session = load_session(&self.conn, session_id)?;
        if actor.role != Role::Administrador && actor.id != session.operator_id {
            return Err(CoreError::forbidden("ver el reporte de la sesión de otro operador"));
        }
        let cash = self.cash_section(&session)?;
        let hidden = self.hides_expected(actor, session.status)?;
        let agentes = store::reports::agent_totals(&self.conn, session_id)?;
        let total = |pick: fn(&AgentTotal) -> Money| agentes.iter().map(pick).fold(Money::ZERO, |acc, m| acc.checked_add(m).unwrap_or(acc));
        let (comision_cliente, comision_banco) = (total(|a| a.comision_cliente), total(|a| a.comision_banco));
        Ok(SessionReport {
            kind: cash.kind,
            agentes,
            comision_cliente,
            comision_banco,
            recargas: store::reports::carrier_totals(&self.conn, session_id)?,
            pagos: store::reports::payment_totals(&self.conn, session_id)?,
            anulaciones: store::reports::void_count(&self.conn, session_id)?,
            sync: store::call_states::session_by_provider(&self.conn, session_id)?,
            actividad: activity_by_hour(&self.conn, session_id)?,
            saldos_billeteras: wallet_checks(&self.conn, &session, &clock::stamp(self.clock.now()))?,
            opening_float: session.opening_float,
            opening_adjustment: session.opening_adjustment,
            movements: cash.movements,
            total_ingresos: cash.total_ingresos,
            total_egresos: cash.total_egresos,
            by_operator: cash.by_operator,
            expected: (!hidden).then_some(cash.expected),
            counted: session.counted,
            difference: session.difference,
            result: session.result,
            count_lines: count_lines(&self.conn, session_id)?,
            generated_at: clock::stamp(self.clock.now()),
            session,
        })
    }

    /// The report's cash section: movements by reason and by operator, and what the drawer
    /// should hold (live for an X report, as closed for a Z report).
    fn cash_section(&self, session: &CashSession) -> CoreResult<CashSection> {
        let (movements, by_operator) = movement_totals(&self.conn, session.id)?;
        let sum_of = |kind: MovementKind| {
            movements.iter().filter(|m| m.kind == kind).fold(Money::ZERO, |acc, m| acc.checked_add(m.total).unwrap_or(acc))
        };
        let (total_ingresos, total_egresos) = (sum_of(MovementKind::Ingreso), sum_of(MovementKind::Egreso));
        let (kind, expected) = match session.status {
            SessionStatus::Abierta => {
                let drawer = ledger::account_id(&self.conn, &AccountCode::Drawer(session.id))?
                    .ok_or_else(|| CoreError::internal("sesión sin cajón"))?;
                (ReportKind::X, ledger::balance(&self.conn, drawer)?)
            }
            SessionStatus::Cerrada => (ReportKind::Z, session.expected.unwrap_or_default()),
        };
        Ok(CashSection { kind, expected, movements, by_operator, total_ingresos, total_egresos })
    }

    /// Sessions, newest first. A cashier sees only their own.
    pub fn list_sessions(&self, filter: SessionFilter) -> CoreResult<Page<CashSession>> {
        let actor = self.operator()?;
        let paging = ops::paging(filter.page, filter.size, 1)?;
        let status = match filter.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                SessionStatus::parse(text).ok_or_else(|| CoreError::invalid("status", "debe ser ABIERTA o CERRADA"))?,
            ),
        };
        let operator_id = if actor.role == Role::Administrador { filter.operator_id } else { Some(actor.id) };
        let dates = ops::date_range(("from_date", &filter.from_date), ("to_date", &filter.to_date))?;
        let query = store::sessions::SessionQuery {
            register_id: filter.register_id,
            operator_id,
            status,
            opened_from: dates.start,
            opened_before: dates.end,
        };
        Ok(store::sessions::list(&self.conn, query, paging)?)
    }
}

struct CashSection {
    kind: ReportKind,
    expected: Money,
    movements: Vec<MovementTotal>,
    by_operator: Vec<OperatorTotal>,
    total_ingresos: Money,
    total_egresos: Money,
}

/// The totals by reason and by operator, both folded from one pass over the movements.
/// INGRESO before EGRESO, then by reason; operators by name.
fn movement_totals(conn: &rusqlite::Connection, session_id: i64) -> CoreResult<(Vec<MovementTotal>, Vec<OperatorTotal>)> {
    let mut movements: Vec<MovementTotal> = Vec::new();
    let mut by_operator: Vec<OperatorTotal> = Vec::new();
    for g in store::sessions::movement_groups(conn, session_id)? {
        let add = |a: Money| a.checked_add(g.total).ok_or_else(|| CoreError::internal("desborde"));
        match movements.iter_mut().find(|m| m.kind == g.kind && m.reason == g.reason) {
            Some(m) => {
                m.count += g.count;
                m.total = add(m.total)?;
            }
            None => movements.push(MovementTotal { kind: g.kind, reason: g.reason, count: g.count, total: g.total }),
        }
        let op = match by_operator.iter_mut().position(|o| o.operator_id == g.operator_id) {
            Some(i) => &mut by_operator[i],
            None => {
                let name = g.operator_name.clone();
                by_operator.push(OperatorTotal { operator_id: g.operator_id, operator_name: name, count: 0, ingresos: Money::ZERO, egresos: Money::ZERO });
                by_operator.last_mut().expect("just pushed")
            }
        };
        op.count += g.count;
        match g.kind {
            MovementKind::Ingreso => op.ingresos = add(op.ingresos)?,
            MovementKind::Egreso => op.egresos = add(op.egresos)?,
        }
    }
    movements.sort_by(|a, b| b.kind.as_str().cmp(a.kind.as_str()).then(a.reason.as_str().cmp(b.reason.as_str())));
    by_operator.sort_by(|a, b| a.operator_name.cmp(&b.operator_name));
    Ok((movements, by_operator))
}

/// Each wallet's last balance check from the session's opening to its close (or now).
fn wallet_checks(conn: &rusqlite::Connection, session: &CashSession, now: &str) -> CoreResult<Vec<BalanceCheck>> {
    let until = session.closed_at.as_deref().unwrap_or(now);
    // `balance_checks_between` excludes its end: one millisecond more keeps a check stamped at the close.
    let before = chrono::DateTime::parse_from_rfc3339(until).map_err(CoreError::internal)? + chrono::Duration::milliseconds(1);
    let checks = store::provider_rules::balance_checks_between(conn, &session.opened_at, &clock::stamp(before.to_utc()))?;
    let mut last: Vec<BalanceCheck> = Vec::new();
    for check in checks {
        match last.iter_mut().find(|c| c.banco == check.banco) {
            Some(kept) => *kept = check,
            None => last.push(check),
        }
    }
    last.sort_by(|a, b| a.banco.cmp(&b.banco));
    Ok(last)
}

/// The session's operations by the store's hour (only the hours that had any), in order.
fn activity_by_hour(conn: &rusqlite::Connection, session_id: i64) -> CoreResult<Vec<HourActivity>> {
    use store::reports::ActivityKind;
    let mut hours: Vec<HourActivity> = Vec::new();
    for (stamp, kind) in store::reports::activity_stamps(conn, session_id)? {
        let at = chrono::DateTime::parse_from_rfc3339(&stamp).map_err(|_| CoreError::internal("fecha ilegible en el registro"))?;
        let hora = i64::from(at.with_timezone(&clock::store_offset()).hour());
        let slot = match hours.iter().position(|h| h.hora == hora) {
            Some(i) => &mut hours[i],
            None => {
                hours.push(HourActivity { hora, ..HourActivity::default() });
                hours.last_mut().expect("just pushed")
            }
        };
        match kind {
            ActivityKind::Agente => slot.agentes += 1,
            ActivityKind::Recarga => slot.recargas += 1,
            ActivityKind::Pago => slot.pagos += 1,
            ActivityKind::Movimiento => slot.movimientos += 1,
        }
    }
    hours.sort_by_key(|h| h.hora);
    Ok(hours)
}

/// The close count with subtotals, largest denomination first.
fn count_lines(conn: &rusqlite::Connection, session_id: i64) -> CoreResult<Vec<CountLine>> {
    let mut lines: Vec<CountLine> = store::sessions::close_counts(conn, session_id)?
        .into_iter()
        .map(|(denomination, quantity)| CountLine {
            denomination,
            quantity,
            subtotal: Money::from_centavos(denomination.value().centavos() * quantity),
        })
        .collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.denomination.value()));
    Ok(lines)
}
