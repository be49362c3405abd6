//! Wallet v2 (`seeds/002`): the cashout to a CVU or alias (DEPOSITO of the agent's wallet
//! flow), the check of a customer's transfer to the store (`GET payment/cashin/{id}`,
//! the RETIRO flow), and the transaction list used to resolve unknown outcomes and to
//! reconcile the day.
//!
//! The contract has a single error shape, `{"status": "error", "message": string}`, and
//! no error codes: the HTTP status carries the class ([`STATUS_CLASSES`]), and
//! `Rejected.code` is that status (`"422"`) with the provider's message as the text.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use super::{
    amount_json, clip, id_text, number_secs, outcome_for, outcome_of_exchange_failure, to_raw, Connector,
    ConnectorError, ErrorClass, Exchange, Lookup, Outcome, ProviderTransaction, TextAmount, TokenError,
    AMOUNT_MISMATCH, INVALID_CALL, PROVIDER_ERROR,
};
use crate::domain::Money;

/// How many days back [`Connector::lookup`] searches the transaction list for a cashout.
pub const LOOKUP_DAYS: u64 = 7;

/// The `concept` of every cashout: `VAR` (Varios), the one catalogue entry that fits a
/// deposit into a customer's account.
pub const CASHOUT_CONCEPT: &str = "VAR";

/// A guard against a provider that keeps announcing more pages.
const MAX_PAGES: i64 = 1_000;

// ---------------------------------------------------------------------------------------
// Canonical bodies

/// A CVU is 22 digits; anything else is taken as an alias.
pub fn is_cvu(destination: &str) -> bool {
    destination.len() == 22 && destination.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Serialize)]
struct CashoutWire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cvu: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a str>,
    amount: Box<RawValue>,
    reference_id: &'a str,
    concept: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
}

/// `POST v2/payment/cashout`: `destination` goes in `cvu` when it is 22 digits and in
/// `alias` otherwise (the contract wants one, never both). `reference_id` is the
/// idempotency key: every retry sends this same body.
pub fn cashout_body(reference_id: &str, destination: &str, amount: Money, description: &str) -> Box<RawValue> {
    let destination = destination.trim();
    let cvu = is_cvu(destination);
    to_raw(&CashoutWire {
        cvu: cvu.then_some(destination),
        alias: (!cvu).then_some(destination),
        amount: amount_json(amount),
        reference_id: reference_id.trim(),
        concept: CASHOUT_CONCEPT,
        description: description.trim(),
    })
}

#[derive(Serialize)]
struct CashinCheckWire<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<Box<RawValue>>,
}

/// The check of a customer's transfer to the store: `reference` is the wallet's cash-in
/// id the customer shows (`GET v2/payment/cashin/{id}` has no body; this is what the
/// outbox row keeps).
pub fn cashin_check_body(reference: &str) -> Box<RawValue> {
    to_raw(&CashinCheckWire { id: reference.trim(), amount: None })
}

/// Like [`cashin_check_body`], and the transfer must be for exactly `amount`
/// (otherwise `Rejected` with [`AMOUNT_MISMATCH`]).
pub fn cashin_check_body_for_amount(reference: &str, amount: Money) -> Box<RawValue> {
    to_raw(&CashinCheckWire { id: reference.trim(), amount: Some(amount_json(amount)) })
}

// ---------------------------------------------------------------------------------------
// Classification

/// Every error class the wallet documents, by HTTP status (the contract gives the shape
/// only; the statuses and messages are the simulator's documented decisions, README
/// "Dónde el contrato no dice"). `(status, class, why)`.
pub const STATUS_CLASSES: &[(u16, ErrorClass, &str)] = &[
    // Invalid amount, cvu and alias together, no reference_id, bad concept, cvu/alias/cuit
    // malformed: the same body will be refused again; a person has to fix the data.
    (400, ErrorClass::Rejected, "solicitud inválida"),
    // «Token inválido» / «Token vencido»: renew the token and send once more.
    (401, ErrorClass::Unauthorized, "token inválido o vencido"),
    (403, ErrorClass::Rejected, "operación no permitida para este usuario"),
    // Unknown id (a cash-in that does not exist) or a wrong base URL: resending won't help.
    (404, ErrorClass::Rejected, "id inexistente"),
    // The server gave up waiting for our request: it was not processed.
    (408, ErrorClass::Retryable, "el servidor no recibió la solicitud completa"),
    // reference_id already used with other data: a key collision or a changed body.
    (409, ErrorClass::Rejected, "reference_id usado con otros datos"),
    // Business rejection: insufficient funds, blocked or unknown destination account.
    (422, ErrorClass::Rejected, "rechazo de negocio"),
    (429, ErrorClass::Retryable, "demasiadas solicitudes"),
    // «Error interno, reintente más tarde». Nothing applied; and if it were, the resend
    // with the same reference_id returns the first answer (the contract's retry rule).
    (500, ErrorClass::Retryable, "error interno"),
    // A gateway that forwarded the request and lost the answer: it may have been applied.
    (502, ErrorClass::Unknown, "gateway sin respuesta válida del servidor"),
    (503, ErrorClass::Retryable, "servicio no disponible"),
    (504, ErrorClass::Unknown, "gateway sin respuesta a tiempo"),
];

/// The class of a wallet error answer. Statuses not in [`STATUS_CLASSES`]: another 4xx is
/// a refusal, another 5xx a server failure, anything else (a redirect) a refusal a
/// person must look at (a wrong URL).
pub fn classify(status: u16) -> ErrorClass {
    if let Some((_, class, _)) = STATUS_CLASSES.iter().find(|(s, _, _)| *s == status) {
        return *class;
    }
    match status {
        500..=599 => ErrorClass::Retryable,
        _ => ErrorClass::Rejected,
    }
}

#[derive(Deserialize, Default)]
struct Reply {
    status: Option<String>,
    message: Option<String>,
    id: Option<serde_json::Value>,
    transaction_id: Option<serde_json::Value>,
    amount: Option<TextAmount>,
}

fn is_error(reply: &Reply) -> bool {
    reply.status.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case("error"))
}

/// An error answer (not 2xx) as an outcome.
fn error_outcome(status: u16, body: &[u8]) -> Outcome {
    let message = serde_json::from_slice::<Reply>(body).ok().and_then(|r| r.message).unwrap_or_default();
    outcome_for(classify(status), status, &status.to_string(), &message)
}

/// The outcome of a `POST payment/cashout` answer.
pub(crate) fn cashout_outcome(status: u16, body: &[u8]) -> Outcome {
    if !(200..300).contains(&status) {
        return error_outcome(status, body);
    }
    match serde_json::from_slice::<Reply>(body) {
        // A success we cannot read: it was most likely done; the lookup will tell.
        Err(_) => Outcome::Unknown { detail: format!("HTTP {status} con respuesta ilegible ({} bytes)", body.len()) },
        Ok(reply) if is_error(&reply) => Outcome::Rejected {
            code: PROVIDER_ERROR.into(),
            text: clip(reply.message.as_deref().unwrap_or("error sin descripción")),
        },
        Ok(reply) => Outcome::Acked { provider_ref: reply.id.as_ref().and_then(id_text) },
    }
}

/// The outcome of a `GET payment/cashin/{id}` answer for the cash-in `id`.
pub(crate) fn cashin_outcome(status: u16, body: &[u8], id: &str, expected: Option<Money>) -> Outcome {
    if !(200..300).contains(&status) {
        return error_outcome(status, body);
    }
    let reply = match serde_json::from_slice::<Reply>(body) {
        Ok(reply) => reply,
        // A read: nothing changed at the provider, asking again is harmless.
        Err(_) => {
            return Outcome::Retryable {
                detail: format!("HTTP {status} con respuesta ilegible ({} bytes)", body.len()),
            }
        }
    };
    if is_error(&reply) {
        return Outcome::Rejected {
            code: PROVIDER_ERROR.into(),
            text: clip(reply.message.as_deref().unwrap_or("error sin descripción")),
        };
    }
    if let Some(expected) = expected {
        match reply.amount.as_ref().and_then(TextAmount::money) {
            Some(amount) if amount == expected => {}
            Some(amount) => {
                return Outcome::Rejected {
                    code: AMOUNT_MISMATCH.into(),
                    text: format!("La acreditación {id} es de Bs {amount}; se esperaba Bs {expected}"),
                }
            }
            None => {
                return Outcome::Rejected {
                    code: AMOUNT_MISMATCH.into(),
                    text: format!("La acreditación {id} no informa un monto legible; se esperaba Bs {expected}"),
                }
            }
        }
    }
    let provider_ref = reply.transaction_id.as_ref().and_then(id_text).unwrap_or_else(|| id.to_string());
    Outcome::Acked { provider_ref: Some(provider_ref) }
}

// ---------------------------------------------------------------------------------------
// Transaction list

fn present_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// One transaction of `account/transactions`. `id` and `reference_id` are not in the
/// contract (the simulator adds them): never required.
#[derive(Deserialize)]
pub(crate) struct TxnItem {
    income: Option<serde_json::Value>,
    date: Option<String>,
    amount: Option<TextAmount>,
    operation: Option<String>,
    status: Option<String>,
    id: Option<serde_json::Value>,
    /// Absent (`None`) is not the same as `null` (`Some(None)`): only a provider that
    /// writes the field at all can prove a reference is *not* there.
    #[serde(default, deserialize_with = "present_or_null")]
    reference_id: Option<Option<serde_json::Value>>,
}

impl TxnItem {
    pub(crate) fn into_provider(self) -> Result<ProviderTransaction, ConnectorError> {
        let at = self.date.unwrap_or_default();
        let amount = match &self.amount {
            Some(text) => text.money().ok_or_else(|| {
                ConnectorError::Malformed(format!("monto ilegible en una transacción del {at}: {}", clip(&text.0)))
            })?,
            None => return Err(ConnectorError::Malformed(format!("una transacción del {at} no tiene monto"))),
        };
        let income = match &self.income {
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(serde_json::Value::Number(n)) => n.as_i64().map(|n| n != 0),
            Some(serde_json::Value::String(s)) => match s.trim() {
                "1" | "true" => Some(true),
                "0" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        Ok(ProviderTransaction {
            provider_ref: self.id.as_ref().and_then(id_text),
            reference: self.reference_id.flatten().as_ref().and_then(id_text),
            amount,
            operation: self.operation.unwrap_or_default(),
            at,
            income,
            status: self.status,
        })
    }
}

#[derive(Deserialize)]
struct TxnPage {
    status: Option<String>,
    message: Option<String>,
    transactions: Option<Vec<TxnItem>>,
    pages: Option<serde_json::Value>,
}

/// A status that says the listed operation did not go through.
fn failed_status(status: Option<&str>) -> bool {
    let Some(status) = status else { return false };
    let status = status.to_ascii_lowercase();
    ["reject", "rechaz", "fail", "fallid", "error", "cancel", "anulad", "revert"].iter().any(|w| status.contains(w))
}

fn token_error(err: TokenError) -> ConnectorError {
    match err {
        TokenError::Credentials(text) => ConnectorError::Credentials(text),
        TokenError::Unavailable(detail) => ConnectorError::Unavailable(detail),
    }
}

fn json_error(what: &str, e: &serde_json::Error) -> ConnectorError {
    // Position only: serde's message may quote a piece of the answer.
    ConnectorError::Malformed(format!(
        "{what}: JSON {:?} en la línea {} columna {}",
        e.classify(),
        e.line(),
        e.column()
    ))
}

// ---------------------------------------------------------------------------------------
// Calls

impl Connector {
    /// `POST v2/payment/cashout` with the stored body.
    pub(super) async fn wallet_cashout(&self, body: &RawValue) -> Outcome {
        let url = self.endpoint(&["payment", "cashout"]);
        let text = body.get();
        let exchange = self
            .authorized(|token| {
                self.http
                    .post(url.clone())
                    .bearer_auth(token)
                    .header(ACCEPT, "application/json")
                    .header(CONTENT_TYPE, "application/json")
                    .body(text.to_owned())
            })
            .await;
        match exchange {
            Err(err) => self.outcome_of_token_error(err),
            Ok(Exchange::Answered { status, body }) => cashout_outcome(status, &body),
            Ok(failure) => outcome_of_exchange_failure(failure)
                .unwrap_or_else(|| Outcome::Unknown { detail: "respuesta inesperada".into() }),
        }
    }

    /// `GET v2/payment/cashin/{id}`: `Acked` when the provider has the customer's transfer
    /// (for the expected amount, if the body names one), `Rejected` 404 when it does not.
    pub(super) async fn wallet_cashin_check(&self, body: &RawValue) -> Outcome {
        #[derive(Deserialize)]
        struct Check {
            id: Option<serde_json::Value>,
            amount: Option<TextAmount>,
        }
        let check: Option<Check> = serde_json::from_str(body.get()).ok();
        let Some(check) = check else {
            return Outcome::Rejected { code: INVALID_CALL.into(), text: "cuerpo de verificación ilegible".into() };
        };
        let Some(id) = check.id.as_ref().and_then(id_text) else {
            return Outcome::Rejected { code: INVALID_CALL.into(), text: "falta el id de la acreditación".into() };
        };
        let expected = match &check.amount {
            None => None,
            Some(text) => match text.money() {
                Some(amount) => Some(amount),
                None => return Outcome::Rejected { code: INVALID_CALL.into(), text: "monto esperado ilegible".into() },
            },
        };
        let url = self.endpoint(&["payment", "cashin", &id]);
        let exchange = self
            .authorized(|token| self.http.get(url.clone()).bearer_auth(token).header(ACCEPT, "application/json"))
            .await;
        match exchange {
            Err(err) => self.outcome_of_token_error(err),
            Ok(Exchange::Answered { status, body }) => cashin_outcome(status, &body, &id, expected),
            // A read changes nothing: whatever happened, asking again is safe.
            Ok(Exchange::NotSent(detail)) | Ok(Exchange::MaybeSent(detail)) => {
                Outcome::Retryable { detail: format!("sin respuesta: {detail}") }
            }
        }
    }

    /// The cashout with `reference_id == key` in the transaction list between `from` and `to`.
    pub(super) async fn wallet_lookup_cashout(
        &self,
        key: &str,
        body: &RawValue,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Lookup {
        #[derive(Deserialize)]
        struct Keyed {
            reference_id: Option<String>,
        }
        let key = match key.trim() {
            "" => serde_json::from_str::<Keyed>(body.get()).ok().and_then(|k| k.reference_id).unwrap_or_default(),
            key => key.to_string(),
        };
        if key.trim().is_empty() {
            return Lookup::Unavailable { detail: "la operación no tiene reference_id".into() };
        }
        let items = match self.wallet_transactions(from, to, Some("cashout")).await {
            Ok(items) => items,
            Err(err) => return Lookup::Unavailable { detail: err.to_string() },
        };
        let mut unkeyed = 0usize;
        for item in &items {
            if item.operation.as_deref().is_some_and(|op| op != "cashout") {
                continue;
            }
            match &item.reference_id {
                None => unkeyed += 1,
                Some(reference) if reference.as_ref().and_then(id_text).as_deref() == Some(key.as_str()) => {
                    if failed_status(item.status.as_deref()) {
                        return Lookup::Unavailable {
                            detail: format!(
                                "el proveedor lista el reference_id {key} con estado {}",
                                item.status.as_deref().unwrap_or("")
                            ),
                        };
                    }
                    return Lookup::Found { provider_ref: item.id.as_ref().and_then(id_text) };
                }
                Some(_) => {}
            }
        }
        if unkeyed > 0 {
            // The contract's list has no reference_id: absence proves nothing.
            return Lookup::Unavailable {
                detail: format!("la lista de transacciones no informa reference_id ({unkeyed} cashout sin él)"),
            };
        }
        Lookup::NotFound
    }

    /// `GET v2/account/transactions` between two dates, every page.
    pub(super) async fn wallet_transactions(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        operation: Option<&str>,
    ) -> Result<Vec<TxnItem>, ConnectorError> {
        let mut all = Vec::new();
        let mut page: i64 = 1;
        loop {
            let mut url = self.endpoint(&["account", "transactions"]);
            {
                let mut query = url.query_pairs_mut();
                query
                    .append_pair("date_from", &from.format("%Y-%m-%d").to_string())
                    .append_pair("date_to", &to.format("%Y-%m-%d").to_string());
                if let Some(operation) = operation {
                    query.append_pair("operation", operation);
                }
                query.append_pair("paginate", "1").append_pair("page", &page.to_string());
            }
            let exchange = self
                .authorized(|token| self.http.get(url.clone()).bearer_auth(token).header(ACCEPT, "application/json"))
                .await
                .map_err(token_error)?;
            let (status, body) = match exchange {
                Exchange::Answered { status, body } => (status, body),
                Exchange::NotSent(detail) | Exchange::MaybeSent(detail) => {
                    return Err(ConnectorError::Unavailable(detail))
                }
            };
            if !(200..300).contains(&status) {
                let message = serde_json::from_slice::<Reply>(&body).ok().and_then(|r| r.message).unwrap_or_default();
                let detail = if message.is_empty() { format!("HTTP {status}") } else { clip(&message) };
                return Err(match classify(status) {
                    ErrorClass::Rejected => ConnectorError::Provider { status, detail },
                    _ => ConnectorError::Unavailable(format!("HTTP {status}: {detail}")),
                });
            }
            let parsed: TxnPage =
                serde_json::from_slice(&body).map_err(|e| json_error("lista de transacciones", &e))?;
            if parsed.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("error")) {
                return Err(ConnectorError::Provider {
                    status,
                    detail: clip(parsed.message.as_deref().unwrap_or("error sin descripción")),
                });
            }
            let items = parsed.transactions.unwrap_or_default();
            let got = items.len();
            all.extend(items);
            // `pages` comes only with pagination; without it the whole list came at once.
            match parsed.pages.as_ref().and_then(number_secs) {
                Some(pages) if page < pages && got > 0 && page < MAX_PAGES => page += 1,
                _ => break,
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cashout_body_picks_cvu_or_alias() {
        let body = cashout_body("dep-1", "0000003100000000000123", Money::from_centavos(15_050), "Depósito");
        assert_eq!(
            body.get(),
            r#"{"cvu":"0000003100000000000123","amount":150.50,"reference_id":"dep-1","concept":"VAR","description":"Depósito"}"#
        );
        let body = cashout_body("dep-2", "juana.mamani", Money::from_centavos(9_900), "");
        assert_eq!(body.get(), r#"{"alias":"juana.mamani","amount":99.00,"reference_id":"dep-2","concept":"VAR"}"#);
        assert_eq!(cashin_check_body("77").get(), r#"{"id":"77"}"#);
        assert_eq!(
            cashin_check_body_for_amount("77", Money::from_centavos(25_000)).get(),
            r#"{"id":"77","amount":250.00}"#
        );
    }

    #[test]
    fn reads_answers_without_panicking() {
        assert_eq!(
            cashout_outcome(200, br#"{"status":"ok","id":12}"#),
            Outcome::Acked { provider_ref: Some("12".into()) }
        );
        assert!(matches!(cashout_outcome(200, b"<html>"), Outcome::Unknown { .. }));
        assert!(matches!(cashout_outcome(500, b""), Outcome::Retryable { .. }));
        assert_eq!(
            cashout_outcome(422, br#"{"status":"error","message":"Saldo insuficiente"}"#),
            Outcome::Rejected { code: "422".into(), text: "Saldo insuficiente".into() }
        );
        assert!(matches!(cashout_outcome(200, br#"{"status":"error","message":"x"}"#), Outcome::Rejected { .. }));
        assert!(matches!(
            cashin_outcome(200, br#"{"status":"ok","amount":"250.01","transaction_id":3}"#, "3", Some(Money::from_centavos(25_000))),
            Outcome::Rejected { ref code, .. } if code == AMOUNT_MISMATCH
        ));
    }
}
