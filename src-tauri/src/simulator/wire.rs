//! What both contracts share on the wire: exact decimal numbers, JSON bodies parsed by
//! hand (so a missing field becomes the contract's own error, not a generic 422) and the
//! hash that tells a retry from a different request under the same idempotency key.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::state::Reply;
use crate::domain::Money;

/// A number as the client wrote it. JSON numbers are kept as their literal text (through
/// serde_json's `RawValue`) and only then parsed by `rust_decimal`, so no amount ever
/// passes through an `f64`. A numeric string ("150.50") is accepted as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireDecimal(pub String);

impl<'de> Deserialize<'de> for WireDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim();
        let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        Ok(WireDecimal(text.to_string()))
    }
}

impl WireDecimal {
    /// The amount in centavos if the text is a plain decimal with at most two decimals
    /// (trailing zeros aside). Exponents, NaN and anything finer than a centavo are refused.
    pub fn money(&self) -> Option<Money> {
        parse_money(&self.0)
    }

    /// Like [`WireDecimal::money`] but only amounts greater than zero.
    pub fn positive_money(&self) -> Option<Money> {
        self.money().filter(|m| m.is_positive())
    }
}

/// Exact parse of a decimal literal into centavos.
pub fn parse_money(text: &str) -> Option<Money> {
    let text = text.trim();
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int_part, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    // 13 integer digits keep any amount far inside i64 centavos.
    if int_part.is_empty() || int_part.len() > 13 || !digits_only(int_part) || !digits_only(fraction) {
        return None;
    }
    if unsigned.contains('.') && fraction.is_empty() {
        return None;
    }
    // Checked on the text: Decimal rounds digits past its precision.
    if fraction.trim_end_matches('0').len() > 2 {
        return None;
    }
    let normalized =
        format!("{}{}.{}", if text.starts_with('-') { "-" } else { "" }, int_part, &fraction[..fraction.len().min(2)]);
    let normalized = normalized.trim_end_matches('.');
    Money::from_decimal(Decimal::from_str(normalized).ok()?)
}

/// An amount written as a JSON number with two decimals (`150.50`), built from its text.
pub fn number(amount: Money) -> Box<RawValue> {
    RawValue::from_string(amount.to_string()).expect("a formatted amount is a valid JSON number")
}

/// Sends a reply exactly as stored: a replay must be byte-for-byte the first answer.
pub fn respond(reply: Reply) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CONTENT_TYPE, "application/json")], reply.body).into_response()
}

/// Parses a JSON body; the error text is meant for the client.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    serde_json::from_slice(body).map_err(|e| format!("cuerpo JSON inválido: {e}"))
}

/// SHA-256 (hex) of a request in canonical form: the parsed request as a struct with its
/// fields in a fixed order and amounts normalized, so `99` and `99.00` are the same body
/// and key order or whitespace never matter.
pub fn request_hash<T: Serialize>(canonical: &T) -> String {
    let bytes = serde_json::to_vec(canonical).expect("a canonical request serializes");
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Treats `""` like an absent field: clients often send both keys with one left empty.
pub fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub fn is_digits(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_amounts() {
        let c = |s: &str| parse_money(s).map(Money::centavos);
        assert_eq!(c("150.50"), Some(15_050));
        assert_eq!(c("99"), Some(9_900));
        assert_eq!(c("99.000"), Some(9_900));
        assert_eq!(c("0.1"), Some(10));
        assert_eq!(c("-5"), Some(-500));
        assert_eq!(c("1.005"), None);
        assert_eq!(c("1e3"), None);
        assert_eq!(c("1."), None);
        assert_eq!(c(".5"), None);
        assert_eq!(c("NaN"), None);
        assert_eq!(c("1.000000000000000000000000000001"), None);
        assert_eq!(c("99999999999999"), None);
    }

    #[test]
    fn keeps_json_number_text() {
        #[derive(Deserialize)]
        struct Body {
            amt: Option<WireDecimal>,
        }
        let body: Body = parse_body(br#"{"amt": 5677.23}"#).unwrap();
        assert_eq!(body.amt.unwrap().money().unwrap().centavos(), 567_723);
        let body: Body = parse_body(br#"{"amt": "0.10"}"#).unwrap();
        assert_eq!(body.amt.unwrap().money().unwrap().centavos(), 10);
        let body: Body = parse_body(br#"{"amt": null}"#).unwrap();
        assert!(body.amt.is_none());
        assert_eq!(number(Money::from_centavos(581_202_520)).get(), "5812025.20");
    }
}
