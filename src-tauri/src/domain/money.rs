//! Exact money: integer centavos inside, `rust_decimal` at the edges, never floats.
//!
//! # How a typed amount is read (es-BO), the one rule
//!
//! The core and the UI (`ui/src/lib/money.ts`) read amounts by the same rule, and both test
//! it against the same table, `tests/fixtures/amounts_es_bo.json`:
//!
//! 1. A comma is the decimal separator: `1234,50`, `1234,5`.
//! 2. Dots before a comma group thousands, three digits to a group: `1.234,50`,
//!    `1.000.000`. A badly grouped number (`12.5.1`, `1,000.50`) is not an amount.
//! 3. A single dot with no comma, followed by one or two digits, is a decimal point
//!    (`150.5`, `150.50`: the wire form the UI sends).
//! 4. At most two decimals, **even when they are zeros**. `1.500` is Bs 1.500,00 to a
//!    Bolivian and 1.50 to the wire: the core cannot know who wrote it, so it refuses it
//!    (`MONTO_DECIMALES`) rather than guess; the UI, which knows the cashier typed it in
//!    Spanish, reads that dot as the thousands separator and sends `1500.00`.
//! 5. No sign but a leading `-` (refused as `MONTO_NO_POSITIVO`), no spaces inside, no
//!    currency, no exponent, ASCII digits only (`MONTO_INVALIDO`).
//!
//! Amounts are shown as `Bs 1.234,50` by the UI; the core's `Display` is the wire form.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;

use super::error::{label, CoreError, ErrorCode};

/// Largest amount a single operation may carry: Bs 1.000.000,00.
pub const MAX_OPERATION: Money = Money(100_000_000);

/// An amount of bolivianos held as integer centavos. On the wire it is a decimal string
/// with two places ("150.50"), so no JavaScript number ever rounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, TS)]
#[ts(type = "string")]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_centavos(centavos: i64) -> Self {
        Money(centavos)
    }

    pub const fn centavos(self) -> i64 {
        self.0
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Exact conversion; refuses anything finer than a centavo or outside i64.
    pub fn from_decimal(value: Decimal) -> Option<Self> {
        let scaled = value.checked_mul(Decimal::ONE_HUNDRED)?;
        if scaled.fract() != Decimal::ZERO {
            return None;
        }
        scaled.to_i64().map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses what a cashier typed into an amount that must be greater than zero and at
    /// most [`MAX_OPERATION`], by the rule in this module's doc. `field` names the input in
    /// the error so the UI can point at it.
    pub fn parse_positive(field: &str, input: &str) -> Result<Money, CoreError> {
        let amount = Self::parse_non_negative(field, input)?;
        if !amount.is_positive() {
            return Err(CoreError::new(
                ErrorCode::MontoNoPositivo,
                field,
                format!("El campo «{}» debe ser mayor que cero.", label(field)),
            ));
        }
        Ok(amount)
    }

    /// Like [`Money::parse_positive`] but zero is allowed (a count, a float of nothing).
    pub fn parse_non_negative(field: &str, input: &str) -> Result<Money, CoreError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(CoreError::required(field));
        }
        let invalid = || {
            CoreError::new(
                ErrorCode::MontoInvalido,
                field,
                format!("El campo «{}» debe ser un monto, por ejemplo 1.234,50 o 150,50.", label(field)),
            )
        };
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = split_amount(body).ok_or_else(invalid)?;
        // Sign and decimals are read from the text, never through a float or a rounding
        // Decimal: "1.000000000000000000000000000001" must not become 1.00.
        if negative && whole.chars().chain(fraction.chars()).any(|c| c != '0') {
            return Err(CoreError::new(
                ErrorCode::MontoNoPositivo,
                field,
                format!("El campo «{}» no puede ser negativo.", label(field)),
            ));
        }
        if fraction.len() > 2 {
            return Err(CoreError::new(
                ErrorCode::MontoDecimales,
                field,
                format!(
                    "El campo «{}» admite como máximo dos decimales (1.500 es ambiguo: escriba 1500 o 1.500,00).",
                    label(field)
                ),
            ));
        }
        let whole = whole.trim_start_matches('0');
        let too_large = || {
            CoreError::new(
                ErrorCode::MontoExcedeMaximo,
                field,
                format!("El campo «{}» supera el máximo permitido de Bs {MAX_OPERATION}.", label(field)),
            )
        };
        // Anything past 15 digits is far above the maximum (and would not fit in i64 centavos).
        if whole.len() > 15 {
            return Err(too_large());
        }
        let digits = |s: &str| s.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        let centavos = digits(whole) * 100 + digits(&format!("{fraction:0<2}"));
        if negative {
            return Ok(Money::ZERO);
        }
        if centavos > MAX_OPERATION.0 {
            return Err(too_large());
        }
        Ok(Money(centavos))
    }
}

/// Splits a typed amount without its sign into its whole digits and its decimal digits by
/// the module's rule; `None` when it is not an amount at all.
fn split_amount(body: &str) -> Option<(String, &str)> {
    if !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let only_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = match body.split_once(',') {
        // A comma is the decimal separator; dots before it group thousands.
        Some((whole, fraction)) => {
            if !only_digits(fraction) {
                return None;
            }
            let whole = if whole.contains('.') { ungroup(whole)? } else { whole.to_string() };
            (whole, fraction)
        }
        None => match body.matches('.').count() {
            0 => (body.to_string(), ""),
            // One dot and no comma: a decimal point, as on the wire ("150.50"). With three
            // digits after it ("1.500") it is refused below as more than two decimals.
            1 => {
                let (whole, fraction) = body.split_once('.')?;
                (whole.to_string(), fraction)
            }
            // Several dots can only group thousands ("1.000.000").
            _ => (ungroup(body)?, ""),
        },
    };
    Some((whole, fraction)).filter(|(w, _)| only_digits(w))
}

/// "1.234.567" as "1234567": the first group has one to three digits and no leading zero,
/// every other group three.
fn ungroup(grouped: &str) -> Option<String> {
    let mut groups = grouped.split('.');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return None;
    }
    let mut whole = first.to_string();
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        whole.push_str(group);
    }
    Some(whole)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let value = Decimal::from_str(&text).map_err(serde::de::Error::custom)?;
        Money::from_decimal(value).ok_or_else(|| serde::de::Error::custom("monto fuera de rango"))
    }
}

impl rusqlite::ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.0.into())
    }
}

impl rusqlite::types::FromSql for Money {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        i64::column_result(value).map(Money)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_centavos() {
        assert_eq!(Money::parse_positive("monto", "150").unwrap().centavos(), 15_000);
        assert_eq!(Money::parse_positive("monto", "0.10").unwrap().centavos(), 10);
        assert_eq!(Money::parse_positive("monto", " 12,5 ").unwrap().centavos(), 1_250);
        assert_eq!(Money::parse_positive("monto", "1000000").unwrap(), MAX_OPERATION);
    }

    #[test]
    fn refuses_bad_amounts_with_their_codes() {
        let code = |s: &str| Money::parse_positive("monto", s).unwrap_err().code;
        assert_eq!(code(""), ErrorCode::CampoRequerido);
        assert_eq!(code("abc"), ErrorCode::MontoInvalido);
        assert_eq!(code("1e5"), ErrorCode::MontoInvalido);
        assert_eq!(code("NaN"), ErrorCode::MontoInvalido);
        assert_eq!(code("0"), ErrorCode::MontoNoPositivo);
        assert_eq!(code("-5"), ErrorCode::MontoNoPositivo);
        assert_eq!(code("1.005"), ErrorCode::MontoDecimales);
        assert_eq!(code("1000000.01"), ErrorCode::MontoExcedeMaximo);
        assert_eq!(code("99999999999999999999999999"), ErrorCode::MontoExcedeMaximo);
        assert_eq!(code("1000000000000000000000000000000000"), ErrorCode::MontoExcedeMaximo);
        assert_eq!(code("1.2.3"), ErrorCode::MontoInvalido);
        assert_eq!(code("-0.001"), ErrorCode::MontoNoPositivo);
        // Past Decimal's precision: must not be rounded into an accepted amount.
        assert_eq!(code("1.000000000000000000000000000001"), ErrorCode::MontoDecimales);
        assert_eq!(code("0.00000000000000000000000000000001"), ErrorCode::MontoDecimales);
    }

    #[test]
    fn three_decimals_are_refused_even_when_they_are_zeros() {
        // "2.500" is two thousand five hundred to a Bolivian: it never becomes 2.50.
        assert_eq!(Money::parse_positive("monto", "2.500").unwrap_err().code, ErrorCode::MontoDecimales);
        assert_eq!(Money::parse_positive("monto", "2,500").unwrap_err().code, ErrorCode::MontoDecimales);
    }

    #[test]
    fn displays_and_round_trips_as_a_string() {
        let m = Money::from_centavos(-1_205);
        assert_eq!(m.to_string(), "-12.05");
        let json = serde_json::to_string(&Money::from_centavos(15_050)).unwrap();
        assert_eq!(json, "\"150.50\"");
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap().centavos(), 15_050);
    }
}
