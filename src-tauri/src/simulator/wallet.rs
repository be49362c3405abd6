//! Wallet v2 (`/v2/...`). Errors have the contract's one shape,
//! `{"status": "error", "message": ...}`; the contract gives no codes, so the HTTP status
//! carries the class (400 invalid request, 401 token, 404 unknown id, 409 `reference_id`
//! reused with other data, 422 business rejection, 500 server) and each message is fixed.
//! Strict where the contract is: a cashout needs `cuit` and a `concept` of its own
//! `payment/concepts` catalogue, and `account/transactions` items carry only the documented
//! fields (the id and `reference_id` are under `/_sim/records`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use serde_json::value::RawValue;

use super::auth::{self, WalletUser};
use super::state::{self, Keyed, Operation, OperationFilter, Reply, WALLET};
use super::wire::{self, present, WireDecimal};
use super::{Shared, SimulatorConfig};
use crate::domain::Money;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v2/auth/token", post(auth::wallet_token))
        .route("/v2/payment/concepts", get(concepts))
        .route("/v2/account/balance", get(balance))
        .route("/v2/payment/cashout", post(cashout))
        .route("/v2/payment/cashout/{id}", get(cashout_voucher))
        .route("/v2/payment/cashin/{id}", get(cashin))
        .route("/v2/payment/cashin/qr/generate", post(qr_generate))
        .route("/v2/payment/cashin/transfer/generate", post(transfer_generate))
        .route("/v2/payment/cashin/link/generate", post(link_generate))
        .route(
            "/v2/payment/cashin/qr/sale-point",
            get(list_sale_points).post(create_sale_point).delete(delete_sale_point),
        )
        .route("/v2/payment/cashin/qr/sale-point/static", get(static_qr))
        .route("/v2/payment/cashin/qr/static/order", post(static_order))
        .route("/v2/account/transactions", get(transactions))
        .route("/v2/account/transactions_filters", get(transaction_filters))
}

// ---------------------------------------------------------------------------------------
// Errors

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletError {
    BadRequest(String),
    InvalidAmount,
    CvuAndAlias,
    NoDestination,
    InvalidConcept,
    MissingReference,
    BadCredentials,
    TokenInvalid,
    TokenExpired,
    InsufficientFunds,
    BlockedAccount,
    UnknownAccount,
    DuplicateReference,
    NotFound(&'static str),
    Internal,
}

impl WalletError {
    /// Stable ids, used to inject an error through `/_sim/faults`.
    pub const CODES: &'static [&'static str] = &[
        "solicitud_invalida",
        "monto_invalido",
        "cvu_y_alias",
        "sin_destino",
        "concepto_invalido",
        "referencia_requerida",
        "credenciales_invalidas",
        "token_invalido",
        "token_vencido",
        "saldo_insuficiente",
        "cuenta_bloqueada",
        "cuenta_inexistente",
        "referencia_duplicada",
        "no_encontrado",
        "error_interno",
    ];

    pub fn from_code(code: &str) -> Option<WalletError> {
        Some(match code {
            "solicitud_invalida" => WalletError::BadRequest("Solicitud inválida".into()),
            "monto_invalido" => WalletError::InvalidAmount,
            "cvu_y_alias" => WalletError::CvuAndAlias,
            "sin_destino" => WalletError::NoDestination,
            "concepto_invalido" => WalletError::InvalidConcept,
            "referencia_requerida" => WalletError::MissingReference,
            "credenciales_invalidas" => WalletError::BadCredentials,
            "token_invalido" => WalletError::TokenInvalid,
            "token_vencido" => WalletError::TokenExpired,
            "saldo_insuficiente" => WalletError::InsufficientFunds,
            "cuenta_bloqueada" => WalletError::BlockedAccount,
            "cuenta_inexistente" => WalletError::UnknownAccount,
            "referencia_duplicada" => WalletError::DuplicateReference,
            "no_encontrado" => WalletError::NotFound("Recurso inexistente"),
            "error_interno" => WalletError::Internal,
            _ => return None,
        })
    }

    pub fn status(&self) -> StatusCode {
        use WalletError::*;
        match self {
            BadRequest(_) | InvalidAmount | CvuAndAlias | NoDestination | InvalidConcept | MissingReference => {
                StatusCode::BAD_REQUEST
            }
            BadCredentials | TokenInvalid | TokenExpired => StatusCode::UNAUTHORIZED,
            InsufficientFunds | BlockedAccount | UnknownAccount => StatusCode::UNPROCESSABLE_ENTITY,
            DuplicateReference => StatusCode::CONFLICT,
            NotFound(_) => StatusCode::NOT_FOUND,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> String {
        use WalletError::*;
        match self {
            BadRequest(detail) => detail.clone(),
            InvalidAmount => "El monto debe ser mayor que cero y tener como máximo dos decimales".into(),
            CvuAndAlias => "Debe informarse cvu o alias, no ambos".into(),
            NoDestination => "Debe informarse cvu o alias".into(),
            InvalidConcept => "Concepto inválido".into(),
            MissingReference => "reference_id es obligatorio".into(),
            BadCredentials => "Usuario o contraseña incorrectos".into(),
            TokenInvalid => "Token inválido".into(),
            TokenExpired => "Token vencido".into(),
            InsufficientFunds => "Saldo insuficiente".into(),
            BlockedAccount => "La cuenta destino está bloqueada".into(),
            UnknownAccount => "La cuenta destino no existe".into(),
            DuplicateReference => "El reference_id ya fue utilizado con otros datos".into(),
            NotFound(what) => (*what).into(),
            Internal => "Error interno, reintente más tarde".into(),
        }
    }
}

impl From<rusqlite::Error> for WalletError {
    fn from(_: rusqlite::Error) -> Self {
        WalletError::Internal
    }
}

impl IntoResponse for WalletError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "status": "error", "message": self.message() }))).into_response()
    }
}

type WalletResult = Result<Response, WalletError>;

fn ok(body: serde_json::Value) -> WalletResult {
    Ok(Json(body).into_response())
}

// ---------------------------------------------------------------------------------------
// Catalogues

const CONCEPTS: &[(&str, &str)] = &[
    ("VAR", "Varios"),
    ("ALQ", "Alquileres"),
    ("CUO", "Cuotas"),
    ("EXP", "Expensas"),
    ("FAC", "Facturas"),
    ("HAB", "Haberes"),
    ("HON", "Honorarios"),
    ("PRE", "Préstamos"),
    ("SEG", "Seguros"),
];

/// The operations the transaction list can be filtered by; `type` says which way money moves.
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("cashout", "Transferencia enviada", "egreso"),
    ("cashin", "Transferencia recibida", "ingreso"),
    ("cobro_qr", "Cobro con QR", "ingreso"),
    ("cobro_link", "Cobro con link de pago", "ingreso"),
];

pub fn is_wallet_operation(name: &str) -> bool {
    OPERATIONS.iter().any(|(id, _, _)| *id == name)
}

async fn concepts(_: WalletUser) -> WalletResult {
    let concepts: Vec<_> = CONCEPTS.iter().map(|(id, name)| json!({ "id": id, "name": name })).collect();
    ok(json!({ "status": "ok", "concepts": concepts }))
}

async fn transaction_filters(_: WalletUser) -> WalletResult {
    let operations: Vec<_> =
        OPERATIONS.iter().map(|(id, name, kind)| json!({ "id": id, "name": name, "type": kind })).collect();
    ok(json!({ "status": "ok", "operations": operations }))
}

fn concept(value: &Option<String>) -> Result<String, WalletError> {
    match present(value) {
        None => Ok("VAR".into()),
        Some(c) if CONCEPTS.iter().any(|(id, _)| *id == c) => Ok(c.to_string()),
        Some(_) => Err(WalletError::InvalidConcept),
    }
}

/// A cashout's concept: required, and one of the catalogue's ids (no default).
fn catalogued_concept(value: &Option<String>) -> Result<String, WalletError> {
    match present(value) {
        None => Err(WalletError::BadRequest("concept es obligatorio".into())),
        Some(c) if CONCEPTS.iter().any(|(id, _)| *id == c) => Ok(c.to_string()),
        Some(_) => Err(WalletError::InvalidConcept),
    }
}

fn positive_amount(value: &Option<WireDecimal>) -> Result<Money, WalletError> {
    value.as_ref().and_then(WireDecimal::positive_money).ok_or(WalletError::InvalidAmount)
}

fn check_cvu(cvu: &str) -> Result<(), WalletError> {
    if cvu.len() == 22 && wire::is_digits(cvu) {
        Ok(())
    } else {
        Err(WalletError::BadRequest("El cvu debe tener 22 dígitos".into()))
    }
}

fn check_alias(alias: &str) -> Result<(), WalletError> {
    let valid_chars = alias.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if (6..=20).contains(&alias.len()) && valid_chars {
        Ok(())
    } else {
        Err(WalletError::BadRequest("El alias debe tener de 6 a 20 letras, números, puntos o guiones".into()))
    }
}

fn check_cuit(cuit: Option<&str>) -> Result<(), WalletError> {
    match cuit {
        Some(c) if !(c.len() == 11 && wire::is_digits(c)) => {
            Err(WalletError::BadRequest("El cuit debe tener 11 dígitos".into()))
        }
        _ => Ok(()),
    }
}

/// A destination the simulated network knows: every well-formed CVU or alias, except the
/// configured missing and blocked ones.
fn check_destination(config: &SimulatorConfig, destination: &str) -> Result<(), WalletError> {
    if config.missing_accounts.contains(destination) {
        Err(WalletError::UnknownAccount)
    } else if config.blocked_accounts.contains(destination) {
        Err(WalletError::BlockedAccount)
    } else {
        Ok(())
    }
}

pub fn holder_for(destination: &str) -> String {
    let tail: String = destination.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("TITULAR {}", tail.to_uppercase())
}

// ---------------------------------------------------------------------------------------
// Balance and cashout

async fn balance(State(sim): State<Shared>, WalletUser(user): WalletUser) -> WalletResult {
    let account = sim.db.call(move |c| state::account(c, WALLET, &user)).await?;
    let account = account.ok_or(WalletError::NotFound("Cuenta inexistente"))?;
    // The contract types `amount` as an integer; only centavos keep the balance exact.
    ok(json!({ "status": "ok", "amount": account.balance.centavos() }))
}

#[derive(Deserialize)]
struct CashoutRequest {
    cvu: Option<String>,
    alias: Option<String>,
    cuit: Option<String>,
    amount: Option<WireDecimal>,
    reference_id: Option<String>,
    concept: Option<String>,
    description: Option<String>,
}

/// The request as the idempotency hash sees it.
#[derive(Serialize)]
struct CanonicalCashout {
    cvu: Option<String>,
    alias: Option<String>,
    cuit: Option<String>,
    amount: Money,
    reference_id: String,
    concept: String,
    description: Option<String>,
}

async fn cashout(
    State(sim): State<Shared>,
    WalletUser(user): WalletUser,
    pending: Option<axum::Extension<super::faults::PendingEntry>>,
    body: Bytes,
) -> WalletResult {
    let settle = pending.map(|p| p.0 .0);
    let request: CashoutRequest = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let canonical = canonical_cashout(&request)?;
    let (hash, key) = (wire::request_hash(&canonical), canonical.reference_id.clone());
    let scope = format!("wallet:{user}:cashout");
    let sim2 = sim.clone();
    let apply = move |tx: &rusqlite::Transaction<'_>| commit_cashout(tx, &sim2.config, &user, &canonical, settle.is_some());
    let outcome = sim.db.keyed(scope, key, hash, apply).await?;
    match outcome {
        Keyed::Fresh(reply) => {
            if let Some(after) = settle {
                settle_later(&sim, &reply, after);
            }
            Ok(wire::respond(reply))
        }
        Keyed::Replayed(reply) => {
            let mut response = wire::respond(reply);
            response.extensions_mut().insert(super::faults::Replayed);
            Ok(response)
        }
        Keyed::Conflict => Err(WalletError::DuplicateReference),
    }
}

/// The cashout request checked field by field, as its idempotency hash is taken.
fn canonical_cashout(request: &CashoutRequest) -> Result<CanonicalCashout, WalletError> {
    let reference_id = present(&request.reference_id).ok_or(WalletError::MissingReference)?.to_string();
    let (cvu, alias) = (present(&request.cvu), present(&request.alias));
    match (cvu, alias) {
        (Some(_), Some(_)) => return Err(WalletError::CvuAndAlias),
        (None, None) => return Err(WalletError::NoDestination),
        (Some(cvu), None) => check_cvu(cvu)?,
        (None, Some(alias)) => check_alias(alias)?,
    }
    let cuit = present(&request.cuit);
    check_cuit(cuit)?;
    let amount = positive_amount(&request.amount)?;
    // seeds/002 L44 `"cuit": string` and L46 `"concept": string` are not marked optional
    // (the document marks optional fields, L289): a cashout without them is refused, and
    // the concept must be one of `GET v2/payment/concepts` (L17).
    let cuit = cuit.ok_or_else(|| WalletError::BadRequest("cuit es obligatorio".into()))?;
    let concept = catalogued_concept(&request.concept)?;
    Ok(CanonicalCashout {
        cvu: cvu.map(str::to_string),
        alias: alias.map(str::to_string),
        cuit: Some(cuit.to_string()),
        amount,
        reference_id,
        concept,
        description: present(&request.description).map(str::to_string),
    })
}

/// Pays the cashout out of `user`'s wallet to its destination, if the destination exists
/// and the wallet holds the amount; `pending` (the fault) lists it as pending until it settles.
fn commit_cashout(
    tx: &rusqlite::Transaction<'_>,
    config: &SimulatorConfig,
    user: &str,
    canonical: &CanonicalCashout,
    pending: bool,
) -> Result<(Reply, Option<i64>), WalletError> {
    let destination = canonical.cvu.clone().or_else(|| canonical.alias.clone()).unwrap_or_default();
    check_destination(config, &destination)?;
    let account = state::account(tx, WALLET, user)?.ok_or(WalletError::NotFound("Cuenta inexistente"))?;
    if account.balance < canonical.amount {
        return Err(WalletError::InsufficientFunds);
    }
    state::add_balance(tx, WALLET, user, -canonical.amount.centavos())?;
    let operation = Operation {
        contract: WALLET.into(),
        owner: user.to_string(),
        operation: "cashout".into(),
        idempotency_key: Some(canonical.reference_id.clone()),
        amount: canonical.amount,
        from_account: Some(user.to_string()),
        to_account: Some(destination.clone()),
        counterpart: Some(destination.clone()),
        holder: Some(holder_for(&destination)),
        cuit: canonical.cuit.clone(),
        concept: Some(canonical.concept.clone()),
        description: canonical.description.clone(),
        status: if pending { "pending".into() } else { "approved".into() },
        reference: Some(canonical.reference_id.clone()),
        ..Operation::default()
    };
    let id = state::insert_operation(tx, &operation)?;
    Ok((Reply::json(200, &json!({ "status": "ok", "id": id })), Some(id)))
}

/// The `pending` fault: the cashout of `reply` becomes `approved` after `after`.
fn settle_later(sim: &Shared, reply: &Reply, after: std::time::Duration) {
    let Some(id) = serde_json::from_str::<serde_json::Value>(&reply.body).ok().and_then(|b| b["id"].as_i64()) else {
        return;
    };
    let sim = sim.clone();
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        let settled = sim.db.call(move |c| state::write(c, |tx| state::set_status(tx, id, "approved"))).await;
        if let Err(err) = settled {
            log::warn!("simulador: no se asentó el cashout {id}: {err}");
        }
    });
}

fn parse_id(text: &str) -> Option<i64> {
    text.parse().ok().filter(|id| *id > 0)
}

async fn cashout_voucher(
    State(sim): State<Shared>,
    WalletUser(user): WalletUser,
    Path(id): Path<String>,
) -> WalletResult {
    const MISSING: WalletError = WalletError::NotFound("Transferencia inexistente");
    let id = parse_id(&id).ok_or(MISSING)?;
    let op = sim.db.call(move |c| state::operation(c, id)).await?;
    let op = op.filter(|op| op.contract == WALLET && op.owner == user && op.operation == "cashout").ok_or(MISSING)?;
    ok(json!({ "status": "ok", "voucher": voucher(&op) }))
}

/// A printable receipt; it names the `reference_id`, so a client can match it to its request.
fn voucher(op: &Operation) -> String {
    let destination = op.counterpart.as_deref().unwrap_or("");
    let kind = if destination.len() == 22 && wire::is_digits(destination) { "CVU" } else { "Alias" };
    [
        "COMPROBANTE DE TRANSFERENCIA".to_string(),
        format!("Nro. de operación: {}", op.id),
        format!("Fecha: {}", op.created_at),
        format!("Referencia: {}", op.reference.as_deref().unwrap_or("")),
        format!("{kind} destino: {destination}"),
        format!("Titular: {}", op.holder.as_deref().unwrap_or("")),
        format!("CUIT: {}", op.cuit.as_deref().unwrap_or("")),
        format!("Concepto: {}", op.concept.as_deref().unwrap_or("")),
        format!("Descripción: {}", op.description.as_deref().unwrap_or("")),
        format!("Monto: {}", op.amount),
        format!("Estado: {}", op.status),
    ]
    .join("\n")
}

// ---------------------------------------------------------------------------------------
// Cash-in

#[derive(Serialize)]
struct CashinView {
    status: &'static str,
    buyer: Buyer,
    amount: Box<RawValue>,
    concept: Option<String>,
    description: Option<String>,
    transaction_id: i64,
    qr_order_id: Option<i64>,
    link_id: Option<i64>,
}

#[derive(Serialize)]
struct Buyer {
    cuit: Option<String>,
    cvu: Option<String>,
}

async fn cashin(State(sim): State<Shared>, WalletUser(user): WalletUser, Path(id): Path<String>) -> WalletResult {
    const MISSING: WalletError = WalletError::NotFound("Acreditación inexistente");
    let id = parse_id(&id).ok_or(MISSING)?;
    let op = sim.db.call(move |c| state::operation(c, id)).await?;
    let op = op.filter(|op| op.contract == WALLET && op.owner == user && op.income).ok_or(MISSING)?;
    let view = CashinView {
        status: "ok",
        buyer: Buyer { cuit: op.cuit.clone(), cvu: op.counterpart.clone() },
        amount: wire::number(op.amount),
        concept: op.concept.clone(),
        description: op.description.clone(),
        transaction_id: op.id,
        qr_order_id: op.qr_order_id,
        link_id: op.link_id,
    };
    Ok(wire::respond(Reply::json(200, &view)))
}

#[derive(Deserialize)]
struct QrRequest {
    amount: Option<WireDecimal>,
    concept: Option<String>,
    description: Option<String>,
}

async fn qr_generate(State(sim): State<Shared>, WalletUser(user): WalletUser, body: Bytes) -> WalletResult {
    let request: QrRequest = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let amount = positive_amount(&request.amount)?;
    let concept = concept(&request.concept)?;
    let description = present(&request.description).map(str::to_string);
    let id = sim
        .db
        .call(move |c| state::insert_order(c, &user, "qr", Some(amount), Some(&concept), description.as_deref(), None))
        .await?;
    ok(json!({ "status": "ok", "qr_code": format!("SIMQR|orden={id}|monto={amount}"), "qr_order_id": id }))
}

#[derive(Deserialize)]
struct TransferLinkRequest {
    cvu: Option<String>,
    cuit: Option<String>,
    amount: Option<WireDecimal>,
    concept: Option<String>,
    description: Option<String>,
}

async fn transfer_generate(State(sim): State<Shared>, WalletUser(user): WalletUser, body: Bytes) -> WalletResult {
    let request: TransferLinkRequest = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let cvu = present(&request.cvu).ok_or_else(|| WalletError::BadRequest("cvu es obligatorio".into()))?;
    check_cvu(cvu)?;
    check_cuit(present(&request.cuit))?;
    let amount = positive_amount(&request.amount)?;
    let concept = concept(&request.concept)?;
    let description = present(&request.description).map(str::to_string);
    let id = sim
        .db
        .call(move |c| {
            state::insert_order(c, &user, "transfer", Some(amount), Some(&concept), description.as_deref(), None)
        })
        .await?;
    ok(json!({ "status": "ok", "payment_link": format!("https://simulador.mostrador.local/pagar/transferencia/{id}") }))
}

#[derive(Deserialize)]
struct PaymentLinkRequest {
    expiration_date: Option<String>,
    amount: Option<WireDecimal>,
    multiple_use: Option<bool>,
    concept: Option<String>,
    distribution: Option<Vec<Distribution>>,
}

#[derive(Deserialize)]
struct Distribution {
    cvu: Option<String>,
    amount: Option<WireDecimal>,
}

async fn link_generate(State(sim): State<Shared>, WalletUser(user): WalletUser, body: Bytes) -> WalletResult {
    let request: PaymentLinkRequest = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let expiration = present(&request.expiration_date)
        .and_then(|d| chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M:%S").ok())
        .ok_or_else(|| WalletError::BadRequest("expiration_date debe tener el formato Y-m-d H:m:s".into()))?;
    if expiration <= chrono::Local::now().naive_local() {
        return Err(WalletError::BadRequest("expiration_date ya pasó".into()));
    }
    let amount = positive_amount(&request.amount)?;
    let concept = concept(&request.concept)?;
    let mut distributed = Money::ZERO;
    for share in request.distribution.iter().flatten() {
        check_cvu(present(&share.cvu).unwrap_or(""))?;
        let part = positive_amount(&share.amount)?;
        distributed = distributed.checked_add(part).ok_or(WalletError::InvalidAmount)?;
    }
    if distributed > amount {
        return Err(WalletError::BadRequest("La distribución supera el monto".into()));
    }
    let kind = if request.multiple_use.unwrap_or(false) { "link_multiple" } else { "link" };
    let id =
        sim.db.call(move |c| state::insert_order(c, &user, kind, Some(amount), Some(&concept), None, None)).await?;
    ok(json!({ "status": "ok", "link": format!("https://simulador.mostrador.local/pagar/link/{id}"), "link_id": id }))
}

// ---------------------------------------------------------------------------------------
// Sale points

async fn list_sale_points(State(sim): State<Shared>, WalletUser(user): WalletUser) -> WalletResult {
    let points = sim.db.call(move |c| state::sale_points(c, &user)).await?;
    ok(json!({ "status": "ok", "sale_points": points }))
}

#[derive(Deserialize)]
struct NewSalePoint {
    name: Option<String>,
}

async fn create_sale_point(State(sim): State<Shared>, WalletUser(user): WalletUser, body: Bytes) -> WalletResult {
    let request: NewSalePoint = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let name = present(&request.name).ok_or_else(|| WalletError::BadRequest("name es obligatorio".into()))?.to_string();
    let id = sim.db.call(move |c| state::insert_sale_point(c, &user, &name)).await?;
    ok(json!({ "status": "ok", "sale_point_id": id }))
}

#[derive(Deserialize)]
struct SalePointRef {
    sale_point_id: Option<i64>,
}

const NO_SALE_POINT: WalletError = WalletError::NotFound("Punto de venta inexistente o dado de baja");

async fn delete_sale_point(State(sim): State<Shared>, WalletUser(user): WalletUser, body: Bytes) -> WalletResult {
    let request: SalePointRef = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let id = request.sale_point_id.ok_or_else(|| WalletError::BadRequest("sale_point_id es obligatorio".into()))?;
    if !sim.db.call(move |c| state::deactivate_sale_point(c, &user, id)).await? {
        return Err(NO_SALE_POINT);
    }
    ok(json!({ "status": "ok" }))
}

async fn active_sale_point(sim: &Shared, user: String, id: i64) -> Result<state::SalePoint, WalletError> {
    let point = sim.db.call(move |c| state::sale_point(c, &user, id)).await?;
    point.filter(|p| p.status == "active").ok_or(NO_SALE_POINT)
}

async fn static_qr(
    State(sim): State<Shared>,
    WalletUser(user): WalletUser,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> WalletResult {
    let params = params(query, &body)?;
    let type_amount = params.get("type_amount").map(String::as_str).unwrap_or("");
    if type_amount != "closed" && type_amount != "open" {
        return Err(WalletError::BadRequest("type_amount debe ser closed u open".into()));
    }
    let id = params
        .get("sale_point_id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WalletError::BadRequest("sale_point_id es obligatorio".into()))?;
    let point = active_sale_point(&sim, user, id).await?;
    ok(json!({ "status": "ok", "qr_code": format!("SIMQR|punto={}|tipo={type_amount}", point.id) }))
}

#[derive(Deserialize)]
struct StaticOrderRequest {
    amount: Option<WireDecimal>,
    concept: Option<String>,
    description: Option<String>,
    sale_point_id: Option<i64>,
}

async fn static_order(State(sim): State<Shared>, WalletUser(user): WalletUser, body: Bytes) -> WalletResult {
    let request: StaticOrderRequest = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let amount = positive_amount(&request.amount)?;
    let concept = concept(&request.concept)?;
    let id = request.sale_point_id.ok_or_else(|| WalletError::BadRequest("sale_point_id es obligatorio".into()))?;
    active_sale_point(&sim, user.clone(), id).await?;
    let description = present(&request.description).map(str::to_string);
    let order_id = sim
        .db
        .call(move |c| {
            state::insert_order(c, &user, "static", Some(amount), Some(&concept), description.as_deref(), Some(id))
        })
        .await?;
    ok(json!({ "status": "ok", "qr_order_id": order_id }))
}

// ---------------------------------------------------------------------------------------
// Transaction list

/// Parameters of a GET from its query string, or from a JSON body as the contract draws them.
fn params(query: Option<String>, body: &[u8]) -> Result<HashMap<String, String>, WalletError> {
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        return serde_urlencoded::from_str(&query)
            .map_err(|e| WalletError::BadRequest(format!("parámetros inválidos: {e}")));
    }
    let values: HashMap<String, serde_json::Value> = wire::parse_body(body).map_err(WalletError::BadRequest)?;
    Ok(values
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Null => None,
            other => Some((k, other.to_string())),
        })
        .collect())
}

fn date_param(params: &HashMap<String, String>, name: &str) -> Result<String, WalletError> {
    params
        .get(name)
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .cloned()
        .ok_or_else(|| WalletError::BadRequest(format!("{name} es obligatorio, con formato Y-m-d")))
}

#[derive(Serialize)]
struct TransactionItem {
    income: i64,
    date: String,
    amount: String,
    operation: String,
    holder: String,
    cuit: String,
    cvu_cbu: String,
    status: String,
    sale_point_name: String,
}

#[derive(Serialize)]
struct TransactionPage {
    status: &'static str,
    transactions: Vec<TransactionItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number_of_results: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<i64>,
}

async fn transactions(
    State(sim): State<Shared>,
    WalletUser(user): WalletUser,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> WalletResult {
    let params = params(query, &body)?;
    let (date_from, date_to) = listed_range(&sim, &params)?;
    let operation = params.get("operation").map(|o| o.trim().to_string()).filter(|o| !o.is_empty());
    if let Some(op) = &operation {
        if !is_wallet_operation(op) {
            return Err(WalletError::BadRequest(format!("operation desconocida: {op}")));
        }
    }
    let page = asked_page(&params)?;
    let page_size = i64::from(sim.config.page_size.max(1));
    let mut filter = OperationFilter {
        contract: Some(WALLET.into()),
        owner: Some(user),
        operations: operation.into_iter().collect(),
        date_from: Some(date_from),
        date_to: Some(date_to),
        ..OperationFilter::default()
    };
    if let Some(page) = page {
        filter.limit = Some(page_size);
        filter.offset = (page - 1) * page_size;
    }
    let (rows, total) = sim
        .db
        .call(move |c| -> rusqlite::Result<_> {
            Ok((state::operations(c, &filter)?, state::count_operations(c, &filter)?))
        })
        .await?;
    let page_view = TransactionPage {
        status: "ok",
        transactions: rows.into_iter().map(TransactionItem::from).collect(),
        number_of_results: page.map(|_| total),
        page,
        pages: page.map(|_| (total + page_size - 1) / page_size),
        pagination: page.map(|_| page_size),
    };
    Ok(wire::respond(Reply::json(200, &page_view)))
}

/// The listed days, `date_from` to `date_to`. The `list_days` fault: a provider whose list
/// silently covers only the last N days (a range entirely older than that lists nothing).
fn listed_range(sim: &Shared, params: &HashMap<String, String>) -> Result<(String, String), WalletError> {
    let mut date_from = date_param(params, "date_from")?;
    let date_to = date_param(params, "date_to")?;
    if date_from > date_to {
        return Err(WalletError::BadRequest("date_from es posterior a date_to".into()));
    }
    if let Some(days) = sim.faults.list_days() {
        let today = chrono::Utc::now().with_timezone(&super::store_offset()).date_naive();
        let oldest = (today - chrono::Days::new(u64::from(days))).format("%Y-%m-%d").to_string();
        if date_from < oldest {
            date_from = oldest;
        }
    }
    Ok((date_from, date_to))
}

/// The page asked for (from 1) when the list is paginated (`paginate=1`), else none.
fn asked_page(params: &HashMap<String, String>) -> Result<Option<i64>, WalletError> {
    let paginate = match params.get("paginate").map(String::as_str) {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        Some(_) => return Err(WalletError::BadRequest("paginate debe ser 0 o 1".into())),
    };
    let page: i64 = match params.get("page") {
        None => 1,
        Some(p) => p.parse().ok().filter(|p| *p >= 1).ok_or_else(|| WalletError::BadRequest("page inválida".into()))?,
    };
    Ok(paginate.then_some(page))
}

impl From<Operation> for TransactionItem {
    fn from(op: Operation) -> Self {
        TransactionItem {
            income: i64::from(op.income),
            date: op.created_at,
            amount: op.amount.to_string(),
            operation: op.operation,
            holder: op.holder.unwrap_or_default(),
            cuit: op.cuit.unwrap_or_default(),
            cvu_cbu: op.counterpart.unwrap_or_default(),
            status: op.status,
            sale_point_name: op.sale_point_name.unwrap_or_default(),
        }
    }
}
