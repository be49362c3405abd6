//! The text of every receipt and of the X/Z report, built from the records in the language
//! of the operator who prints (the words come from [`super::ticket_labels`]). The thermal
//! printer, the print dialog and the PDF all print these tickets, so they say the same.

use super::printing::{bs_in, local_time, Ticket};
use super::ticket_labels::{fill, labels, Labels};
use super::{
    CashMovement, InyeccionOperadora, Language, Money, MovementKind, Pago, RecargaCliente, ReportKind, SessionReport,
    StoreProfile, TransaccionAgente, LlamadaDeOperacion, EstadoLlamada,
};

/// Where and by whom an operation was recorded, and when and in what language the ticket
/// is printed.
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
    /// The language of the operator who prints.
    pub language: Language,
}

/// The words and the amount format of one language.
#[derive(Clone, Copy)]
struct Words {
    l: &'static Labels,
    language: Language,
}

impl Words {
    fn of(language: Language) -> Self {
        Words { l: labels(language), language }
    }

    fn bs(self, amount: Money) -> String {
        bs_in(amount, self.language)
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
    let l = labels(place.language);
    let mut t = Ticket::default();
    store_head(&mut t, &place.store);
    t.rule()
        .text(fill(l.session_line, &[&place.register, &place.session_id.to_string()]))
        .text(fill(l.operator_line, &[&place.operator]))
        .text(fill(l.date_line, &[&local_time(at)]))
        .rule()
        .title(title)
        .center(number);
    if place.store_copy {
        t.center(l.store_copy);
    }
    if let Some((when, reason)) = voided {
        t.title(l.voided);
        if let Some(when) = when {
            t.center(local_time(when));
        }
        t.text(fill(l.void_reason, &[reason.as_deref().unwrap_or("-")]));
    }
    t.rule();
    t
}

fn foot(t: &mut Ticket, l: &Labels, printed_at: &str) {
    t.rule().center(fill(l.printed, &[&local_time(printed_at)])).center(l.bolivia_time);
}

/// An agent operation's receipt; `call` is where its call to the provider stands, if it
/// has one: the provider's reference once confirmed, else "pending confirmation".
pub fn agent_receipt(place: &Place, t: &TransaccionAgente, provider_name: Option<&str>, call: Option<&LlamadaDeOperacion>) -> Ticket {
    let w = Words::of(place.language);
    let l = w.l;
    let title = fill(l.agent_title, &[l.of_tipo(t.tipo_operacion)]);
    let mark = t.anulada_en.as_ref().map(|_| (&t.anulada_en, &t.motivo_anulacion));
    let mut ticket = head(place, &t.fecha, &title, &fill(l.agent_number, &[&t.id.to_string()]), mark);
    let banco = match provider_name {
        Some(name) => format!("{name} ({})", t.banco),
        None => t.banco.clone(),
    };
    ticket.pair(l.provider, banco).pair(l.operation, l.of_tipo(t.tipo_operacion)).pair(l.reference_no, t.nro_referencia.clone());
    if let Some(cuenta) = &t.cuenta_cliente {
        ticket.pair(l.customer_account, cuenta.clone());
    }
    ticket.pair(l.amount, w.bs(t.monto)).pair(l.fee, w.bs(t.comision_cliente));
    let effect = t.tipo_operacion.drawer_effect();
    let change = effect.change(t.monto, t.comision_cliente).unwrap_or(t.monto);
    let receive = if change.is_positive() || change.is_negative() { change.is_positive() } else { effect.receives_monto() };
    let label = if receive { l.received } else { l.handed_over };
    ticket.big_pair(label, w.bs(change.abs()));
    if t.url_comprobante.is_some() {
        ticket.pair(l.bank_voucher, l.archived);
    }
    if let Some(call) = call {
        call_line(&mut ticket, l, call);
    }
    foot(&mut ticket, l, &place.printed_at);
    ticket
}

/// The same line the screen's receipt carries (`callLine` in ui/src/lib/receipt.ts).
fn call_line(ticket: &mut Ticket, l: &Labels, call: &LlamadaDeOperacion) {
    match (&call.estado, &call.referencia_proveedor) {
        (EstadoLlamada::Confirmada, Some(reference)) => ticket.pair(l.provider_reference, reference.clone()),
        (EstadoLlamada::Cancelada, _) => ticket.pair(l.provider_state, l.call_cancelled),
        _ => ticket.pair(l.provider_state, l.call_pending),
    };
}

pub fn topup_receipt(place: &Place, r: &RecargaCliente) -> Ticket {
    let w = Words::of(place.language);
    let l = w.l;
    let mark = r.anulada_en.as_ref().map(|_| (&r.anulada_en, &r.motivo_anulacion));
    let title = fill(l.topup_title, &[r.operadora.as_str()]);
    let mut t = head(place, &r.fecha, &title, &fill(l.topup_number, &[&r.id.to_string()]), mark);
    t.pair(l.carrier, r.operadora.as_str()).pair(l.mobile, r.telefono.clone()).big_pair(l.charged, w.bs(r.monto));
    foot(&mut t, l, &place.printed_at);
    t
}

pub fn injection_receipt(place: &Place, i: &InyeccionOperadora) -> Ticket {
    let w = Words::of(place.language);
    let l = w.l;
    let mark = i.anulada_en.as_ref().map(|_| (&i.anulada_en, &i.motivo_anulacion));
    let title = fill(l.injection_title, &[i.operadora.as_str()]);
    let mut t = head(place, &i.fecha, &title, &fill(l.injection_number, &[&i.id.to_string()]), mark);
    let credited = i.monto.checked_add(i.bonificacion).unwrap_or(i.monto);
    t.pair(l.carrier, i.operadora.as_str())
        .big_pair(l.paid_from_drawer, w.bs(i.monto))
        .pair(l.bonus, w.bs(i.bonificacion))
        .pair(l.credited, w.bs(credited));
    foot(&mut t, l, &place.printed_at);
    t
}

pub fn payment_receipt(place: &Place, p: &Pago) -> Ticket {
    let w = Words::of(place.language);
    let l = w.l;
    let mark = (!p.vigente).then_some((&p.anulada_en, &p.motivo_anulacion));
    let mut t = head(place, &p.creado_en, l.payment_title, &fill(l.payment_number, &[&p.id.to_string()]), mark);
    t.pair(l.work_order, fill(l.numbered, &[&p.pendiente_id.to_string()]))
        .pair(l.customer, p.cliente.clone())
        .pair(l.payment_date, p.fecha_pago.clone())
        .pair(l.method, l.of_metodo(p.metodo_pago));
    if let Some(referencia) = &p.referencia {
        t.pair(l.payment_reference, referencia.clone());
    }
    t.big_pair(l.paid, w.bs(p.monto));
    if let Some(corrige) = p.corrige_a {
        t.text(fill(l.corrects, &[&corrige.to_string()]));
    }
    foot(&mut t, l, &place.printed_at);
    t
}

pub fn movement_receipt(place: &Place, m: &CashMovement) -> Ticket {
    let w = Words::of(place.language);
    let l = w.l;
    let (title, label) = match m.kind {
        MovementKind::Ingreso => (l.cash_in_title, l.into_drawer),
        MovementKind::Egreso => (l.cash_out_title, l.out_of_drawer),
    };
    let mut t = head(place, &m.created_at, title, &fill(l.movement_number, &[&m.id.to_string()]), None);
    t.pair(l.reason, l.of_reason(m.reason));
    if let Some(note) = &m.note {
        t.pair(l.note, note.clone());
    }
    t.big_pair(label, w.bs(m.amount));
    foot(&mut t, l, &place.printed_at);
    t
}

/// The X (open session) or Z (closed) report, section by section as the screen shows it,
/// in `language`.
pub fn session_report(store: &StoreProfile, r: &SessionReport, printed_at: &str, language: Language) -> Ticket {
    let w = Words::of(language);
    let l = w.l;
    let s = &r.session;
    let mut t = Ticket::default();
    store_head(&mut t, store);
    let title = match r.kind {
        ReportKind::X => l.report_x,
        ReportKind::Z => l.report_z,
    };
    t.rule().title(title).rule();
    t.pair(l.register, s.register_name.clone())
        .pair(l.operator, s.operator_name.clone())
        .pair(l.session, fill(l.numbered, &[&s.id.to_string()]))
        .pair(l.opening, local_time(&s.opened_at))
        .pair(l.closing, s.closed_at.as_deref().map(local_time).unwrap_or_else(|| "-".into()))
        .pair(l.opening_float, w.bs(r.opening_float))
        .pair(l.opening_adjustment, w.bs(r.opening_adjustment));
    report_cash(&mut t, r, w);
    report_operations(&mut t, r, w);
    report_count(&mut t, r, w);
    report_balances(&mut t, r, w);
    foot(&mut t, l, printed_at);
    t
}

fn report_cash(t: &mut Ticket, r: &SessionReport, w: Words) {
    let l = w.l;
    t.rule().text(l.cash_movements);
    if r.movements.is_empty() {
        t.text(l.no_movements);
    }
    for m in &r.movements {
        t.pair(format!("{} ({})", l.of_reason(m.reason), m.count), w.bs(m.total));
    }
    t.pair(l.total_in, w.bs(r.total_ingresos)).pair(l.total_out, w.bs(r.total_egresos));
    if !r.by_operator.is_empty() {
        t.text(l.by_operator);
        for o in &r.by_operator {
            t.pair(fill(l.operator_in, &[&o.operator_name, &o.count.to_string()]), w.bs(o.ingresos));
            t.pair(fill(l.operator_out, &[&o.operator_name]), w.bs(o.egresos));
        }
    }
}

fn report_operations(t: &mut Ticket, r: &SessionReport, w: Words) {
    let l = w.l;
    t.rule().text(l.agent_section);
    if r.agentes.is_empty() {
        t.text(l.no_operations);
    }
    for a in &r.agentes {
        t.pair(format!("{} {} ({})", a.banco, l.of_tipo(a.tipo_operacion), a.cantidad), w.bs(a.monto));
    }
    t.pair(l.customer_fees, w.bs(r.comision_cliente)).pair(l.bank_fees, w.bs(r.comision_banco));
    t.rule().text(l.topups_section);
    for c in &r.recargas {
        let carrier = c.operadora.as_str();
        t.pair(fill(l.carrier_topups, &[carrier, &c.recargas.to_string()]), w.bs(c.monto_recargas));
        t.pair(fill(l.carrier_injections, &[carrier, &c.inyecciones.to_string()]), w.bs(c.monto_inyecciones));
        t.pair(fill(l.carrier_balance, &[carrier]), w.bs(c.saldo_cierre));
    }
    t.rule().text(l.payments_section);
    if r.pagos.is_empty() {
        t.text(l.no_payments);
    }
    for p in &r.pagos {
        t.pair(format!("{} ({})", l.of_metodo(p.metodo_pago), p.cantidad), w.bs(p.monto));
    }
    t.pair(l.voided_operations, r.anulaciones.to_string());
}

/// Each wallet's last balance check while the register was open, as the screen shows it:
/// the store's float, the wallet's balance and their difference (printed only when a
/// wallet was checked).
fn report_balances(t: &mut Ticket, r: &SessionReport, w: Words) {
    let l = w.l;
    if r.saldos_billeteras.is_empty() {
        return;
    }
    t.rule().text(l.balances_title);
    for b in &r.saldos_billeteras {
        t.pair(b.banco.clone(), format!("{} {}", l.balances_when, local_time(&b.fecha)));
        t.pair(l.balances_store, w.bs(b.saldo_tienda)).pair(l.balances_provider, w.bs(b.saldo_proveedor));
        t.big_pair(l.difference, w.bs(b.diferencia));
    }
}

fn report_count(t: &mut Ticket, r: &SessionReport, w: Words) {
    let l = w.l;
    t.rule().text(l.count_section);
    for line in &r.count_lines {
        t.pair(format!("{} x {}", w.bs(line.denomination.value()), line.quantity), w.bs(line.subtotal));
    }
    let optional = |m: Option<Money>| m.map(|m| w.bs(m)).unwrap_or_else(|| "-".into());
    t.pair(l.expected, optional(r.expected)).pair(l.counted, optional(r.counted)).big_pair(l.difference, optional(r.difference));
    t.pair(l.result, r.result.map(|x| l.of_result(x)).unwrap_or("-"));
}
