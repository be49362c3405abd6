//! Credentials and tokens. Wallet v2: `POST /v2/auth/token` with username and password,
//! then `Authorization: Bearer`. Bank v1: the `client_id` / `client_secret` headers on
//! every call plus a bearer token; the contract assumes an OAuth 2 server without
//! documenting it, so the simulator issues tokens with a client-credentials grant at
//! `POST /_sim/bank/oauth/token`, the stand-in for the token endpoint the bank document does not name (RFC 6749 shapes).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Deserialize;
use serde_json::json;

use super::state::{self, BANK, WALLET};
use super::transfers::BankError;
use super::wallet::WalletError;
use super::wire;
use super::Shared;

pub fn random_token(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// Issues a token for `subject` and returns it with its expiry (ms since the epoch).
async fn issue(sim: &Shared, contract: &'static str, subject: String) -> rusqlite::Result<(String, i64)> {
    let token = random_token(48);
    let expires_ms = state::now_ms() + sim.config.token_ttl.as_millis() as i64;
    let stored = token.clone();
    sim.db.call(move |c| state::insert_token(c, &stored, contract, &subject, expires_ms)).await?;
    Ok((token, expires_ms))
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

enum TokenCheck {
    Valid(String),
    Expired,
    Unknown,
}

async fn check(sim: &Shared, contract: &'static str, token: String) -> rusqlite::Result<TokenCheck> {
    let found = sim.db.call(move |c| state::token(c, &token, contract)).await?;
    Ok(match found {
        None => TokenCheck::Unknown,
        Some((_, expires_ms)) if expires_ms <= state::now_ms() => TokenCheck::Expired,
        Some((subject, _)) => TokenCheck::Valid(subject),
    })
}

// ---------------------------------------------------------------------------------------
// Wallet v2

#[derive(Deserialize)]
struct WalletLogin {
    username: Option<String>,
    password: Option<String>,
}

/// `POST /v2/auth/token`
pub async fn wallet_token(State(sim): State<Shared>, body: Bytes) -> Result<Response, WalletError> {
    let login: WalletLogin = wire::parse_body(&body).map_err(WalletError::BadRequest)?;
    let (Some(username), Some(password)) = (wire::present(&login.username), wire::present(&login.password)) else {
        return Err(WalletError::BadRequest("username y password son obligatorios".into()));
    };
    let wallet = &sim.config.wallet;
    if username != wallet.username || password != wallet.password {
        return Err(WalletError::BadCredentials);
    }
    let (token, expires_ms) = issue(&sim, WALLET, username.to_string()).await.map_err(|_| WalletError::Internal)?;
    // `expires_at` is a Unix time in seconds.
    Ok(Json(json!({ "status": "ok", "token": token, "expires_at": expires_ms / 1000 })).into_response())
}

/// The wallet user a request's bearer token belongs to.
pub struct WalletUser(pub String);

impl FromRequestParts<Shared> for WalletUser {
    type Rejection = WalletError;

    async fn from_request_parts(parts: &mut Parts, sim: &Shared) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or(WalletError::TokenInvalid)?;
        match check(sim, WALLET, token).await.map_err(|_| WalletError::Internal)? {
            TokenCheck::Valid(user) => Ok(WalletUser(user)),
            TokenCheck::Expired => Err(WalletError::TokenExpired),
            TokenCheck::Unknown => Err(WalletError::TokenInvalid),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Bank v1

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}

/// `POST /_sim/bank/oauth/token` (stand-in): client credentials in the `client_id` /
/// `client_secret` headers (as on every call) or in a form or JSON body.
pub async fn bank_token(State(sim): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = if body.trim_ascii_start().starts_with(b"{") {
        serde_json::from_slice::<HashMap<String, serde_json::Value>>(&body)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect()
    } else {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    };
    if let Some(grant) = form.get("grant_type") {
        if grant != "client_credentials" {
            return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "solo client_credentials");
        }
    }
    let client_id = header(&headers, "client_id").or_else(|| form.get("client_id").cloned());
    let client_secret = header(&headers, "client_secret").or_else(|| form.get("client_secret").cloned());
    let bank = &sim.config.bank;
    if client_id.as_deref() != Some(bank.client_id.as_str())
        || client_secret.as_deref() != Some(bank.client_secret.as_str())
    {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client_id o client_secret inválidos");
    }
    match issue(&sim, BANK, bank.client_id.clone()).await {
        Ok((token, _)) => Json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": sim.config.token_ttl.as_secs(),
        }))
        .into_response(),
        Err(_) => oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "estado no disponible"),
    }
}

/// An authenticated v1 call: the client, and the `X-Invoker-TxId` header that keys the
/// operations whose body carries no reference of its own.
pub struct BankClient {
    pub client_id: String,
    pub tx_id: Option<String>,
}

impl FromRequestParts<Shared> for BankClient {
    type Rejection = BankError;

    async fn from_request_parts(parts: &mut Parts, sim: &Shared) -> Result<Self, Self::Rejection> {
        let bank = &sim.config.bank;
        let client_id = header(&parts.headers, "client_id");
        let client_secret = header(&parts.headers, "client_secret");
        if client_id.as_deref() != Some(bank.client_id.as_str())
            || client_secret.as_deref() != Some(bank.client_secret.as_str())
        {
            return Err(BankError::unauthorized("client_id o client_secret inválidos"));
        }
        let token = bearer(&parts.headers).ok_or_else(|| BankError::unauthorized("Falta el token de acceso"))?;
        match check(sim, BANK, token).await.map_err(|_| BankError::unavailable(parts.uri.path()))? {
            TokenCheck::Valid(subject) if subject == bank.client_id => {
                Ok(BankClient { client_id: subject, tx_id: header(&parts.headers, "x-invoker-txid") })
            }
            TokenCheck::Expired => Err(BankError::unauthorized("Token de acceso vencido")),
            _ => Err(BankError::unauthorized("Token de acceso inválido")),
        }
    }
}
