//! Wallet v2 (`seeds/002`): the cashout to a CVU or alias (DEPOSITO of the agent's wallet
//! flow), the check of a customer's transfer to the store (`GET payment/cashin/{id}`,
//! the RETIRO flow), and the transaction list used to resolve unknown outcomes and to
//! reconcile the day.
//!
//! The contract has a single error shape, `{"status": "error", "message": string}`, and
//! no error codes: the HTTP status carries the class ([`STATUS_CLASSES`]), and
//! `Rejected.code` is that status (`"422"`) with the provider's message as the text.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{
    amount_json, clip, id_text, number_secs, outcome_for, outcome_of_exchange_failure, to_raw, Connector,
    ConnectorError, ErrorClass, Exchange, Lookup, Outcome, ProviderTransaction, TextAmount, TokenError,
    AMOUNT_MISMATCH, INVALID_CALL, PROVIDER_ERROR,
};
use crate::domain::{Money, UnidadSaldo};
use tokio::time::Instant;

/// How many days back [`Connector::lookup`] searches the transaction list for a cashout.
pub const LOOKUP_DAYS: u64 = 7;

/// A guard against a provider that keeps announcing more pages.
const MAX_PAGES: i64 = 1_000;

/// How long the `payment/concepts` catalogue and the `transactions_filters` list are kept
/// before they are asked again; a concept missing from a list older than
/// [`CATALOGUE_RECHECK`] is asked again at once.
pub const CATALOGUE_TTL: std::time::Duration = std::time::Duration::from_secs(600);
pub const CATALOGUE_RECHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// `Rejected.code` when the connection's concept is not in the wallet's
/// `GET v2/payment/concepts` catalogue: the cashout is not sent.
pub const CONCEPT_NOT_OFFERED: &str = "CONCEPTO_NO_OFRECIDO";

// ---------------------------------------------------------------------------------------
// Canonical bodies

/// A CVU is 22 digits; anything else is taken as an alias.
pub fn is_cvu(destination: &str) -> bool {
    destination.len() == 22 && destination.bytes().all(|b| b.is_ascii_digit())
}

/// What a `POST v2/payment/cashout` carries (seeds/002 L39–L46).
#[derive(Debug, Clone, Copy)]
pub struct Cashout<'a> {
    /// The idempotency key (L45 `"reference_id": string`).
    pub reference_id: &'a str,
    /// A 22-digit CVU (`cvu`) or an alias (`alias`): "Debe informarse cvu o alias, no ambos".
    pub destination: &'a str,
    /// The customer's CUIT, 11 digits (L44 `"cuit": string`).
    pub cuit: &'a str,
    pub amount: Money,
    /// The connection's concept, one of `GET v2/payment/concepts` (L46).
    pub concept: &'a str,
    pub description: &'a str,
}

#[derive(Serialize)]
struct CashoutWire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    cvu: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<&'a str>,
    cuit: &'a str,
    amount: Box<RawValue>,
    reference_id: &'a str,
    concept: &'a str,
    description: &'a str,
}

/// `POST v2/payment/cashout`: `destination` goes in `cvu` when it is 22 digits and in
/// `alias` otherwise (the contract wants one, never both); every other field the
/// document lists is sent. `reference_id` is the idempotency key: every retry sends this
/// same body ("es importante siempre utilizar los mismos datos junto al reference_id").
pub fn cashout_body(c: &Cashout<'_>) -> Box<RawValue> {
    let destination = c.destination.trim();
    let cvu = is_cvu(destination);
    to_raw(&CashoutWire {
        cvu: cvu.then_some(destination),
        alias: (!cvu).then_some(destination),
        cuit: c.cuit.trim(),
        amount: amount_json(c.amount),
        reference_id: c.reference_id.trim(),
        concept: c.concept.trim(),
        description: c.description.trim(),
    })
}

/// The fields of a stored cashout body the lookup and the reconciliation match on.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StoredCashout {
    pub cvu: Option<String>,
    pub cuit: Option<String>,
    pub amount: Option<TextAmount>,
    pub concept: Option<String>,
}

impl StoredCashout {
    pub fn read(body: &str) -> Option<StoredCashout> {
        serde_json::from_str(body).ok()
    }
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

/// The document's only error answer is `{"status": error, "message": string}` (seeds/002
/// L12, repeated under every call) and it gives no HTTP status for anything. The class is
/// therefore read from the body first; the HTTP status is used only as these stated
/// assumptions (RFC 9110 meanings), one row each, `(statuses, documented body?, class, why)`:
pub const HTTP_ASSUMPTIONS: &[(&str, &str, ErrorClass, &str)] = &[
    ("2xx", "error", ErrorClass::Rejected, "the wallet answered and said error: a refusal a person must see"),
    ("401", "any", ErrorClass::Unauthorized, "the token is refused: renew it once and send again"),
    ("408, 429", "any", ErrorClass::Retryable, "the server says it did not take the request (request timeout, rate limit)"),
    ("409", "any", ErrorClass::Rejected, "the reference_id is already used (L61 'tiene que ser unico'): to a first attempt a refusal; to a resend, evidence that the first attempt was applied"),
    ("other 4xx", "any", ErrorClass::Rejected, "the request was refused (by the wallet, or a wrong URL): the same body fails again"),
    ("5xx (503 included)", "any", ErrorClass::Unknown, "a server failure says nothing of what was applied: looked up, then resent with the same reference_id"),
    ("3xx, other", "any", ErrorClass::Rejected, "not an answer of the wallet's API (a redirect): a wrong URL a person must fix"),
];

/// The HTTP status of the wallet's answer to a `reference_id` it already holds (a stated
/// assumption: the document gives no status or message for it, L60–L64).
pub const DUPLICATE_REFERENCE_STATUS: u16 = 409;

/// Whether a refused cashout's code says its `reference_id` is already used.
pub fn is_duplicate_reference(code: &str) -> bool {
    code.trim() == DUPLICATE_REFERENCE_STATUS.to_string()
}

/// The class of a wallet answer that is not a success: see [`HTTP_ASSUMPTIONS`]. A
/// possibly applied answer (any 5xx) is never classed as nothing applied.
pub fn classify(status: u16) -> ErrorClass {
    match status {
        200..=299 => ErrorClass::Rejected,
        401 => ErrorClass::Unauthorized,
        408 | 429 => ErrorClass::Retryable,
        400..=499 => ErrorClass::Rejected,
        500..=599 => ErrorClass::Unknown,
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

/// The documented error answer's message, if `body` is one.
fn documented_error(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Reply>(body).ok().filter(is_error).map(|r| r.message.unwrap_or_default())
}

/// An error answer (not 2xx) of a call that changes something, as an outcome. `code` is
/// the HTTP status (the document has no error codes), the text the wallet's `message`.
fn error_outcome(status: u16, body: &[u8]) -> Outcome {
    let message = documented_error(body).unwrap_or_default();
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
        // A read changes nothing: what a write would have to look up is asked again.
        return match error_outcome(status, body) {
            Outcome::Unknown { detail } => Outcome::Retryable { detail },
            outcome => outcome,
        };
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

/// One transaction of `account/transactions`, its documented fields only (L297–L306):
/// it has no id and no `reference_id`, so nothing is matched on them.
#[derive(Deserialize)]
pub(crate) struct TxnItem {
    income: Option<serde_json::Value>,
    date: Option<String>,
    amount: Option<TextAmount>,
    operation: Option<String>,
    holder: Option<String>,
    cuit: Option<serde_json::Value>,
    cvu_cbu: Option<serde_json::Value>,
    status: Option<String>,
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
            provider_ref: None,
            reference: None,
            amount,
            operation: self.operation.unwrap_or_default(),
            at,
            income,
            status: self.status,
            holder: self.holder.filter(|h| !h.trim().is_empty()),
            cuit: self.cuit.as_ref().and_then(id_text),
            cvu_cbu: self.cvu_cbu.as_ref().and_then(id_text),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Matching the list on its documented fields

/// What the store sent (or expects), as the list can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFacts {
    pub amount: Money,
    /// Money into the agent's account (a customer's transfer) or out of it (a cashout).
    pub income: bool,
    /// The cashout's CVU (an alias is not listed: the list shows the resolved `cvu_cbu`).
    pub cvu: Option<String>,
    pub cuit: Option<String>,
}

impl SentFacts {
    /// The facts of a stored cashout body; `None` if it cannot be read.
    pub fn of_cashout(body: &str) -> Option<SentFacts> {
        let stored = StoredCashout::read(body)?;
        Some(SentFacts {
            amount: stored.amount.as_ref().and_then(TextAmount::money)?,
            income: false,
            cvu: stored.cvu.filter(|c| !c.trim().is_empty()),
            cuit: stored.cuit.filter(|c| !c.trim().is_empty()),
        })
    }

    /// A customer's transfer to the store for `amount`.
    pub fn of_cashin(amount: Money) -> SentFacts {
        SentFacts { amount, income: true, cvu: None, cuit: None }
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether a listed transaction can be the call: the same amount and direction, and,
/// where both sides have them, the same CUIT and CVU. A listed date outside the asked
/// range never comes (the list is asked by date).
pub fn is_candidate(sent: &SentFacts, listed: &ProviderTransaction) -> bool {
    let same = |ours: &Option<String>, theirs: &Option<String>| match (ours, theirs) {
        (Some(a), Some(b)) if !digits(b).is_empty() => digits(a) == digits(b),
        _ => true,
    };
    listed.amount == sent.amount
        && listed.income.is_none_or(|income| income == sent.income)
        && same(&sent.cuit, &listed.cuit)
        && same(&sent.cvu, &listed.cvu_cbu)
}

/// How a listed `status` reads (the document gives no values, L305 `"status": String`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedStatus {
    /// `approved`, `aprobada`, `ok`, `completed`, `acreditada`, `success`, `realizada`...
    Confirmed,
    /// `rejected`, `rechazada`, `failed`, `error`, `cancelled`, `anulada`, `reverted`...
    Failed,
    /// Anything else (`pending`, `en proceso`, absent): not a confirmation.
    Pending,
}

pub fn listed_status(status: Option<&str>) -> ListedStatus {
    let Some(status) = status else { return ListedStatus::Pending };
    let status = status.trim().to_lowercase();
    if ["reject", "rechaz", "fail", "fallid", "error", "cancel", "anulad", "revert", "revers"].iter().any(|w| status.contains(w)) {
        ListedStatus::Failed
    } else if ["approv", "aprob", "complet", "acredit", "success", "exito", "éxito", "realizad", "finaliz", "confirm"]
        .iter()
        .any(|w| status.contains(w))
        || status == "ok"
    {
        ListedStatus::Confirmed
    } else {
        ListedStatus::Pending
    }
}

/// One listed transaction as a person reads it.
pub fn describe(t: &ProviderTransaction) -> String {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    format!(
        "{} Bs {} {} titular {} CUIT {} CVU/CBU {} estado {}",
        t.at,
        t.amount,
        t.operation,
        or_dash(&t.holder),
        or_dash(&t.cuit),
        or_dash(&t.cvu_cbu),
        or_dash(&t.status)
    )
}

/// The lookup's answer from the list (CONTRACTS.md, "ambiguity rule"): no candidate is
/// `NotFound`; exactly one, and no other call of the store (`twins`) that it could be,
/// is `Found` when its status confirms it and `Unavailable` otherwise; two or more, or
/// one that a twin could be, is `Ambiguous` with every candidate shown.
pub fn resolve_lookup(sent: &SentFacts, listed: &[ProviderTransaction], twins: i64) -> Lookup {
    let candidates: Vec<&ProviderTransaction> = listed.iter().filter(|t| is_candidate(sent, t)).collect();
    match candidates.as_slice() {
        [] => Lookup::NotFound,
        [one] if twins == 0 => match listed_status(one.status.as_deref()) {
            ListedStatus::Confirmed => Lookup::Found { provider_ref: None },
            other => Lookup::Unavailable {
                detail: format!("la billetera lista la operación con estado {:?} ({other:?}): no es una confirmación", one.status.as_deref().unwrap_or("")),
            },
        },
        many => Lookup::Ambiguous {
            detail: format!(
                "{} operaciones de la billetera coinciden (monto, CUIT, CVU){}: {}",
                many.len(),
                if twins > 0 { format!(" y la tienda tiene {twins} envío(s) más con el mismo monto y CUIT") } else { String::new() },
                many.iter().map(|t| describe(t)).collect::<Vec<_>>().join(" | ")
            ),
        },
    }
}

#[derive(Deserialize)]
struct TxnPage {
    status: Option<String>,
    message: Option<String>,
    transactions: Option<Vec<TxnItem>>,
    pages: Option<serde_json::Value>,
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
// Catalogues: payment/concepts and account/transactions_filters

/// The wallet's lists the connector keeps for a while ([`CATALOGUE_TTL`]).
#[derive(Default)]
pub(super) struct Catalogues {
    concepts: Option<(Instant, Vec<String>)>,
    cashout_filter: Option<(Instant, Option<String>)>,
}

/// The entries of `"concepts": array` (L19; the element type is not documented): a string
/// is a concept, an object gives its `id`, `code` and `name` (the simulator's `{id, name}`).
fn concept_names(items: &[serde_json::Value]) -> Vec<String> {
    let mut names = Vec::new();
    for item in items {
        match item {
            serde_json::Value::Object(fields) => {
                for key in ["id", "code", "name"] {
                    if let Some(name) = fields.get(key).and_then(id_text) {
                        names.push(name);
                    }
                }
            }
            other => names.extend(id_text(other)),
        }
    }
    names
}

/// The `operation` filter id for cashouts among `transactions_filters`' `operations`
/// (`{id, name, type}`, values undocumented): the one entry whose `id` is `cashout`, else
/// the one whose `id` or `name` mentions cashout. None or several: no filter (the list
/// is matched on its fields anyway).
pub fn cashout_filter(operations: &[serde_json::Value]) -> Option<String> {
    let field = |op: &serde_json::Value, key: &str| op.get(key).and_then(id_text).unwrap_or_default().to_lowercase();
    let exact: Vec<_> = operations.iter().filter(|op| field(op, "id") == "cashout").collect();
    let picked = if exact.len() == 1 {
        exact
    } else {
        operations.iter().filter(|op| field(op, "id").contains("cashout") || field(op, "name").contains("cashout")).collect()
    };
    match picked.as_slice() {
        [one] => one.get("id").and_then(id_text),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Calls

impl Connector {
    /// A documented read (`GET v2/...` with the token), its 2xx body or why not.
    async fn wallet_read(&self, segments: &[&str], what: &str) -> Result<Vec<u8>, ConnectorError> {
        let url = self.endpoint(segments);
        let exchange = self
            .authorized(|token| self.http.get(url.clone()).bearer_auth(token).header(ACCEPT, "application/json"))
            .await
            .map_err(token_error)?;
        match exchange {
            Exchange::Answered { status, body } if (200..300).contains(&status) => {
                if let Some(message) = documented_error(&body) {
                    return Err(ConnectorError::Provider { status, detail: format!("{what}: {}", clip(&message)) });
                }
                Ok(body)
            }
            Exchange::Answered { status, body } => {
                let message = documented_error(&body).unwrap_or_default();
                Err(ConnectorError::Unavailable(format!("{what}: HTTP {status} {}", clip(&message))))
            }
            Exchange::NotSent(detail) | Exchange::MaybeSent(detail) => {
                Err(ConnectorError::Unavailable(format!("{what}: {detail}")))
            }
        }
    }

    /// `GET v2/payment/concepts` (L17–L20): the catalogue's entries.
    pub async fn wallet_concepts(&self) -> Result<Vec<String>, ConnectorError> {
        #[derive(Deserialize)]
        struct Concepts {
            concepts: Option<Vec<serde_json::Value>>,
        }
        let body = self.wallet_read(&["payment", "concepts"], "catálogo de conceptos").await?;
        let parsed: Concepts = serde_json::from_slice(&body).map_err(|e| json_error("catálogo de conceptos", &e))?;
        let items = parsed.concepts.ok_or_else(|| ConnectorError::Malformed("catálogo de conceptos sin \"concepts\"".into()))?;
        Ok(concept_names(&items))
    }

    /// Whether `concept` is in the wallet's catalogue (kept [`CATALOGUE_TTL`]; asked
    /// again at once when it is missing from a list older than [`CATALOGUE_RECHECK`]).
    async fn concept_offered(&self, concept: &str) -> Result<bool, ConnectorError> {
        {
            let cache = self.catalogues.lock().await;
            if let Some((at, list)) = &cache.concepts {
                let offered = list.iter().any(|c| c == concept);
                let age = at.elapsed();
                if age < CATALOGUE_TTL && (offered || age < CATALOGUE_RECHECK) {
                    return Ok(offered);
                }
            }
        }
        let list = self.wallet_concepts().await?;
        let offered = list.iter().any(|c| c == concept);
        self.catalogues.lock().await.concepts = Some((Instant::now(), list));
        Ok(offered)
    }

    /// The `operation` id to ask `account/transactions` for cashouts, from
    /// `GET v2/account/transactions_filters` (kept [`CATALOGUE_TTL`]). Unreachable or
    /// unreadable: no filter.
    pub async fn wallet_cashout_filter(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct Filters {
            operations: Option<Vec<serde_json::Value>>,
        }
        if let Some((at, filter)) = &self.catalogues.lock().await.cashout_filter {
            if at.elapsed() < CATALOGUE_TTL {
                return filter.clone();
            }
        }
        let body = self.wallet_read(&["account", "transactions_filters"], "filtros de transacciones").await.ok()?;
        let parsed: Filters = serde_json::from_slice(&body).ok()?;
        let filter = cashout_filter(&parsed.operations.unwrap_or_default());
        self.catalogues.lock().await.cashout_filter = Some((Instant::now(), filter.clone()));
        filter
    }

    /// `POST v2/payment/cashout` with the stored body, once its concept is found in the
    /// wallet's catalogue; a concept the catalogue lacks is not sent ([`CONCEPT_NOT_OFFERED`]).
    pub(super) async fn wallet_cashout(&self, body: &RawValue) -> Outcome {
        let concept = StoredCashout::read(body.get()).and_then(|c| c.concept).unwrap_or_default();
        match self.concept_offered(concept.trim()).await {
            Ok(true) => {}
            Ok(false) => {
                return Outcome::Rejected {
                    code: CONCEPT_NOT_OFFERED.into(),
                    text: format!(
                        "El concepto «{}» no figura en el catálogo de la billetera (payment/concepts): no se envió; elija otro en la conexión y reenvíe.",
                        clip(&concept)
                    ),
                }
            }
            Err(ConnectorError::Credentials(text)) => {
                return Outcome::Rejected { code: super::CREDENTIALS_REJECTED.into(), text }
            }
            Err(err) => return Outcome::Retryable { detail: format!("no se pudo verificar el concepto: {err}") },
        }
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

    /// The cashout in the transaction list between `from` and `to`, matched on its
    /// documented fields ([`resolve_lookup`]).
    pub(super) async fn wallet_lookup_cashout(
        &self,
        body: &RawValue,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        twins: i64,
    ) -> Lookup {
        let Some(sent) = SentFacts::of_cashout(body.get()) else {
            return Lookup::Unavailable { detail: "cuerpo de cashout ilegible".into() };
        };
        let filter = self.wallet_cashout_filter().await;
        let items = match self.wallet_transactions(from, to, filter.as_deref()).await {
            Ok(items) => items,
            Err(err) => return Lookup::Unavailable { detail: err.to_string() },
        };
        let listed: Result<Vec<ProviderTransaction>, _> = items.into_iter().map(TxnItem::into_provider).collect();
        match listed {
            Ok(listed) => resolve_lookup(&sent, &listed, twins),
            Err(err) => Lookup::Unavailable { detail: err.to_string() },
        }
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

    fn body(reference_id: &str, destination: &str, centavos: i64, description: &str) -> Box<RawValue> {
        cashout_body(&Cashout {
            reference_id,
            destination,
            cuit: "20304050607",
            amount: Money::from_centavos(centavos),
            concept: "HAB",
            description,
        })
    }

    #[test]
    fn the_cashout_body_sends_every_listed_field_with_cvu_or_alias() {
        assert_eq!(
            body("dep-1", "0000003100000000000123", 15_050, "Depósito").get(),
            r#"{"cvu":"0000003100000000000123","cuit":"20304050607","amount":150.50,"reference_id":"dep-1","concept":"HAB","description":"Depósito"}"#
        );
        assert_eq!(
            body("dep-2", "juana.mamani", 9_900, "").get(),
            r#"{"alias":"juana.mamani","cuit":"20304050607","amount":99.00,"reference_id":"dep-2","concept":"HAB","description":""}"#
        );
        assert_eq!(cashin_check_body("77").get(), r#"{"id":"77"}"#);
        assert_eq!(
            cashin_check_body_for_amount("77", Money::from_centavos(25_000)).get(),
            r#"{"id":"77","amount":250.00}"#
        );
    }

    #[test]
    fn the_cashout_filter_is_the_one_operation_named_cashout_or_none() {
        let ops = |v: serde_json::Value| v.as_array().unwrap().clone();
        let listed = ops(serde_json::json!([{"id": "cashin", "name": "Recibida"}, {"id": "cashout", "name": "Enviada"}]));
        assert_eq!(cashout_filter(&listed).as_deref(), Some("cashout"));
        let named = ops(serde_json::json!([{"id": "7", "name": "Cashout a CVU"}, {"id": "8", "name": "Cashin"}]));
        assert_eq!(cashout_filter(&named).as_deref(), Some("7"));
        let two = ops(serde_json::json!([{"id": "7", "name": "Cashout CVU"}, {"id": "9", "name": "Cashout alias"}]));
        assert_eq!(cashout_filter(&two), None, "two candidates: no filter, never a pick");
        assert_eq!(cashout_filter(&[]), None);
        let concepts = concept_names(&ops(serde_json::json!(["VAR", {"id": "HAB", "name": "Haberes"}])));
        assert_eq!(concepts, ["VAR", "HAB", "Haberes"]);
    }

    #[test]
    fn reads_answers_without_panicking() {
        assert_eq!(
            cashout_outcome(200, br#"{"status":"ok","id":12}"#),
            Outcome::Acked { provider_ref: Some("12".into()) }
        );
        assert!(matches!(cashout_outcome(200, b"<html>"), Outcome::Unknown { .. }));
        // A 5xx may have been applied, a 503 too: no 5xx says it was not taken.
        assert!(matches!(cashout_outcome(500, b""), Outcome::Unknown { .. }));
        assert!(matches!(cashout_outcome(500, br#"{"status":"error","message":"Error interno"}"#), Outcome::Unknown { .. }));
        assert!(matches!(cashout_outcome(503, b""), Outcome::Unknown { .. }));
        assert!(is_duplicate_reference("409") && !is_duplicate_reference("422"));
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

// ---------------------------------------------------------------------------------------
// Balance — `GET v2/account/balance` (L28–L37)

/// The default unit of `account/balance`'s `"amount": integer` (L30). The document gives
/// the type and no unit; the other amounts it carries are decimals of the currency (L45
/// `"amount": decimal`), and an integer can only keep a balance exact in its smallest unit,
/// so a connection reads it as **centavos** (the bundled simulator answers so) unless an
/// administrator sets the connection's `unidad_saldo` to `BOLIVIANOS`. A stated
/// assumption: a wrong unit shows as a 100× difference.
pub const DEFAULT_BALANCE_UNIT: UnidadSaldo = UnidadSaldo::Centavos;

/// Reads an `account/balance` answer: `{"status": string, "amount": integer}` (L30) in
/// `unit`, or the documented error shape (L33–L35).
pub fn read_balance(body: &[u8], unit: UnidadSaldo) -> Result<Money, ConnectorError> {
    if let Some(message) = documented_error(body) {
        return Err(ConnectorError::Provider { status: 200, detail: format!("saldo: {}", clip(&message)) });
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| json_error("saldo", &e))?;
    let amount = value.get("amount").and_then(serde_json::Value::as_i64).ok_or_else(|| {
        ConnectorError::Malformed("saldo: \"amount\" no es un entero (L30 \"amount\": integer)".into())
    })?;
    let centavos = match unit {
        UnidadSaldo::Centavos => Some(amount),
        UnidadSaldo::Bolivianos => amount.checked_mul(100),
    };
    centavos.map(Money::from_centavos).ok_or_else(|| ConnectorError::Malformed(format!("saldo: {amount} bolivianos no caben en centavos")))
}

impl Connector {
    /// `GET v2/account/balance` (L28): the wallet's balance of the store's account.
    pub async fn wallet_balance(&self) -> Result<Money, ConnectorError> {
        if self.contract() != crate::domain::Contrato::BilleteraV2 {
            return Err(ConnectorError::NotSupported);
        }
        let body = self.wallet_read(&["account", "balance"], "saldo").await?;
        read_balance(&body, self.balance_unit)
    }
}

#[cfg(test)]
mod balance_tests {
    use super::*;

    #[test]
    fn a_balance_answer_is_read_in_the_connections_unit_and_anything_else_is_refused() {
        let cents = DEFAULT_BALANCE_UNIT;
        assert_eq!(cents, UnidadSaldo::Centavos);
        assert_eq!(read_balance(br#"{"status":"ok","amount":1234567}"#, cents), Ok(Money::from_centavos(1_234_567)));
        assert_eq!(read_balance(br#"{"status":"ok","amount":1234567}"#, UnidadSaldo::Bolivianos), Ok(Money::from_centavos(123_456_700)));
        assert!(matches!(read_balance(&format!(r#"{{"status":"ok","amount":{}}}"#, i64::MAX).into_bytes(), UnidadSaldo::Bolivianos), Err(ConnectorError::Malformed(_))));
        for unit in [UnidadSaldo::Centavos, UnidadSaldo::Bolivianos] {
            assert!(matches!(read_balance(br#"{"status":"ok","amount":"12.50"}"#, unit), Err(ConnectorError::Malformed(_))));
            assert!(matches!(read_balance(br#"{"status":"ok","amount":12.5}"#, unit), Err(ConnectorError::Malformed(_))));
            assert!(matches!(read_balance(br#"{"status":"error","message":"Token vencido"}"#, unit), Err(ConnectorError::Provider { .. })));
            assert!(matches!(read_balance(b"<html>", unit), Err(ConnectorError::Malformed(_))));
        }
    }
}
