//! Payments for work orders (`Pago`): cash into the drawer, other methods into the
//! `bank:<method>` account. A correction voids the original and links the new entry; a
//! delete is `vigente = false` with the reversing transfers.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

use super::ops::{self, Side};
use super::{audit, clock, Mostrador};
use crate::domain::{
    text, AccountCode, CoreError, CoreResult, ErrorCode, Income, MetodoPago, Money, NewPago, OperationKey, Operator, Page,
    Pago, PagoFilter, TransferKind, UpdatePago, VoidInput,
};
use crate::store::{self, ledger};

pub const CLIENT_MAX: usize = 80;
pub const REFERENCE_MAX: usize = 40;

fn load_pago(conn: &Connection, id: i64) -> CoreResult<Pago> {
    store::payments::load(conn, id)?.ok_or_else(|| CoreError::not_found("id", "el pago"))
}

impl ops::Voidable for Pago {
    fn operation(&self) -> OperationKey {
        OperationKey::Payment(self.id)
    }
    fn session_id(&self) -> i64 {
        self.id_caja_sesion
    }
    fn is_voided(&self) -> bool {
        !self.vigente
    }
    const ALREADY_VOIDED: &'static str = "El pago indicado en «identificador» ya fue anulado.";
    const ACTION: &'static str = "anular pagos";
    const AUDIT: (&'static str, &'static str) = ("void_payment", "payment");
    fn load(conn: &Connection, id: i64) -> CoreResult<Self> {
        load_pago(conn, id)
    }
}

/// A work order's id as the payments API gives it: a positive number.
fn work_order(id: i64) -> CoreResult<i64> {
    if id <= 0 {
        return Err(CoreError::invalid("pendienteId", "debe ser el número de una orden de trabajo (mayor que 0)"));
    }
    Ok(id)
}

/// A payment's validated fields.
struct ValidPago {
    work_order: i64,
    cliente: String,
    monto: Money,
    fecha_pago: NaiveDate,
    metodo: MetodoPago,
    referencia: Option<String>,
}

fn validate(input: &NewPago, today: NaiveDate) -> CoreResult<ValidPago> {
    let work_order = work_order(input.pendiente_id)?;
    let cliente = text::required("cliente", &input.cliente, CLIENT_MAX)?;
    let monto = Money::parse_positive("monto", &input.monto)?;
    let fecha_text = input.fecha_pago.trim();
    if fecha_text.is_empty() {
        return Err(CoreError::required("fechaPago"));
    }
    let fecha_pago = NaiveDate::parse_from_str(fecha_text, "%Y-%m-%d")
        .map_err(|_| CoreError::invalid("fechaPago", "debe ser una fecha AAAA-MM-DD"))?;
    if fecha_pago > today {
        return Err(CoreError::invalid("fechaPago", "no puede estar en el futuro"));
    }
    let metodo = MetodoPago::parse(input.metodo_pago.trim())
        .ok_or_else(|| CoreError::invalid("metodoPago", "debe ser BCP, EFECTIVO, LOS_ANDES u OTRO"))?;
    let referencia = text::optional("referencia", input.referencia.as_deref(), REFERENCE_MAX)?;
    if metodo != MetodoPago::Efectivo && referencia.is_none() {
        return Err(CoreError::new(
            ErrorCode::CampoRequerido,
            "referencia",
            "El campo «referencia» es obligatorio para pagos que no son en efectivo.",
        ));
    }
    Ok(ValidPago { work_order, cliente, monto, fecha_pago, metodo, referencia })
}

impl Mostrador {
    fn today(&self) -> NaiveDate {
        self.clock.now().with_timezone(&clock::store_offset()).date_naive()
    }

    pub fn create_payment(&mut self, input: NewPago) -> CoreResult<Pago> {
        let actor = self.operator()?.clone();
        let pago = validate(&input, self.today())?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let session = ops::session_for_operation(&tx, input.id_caja_sesion, &actor, Side::Ventas)?;
        let id = insert_payment(&tx, &actor, &session, &pago, None, &now)?;
        audit(&tx, Some(actor.id), "create_payment", "payment", Some(id), json!({"monto": pago.monto, "metodo": pago.metodo}), &now)?;
        let record = load_pago(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Corrects a payment: the original is voided with its reversing transfers and a new
    /// entry, linked to it, is recorded in the original's session (still open).
    /// Administrator only; `pago.id_caja_sesion` is ignored.
    pub fn update_payment(&mut self, input: UpdatePago) -> CoreResult<Pago> {
        let actor = self.admin("corregir pagos")?.clone();
        let motivo = ops::void_reason(&input.motivo)?;
        let pago = validate(&input.pago, self.today())?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        let session = void_payment_in(&tx, &actor, input.id, &motivo, &now)?;
        let id = insert_payment(&tx, &actor, &session, &pago, Some(input.id), &now)?;
        audit(&tx, Some(actor.id), "update_payment", "payment", Some(id), json!({"corrige_a": input.id, "motivo": motivo}), &now)?;
        let record = load_pago(&tx, id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Deletes a payment the way the payments API does, `vigente = false`, with the
    /// reversing transfers. Administrator only, session still open.
    pub fn void_payment(&mut self, input: VoidInput) -> CoreResult<Pago> {
        self.void_record(input, |_, _, _: &Pago, _, _, _| Ok(()))
    }

    /// Active payments (`vigente = true`; voided ones too on request), newest first,
    /// optionally of one session; `page` is zero-based as in the payments API. A cashier's
    /// list holds only their own sessions' payments.
    pub fn list_payments(&self, filter: PagoFilter) -> CoreResult<Page<Pago>> {
        let owner = self.reader_scope()?;
        let paging = ops::paging(filter.page, filter.size, 0)?;
        let include_voided = filter.incluir_anulados.unwrap_or(false);
        let page = store::payments::list(&self.conn, filter.id_caja_sesion, owner, include_voided, paging)?;
        // The wire's page number, as asked.
        Ok(Page { page: filter.page.unwrap_or(0), ..page })
    }

    /// Every payment of a work order, voided ones included, oldest first; a cashier's
    /// list holds only those taken in their own sessions.
    pub fn payments_for_work_order(&self, pendiente_id: i64) -> CoreResult<Vec<Pago>> {
        let owner = self.reader_scope()?;
        Ok(store::payments::of_work_order(&self.conn, work_order(pendiente_id)?, owner)?)
    }
}

fn insert_payment(
    conn: &Connection,
    actor: &Operator,
    session: &ops::SessionDrawer,
    pago: &ValidPago,
    corrige_a: Option<i64>,
    now: &str,
) -> CoreResult<i64> {
    if let Some(referencia) = &pago.referencia {
        if store::payments::reference_taken(conn, pago.metodo, referencia)? {
            return Err(CoreError::new(
                ErrorCode::ReferenciaDuplicada,
                "referencia",
                format!("La referencia «{referencia}» ya está registrada para un pago {}.", pago.metodo.as_str()),
            ));
        }
    }
    let row = store::payments::PaymentRow {
        work_order: pago.work_order,
        client: &pago.cliente,
        amount: pago.monto,
        paid_on: pago.fecha_pago.format("%Y-%m-%d").to_string(),
        method: pago.metodo,
        reference: pago.referencia.as_deref(),
        session_id: session.session_id,
        operator_id: actor.id,
        corrects: corrige_a,
    };
    let id = store::payments::insert(conn, &row, now)?;
    let operation = OperationKey::Payment(id);
    let income = ledger::existing(conn, &AccountCode::Income(Income::Payments))?;
    let target = match pago.metodo {
        MetodoPago::Efectivo => session.drawer,
        other => ledger::existing(conn, &AccountCode::PaymentBank(other))?,
    };
    let transfer = ledger::Transfer {
        from: income,
        to: target,
        amount: pago.monto,
        kind: TransferKind::Payment,
        session_id: Some(session.session_id),
        operator_id: actor.id,
        operation: Some(&operation),
    };
    ops::post_all(conn, &[transfer], "monto", now)?;
    Ok(id)
}

/// Voids a live payment and returns its session, where a correction is recorded.
fn void_payment_in(conn: &Connection, actor: &Operator, id: i64, motivo: &str, now: &str) -> CoreResult<ops::SessionDrawer> {
    let record = load_pago(conn, id)?;
    ops::void(conn, actor, &record, motivo, now)
}
