//! What a bank or wallet sets for the operations an agent makes on its behalf: limits per
//! operation type (amount, a customer's daily and monthly totals), when the customer's
//! identity document is asked, and the commission tariff (client and bank commission by
//! amount band). Also the customer's identity as recorded with an operation, and the check
//! of the store's float against a wallet's own balance.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::money::Money;
use super::operations::{TipoOperacion, TransaccionAgente};
use super::wire::wire_enum;

wire_enum!(
    /// When the customer's identity document is asked for an operation.
    Identidad { Nunca => "NUNCA", Siempre => "SIEMPRE", DesdeMonto => "DESDE_MONTO" }
);

wire_enum!(
    /// A commission is a fixed amount or a percentage of the operation's amount.
    TipoComision { Fija => "FIJA", Porcentaje => "PORCENTAJE" }
);

wire_enum!(
    /// How a percentage commission is rounded: always half away from zero (0,5 up), to the
    /// centavo, to ten centavos or to the boliviano.
    Redondeo { Centavo => "CENTAVO", Decimo => "DECIMO", Boliviano => "BOLIVIANO" }
);

wire_enum!(
    /// Which of a provider's rules a history row is about.
    TipoRegla { Limite => "LIMITE", Tarifa => "TARIFA" }
);

wire_enum!(
    /// When a wallet's balance was compared with the store's float.
    MomentoSaldo { Sincronizacion => "SINCRONIZACION", CierreDia => "CIERRE_DIA" }
);

/// Bolivian identity card issuing departments (the «expedido» of a CI).
pub const DEPARTAMENTOS: &[&str] = &["LP", "CB", "SC", "OR", "PT", "CH", "TJ", "BE", "PD"];

/// A provider's limits for one operation type. `None`: no limit of that kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderLimit {
    pub banco: String,
    pub tipo_operacion: TipoOperacion,
    pub monto_minimo: Option<Money>,
    pub monto_maximo: Option<Money>,
    /// A customer's total for this provider and type in one store-local day.
    pub total_diario: Option<Money>,
    /// A customer's total in one calendar month (store-local).
    pub total_mensual: Option<Money>,
    pub identidad: Identidad,
    /// With `DESDE_MONTO`: the document is asked from this amount up (inclusive).
    pub identidad_desde: Option<Money>,
    /// The customer's name and document are printed on the receipt.
    pub identidad_en_recibo: bool,
}

impl ProviderLimit {
    /// Whether an operation of `monto` needs the customer's document. Totals are counted
    /// by document, so a rule with a daily or monthly total always needs it.
    pub fn needs_identity(&self, monto: Money) -> bool {
        self.total_diario.is_some()
            || self.total_mensual.is_some()
            || match self.identidad {
                Identidad::Nunca => false,
                Identidad::Siempre => true,
                Identidad::DesdeMonto => self.identidad_desde.is_none_or(|from| monto >= from),
            }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ProviderLimitInput {
    pub banco: String,
    #[ts(as = "TipoOperacion")]
    pub tipo_operacion: String,
    #[ts(optional)]
    pub monto_minimo: Option<String>,
    #[ts(optional)]
    pub monto_maximo: Option<String>,
    #[ts(optional)]
    pub total_diario: Option<String>,
    #[ts(optional)]
    pub total_mensual: Option<String>,
    #[ts(as = "Identidad")]
    pub identidad: String,
    #[ts(optional)]
    pub identidad_desde: Option<String>,
    #[serde(default)]
    pub identidad_en_recibo: bool,
}

/// A customer's identity document (Bolivian CI) and name, as given at the counter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClienteIdentidad {
    /// The CI number, digits only.
    pub ci_numero: String,
    /// The complement of a duplicated number (`1A`), if any.
    #[ts(optional)]
    pub ci_complemento: Option<String>,
    /// The issuing department (`LP`, `CB`, `SC`, ...); newer cards have none.
    #[ts(optional)]
    pub ci_expedido: Option<String>,
    pub nombre: String,
}

impl ClienteIdentidad {
    /// `1234567-1A LP`.
    pub fn documento(&self) -> String {
        let mut text = self.ci_numero.clone();
        if let Some(c) = &self.ci_complemento {
            text.push('-');
            text.push_str(c);
        }
        if let Some(d) = &self.ci_expedido {
            text.push(' ');
            text.push_str(d);
        }
        text
    }
}

/// One band of a tariff: amounts from `desde` to `hasta` (both included; `None`: no top).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TariffBand {
    pub desde: Money,
    pub hasta: Option<Money>,
    pub cliente_tipo: TipoComision,
    /// A fixed commission in bolivianos (`"5.00"`) or a percentage (`"1.50"` is 1,50 %).
    pub cliente_valor: String,
    pub banco_tipo: TipoComision,
    pub banco_valor: String,
}

/// A band as stored: values in centavos (fixed) or hundredths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub desde: Money,
    pub hasta: Option<Money>,
    pub cliente: (TipoComision, i64),
    pub banco: (TipoComision, i64),
}

impl Band {
    pub fn covers(&self, monto: Money) -> bool {
        monto >= self.desde && self.hasta.is_none_or(|top| monto <= top)
    }

    pub fn to_wire(self) -> TariffBand {
        TariffBand {
            desde: self.desde,
            hasta: self.hasta,
            cliente_tipo: self.cliente.0,
            cliente_valor: Decimal::new(self.cliente.1, 2).to_string(),
            banco_tipo: self.banco.0,
            banco_valor: Decimal::new(self.banco.1, 2).to_string(),
        }
    }
}

/// A provider's commission tariff for one operation type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tariff {
    pub banco: String,
    pub tipo_operacion: TipoOperacion,
    pub redondeo: Redondeo,
    /// Contiguous, from the smallest amount up.
    pub bandas: Vec<TariffBand>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct TariffBandInput {
    pub desde: String,
    #[ts(optional)]
    pub hasta: Option<String>,
    #[ts(as = "TipoComision")]
    pub cliente_tipo: String,
    pub cliente_valor: String,
    #[ts(as = "TipoComision")]
    pub banco_tipo: String,
    pub banco_valor: String,
}

impl TariffBandInput {
    /// A band from `desde` to `hasta` (none: no top), each commission as (kind, value).
    pub fn new(desde: &str, hasta: Option<&str>, cliente: (&str, &str), banco: (&str, &str)) -> Self {
        TariffBandInput {
            desde: desde.into(),
            hasta: hasta.map(Into::into),
            cliente_tipo: cliente.0.into(),
            cliente_valor: cliente.1.into(),
            banco_tipo: banco.0.into(),
            banco_valor: banco.1.into(),
        }
    }
}

/// Replaces a provider's tariff for one type; no bands removes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct TariffInput {
    pub banco: String,
    #[ts(as = "TipoOperacion")]
    pub tipo_operacion: String,
    #[ts(as = "Redondeo")]
    pub redondeo: String,
    pub bandas: Vec<TariffBandInput>,
}

/// A commission for `monto`: a fixed amount, or `value` hundredths of a percent of the
/// amount rounded half away from zero to the unit `redondeo` names.
pub fn commission(monto: Money, (tipo, value): (TipoComision, i64), redondeo: Redondeo) -> Option<Money> {
    match tipo {
        TipoComision::Fija => Some(Money::from_centavos(value)),
        TipoComision::Porcentaje => {
            // monto (centavos) × value / 10 000 = centavos.
            let raw = Decimal::from(monto.centavos()).checked_mul(Decimal::from(value))?.checked_div(Decimal::from(10_000))?;
            let unit = match redondeo {
                Redondeo::Centavo => Decimal::ONE,
                Redondeo::Decimo => Decimal::TEN,
                Redondeo::Boliviano => Decimal::ONE_HUNDRED,
            };
            let rounded = (raw / unit).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * unit;
            i64::try_from(rounded.mantissa() / 10i128.pow(rounded.scale())).ok().map(Money::from_centavos)
        }
    }
}

/// What the form needs before it records an operation: the commission the tariff gives,
/// whether the customer's document is needed, and what the customer may still do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgentQuote {
    /// From the tariff; `None`: no tariff, typed by hand.
    pub comision_cliente: Option<Money>,
    /// Whether the logged-in operator may change the tariff's commission (administrators,
    /// with a reason).
    pub comision_editable: bool,
    pub comision_banco_esperada: Option<Money>,
    pub identidad_requerida: bool,
    pub limite: Option<ProviderLimit>,
    /// With a document given: what the customer may still do today and this month.
    pub restante_diario: Option<Money>,
    pub restante_mensual: Option<Money>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct AgentQuoteInput {
    pub banco: String,
    #[ts(as = "TipoOperacion")]
    pub tipo_operacion: String,
    /// Empty: no amount typed yet.
    #[ts(optional)]
    pub monto: Option<String>,
    #[ts(optional)]
    pub ci_numero: Option<String>,
    #[ts(optional)]
    pub ci_complemento: Option<String>,
}

/// A customer found by document or name, with how many operations they have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClienteResumen {
    pub cliente: ClienteIdentidad,
    pub operaciones: i64,
    pub ultima: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CustomerSearch {
    /// The start of a CI number, or part of a name (at least 2 characters).
    pub texto: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct CustomerRef {
    pub ci_numero: String,
    #[ts(optional)]
    pub ci_complemento: Option<String>,
}

/// A line of a bank-commission settlement whose paid commission differs from the tariff's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommissionDifference {
    pub id_transaccion: i64,
    pub nro_referencia: String,
    pub esperada: Money,
    pub pagada: Money,
    /// Paid less expected.
    pub diferencia: Money,
}

/// The store's float with a wallet compared with the wallet's own balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BalanceCheck {
    pub id: i64,
    pub banco: String,
    pub fecha: String,
    pub momento: MomentoSaldo,
    pub saldo_tienda: Money,
    pub saldo_proveedor: Money,
    /// Provider less store; zero when they agree.
    pub diferencia: Money,
}

/// An agent transaction with the customer recorded for it, for a customer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerOperation {
    pub transaccion: TransaccionAgente,
    pub cliente: ClienteIdentidad,
}

/// `Bs 2.000,00`: an amount as a message shows it (es-BO).
pub fn bs_text(amount: Money) -> String {
    let c = amount.centavos();
    let sign = if c < 0 { "-" } else { "" };
    let (whole, cents) = ((c.abs() / 100).to_string(), c.abs() % 100);
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("Bs {sign}{grouped},{cents:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_in_a_message_reads_as_in_bolivia() {
        assert_eq!(bs_text(Money::from_centavos(200_000)), "Bs 2.000,00");
        assert_eq!(bs_text(Money::from_centavos(50)), "Bs 0,50");
        assert_eq!(bs_text(Money::from_centavos(123_456_789)), "Bs 1.234.567,89");
    }
}

/// One change of a provider's limits or tariff for one operation type, with the version it
/// replaced (`None`: there was none) and the new one (`None`: removed). Only the fields of
/// its `regla` are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleChange {
    pub id: i64,
    pub banco: String,
    pub tipo_operacion: TipoOperacion,
    pub regla: TipoRegla,
    pub fecha: String,
    pub operador: String,
    pub limite_anterior: Option<ProviderLimit>,
    pub limite_nuevo: Option<ProviderLimit>,
    pub tarifa_anterior: Option<Tariff>,
    pub tarifa_nueva: Option<Tariff>,
}

