//! Recargas: carrier balances, client top-ups and injections of balance bought with cash
//! from the drawer.

use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::json;

use super::ops::{self, Side};
use super::{audit, Mostrador};
use crate::domain::{
    AccountCode, CarrierBonusInput, CoreError, CoreResult, ErrorCode, Income, InyeccionOperadora, Money, NewInjection,
    NewTopup, OperationKey, Carrier, OperadoraSaldo, Page, RecargaCliente, RecargaFilter, TransferKind, VoidInput,
};
use crate::store::query::Paging;
use crate::store::{self, ledger};

fn load_topup(conn: &Connection, id: i64) -> CoreResult<RecargaCliente> {
    store::recargas::load_topup(conn, id)?.ok_or_else(|| CoreError::not_found("id", "la recarga"))
}

fn load_injection(conn: &Connection, id: i64) -> CoreResult<InyeccionOperadora> {
    store::recargas::load_injection(conn, id)?.ok_or_else(|| CoreError::not_found("id", "la inyección"))
}

impl ops::Voidable for RecargaCliente {
    fn operation(&self) -> OperationKey {
        OperationKey::Topup(self.id)
    }
    fn session_id(&self) -> i64 {
        self.id_caja_sesion
    }
    fn is_voided(&self) -> bool {
        self.anulada_en.is_some()
    }
    const ALREADY_VOIDED: &'static str = "La recarga indicada en «identificador» ya fue anulada.";
    const ACTION: &'static str = "anular recargas";
    const AUDIT: (&'static str, &'static str) = ("void_topup", "topup");
    fn load(conn: &Connection, id: i64) -> CoreResult<Self> {
        load_topup(conn, id)
    }
}

impl ops::Voidable for InyeccionOperadora {
    fn operation(&self) -> OperationKey {
        OperationKey::Injection(self.id)
    }
    fn session_id(&self) -> i64 {
        self.id_caja_sesion
    }
    fn is_voided(&self) -> bool {
        self.anulada_en.is_some()
    }
    const ALREADY_VOIDED: &'static str = "La inyección indicada en «identificador» ya fue anulada.";
    const ACTION: &'static str = "anular inyecciones";
    const AUDIT: (&'static str, &'static str) = ("void_injection", "injection");
    fn load(conn: &Connection, id: i64) -> CoreResult<Self> {
        load_injection(conn, id)
    }
}

fn parse_operadora(input: &str) -> CoreResult<Carrier> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CoreError::required("operadora"));
    }
    Carrier::ALL
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

fn bonus_text(basis_points: i64) -> String {
    Decimal::new(basis_points, 2).to_string()
}

impl Mostrador {
    /// `OperadoraSaldo[]`: each carrier's current top-up balance.
    pub fn list_carrier_balances(&self) -> CoreResult<Vec<OperadoraSaldo>> {
        self.operator()?;
        let balance = |operadora: Carrier| -> CoreResult<OperadoraSaldo> {
            Ok(OperadoraSaldo {
                operadora,
                saldo_actual: ledger::balance_of(&self.conn, &AccountCode::CarrierFloat(operadora))?,
                bonificacion_porcentaje: bonus_text(store::recargas::bonus_basis_points(&self.conn, operadora)?),
            })
        };
        store::recargas::carriers(&self.conn)?.into_iter().map(balance).collect()
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
        store::recargas::set_bonus_basis_points(&tx, operadora, percent.centavos())?;
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
        if monto < TOPUP_MINIMUM {
            return Err(CoreError::new(ErrorCode::MontoBajoMinimo, "monto", "El monto mínimo de una recarga es Bs 0.10."));
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Ventas)?;
        let id = store::recargas::insert_topup(&tx, operadora, &telefono, monto, session.session_id, actor.id, &now)?;
        let operation = OperationKey::Topup(id);
        let carrier = ledger::existing(&tx, &AccountCode::CarrierFloat(operadora))?;
        let sale = ledger::Transfer {
            from: carrier,
            to: session.drawer,
            amount: monto,
            kind: TransferKind::Topup,
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
        if monto < INJECTION_MINIMUM {
            return Err(CoreError::new(ErrorCode::MontoBajoMinimo, "monto", "El monto mínimo de una inyección es Bs 1.00."));
        }
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Ventas)?;
        let basis_points = store::recargas::bonus_basis_points(&tx, operadora)?;
        // Bonus rounded down to the centavo: the carrier never credits a fraction.
        let bonus = Money::from_centavos(monto.centavos() * basis_points / 10_000);
        let id = store::recargas::insert_injection(&tx, operadora, monto, bonus, session.session_id, actor.id, &now)?;
        let operation = OperationKey::Injection(id);
        let carrier = ledger::existing(&tx, &AccountCode::CarrierFloat(operadora))?;
        let purchase = ledger::Transfer {
            from: session.drawer,
            to: carrier,
            amount: monto,
            kind: TransferKind::Injection,
            session_id: Some(session.session_id),
            operator_id: actor.id,
            operation: Some(&operation),
        };
        let mut transfers = vec![purchase];
        if bonus.is_positive() {
            let income = ledger::existing(&tx, &AccountCode::Income(Income::CarrierBonus))?;
            transfers.push(ledger::Transfer { from: income, to: carrier, amount: bonus, kind: TransferKind::CarrierBonus, ..purchase });
        }
        ops::post_all(&tx, &transfers, "monto", &now)?;
        audit(&tx, Some(actor.id), "inject_carrier_float", "injection", Some(id), json!({"operadora": operadora, "monto": monto, "bonificacion": bonus}), &now)?;
        let record = load_injection(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    /// A cashier's list holds only their own sessions' records.
    pub fn list_topups(&self, filter: RecargaFilter) -> CoreResult<Page<RecargaCliente>> {
        let owner = self.reader_scope()?;
        let (query, paging) = recarga_query(&filter, owner)?;
        Ok(store::recargas::list_topups(&self.conn, query, paging)?)
    }

    /// A cashier's list holds only their own sessions' records.
    pub fn list_injections(&self, filter: RecargaFilter) -> CoreResult<Page<InyeccionOperadora>> {
        let owner = self.reader_scope()?;
        let (query, paging) = recarga_query(&filter, owner)?;
        Ok(store::recargas::list_injections(&self.conn, query, paging)?)
    }

    /// Voids an injection: the carrier balance bought (and its bonus) goes back and the
    /// cash returns to the drawer. Administrator, reason, session still open, once; refused
    /// when the carrier balance has already been sold.
    pub fn void_injection(&mut self, input: VoidInput) -> CoreResult<InyeccionOperadora> {
        self.void_record(input, |_, _, _: &InyeccionOperadora, _, _, _| Ok(()))
    }

    /// Voids a top-up: administrator, reason, session still open, once.
    pub fn void_topup(&mut self, input: VoidInput) -> CoreResult<RecargaCliente> {
        self.void_record(input, |_, _, _: &RecargaCliente, _, _, _| Ok(()))
    }
}

/// The smallest top-up.
pub const TOPUP_MINIMUM: Money = Money::from_centavos(10);
/// The smallest injection of carrier balance.
pub const INJECTION_MINIMUM: Money = Money::from_centavos(100);

fn recarga_query(filter: &RecargaFilter, owner: Option<i64>) -> CoreResult<(store::recargas::RecargaQuery, Paging)> {
    let paging = ops::paging(filter.page, filter.size, 1)?;
    let carrier = match filter.operadora.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(text) => Some(parse_operadora(text)?),
        None => None,
    };
    let dates = ops::date_range(("desde", &filter.desde), ("hasta", &filter.hasta))?;
    let query = store::recargas::RecargaQuery { session_id: filter.id_caja_sesion, owner, carrier, from: dates.start, before: dates.end };
    Ok((query, paging))
}
