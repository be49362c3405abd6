//! X and Z reports and the session list: pure reads of the ledger and its records.

use rusqlite::types::Value;

use super::sessions::{load_session, session_from_row, SESSION_COLUMNS, SESSION_FROM};
use super::{clock, ops, Mostrador};
use crate::domain::{
    AgentTotal, CarrierTotal, CoreError, CoreResult, CountLine, Denomination, Money, MovementKind, MovementReason,
    MovementTotal, OperatorTotal, PaymentTotal,
    ReportKind, Role, SessionFilter, SessionPage, SessionReport, SessionStatus,
};
use crate::store::ledger;


impl Mostrador {
    /// X report while the session is open, Z report once it is closed.
    pub fn session_report(&self, session_id: i64) -> CoreResult<SessionReport> {
        let actor = self.operator()?;
        let session = load_session(&self.conn, session_id)?;
        if actor.role != Role::Administrador && actor.id != session.operator_id {
            return Err(CoreError::forbidden("ver el reporte de la sesión de otro operador"));
        }
        // One pass over the session's range of the clustered `cash_movements` (no temporary B-tree);
        // the totals by reason and by operator are both folded from it.
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.kind, m.reason, m.operator_id, o.name, m.count, m.total FROM (
                 SELECT kind, reason, operator_id, COUNT(*) AS count, SUM(amount) AS total
                 FROM cash_movements WHERE session_id = ?1 GROUP BY kind, reason, operator_id) m
             JOIN operators o ON o.id = m.operator_id",
        )?;
        let mut movements: Vec<MovementTotal> = Vec::new();
        let mut by_operator: Vec<OperatorTotal> = Vec::new();
        let mut rows = stmt.query([session_id])?;
        while let Some(r) = rows.next()? {
            let (kind, reason): (MovementKind, MovementReason) = (r.get(0)?, r.get(1)?);
            let (operator_id, operator_name, count, total): (i64, String, i64, Money) =
                (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
            let add = |a: Money| a.checked_add(total).ok_or_else(|| CoreError::internal("desborde"));
            match movements.iter_mut().find(|m| m.kind == kind && m.reason == reason) {
                Some(m) => {
                    m.count += count;
                    m.total = add(m.total)?;
                }
                None => movements.push(MovementTotal { kind, reason, count, total }),
            }
            let op = match by_operator.iter_mut().position(|o| o.operator_id == operator_id) {
                Some(i) => &mut by_operator[i],
                None => {
                    by_operator.push(OperatorTotal { operator_id, operator_name, count: 0, ingresos: Money::ZERO, egresos: Money::ZERO });
                    by_operator.last_mut().expect("just pushed")
                }
            };
            op.count += count;
            match kind {
                MovementKind::Ingreso => op.ingresos = add(op.ingresos)?,
                MovementKind::Egreso => op.egresos = add(op.egresos)?,
            }
        }
        // INGRESO before EGRESO, then by reason; operators by name.
        movements.sort_by(|a, b| b.kind.as_str().cmp(a.kind.as_str()).then(a.reason.as_str().cmp(b.reason.as_str())));
        by_operator.sort_by(|a, b| a.operator_name.cmp(&b.operator_name));
        let sum_of = |kind: MovementKind| {
            movements
                .iter()
                .filter(|m| m.kind == kind)
                .fold(Money::ZERO, |acc, m| acc.checked_add(m.total).unwrap_or(acc))
        };
        let total_ingresos = sum_of(MovementKind::Ingreso);
        let total_egresos = sum_of(MovementKind::Egreso);

        let (kind, expected) = match session.status {
            SessionStatus::Abierta => {
                let drawer = ledger::account_id(&self.conn, &ledger::drawer_code(session_id))?
                    .ok_or_else(|| CoreError::internal("sesión sin cajón"))?;
                (ReportKind::X, ledger::balance(&self.conn, drawer)?)
            }
            SessionStatus::Cerrada => (ReportKind::Z, session.expected.unwrap_or_default()),
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT denomination, quantity FROM close_counts WHERE session_id = ?1")?;
        let mut count_lines: Vec<CountLine> = stmt
            .query_map([session_id], |r| {
                let denomination: Denomination = r.get(0)?;
                let quantity: i64 = r.get(1)?;
                Ok(CountLine {
                    denomination,
                    quantity,
                    subtotal: Money::from_centavos(denomination.value().centavos() * quantity),
                })
            })?
            .collect::<Result<_, _>>()?;
        count_lines.sort_by_key(|l| std::cmp::Reverse(l.denomination.value()));

        let agentes: Vec<AgentTotal> = self
            .conn
            .prepare_cached(
                "SELECT banco, tipo_operacion, COUNT(*), SUM(monto), SUM(comision_cliente), SUM(comision_banco)
                 FROM agent_transactions WHERE id_caja_sesion = ?1 AND voided_at IS NULL
                 GROUP BY banco, tipo_operacion ORDER BY banco, tipo_operacion",
            )?
            .query_map([session_id], |r| {
                Ok(AgentTotal {
                    banco: r.get(0)?,
                    tipo_operacion: r.get(1)?,
                    cantidad: r.get(2)?,
                    monto: r.get(3)?,
                    comision_cliente: r.get(4)?,
                    comision_banco: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let total = |pick: fn(&AgentTotal) -> Money| {
            agentes.iter().map(pick).fold(Money::ZERO, |acc, m| acc.checked_add(m).unwrap_or(acc))
        };
        let comision_cliente = total(|a| a.comision_cliente);
        let comision_banco = total(|a| a.comision_banco);
        // Balances at open and close come from the snapshots; an open session shows the
        // live balance as its closing figure.
        let recargas: Vec<CarrierTotal> = self
            .conn
            .prepare_cached(
                "SELECT c.operadora,
                        COALESCE((SELECT saldo FROM session_carrier_balances WHERE session_id = ?1 AND moment = 'APERTURA' AND operadora = c.operadora), 0),
                        COALESCE((SELECT saldo FROM session_carrier_balances WHERE session_id = ?1 AND moment = 'CIERRE' AND operadora = c.operadora), a.balance),
                        (SELECT COUNT(*) FROM topups WHERE id_caja_sesion = ?1 AND operadora = c.operadora AND voided_at IS NULL),
                        (SELECT COALESCE(SUM(monto), 0) FROM topups WHERE id_caja_sesion = ?1 AND operadora = c.operadora AND voided_at IS NULL),
                        (SELECT COUNT(*) FROM injections WHERE id_caja_sesion = ?1 AND operadora = c.operadora AND voided_at IS NULL),
                        (SELECT COALESCE(SUM(monto), 0) FROM injections WHERE id_caja_sesion = ?1 AND operadora = c.operadora AND voided_at IS NULL),
                        (SELECT COALESCE(SUM(bonificacion), 0) FROM injections WHERE id_caja_sesion = ?1 AND operadora = c.operadora AND voided_at IS NULL)
                 FROM carriers c JOIN accounts a ON a.code = 'carrier_float:' || c.operadora ORDER BY c.operadora",
            )?
            .query_map([session_id], |r| {
                Ok(CarrierTotal {
                    operadora: r.get(0)?,
                    saldo_apertura: r.get(1)?,
                    saldo_cierre: r.get(2)?,
                    recargas: r.get(3)?,
                    monto_recargas: r.get(4)?,
                    inyecciones: r.get(5)?,
                    monto_inyecciones: r.get(6)?,
                    bonificacion: r.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let pagos: Vec<PaymentTotal> = self
            .conn
            .prepare_cached(
                "SELECT metodo_pago, COUNT(*), SUM(monto) FROM payments
                 WHERE id_caja_sesion = ?1 AND vigente = 1 GROUP BY metodo_pago ORDER BY metodo_pago",
            )?
            .query_map([session_id], |r| Ok(PaymentTotal { metodo_pago: r.get(0)?, cantidad: r.get(1)?, monto: r.get(2)? }))?
            .collect::<Result<_, _>>()?;
        let anulaciones: i64 = self.conn.prepare_cached(
            "SELECT (SELECT COUNT(*) FROM agent_transactions WHERE id_caja_sesion = ?1 AND voided_at IS NOT NULL)
                  + (SELECT COUNT(*) FROM topups WHERE id_caja_sesion = ?1 AND voided_at IS NOT NULL)
                  + (SELECT COUNT(*) FROM injections WHERE id_caja_sesion = ?1 AND voided_at IS NOT NULL)
                  + (SELECT COUNT(*) FROM payments WHERE id_caja_sesion = ?1 AND vigente = 0)",
        )?
        .query_row([session_id], |r| r.get(0))?;

        Ok(SessionReport {
            kind,
            agentes,
            comision_cliente,
            comision_banco,
            recargas,
            pagos,
            anulaciones,
            opening_float: session.opening_float,
            opening_adjustment: session.opening_adjustment,
            movements,
            total_ingresos,
            total_egresos,
            by_operator,
            expected,
            counted: session.counted,
            difference: session.difference,
            result: session.result,
            count_lines,
            generated_at: clock::stamp(self.clock.now()),
            session,
        })
    }

    /// Sessions, newest first. A cashier sees only their own.
    pub fn list_sessions(&self, filter: SessionFilter) -> CoreResult<SessionPage> {
        let actor = self.operator()?;
        let paging = ops::paging(filter.page, filter.size, 1)?;
        let status = match filter.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                SessionStatus::parse(text).ok_or_else(|| CoreError::invalid("status", "debe ser ABIERTA o CERRADA"))?,
            ),
        };
        let operator_id = if actor.role == Role::Administrador { filter.operator_id } else { Some(actor.id) };

        let mut clauses = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(id) = filter.register_id {
            clauses.push("s.register_id = ?".to_string());
            args.push(id.into());
        }
        if let Some(id) = operator_id {
            clauses.push("s.operator_id = ?".to_string());
            args.push(id.into());
        }
        if let Some(status) = status {
            clauses.push("s.status = ?".to_string());
            args.push(status.as_str().to_string().into());
        }
        let (from_date, to_date) = (("from_date", &filter.from_date), ("to_date", &filter.to_date));
        ops::push_date_range(from_date, to_date, "s.opened_at", &mut clauses, &mut args)?;
        let from = SESSION_FROM.trim_start_matches("FROM ");
        let order = "s.opened_at DESC, s.id DESC";
        let where_sql = ops::where_sql(&clauses);
        let page = ops::page_of(&self.conn, from, SESSION_COLUMNS, &where_sql, order, args, paging, None, session_from_row)?;
        Ok(SessionPage { items: page.items, page: page.page, size: page.size, total: page.total })
    }
}
