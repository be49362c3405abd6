//! `/_sim/...`: the simulator's own control surface, outside both contracts and never
//! subject to faults. Fault switches, a reset, the list of committed operations with
//! their idempotency keys, balances, planting operations the store does not know about,
//! and expiring every token at once.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rusqlite::Transaction;
use serde::Deserialize;
use serde_json::json;

use crate::domain::Money;

use super::faults::{self, Contract};
use super::state::{self, Operation, OperationFilter, BANK, WALLET};
use super::wire::{self, present, WireDecimal};
use super::Shared;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/_sim/health", get(health))
        .route("/_sim/faults", get(faults::get_faults).post(faults::set_faults).put(faults::set_faults))
        .route("/_sim/reset", post(reset))
        .route("/_sim/records", get(records))
        .route("/_sim/accounts", get(accounts))
        .route("/_sim/plant", post(plant))
        .route("/_sim/tokens/expire", post(expire_tokens))
}

pub fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

fn internal(err: rusqlite::Error) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "error": err.to_string() }))).into_response()
}

fn query_pairs(query: Option<String>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default()
}

fn flag(value: &str) -> bool {
    matches!(value, "1" | "true" | "yes")
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "wallet": "/v2", "bank": super::transfers::BASE }))
}

/// `POST /_sim/reset`: no faults, RNG back to its seed. `?state=true` also empties the
/// state file and seeds the configured accounts again.
async fn reset(State(sim): State<Shared>, RawQuery(query): RawQuery) -> Response {
    sim.faults.reset();
    let wipe = query_pairs(query).iter().any(|(k, v)| k == "state" && flag(v));
    if wipe {
        let config = sim.config.clone();
        if let Err(err) = sim.db.call(move |c| state::wipe(c, &config)).await {
            return internal(err);
        }
    }
    Json(json!({ "status": "ok", "state_wiped": wipe })).into_response()
}

/// `GET /_sim/records?contract=&operation=&owner=`: every committed operation, oldest
/// first, with the idempotency key it was committed under.
async fn records(State(sim): State<Shared>, RawQuery(query): RawQuery) -> Response {
    let mut filter = OperationFilter::default();
    for (key, value) in query_pairs(query) {
        match key.as_str() {
            "contract" => filter.contract = Some(value),
            "operation" => filter.operations.push(value),
            "owner" => filter.owner = Some(value),
            "date_from" => filter.date_from = Some(value),
            "date_to" => filter.date_to = Some(value),
            other => return bad_request(format!("parámetro desconocido: {other}")),
        }
    }
    match sim.db.call(move |c| state::operations(c, &filter)).await {
        Ok(records) => Json(json!({ "records": records })).into_response(),
        Err(err) => internal(err),
    }
}

async fn accounts(State(sim): State<Shared>) -> Response {
    match sim.db.call(|c| state::accounts(c)).await {
        Ok(accounts) => Json(json!({ "accounts": accounts })).into_response(),
        Err(err) => internal(err),
    }
}

async fn expire_tokens(State(sim): State<Shared>) -> Response {
    match sim.db.call(|c| state::expire_tokens(c)).await {
        Ok(count) => Json(json!({ "status": "ok", "expired": count })).into_response(),
        Err(err) => internal(err),
    }
}

/// An operation that happened at the provider without the store's knowledge.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlantRequest {
    contract: Contract,
    /// Wallet: `cashout` or `cashin`. Bank: `deposit` or `transfiya` (an incoming
    /// Transfiya transfer left pending for `cell_phone`).
    operation: String,
    amount: WireDecimal,
    /// `YYYY-MM-DD` (noon) or `YYYY-MM-DD HH:MM:SS`; now if absent.
    date: Option<String>,
    cvu: Option<String>,
    alias: Option<String>,
    cuit: Option<String>,
    holder: Option<String>,
    concept: Option<String>,
    description: Option<String>,
    qr_order_id: Option<i64>,
    link_id: Option<i64>,
    sale_point_name: Option<String>,
    /// Bank deposit: the credited account.
    account: Option<String>,
    /// Bank deposit: the debited account (the correspondent account if absent).
    from_account: Option<String>,
    /// Transfiya: the recipient's and the sender's cell phones.
    cell_phone: Option<String>,
    from_cell: Option<String>,
    /// Stored as the operation's reference (a wallet `reference_id`, a bank `trnRqUID`);
    /// not registered as an idempotency key.
    reference: Option<String>,
}

/// A refused plant rolls back whatever it had written.
enum PlantError {
    Refused(String),
    State(rusqlite::Error),
}

impl From<rusqlite::Error> for PlantError {
    fn from(err: rusqlite::Error) -> Self {
        PlantError::State(err)
    }
}

fn plant_date(date: &Option<String>) -> Result<String, String> {
    let Some(date) = present(date) else { return Ok(state::now_local()) };
    if chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S").is_ok() {
        Ok(date.to_string())
    } else if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() {
        Ok(format!("{date} 12:00:00"))
    } else {
        Err("date debe ser YYYY-MM-DD o YYYY-MM-DD HH:MM:SS".into())
    }
}

/// `POST /_sim/plant`: commits an operation nobody asked for through the contract, so a
/// reconciliation has something the store does not know. Balances move as they would.
async fn plant(State(sim): State<Shared>, body: Bytes) -> Response {
    let request: PlantRequest = match wire::parse_body(&body) {
        Ok(request) => request,
        Err(message) => return bad_request(message),
    };
    let Some(amount) = request.amount.positive_money() else {
        return bad_request("amount debe ser mayor que cero con dos decimales como máximo".into());
    };
    let created_at = match plant_date(&request.date) {
        Ok(date) => date,
        Err(message) => return bad_request(message),
    };
    let owner = match request.contract {
        Contract::Wallet => sim.config.wallet.username.clone(),
        Contract::Bank => sim.config.bank.client_id.clone(),
    };
    let correspondent = sim.config.correspondent_account().unwrap_or_default().to_string();
    let result = sim
        .db
        .call(move |conn| {
            state::write(conn, |tx| -> Result<serde_json::Value, PlantError> {
                let mut op = planted_operation(&request, &owner, amount, created_at);
                let mut extra = match (request.contract, request.operation.as_str()) {
                    (Contract::Wallet, "cashout") => plant_wallet_cashout(tx, &mut op)?,
                    (Contract::Wallet, "cashin") => plant_wallet_cashin(tx, &request, &mut op)?,
                    (Contract::Bank, "deposit") => plant_bank_deposit(tx, &request, &correspondent, &mut op)?,
                    (Contract::Bank, "transfiya") => plant_transfiya(tx, &request, &mut op)?,
                    (_, other) => {
                        return Err(PlantError::Refused(format!(
                            "operation no se puede plantar en ese contrato: {other}"
                        )))
                    }
                };
                let id = state::insert_operation(tx, &op)?;
                extra["id"] = json!(id);
                extra["status"] = json!("ok");
                Ok(extra)
            })
        })
        .await;
    match result {
        Ok(body) => Json(body).into_response(),
        Err(PlantError::Refused(message)) => bad_request(message),
        Err(PlantError::State(err)) => internal(err),
    }
}

/// What every planted operation carries from the request, approved unless its kind says
/// otherwise; the kind's own function fills in the rest.
fn planted_operation(r: &PlantRequest, owner: &str, amount: Money, created_at: String) -> Operation {
    let counterpart = present(&r.cvu).or(present(&r.alias)).map(str::to_string);
    Operation {
        owner: owner.to_string(),
        amount,
        holder: present(&r.holder).map(str::to_string).or_else(|| counterpart.as_deref().map(super::wallet::holder_for)),
        counterpart,
        cuit: present(&r.cuit).map(str::to_string),
        concept: present(&r.concept).map(str::to_string),
        description: present(&r.description).map(str::to_string),
        qr_order_id: r.qr_order_id,
        link_id: r.link_id,
        sale_point_name: present(&r.sale_point_name).map(str::to_string),
        reference: present(&r.reference).map(str::to_string),
        idempotency_key: present(&r.reference).map(str::to_string),
        planted: true,
        created_at,
        status: "approved".into(),
        ..Operation::default()
    }
}

/// A wallet cashout: out of the owner's wallet to the counterpart, if the wallet holds it.
fn plant_wallet_cashout(tx: &Transaction<'_>, op: &mut Operation) -> Result<serde_json::Value, PlantError> {
    let balance = state::account(tx, WALLET, &op.owner)?.map(|a| a.balance).unwrap_or_default();
    if balance < op.amount {
        return Err(PlantError::Refused("saldo insuficiente en la billetera".into()));
    }
    state::add_balance(tx, WALLET, &op.owner, -op.amount.centavos())?;
    op.contract = WALLET.into();
    op.operation = "cashout".into();
    op.from_account = Some(op.owner.clone());
    op.to_account = op.counterpart.clone();
    Ok(json!({}))
}

/// A wallet cashin into the owner's wallet; the payment of a generated QR order or link
/// takes the order's amount check, concept, description and sale point.
fn plant_wallet_cashin(tx: &Transaction<'_>, r: &PlantRequest, op: &mut Operation) -> Result<serde_json::Value, PlantError> {
    if let Some(order_id) = r.qr_order_id.or(r.link_id) {
        let order =
            state::order(tx, &op.owner, order_id)?.ok_or_else(|| PlantError::Refused(format!("orden inexistente: {order_id}")))?;
        if order.amount.is_some_and(|a| a != op.amount) {
            return Err(PlantError::Refused("amount no coincide con el de la orden".into()));
        }
        op.concept = op.concept.take().or(order.concept);
        op.description = op.description.take().or(order.description);
        if let Some(point) = order.sale_point_id {
            let point = state::sale_point(tx, &op.owner, point)?;
            op.sale_point_name = op.sale_point_name.take().or(point.map(|p| p.name));
        }
    }
    state::add_balance(tx, WALLET, &op.owner, op.amount.centavos())?;
    op.contract = WALLET.into();
    op.operation = if r.qr_order_id.is_some() {
        "cobro_qr"
    } else if r.link_id.is_some() {
        "cobro_link"
    } else {
        "cashin"
    }
    .into();
    op.income = true;
    op.from_account = op.counterpart.clone();
    op.to_account = Some(op.owner.clone());
    Ok(json!({}))
}

/// A bank deposit into `account`, from `from_account` or the correspondent account, if the
/// source holds it; posted at once.
fn plant_bank_deposit(
    tx: &Transaction<'_>,
    r: &PlantRequest,
    correspondent: &str,
    op: &mut Operation,
) -> Result<serde_json::Value, PlantError> {
    let Some(to) = present(&r.account).filter(|a| wire::is_digits(a)) else {
        return Err(PlantError::Refused("account es obligatorio (número de cuenta)".into()));
    };
    let from = present(&r.from_account).unwrap_or(correspondent).to_string();
    if !wire::is_digits(&from) {
        return Err(PlantError::Refused("from_account debe ser un número de cuenta".into()));
    }
    let source = state::bank_account(tx, &from)?;
    if source.balance < op.amount {
        return Err(PlantError::Refused(format!("saldo insuficiente en la cuenta {from}")));
    }
    let target = state::bank_account(tx, to)?;
    state::add_balance(tx, BANK, &from, -op.amount.centavos())?;
    state::add_balance(tx, BANK, to, op.amount.centavos())?;
    op.contract = BANK.into();
    op.operation = "deposit".into();
    op.status = "posted".into();
    op.from_account = Some(from);
    op.to_account = Some(to.to_string());
    op.holder = Some(target.holder);
    Ok(json!({}))
}

/// An incoming Transfiya to `cell_phone`, pending until it is answered; the reply names
/// its `pseTrnCode`.
fn plant_transfiya(tx: &Transaction<'_>, r: &PlantRequest, op: &mut Operation) -> Result<serde_json::Value, PlantError> {
    let Some(to_cell) = present(&r.cell_phone) else {
        return Err(PlantError::Refused("cell_phone es obligatorio".into()));
    };
    let from_cell = present(&r.from_cell).unwrap_or("70000000");
    let code = super::auth::random_token(17);
    let desc = op.description.clone().unwrap_or_else(|| "Transferencia".into());
    state::insert_transfiya(tx, &code, &op.owner, None, from_cell, to_cell, op.amount, Default::default(), &desc)?;
    op.contract = BANK.into();
    op.operation = "transfiya_incoming".into();
    op.status = "pending".into();
    op.counterpart = Some(to_cell.to_string());
    op.reference = Some(code.clone());
    Ok(json!({ "pseTrnCode": code }))
}
