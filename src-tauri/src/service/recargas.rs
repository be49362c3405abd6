//! Recargas: carrier balances, client top-ups and injections of balance bought with cash
//! from the drawer.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde_json::json;

use super::ops::{self, Side};
use super::{audit, Mostrador};
use crate::domain::{
    CarrierBonusInput, CoreError, CoreResult, ErrorCode, InyeccionOperadora, Money, NewInjection, NewTopup, Operadora,
    OperadoraSaldo, Page, RecargaCliente, RecargaFilter, VoidInput,
};
use crate::store::{self, ledger};

const TOPUP_COLUMNS: &str = "id, operadora, telefono, monto, fecha, id_caja_sesion, operator_id, voided_at, void_reason";

fn topup_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecargaCliente> {
    Ok(RecargaCliente {
        id: r.get(0)?,
        operadora: r.get(1)?,
        telefono: r.get(2)?,
        monto: r.get(3)?,
        fecha: r.get(4)?,
        id_caja_sesion: r.get(5)?,
        id_usuario: r.get(6)?,
        anulada_en: r.get(7)?,
        motivo_anulacion: r.get(8)?,
    })
}

fn load_topup(conn: &Connection, id: i64) -> CoreResult<RecargaCliente> {
    conn.prepare_cached(&format!("SELECT {TOPUP_COLUMNS} FROM topups WHERE id = ?1"))?
        .query_row([id], topup_from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("id", "la recarga"))
}

const INJECTION_COLUMNS: &str =
    "id, operadora, monto, bonificacion, fecha, id_caja_sesion, operator_id, voided_at, void_reason";

fn injection_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InyeccionOperadora> {
    Ok(InyeccionOperadora {
        id: r.get(0)?,
        operadora: r.get(1)?,
        monto: r.get(2)?,
        bonificacion: r.get(3)?,
        fecha: r.get(4)?,
        id_caja_sesion: r.get(5)?,
        id_usuario: r.get(6)?,
        anulada_en: r.get(7)?,
        motivo_anulacion: r.get(8)?,
    })
}

fn load_injection(conn: &Connection, id: i64) -> CoreResult<InyeccionOperadora> {
    conn.prepare_cached(&format!("SELECT {INJECTION_COLUMNS} FROM injections WHERE id = ?1"))?
        .query_row([id], injection_from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("id", "la inyección"))
}

fn parse_operadora(input: &str) -> CoreResult<Operadora> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CoreError::required("operadora"));
    }
    Operadora::ALL
        .iter()
        .copied()
        .find(|o| o.as_str().eq_ignore_ascii_case(text))
        .ok_or_else(|| CoreError::invalid("operadora", "debe ser Tigo, Entel o Viva"))
}

/// A Bolivian mobile number: 8 digits starting with 6 or 7 (spaces and dashes ignored).
fn parse_phone(input: &str) -> CoreResult<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Err(CoreError::required("telefono"));
    }
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) || !digits.starts_with(['6', '7']) {
        return Err(CoreError::invalid("telefono", "debe ser un celular boliviano de 8 dígitos que empiece con 6 o 7"));
    }
    Ok(digits)
}

fn carrier_account(operadora: Operadora) -> String {
    format!("carrier_float:{}", operadora.as_str())
}

fn bonus_text(basis_points: i64) -> String {
    Decimal::new(basis_points, 2).to_string()
}

impl Mostrador {
    /// `OperadoraSaldo[]`: each carrier's current top-up balance.
    pub fn list_carrier_balances(&self) -> CoreResult<Vec<OperadoraSaldo>> {
        self.operator()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.operadora, a.balance, c.bonus_basis_points FROM carriers c
             JOIN accounts a ON a.code = 'carrier_float:' || c.operadora ORDER BY c.operadora",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OperadoraSaldo { operadora: r.get(0)?, saldo_actual: r.get(1)?, bonificacion_porcentaje: bonus_text(r.get(2)?) })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn configure_carrier_bonus(&mut self, input: CarrierBonusInput) -> CoreResult<Vec<OperadoraSaldo>> {
        let actor = self.admin("configurar la bonificación de una operadora")?.id;
        let operadora = parse_operadora(&input.operadora)?;
        let out_of_range = || CoreError::invalid("bonificacion_porcentaje", "debe estar entre 0 y 50");
        // A percent, not an amount: anything past 50 gets the same answer, never "Bs".
        let percent = Money::parse_non_negative("bonificacion_porcentaje", &input.bonificacion_porcentaje)
            .map_err(|err| if err.code == ErrorCode::MontoExcedeMaximo { out_of_range() } else { err })?;
        if percent > Money::from_centavos(5_000) {
            return Err(out_of_range());
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        tx.execute(
            "UPDATE carriers SET bonus_basis_points = ?2 WHERE operadora = ?1",
            params![operadora, percent.centavos()],
        )?;
        audit(&tx, Some(actor), "configure_carrier_bonus", "carrier", None, json!({"operadora": operadora, "porcentaje": percent}), &now)?;
        tx.commit()?;
        self.list_carrier_balances()
    }

    /// Sells a top-up: the carrier balance goes down and the customer's cash comes in.
    pub fn create_topup(&mut self, input: NewTopup) -> CoreResult<RecargaCliente> {
        let actor = self.operator()?.clone();
        let operadora = parse_operadora(&input.operadora)?;
        let telefono = parse_phone(&input.telefono)?;
        let monto = Money::parse_positive("monto", &input.monto)?;
        if monto < Money::from_centavos(10) {
            return Err(CoreError::new(ErrorCode::MontoNoPositivo, "monto", "El monto mínimo de una recarga es Bs 0.10."));
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Ventas)?;
        tx.prepare_cached(
            "INSERT INTO topups (operadora, telefono, monto, fecha, id_caja_sesion, operator_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![operadora, telefono, monto, now, session.session_id, actor.id])?;
        let id = tx.last_insert_rowid();
        let operation = format!("recarga:{id}");
        let carrier = ops::account(&tx, &carrier_account(operadora))?;
        let sale = ledger::Transfer {
            from: carrier,
            to: session.drawer,
            amount: monto,
            kind: "RECARGA",
            session_id: Some(session.session_id),
            operator_id: actor.id,
            operation: Some(&operation),
        };
        ops::post_all(&tx, &[sale], "monto", &now)?;
        audit(&tx, Some(actor.id), "create_topup", "topup", Some(id), json!({"operadora": operadora, "monto": monto}), &now)?;
        let record = load_topup(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Buys carrier balance with cash from the drawer (an EGRESO of the session); the
    /// carrier's configured bonus is credited on top and booked as income.
    pub fn inject_carrier_float(&mut self, input: NewInjection) -> CoreResult<InyeccionOperadora> {
        let actor = self.operator()?.clone();
        let operadora = parse_operadora(&input.operadora)?;
        let monto = Money::parse_positive("monto", &input.monto)?;
        if monto < Money::from_centavos(100) {
            return Err(CoreError::new(ErrorCode::MontoNoPositivo, "monto", "El monto mínimo de una inyección es Bs 1.00."));
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Ventas)?;
        let basis_points: i64 =
            tx.prepare_cached("SELECT bonus_basis_points FROM carriers WHERE operadora = ?1")?.query_row([operadora], |r| r.get(0))?;
        // Bonus rounded down to the centavo: the carrier never credits a fraction.
        let bonus = Money::from_centavos(monto.centavos() * basis_points / 10_000);
        tx.prepare_cached(
            "INSERT INTO injections (operadora, monto, bonificacion, fecha, id_caja_sesion, operator_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![operadora, monto, bonus, now, session.session_id, actor.id])?;
        let id = tx.last_insert_rowid();
        let operation = format!("inyeccion:{id}");
        let carrier = ops::account(&tx, &carrier_account(operadora))?;
        let purchase = ledger::Transfer {
            from: session.drawer,
            to: carrier,
            amount: monto,
            kind: "INYECCION",
            session_id: Some(session.session_id),
            operator_id: actor.id,
            operation: Some(&operation),
        };
        let mut transfers = vec![purchase];
        if bonus.is_positive() {
            let income = ops::account(&tx, "income:carrier_bonus")?;
            transfers.push(ledger::Transfer { from: income, to: carrier, amount: bonus, kind: "BONIFICACION_OPERADORA", ..purchase });
        }
        ops::post_all(&tx, &transfers, "monto", &now)?;
        audit(&tx, Some(actor.id), "inject_carrier_float", "injection", Some(id), json!({"operadora": operadora, "monto": monto, "bonificacion": bonus}), &now)?;
        let record = load_injection(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    pub fn list_topups(&self, filter: RecargaFilter) -> CoreResult<Page<RecargaCliente>> {
        self.operator()?;
        let (where_sql, args, paging) = recarga_filter(&filter)?;
        ops::page_of(&self.conn, "topups", TOPUP_COLUMNS, &where_sql, "fecha DESC, id DESC", args, paging, None, topup_from_row)
    }

    pub fn list_injections(&self, filter: RecargaFilter) -> CoreResult<Page<InyeccionOperadora>> {
        self.operator()?;
        let (where_sql, args, paging) = recarga_filter(&filter)?;
        ops::page_of(&self.conn, "injections", INJECTION_COLUMNS, &where_sql, "fecha DESC, id DESC", args, paging, None, injection_from_row)
    }

    /// Voids an injection: the carrier balance bought (and its bonus) goes back and the
    /// cash returns to the drawer. Administrator, reason, session still open, once; refused
    /// when the carrier balance has already been sold.
    pub fn void_injection(&mut self, input: VoidInput) -> CoreResult<InyeccionOperadora> {
        let actor = self.admin("anular inyecciones")?.clone();
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let record = load_injection(&tx, input.id)?;
        let operation = format!("inyeccion:{}", record.id);
        let target = ops::VoidTarget {
            table: "injections",
            also_set: "",
            id: record.id,
            operation: &operation,
            session_id: record.id_caja_sesion,
            already_voided: record.anulada_en.is_some(),
            already_voided_message: "La inyección indicada en «identificador» ya fue anulada.",
        };
        ops::void(&tx, &actor, target, &motivo, &now)?;
        audit(&tx, Some(actor.id), "void_injection", "injection", Some(record.id), json!({"motivo": motivo}), &now)?;
        let record = load_injection(&tx, record.id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Voids a top-up: administrator, reason, session still open, once.
    pub fn void_topup(&mut self, input: VoidInput) -> CoreResult<RecargaCliente> {
        let actor = self.admin("anular recargas")?.clone();
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let record = load_topup(&tx, input.id)?;
        let operation = format!("recarga:{}", record.id);
        let target = ops::VoidTarget {
            table: "topups",
            also_set: "",
            id: record.id,
            operation: &operation,
            session_id: record.id_caja_sesion,
            already_voided: record.anulada_en.is_some(),
            already_voided_message: "La recarga indicada en «identificador» ya fue anulada.",
        };
        ops::void(&tx, &actor, target, &motivo, &now)?;
        audit(&tx, Some(actor.id), "void_topup", "topup", Some(record.id), json!({"motivo": motivo}), &now)?;
        let record = load_topup(&tx, record.id)?;
        tx.commit()?;
        Ok(record)
    }
}

type Filter = (String, Vec<Value>, (i64, i64, i64));

fn recarga_filter(filter: &RecargaFilter) -> CoreResult<Filter> {
    let paging = ops::paging(filter.page, filter.size, 1)?;
    let mut clauses = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    if let Some(id) = filter.id_caja_sesion {
        clauses.push("id_caja_sesion = ?".to_string());
        args.push(id.into());
    }
    if let Some(text) = filter.operadora.as_deref().filter(|t| !t.trim().is_empty()) {
        clauses.push("operadora = ?".to_string());
        args.push(parse_operadora(text)?.as_str().to_string().into());
    }
    ops::push_date_range(("desde", &filter.desde), ("hasta", &filter.hasta), "fecha", &mut clauses, &mut args)?;
    let where_sql = ops::where_sql(&clauses);
    Ok((where_sql, args, paging))
}
