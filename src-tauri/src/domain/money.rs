//! Exact money: integer centavos inside, `rust_decimal` at the edges, never floats.

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

    /// Parses what a cashier typed ("150", "150.5", "150,50") into an amount that must
    /// be greater than zero and at most [`MAX_OPERATION`]. `field` names the input in
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
        // Bolivian cashiers write decimals with a comma; accept it when it is the only separator.
        let normalized = if text.contains(',') && !text.contains('.') {
            text.replacen(',', ".", 1)
        } else {
            text.to_string()
        };
        let well_formed = normalized
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))
            && normalized.chars().any(|c| c.is_ascii_digit())
            && normalized.matches('.').count() <= 1;
        if !well_formed {
            return Err(CoreError::new(
                ErrorCode::MontoInvalido,
                field,
                format!("El campo «{}» debe ser un número, por ejemplo 150.50.", label(field)),
            ));
        }
        // Sign and decimals are read from the text: `Decimal::from_str` rounds digits past
        // its precision, which would accept "1.000000000000000000000000000001" as 1.00.
        if normalized.starts_with('-') && normalized.chars().any(|c| ('1'..='9').contains(&c)) {
            return Err(CoreError::new(
                ErrorCode::MontoNoPositivo,
                field,
                format!("El campo «{}» no puede ser negativo.", label(field)),
            ));
        }
        let decimals = normalized.split_once('.').map_or(0, |(_, fraction)| fraction.trim_end_matches('0').len());
        if decimals > 2 {
            return Err(CoreError::new(
                ErrorCode::MontoDecimales,
                field,
                format!("El campo «{}» admite como máximo dos decimales.", label(field)),
            ));
        }
        // A well-formed number Decimal cannot hold has more digits than any allowed amount.
        let value = Decimal::from_str(&normalized).ok();
        match value.and_then(Money::from_decimal) {
            Some(amount) if amount <= MAX_OPERATION => Ok(amount),
            _ => Err(CoreError::new(
                ErrorCode::MontoExcedeMaximo,
                field,
                format!("El campo «{}» supera el máximo permitido de Bs {MAX_OPERATION}.", label(field)),
            )),
        }
    }
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
    fn trailing_zeros_are_not_extra_decimals() {
        assert_eq!(Money::parse_positive("monto", "2.500").unwrap().centavos(), 250);
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
