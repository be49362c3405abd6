//! Validation of the free text a person types: names, notes, reasons.

use super::error::{label, CoreError, ErrorCode};

/// Trims and checks a text field: required, at most `max` characters, and written in
/// the Latin script Bolivian Spanish, Quechua and Aymara use (letters with accents, ñ,
/// digits, spaces and common punctuation). Other scripts, emoji and control characters
/// are refused so receipts print and searches match.
pub fn required(field: &str, input: &str, max: usize) -> Result<String, CoreError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(CoreError::required(field));
    }
    checked(field, text, max)
}

/// Like [`required`] but empty means "no text".
pub fn optional(field: &str, input: Option<&str>, max: usize) -> Result<Option<String>, CoreError> {
    match input.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => checked(field, text, max).map(Some),
    }
}

fn checked(field: &str, text: &str, max: usize) -> Result<String, CoreError> {
    if text.chars().count() > max {
        return Err(CoreError::new(
            ErrorCode::TextoDemasiadoLargo,
            field,
            format!("El campo «{}» admite como máximo {max} caracteres.", label(field)),
        ));
    }
    if let Some(bad) = text.chars().find(|c| !is_allowed(*c)) {
        return Err(CoreError::new(
            ErrorCode::TextoInvalido,
            field,
            format!("El campo «{}» contiene un carácter no permitido: «{bad}».", label(field)),
        ));
    }
    // Collapse runs of whitespace so "Ana  Pérez" and "Ana Pérez" are one name.
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == ' '
        || ".,;:-_()/#&'\"!?¡¿%+*@°ºª$".contains(c)
        // Latin-1 letters and Latin Extended-A/B (á, é, ñ, ü, ç, ...), no symbols.
        || (c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c))
}

/// Digits a new PIN needs at least; PINs set before this rule (4 or 5 digits) still log in.
pub const NEW_PIN_MIN: usize = 6;
pub const PIN_MAX: usize = 8;

/// A PIN as typed at login: 4 to 8 digits, so the short PINs of older stores keep working.
pub fn pin(field: &str, input: &str) -> Result<String, CoreError> {
    digits(field, input, 4)
}

/// A PIN being set (a new operator, a reset, a change): 6 to 8 digits.
pub fn new_pin(field: &str, input: &str) -> Result<String, CoreError> {
    digits(field, input, NEW_PIN_MIN)
}

fn digits(field: &str, input: &str, min: usize) -> Result<String, CoreError> {
    if input.is_empty() {
        return Err(CoreError::required(field));
    }
    if !(min..=PIN_MAX).contains(&input.len()) || !input.chars().all(|c| c.is_ascii_digit()) {
        return Err(CoreError::new(
            ErrorCode::PinInvalido,
            field,
            format!("El campo «{}» debe tener de {min} a {PIN_MAX} dígitos.", label(field)),
        ));
    }
    Ok(input.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_spanish_names_and_normalizes_spaces() {
        assert_eq!(required("nombre", "  María  Ñusta Quispe ", 60).unwrap(), "María Ñusta Quispe");
    }

    #[test]
    fn refuses_other_scripts_long_and_empty() {
        assert_eq!(required("nombre", "山田", 60).unwrap_err().code, ErrorCode::TextoInvalido);
        assert_eq!(required("nombre", "Ana 😀", 60).unwrap_err().code, ErrorCode::TextoInvalido);
        assert_eq!(required("nombre", "a\u{0}b", 60).unwrap_err().code, ErrorCode::TextoInvalido);
        assert_eq!(required("nombre", &"a".repeat(61), 60).unwrap_err().code, ErrorCode::TextoDemasiadoLargo);
        assert_eq!(required("nombre", "   ", 60).unwrap_err().code, ErrorCode::CampoRequerido);
        assert_eq!(optional("nota", Some("  "), 10).unwrap(), None);
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(pin("pin", "1234").is_ok());
        assert_eq!(pin("pin", "123").unwrap_err().code, ErrorCode::PinInvalido);
        assert_eq!(pin("pin", "12a4").unwrap_err().code, ErrorCode::PinInvalido);
        assert_eq!(pin("pin", "").unwrap_err().code, ErrorCode::CampoRequerido);
    }

    #[test]
    fn new_pins_need_six_digits_while_four_digit_pins_still_log_in() {
        assert!(pin("pin", "1234").is_ok());
        assert_eq!(new_pin("pin", "12345").unwrap_err().code, ErrorCode::PinInvalido);
        assert!(new_pin("pin", "123456").is_ok());
        assert!(new_pin("pin", "12345678").is_ok());
        assert_eq!(new_pin("pin", "123456789").unwrap_err().code, ErrorCode::PinInvalido);
        assert!(new_pin("new_pin", "12345").unwrap_err().message.contains("de 6 a 8"));
    }
}
