//! Payments for work orders (`Pago`): cash into the drawer, other methods into the
//! `bank:<method>` account. A correction voids the original and links the new entry; a
//! delete is `vigente = false` with the reversing transfers.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

use super::ops::{self, Side};
use super::{audit, clock, Mostrador};
use crate::domain::{
    text, CoreError, CoreResult, ErrorCode, MetodoPago, Money, NewPago, Operator, Page, Pago, PagoFilter, UpdatePago, VoidInput,
};
use crate::store::{self, ledger};

pub const CLIENT_MAX: usize = 80;
pub const REFERENCE_MAX: usize = 40;

const PAGO_COLUMNS: &str = "p.id, p.id_orden_trabajo, p.cliente, o.name, p.monto, p.fecha_pago, p.metodo_pago, p.referencia,
     p.vigente, p.id_caja_sesion, p.corrige_a, p.created_at, p.voided_at, p.void_reason";

fn pago_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Pago> {
    Ok(Pago {
        id: r.get(0)?,
        pendiente_id: r.get(1)?,
        cliente: r.get(2)?,
        empleado: r.get(3)?,
        monto: r.get(4)?,
        fecha_pago: r.get(5)?,
        metodo_pago: r.get(6)?,
        referencia: r.get(7)?,
        vigente: r.get(8)?,
        id_caja_sesion: r.get(9)?,
        corrige_a: r.get(10)?,
        creado_en: r.get(11)?,
        anulada_en: r.get(12)?,
        motivo_anulacion: r.get(13)?,
    })
}

fn load_pago(conn: &Connection, id: i64) -> CoreResult<Pago> {
    conn.prepare_cached(&format!("SELECT {PAGO_COLUMNS} FROM payments p JOIN operators o ON o.id = p.operator_id WHERE p.id = ?1"))?
        .query_row([id], pago_from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("id", "el pago"))
}

/// A payment's validated fields.
struct ValidPago {
    pendiente_id: i64,
    cliente: String,
    monto: Money,
    fecha_pago: NaiveDate,
    metodo: MetodoPago,
    referencia: Option<String>,
}

fn validate(input: &NewPago, today: NaiveDate) -> CoreResult<ValidPago> {
    if input.pendiente_id <= 0 {
        return Err(CoreError::not_found("pendienteId", "la orden de trabajo"));
    }
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
    Ok(ValidPago { pendiente_id: input.pendiente_id, cliente, monto, fecha_pago, metodo, referencia })
}

fn operation_key(id: i64) -> String {
    format!("pago:{id}")
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
        let actor = self.admin("anular pagos")?.clone();
        let motivo = ops::void_reason(&input.motivo)?;
        let now = self.now();
        let tx = store::write(&mut self.conn)?;
        void_payment_in(&tx, &actor, input.id, &motivo, &now)?;
        audit(&tx, Some(actor.id), "void_payment", "payment", Some(input.id), json!({"motivo": motivo}), &now)?;
        let record = load_pago(&tx, input.id)?;
        tx.commit()?;
        Ok(record)
    }

    /// Active payments (`vigente = true`; voided ones too on request), newest first,
    /// optionally of one session; `page` is zero-based as in the payments API.
    pub fn list_payments(&self, filter: PagoFilter) -> CoreResult<Page<Pago>> {
        self.operator()?;
        let paging = ops::paging(filter.page, filter.size, 0)?;
        let mut clauses = Vec::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if !filter.incluir_anulados.unwrap_or(false) {
            clauses.push("p.vigente = 1".to_string());
        }
        if let Some(id) = filter.id_caja_sesion {
            clauses.push("p.id_caja_sesion = ?".to_string());
            args.push(id.into());
        }
        let where_sql = ops::where_sql(&clauses);
        let from = "payments p JOIN operators o ON o.id = p.operator_id";
        ops::page_of(&self.conn, from, PAGO_COLUMNS, &where_sql, "p.id DESC", args, paging, None, pago_from_row)
    }

    /// Every payment of a work order, voided ones included, oldest first.
    pub fn payments_for_work_order(&self, pendiente_id: i64) -> CoreResult<Vec<Pago>> {
        self.operator()?;
        if pendiente_id <= 0 {
            return Err(CoreError::not_found("pendienteId", "la orden de trabajo"));
        }
        let items = self
            .conn
            .prepare_cached(&format!(
                "SELECT {PAGO_COLUMNS} FROM payments p JOIN operators o ON o.id = p.operator_id
                 WHERE p.id_orden_trabajo = ?1 ORDER BY p.id"
            ))?
            .query_map([pendiente_id], pago_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(items)
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
        let taken: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM payments WHERE metodo_pago = ?1 AND referencia = ?2 AND vigente = 1)")?
            .query_row(params![pago.metodo, referencia], |r| r.get(0))?;
        if taken {
            return Err(CoreError::new(
                ErrorCode::ReferenciaDuplicada,
                "referencia",
                format!("La referencia «{referencia}» ya está registrada para un pago {}.", pago.metodo.as_str()),
            ));
        }
    }
    conn.prepare_cached(
        "INSERT INTO payments (id_orden_trabajo, cliente, monto, fecha_pago, metodo_pago, referencia, id_caja_sesion, operator_id, created_at, corrige_a)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        pago.pendiente_id,
        pago.cliente,
        pago.monto,
        pago.fecha_pago.format("%Y-%m-%d").to_string(),
        pago.metodo,
        pago.referencia,
        session.session_id,
        actor.id,
        now,
        corrige_a
    ])?;
    let id = conn.last_insert_rowid();
    let operation = operation_key(id);
    let income = ops::account(conn, "income:payments")?;
    let target = match pago.metodo {
        MetodoPago::Efectivo => session.drawer,
        other => ops::account(conn, &format!("bank:{}", other.as_str()))?,
    };
    let transfer = ledger::Transfer {
        from: income,
        to: target,
        amount: pago.monto,
        kind: "PAGO",
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
    let target = ops::VoidTarget {
        table: "payments",
        also_set: "vigente = 0, ",
        id,
        operation: &operation_key(id),
        session_id: record.id_caja_sesion,
        already_voided: !record.vigente,
        already_voided_message: "El pago indicado en «identificador» ya fue anulado.",
    };
    ops::void(conn, actor, target, motivo, now)
}
