//! The text of every receipt and of the X/Z report, built from the records. The thermal
//! printer, the print dialog and the PDF all print these tickets, so they say the same.

use super::printing::{bs, local_time, Ticket};
use super::{
    CashMovement, InyeccionOperadora, MetodoPago, MovementKind, MovementReason, Pago, RecargaCliente, ReportKind,
    SessionReport, StoreProfile, TipoOperacion, TransaccionAgente,
};

/// Where and by whom an operation was recorded, and when the ticket is printed.
#[derive(Debug, Clone)]
pub struct Place {
    pub store: StoreProfile,
    pub register: String,
    pub session_id: i64,
    pub operator: String,
    /// Stored instant the ticket is printed at.
    pub printed_at: String,
    /// Marks the store's copy.
    pub store_copy: bool,
}

pub fn tipo_label(tipo: TipoOperacion) -> &'static str {
    match tipo {
        TipoOperacion::Deposito => "Depósito",
        TipoOperacion::Retiro => "Retiro",
        TipoOperacion::TransferenciaQr => "Transferencia QR",
    }
}

pub fn metodo_label(metodo: MetodoPago) -> &'static str {
    match metodo {
        MetodoPago::Efectivo => "Efectivo",
        MetodoPago::Bcp => "BCP",
        MetodoPago::LosAndes => "Los Andes",
        MetodoPago::Otro => "Otro",
    }
}

pub fn reason_label(reason: MovementReason) -> &'static str {
    use MovementReason::*;
    match reason {
        ReposicionCambio => "Reposición de cambio",
        AporteDueno => "Aporte del dueño",
        OtroIngreso => "Otro ingreso",
        PagoProveedor => "Pago a proveedor",
        GastoOperativo => "Gasto operativo",
        RetiroDueno => "Retiro del dueño",
        DepositoBancario => "Depósito bancario",
        OtroEgreso => "Otro egreso",
    }
}

fn store_head(t: &mut Ticket, store: &StoreProfile) {
    t.title(store.nombre.clone());
    if let Some(direccion) = &store.direccion {
        t.center(direccion.clone());
    }
    if let Some(nit) = &store.nit {
        t.center(format!("NIT {nit}"));
    }
}

/// The head every receipt shares: the store, the place, the operation's title and number,
/// and the void mark when it was voided.
fn head(place: &Place, at: &str, title: &str, number: &str, voided: Option<(&Option<String>, &Option<String>)>) -> Ticket {
    let mut t = Ticket::default();
    store_head(&mut t, &place.store);
    t.rule()
        .text(format!("{} - Sesión N.º {}", place.register, place.session_id))
        .text(format!("Operador: {}", place.operator))
        .text(format!("Fecha: {}", local_time(at)))
        .rule()
        .title(title)
        .center(number);
    if place.store_copy {
        t.center("*** COPIA TIENDA ***");
    }
    if let Some((when, reason)) = voided {
        t.title("ANULADO");
        if let Some(when) = when {
            t.center(local_time(when));
        }
        t.text(format!("Motivo: {}", reason.as_deref().unwrap_or("-")));
    }
    t.rule();
    t
}

fn foot(t: &mut Ticket, place: &Place) {
    t.rule().center(format!("Impreso: {}", local_time(&place.printed_at))).center("Hora de Bolivia");
}

pub fn agent_receipt(place: &Place, t: &TransaccionAgente, provider_name: Option<&str>) -> Ticket {
    let title = format!("{} - agente bancario", tipo_label(t.tipo_operacion));
    let mark = t.anulada_en.as_ref().map(|_| (&t.anulada_en, &t.motivo_anulacion));
    let mut ticket = head(place, &t.fecha, &title, &format!("Operación de agente N.º {}", t.id), mark);
    let banco = match provider_name {
        Some(name) => format!("{name} ({})", t.banco),
        None => t.banco.clone(),
    };
    ticket
        .pair("Banco / billetera", banco)
        .pair("Operación", tipo_label(t.tipo_operacion))
        .pair("N.º de referencia", t.nro_referencia.clone());
    if let Some(cuenta) = &t.cuenta_cliente {
        ticket.pair("Cuenta del cliente", cuenta.clone());
    }
    ticket.pair("Monto", bs(t.monto)).pair("Comisión", bs(t.comision_cliente));
    let effect = t.tipo_operacion.drawer_effect();
    let change = effect.change(t.monto, t.comision_cliente).unwrap_or(t.monto);
    let receive = if change.is_positive() || change.is_negative() { change.is_positive() } else { effect.receives_monto() };
    let label = if receive { "Recibido del cliente" } else { "Entregado al cliente" };
    ticket.big_pair(label, bs(change.abs()));
    if t.url_comprobante.is_some() {
        ticket.pair("Comprobante del banco", "archivado");
    }
    foot(&mut ticket, place);
    ticket
}

pub fn topup_receipt(place: &Place, r: &RecargaCliente) -> Ticket {
    let mark = r.anulada_en.as_ref().map(|_| (&r.anulada_en, &r.motivo_anulacion));
    let mut t = head(place, &r.fecha, &format!("Recarga {}", r.operadora.as_str()), &format!("Recarga N.º {}", r.id), mark);
    t.pair("Operadora", r.operadora.as_str()).pair("Celular", r.telefono.clone()).big_pair("Cobrado al cliente", bs(r.monto));
    foot(&mut t, place);
    t
}

pub fn injection_receipt(place: &Place, i: &InyeccionOperadora) -> Ticket {
    let mark = i.anulada_en.as_ref().map(|_| (&i.anulada_en, &i.motivo_anulacion));
    let title = format!("Inyección de saldo {}", i.operadora.as_str());
    let mut t = head(place, &i.fecha, &title, &format!("Inyección N.º {}", i.id), mark);
    let credited = i.monto.checked_add(i.bonificacion).unwrap_or(i.monto);
    t.pair("Operadora", i.operadora.as_str())
        .big_pair("Pagado con efectivo de caja", bs(i.monto))
        .pair("Bonificación", bs(i.bonificacion))
        .pair("Saldo acreditado", bs(credited));
    foot(&mut t, place);
    t
}

pub fn payment_receipt(place: &Place, p: &Pago) -> Ticket {
    let mark = (!p.vigente).then_some((&p.anulada_en, &p.motivo_anulacion));
    let mut t = head(place, &p.creado_en, "Pago de orden de trabajo", &format!("Pago N.º {}", p.id), mark);
    t.pair("Orden de trabajo", format!("N.º {}", p.pendiente_id))
        .pair("Cliente", p.cliente.clone())
        .pair("Fecha de pago", p.fecha_pago.clone())
        .pair("Método", metodo_label(p.metodo_pago));
    if let Some(referencia) = &p.referencia {
        t.pair("Referencia", referencia.clone());
    }
    t.big_pair("Monto pagado", bs(p.monto));
    if let Some(corrige) = p.corrige_a {
        t.text(format!("Corrige el pago N.º {corrige}."));
    }
    foot(&mut t, place);
    t
}

pub fn movement_receipt(place: &Place, m: &CashMovement) -> Ticket {
    let title = match m.kind {
        MovementKind::Ingreso => "Ingreso de efectivo",
        MovementKind::Egreso => "Egreso de efectivo",
    };
    let mut t = head(place, &m.created_at, title, &format!("Movimiento N.º {}", m.id), None);
    t.pair("Motivo", reason_label(m.reason));
    if let Some(note) = &m.note {
        t.pair("Nota", note.clone());
    }
    let label = match m.kind {
        MovementKind::Ingreso => "Ingresado a caja",
        MovementKind::Egreso => "Retirado de caja",
    };
    t.big_pair(label, bs(m.amount));
    foot(&mut t, place);
    t
}

/// The X (open session) or Z (closed) report, section by section as the screen shows it.
pub fn session_report(store: &StoreProfile, r: &SessionReport, printed_at: &str) -> Ticket {
    let s = &r.session;
    let mut t = Ticket::default();
    store_head(&mut t, store);
    let title = match r.kind {
        ReportKind::X => "REPORTE X (parcial)",
        ReportKind::Z => "REPORTE Z (cierre)",
    };
    t.rule().title(title).rule();
    t.pair("Caja", s.register_name.clone())
        .pair("Operador", s.operator_name.clone())
        .pair("Sesión", format!("N.º {}", s.id))
        .pair("Apertura", local_time(&s.opened_at))
        .pair("Cierre", s.closed_at.as_deref().map(local_time).unwrap_or_else(|| "-".into()))
        .pair("Fondo inicial", bs(r.opening_float))
        .pair("Ajuste de apertura", bs(r.opening_adjustment));
    report_cash(&mut t, r);
    report_operations(&mut t, r);
    report_count(&mut t, r);
    t.rule().center(format!("Impreso: {}", local_time(printed_at))).center("Hora de Bolivia");
    t
}

fn report_cash(t: &mut Ticket, r: &SessionReport) {
    t.rule().text("MOVIMIENTOS DE EFECTIVO");
    if r.movements.is_empty() {
        t.text("Sin movimientos.");
    }
    for m in &r.movements {
        t.pair(format!("{} ({})", reason_label(m.reason), m.count), bs(m.total));
    }
    t.pair("Total ingresos", bs(r.total_ingresos)).pair("Total egresos", bs(r.total_egresos));
    if !r.by_operator.is_empty() {
        t.text("Por operador");
        for o in &r.by_operator {
            t.pair(format!("{} ({}) ingresos", o.operator_name, o.count), bs(o.ingresos));
            t.pair(format!("{} egresos", o.operator_name), bs(o.egresos));
        }
    }
}

fn report_operations(t: &mut Ticket, r: &SessionReport) {
    t.rule().text("AGENTE BANCARIO");
    if r.agentes.is_empty() {
        t.text("Sin operaciones.");
    }
    for a in &r.agentes {
        t.pair(format!("{} {} ({})", a.banco, tipo_label(a.tipo_operacion), a.cantidad), bs(a.monto));
    }
    t.pair("Comisiones cobradas a clientes", bs(r.comision_cliente)).pair("Comisiones de los bancos", bs(r.comision_banco));
    t.rule().text("RECARGAS");
    for c in &r.recargas {
        t.pair(format!("{} recargas ({})", c.operadora.as_str(), c.recargas), bs(c.monto_recargas));
        t.pair(format!("{} inyecciones ({})", c.operadora.as_str(), c.inyecciones), bs(c.monto_inyecciones));
        t.pair(format!("{} saldo al cierre", c.operadora.as_str()), bs(c.saldo_cierre));
    }
    t.rule().text("PAGOS DE ÓRDENES DE TRABAJO");
    if r.pagos.is_empty() {
        t.text("Sin pagos.");
    }
    for p in &r.pagos {
        t.pair(format!("{} ({})", metodo_label(p.metodo_pago), p.cantidad), bs(p.monto));
    }
    t.pair("Operaciones anuladas", r.anulaciones.to_string());
}

fn report_count(t: &mut Ticket, r: &SessionReport) {
    t.rule().text("ARQUEO");
    for line in &r.count_lines {
        t.pair(format!("{} x {}", bs(line.denomination.value()), line.quantity), bs(line.subtotal));
    }
    let optional = |m: Option<super::Money>| m.map(bs).unwrap_or_else(|| "-".into());
    t.pair("Esperado", optional(r.expected)).pair("Contado", optional(r.counted)).big_pair("Diferencia", optional(r.difference));
    t.pair("Resultado", r.result.map(|x| x.as_str()).unwrap_or("-"));
}
