//! Every word a printed receipt or report says, in Spanish (es-BO, the default) and in
//! English, one table per language. The macro declares each label with both texts, so a
//! label missing in either language does not compile. Where the screens say the same thing,
//! the words are those of `ui/src/locales/{es,en}.json` (`receiptText.*`, `report.*`,
//! `reason.*`, `metodo.*`, `tipo.*`, `result.*`). A `{}` in a label is filled with a value.

use super::{CloseResult, Language, MetodoPago, MovementReason, TipoOperacion};

macro_rules! labels {
    ($($name:ident: $es:literal, $en:literal;)*) => {
        /// The words of the printed tickets in one language.
        #[derive(Debug)]
        pub struct Labels {
            $(pub $name: &'static str,)*
        }

        /// Spanish (es-BO).
        pub const ES: Labels = Labels { $($name: $es,)* };
        /// English.
        pub const EN: Labels = Labels { $($name: $en,)* };

        impl Labels {
            /// Each label's name and text, for the tests that check the tables.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name),)*]
            }
        }
    };
}

labels! {
    session_line: "{} - Sesión N.º {}", "{} - Session No. {}";
    operator_line: "Operador: {}", "Operator: {}";
    date_line: "Fecha: {}", "Date: {}";
    store_copy: "*** COPIA TIENDA ***", "*** STORE COPY ***";
    voided: "ANULADO", "VOIDED";
    void_reason: "Motivo: {}", "Reason: {}";
    printed: "Impreso: {}", "Printed: {}";
    bolivia_time: "Hora de Bolivia", "Bolivia time";
    agent_title: "{} - agente bancario", "{} - banking agent";
    agent_number: "Operación de agente N.º {}", "Agent operation No. {}";
    provider: "Banco / billetera", "Bank / wallet";
    operation: "Operación", "Operation";
    reference_no: "N.º de referencia", "Reference No.";
    customer_account: "Cuenta del cliente", "Customer's account";
    amount: "Monto", "Amount";
    fee: "Comisión", "Fee";
    received: "Recibido del cliente", "Received from the customer";
    handed_over: "Entregado al cliente", "Handed to the customer";
    bank_voucher: "Comprobante del banco", "Bank voucher";
    archived: "archivado", "filed";
    provider_reference: "Referencia del proveedor", "Provider's reference";
    provider_state: "Estado con el proveedor", "Status with the provider";
    call_pending: "pendiente de confirmación", "pending confirmation";
    call_cancelled: "Cancelada", "Cancelled";
    topup_title: "Recarga {}", "{} top-up";
    topup_number: "Recarga N.º {}", "Top-up No. {}";
    carrier: "Operadora", "Carrier";
    mobile: "Celular", "Mobile";
    charged: "Cobrado al cliente", "Charged to the customer";
    injection_title: "Inyección de saldo {}", "{} balance injection";
    injection_number: "Inyección N.º {}", "Injection No. {}";
    paid_from_drawer: "Pagado con efectivo de caja", "Paid with cash from the drawer";
    bonus: "Bonificación", "Bonus";
    credited: "Saldo acreditado", "Balance credited";
    payment_title: "Pago de orden de trabajo", "Work order payment";
    payment_number: "Pago N.º {}", "Payment No. {}";
    work_order: "Orden de trabajo", "Work order";
    numbered: "N.º {}", "No. {}";
    customer: "Cliente", "Customer";
    payment_date: "Fecha de pago", "Payment date";
    method: "Método", "Method";
    payment_reference: "Referencia", "Reference";
    paid: "Monto pagado", "Amount paid";
    corrects: "Corrige el pago N.º {}.", "Corrects payment No. {}.";
    cash_in_title: "Ingreso de efectivo", "Cash in";
    cash_out_title: "Egreso de efectivo", "Cash out";
    movement_number: "Movimiento N.º {}", "Movement No. {}";
    reason: "Motivo", "Reason";
    note: "Nota", "Note";
    into_drawer: "Ingresado a caja", "Put into the drawer";
    out_of_drawer: "Retirado de caja", "Taken from the drawer";
    report_x: "REPORTE X (parcial)", "X REPORT (partial)";
    report_z: "REPORTE Z (cierre)", "Z REPORT (close)";
    balances_title: "Saldo con las billeteras", "Balance with the wallets";
    balances_when: "Consultado", "Checked";
    balances_store: "Según la tienda", "Store's record";
    balances_provider: "Según la billetera", "Wallet's balance";
    register: "Caja", "Register";
    operator: "Operador", "Operator";
    session: "Sesión", "Session";
    opening: "Apertura", "Opening";
    closing: "Cierre", "Close";
    opening_float: "Fondo inicial", "Opening float";
    opening_adjustment: "Ajuste de apertura", "Opening adjustment";
    cash_movements: "MOVIMIENTOS DE EFECTIVO", "CASH MOVEMENTS";
    no_movements: "Sin movimientos.", "No movements.";
    total_in: "Total ingresos", "Total cash in";
    total_out: "Total egresos", "Total cash out";
    by_operator: "Por operador", "By operator";
    operator_in: "{} ({}) ingresos", "{} ({}) cash in";
    operator_out: "{} egresos", "{} cash out";
    agent_section: "AGENTE BANCARIO", "BANKING AGENT";
    no_operations: "Sin operaciones.", "No operations.";
    customer_fees: "Comisiones cobradas a clientes", "Fees charged to customers";
    bank_fees: "Comisiones de los bancos", "Fees from the banks";
    topups_section: "RECARGAS", "TOP-UPS";
    carrier_topups: "{} recargas ({})", "{} top-ups ({})";
    carrier_injections: "{} inyecciones ({})", "{} injections ({})";
    carrier_balance: "{} saldo al cierre", "{} balance at close";
    payments_section: "PAGOS DE ÓRDENES DE TRABAJO", "WORK ORDER PAYMENTS";
    no_payments: "Sin pagos.", "No payments.";
    voided_operations: "Operaciones anuladas", "Voided operations";
    count_section: "ARQUEO", "CASH COUNT";
    expected: "Esperado", "Expected";
    counted: "Contado", "Counted";
    difference: "Diferencia", "Difference";
    result: "Resultado", "Result";
    balanced: "CUADRADO", "BALANCED";
    over: "SOBRANTE", "OVER";
    short: "FALTANTE", "SHORT";
    deposit: "Depósito", "Deposit";
    withdrawal: "Retiro", "Withdrawal";
    qr_transfer: "Transferencia QR", "QR transfer";
    cash: "Efectivo", "Cash";
    other: "Otro", "Other";
    change_top_up: "Reposición de cambio", "Change top-up";
    owner_contribution: "Aporte del dueño", "Owner contribution";
    other_income: "Otro ingreso", "Other income";
    supplier_payment: "Pago a proveedor", "Payment to supplier";
    operating_expense: "Gasto operativo", "Operating expense";
    owner_withdrawal: "Retiro del dueño", "Owner withdrawal";
    bank_deposit: "Depósito bancario", "Bank deposit";
    other_expense: "Otro egreso", "Other expense";
    test_page: "Página de prueba", "Test page";
    paper: "Papel", "Paper";
    paper_width: "{} mm, {} columnas", "{} mm, {} columns";
    sample_amount: "Monto de ejemplo", "Sample amount";
    accents: "Acentos:", "Accents:";
}

/// The table of `language`.
pub fn labels(language: Language) -> &'static Labels {
    match language {
        Language::Es => &ES,
        Language::En => &EN,
    }
}

/// `template` with each `{}` replaced by the next of `values`, in order.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or(""));
    for (i, part) in parts.enumerate() {
        out.push_str(values.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

impl Labels {
    pub fn of_tipo(&self, tipo: TipoOperacion) -> &'static str {
        match tipo {
            TipoOperacion::Deposito => self.deposit,
            TipoOperacion::Retiro => self.withdrawal,
            TipoOperacion::TransferenciaQr => self.qr_transfer,
        }
    }

    pub fn of_metodo(&self, metodo: MetodoPago) -> &'static str {
        match metodo {
            MetodoPago::Efectivo => self.cash,
            MetodoPago::Bcp => "BCP",
            MetodoPago::LosAndes => "Los Andes",
            MetodoPago::Otro => self.other,
        }
    }

    pub fn of_reason(&self, reason: MovementReason) -> &'static str {
        use MovementReason::*;
        match reason {
            ReposicionCambio => self.change_top_up,
            AporteDueno => self.owner_contribution,
            OtroIngreso => self.other_income,
            PagoProveedor => self.supplier_payment,
            GastoOperativo => self.operating_expense,
            RetiroDueno => self.owner_withdrawal,
            DepositoBancario => self.bank_deposit,
            OtroEgreso => self.other_expense,
        }
    }

    pub fn of_result(&self, result: CloseResult) -> &'static str {
        match result {
            CloseResult::Cuadrado => self.balanced,
            CloseResult::Sobrante => self.over,
            CloseResult::Faltante => self.short,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_have_every_label_with_the_same_blanks_to_fill() {
        let (es, en) = (ES.entries(), EN.entries());
        assert_eq!(es.len(), en.len());
        for ((name, es), (en_name, en)) in es.iter().zip(&en) {
            assert_eq!(name, en_name);
            assert!(!es.trim().is_empty() && !en.trim().is_empty(), "{name} is empty in a language");
            assert_eq!(es.matches("{}").count(), en.matches("{}").count(), "{name}: «{es}» and «{en}» fill different values");
        }
    }

    #[test]
    fn english_labels_are_english_and_spanish_ones_stay_as_they_were() {
        for ((name, es), (_, en)) in ES.entries().iter().zip(EN.entries()) {
            assert_ne!(*es, en, "{name} was left in Spanish in the English table");
        }
        assert!(EN.entries().iter().all(|(_, en)| en.is_ascii()), "English needs no accents");
        assert_eq!(fill(EN.topup_title, &["Tigo"]), "Tigo top-up");
        assert_eq!(fill(ES.session_line, &["MIXTA", "7"]), "MIXTA - Sesión N.º 7");
        assert_eq!(labels(Language::En).of_tipo(TipoOperacion::Deposito), "Deposit");
        assert_eq!(labels(Language::Es).of_result(CloseResult::Cuadrado), "CUADRADO");
    }
}
