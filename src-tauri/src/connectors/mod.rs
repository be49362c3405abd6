//! Typed clients for the two provider contracts the outbox worker talks to: the wallet
//! **v2** (`seeds/002`) and the bank **transfers-management v1** (`seeds/004`).
//!
//! One [`Connector`] per provider holds a `reqwest` client and a token cache shared by
//! concurrent sends. [`Connector::send`] turns every answer (or the lack of one) into an
//! [`Outcome`] the worker can act on: `Acked`, `Retryable` (nothing was done),
//! `Unknown` (it may have been done: resolve with [`Connector::lookup`] before resending)
//! or `Rejected` (a business answer a manager has to see). The classification of every
//! documented error lives in one table per contract: [`wallet::HTTP_ASSUMPTIONS`] and
//! [`bank::DOCUMENTED_ERRORS`].
//!
//! Request bodies are built once by [`wallet`] and [`bank`] and stored in the outbox row
//! as JSON text ([`RawValue`]): a `serde_json::Value` would hold `150.50` as an `f64`,
//! so amounts are written from [`Money`]'s text and read back from the response's text,
//! never through a float.
//!
//! No credential or token ever appears in an error, a detail string or `Debug` output.

pub mod bank;
pub mod wallet;

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Client, RequestBuilder, Url};
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::domain::{AjustesContrato, Contrato, LlamadaApi, Money, UnidadExpiracion};

/// `Rejected.code` when the provider refuses the stored credentials at its token
/// endpoint: nothing can go through until a manager fixes them, so the worker may pause
/// the whole provider instead of retrying.
pub const CREDENTIALS_REJECTED: &str = "CREDENCIALES_INVALIDAS";
/// `Rejected.code` when the call, the connector's contract and the body do not fit
/// together (a wallet call on a bank connector, a body without its key): a bug, not a
/// provider answer.
pub const INVALID_CALL: &str = "LLAMADA_INVALIDA";
/// `Rejected.code` when a customer's transfer exists but for another amount than expected.
pub const AMOUNT_MISMATCH: &str = "MONTO_DISTINTO";
/// `Rejected.code` when a 2xx answer says `"status": "error"` with no HTTP class.
pub const PROVIDER_ERROR: &str = "ERROR_PROVEEDOR";

// ---------------------------------------------------------------------------------------
// Public types

/// Wallet `username` / `password`, or bank `client_id` / `client_secret`. The keyring
/// stores it as JSON; `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSecret {
    pub user: String,
    pub secret: String,
}

impl fmt::Debug for ProviderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderSecret").field("user", &self.user).field("secret", &"<oculto>").finish()
    }
}

#[derive(Debug, Clone)]
pub struct ConnectorConfig {
    pub contract: Contrato,
    /// `https://host` (or `http://127.0.0.1:PORT` for the simulator). The contract's own
    /// prefix (`/v2`, `/transfers-management/v1`) is added unless the URL already ends
    /// with it, so the bank's documented URIs work as they are written.
    pub base_url: String,
    pub secret: ProviderSecret,
    /// Connect timeout and the whole request's timeout.
    pub timeout: Duration,
    /// What the contract's document leaves open, as the connection says (CONTRACTS.md);
    /// a bank needs at least its token URL.
    pub settings: AjustesContrato,
}

/// What became of one [`Connector::send`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done. `provider_ref` is the provider's id for it (cashout `id`, deposit
    /// `approvalId`, cash-in `transaction_id`) when the answer carries one.
    Acked { provider_ref: Option<String> },
    /// Nothing was done; send again later with the same body.
    Retryable { detail: String },
    /// The request may have reached the provider: [`Connector::lookup`] before resending.
    Unknown { detail: String },
    /// A business answer: the provider's code and description, for the manager.
    Rejected { code: String, text: String },
}

/// The answer of [`Connector::lookup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The provider has the operation.
    Found { provider_ref: Option<String> },
    /// The provider has no such operation: sending it again is safe.
    NotFound,
    /// The provider cannot tell (no lookup in its contract, unreachable, a listed status
    /// that is not a confirmation, ...).
    Unavailable { detail: String },
    /// More than one listed operation fits the call (or one that another call of the store
    /// fits as well): a person must look; every candidate is in `detail`. Never a pick.
    Ambiguous { detail: String },
}

/// One line of the provider's transaction list, for the end-of-day reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderTransaction {
    /// The provider's id, when it gives one (the wallet simulator's `id`; not in the contract).
    pub provider_ref: Option<String>,
    /// The idempotency key / reference when the provider gives it (`reference_id`).
    pub reference: Option<String>,
    /// The amount as listed (the contract's `amount` string, read exactly).
    pub amount: Money,
    /// The provider's operation id (`cashout`, `cashin`, `cobro_qr`, ...).
    pub operation: String,
    /// The provider's date text (`YYYY-MM-DD HH:MM:SS` in the simulator).
    pub at: String,
    /// `income` of the contract: money into the agent's account (`true`) or out of it.
    pub income: Option<bool>,
    /// The transaction's `status` as listed (`approved`, ...).
    pub status: Option<String>,
    /// The wallet list's documented `holder`, `cuit` and `cvu_cbu` (seeds/002 L302–L304).
    pub holder: Option<String>,
    pub cuit: Option<String>,
    pub cvu_cbu: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorError {
    #[error("configuración del conector inválida: {0}")]
    Config(String),
    #[error("el contrato del proveedor no ofrece esta operación")]
    NotSupported,
    #[error("el proveedor rechazó las credenciales: {0}")]
    Credentials(String),
    #[error("proveedor no disponible: {0}")]
    Unavailable(String),
    #[error("el proveedor respondió HTTP {status}: {detail}")]
    Provider { status: u16, detail: String },
    #[error("respuesta ilegible del proveedor: {0}")]
    Malformed(String),
}

/// How an error answer is handled. Each contract maps its documented errors to one of
/// these in a single table ([`wallet::HTTP_ASSUMPTIONS`], [`bank::DOCUMENTED_ERRORS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Nothing was done and a later attempt can pass: [`Outcome::Retryable`].
    Retryable,
    /// The provider may have applied it: [`Outcome::Unknown`].
    Unknown,
    /// A refusal that resending will not change: [`Outcome::Rejected`].
    Rejected,
    /// The token is invalid or expired: get a new one and send once more; if the fresh
    /// token is refused too, [`Outcome::Retryable`].
    Unauthorized,
}

// ---------------------------------------------------------------------------------------
// Exact amounts on the wire

/// An amount as a JSON number with two decimals (`150.50`), written from its text.
pub fn amount_json(amount: Money) -> Box<RawValue> {
    RawValue::from_string(amount.to_string()).unwrap_or_else(|_| unreachable_raw())
}

/// `Money`'s `Display` is always `-?\d+\.\d\d`, a valid JSON number; this is never reached.
#[cold]
fn unreachable_raw() -> Box<RawValue> {
    RawValue::from_string("0".to_string()).expect("\"0\" is valid JSON")
}

/// Serializes a body struct; every body here is plain strings and raw numbers.
fn to_raw<T: Serialize>(value: &T) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).unwrap_or_else(|_| unreachable_raw())
}

/// Exact parse of a decimal literal (`"150.50"`, `99`, `-5.1`) into centavos. Exponents,
/// `NaN` and anything finer than a centavo are refused.
pub fn parse_amount(text: &str) -> Option<Money> {
    let text = text.trim();
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int_part, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // 15 integer digits keep every amount inside i64 centavos.
    if int_part.is_empty() || int_part.len() > 15 || !digits(int_part) || !digits(fraction) {
        return None;
    }
    if unsigned.contains('.') && fraction.is_empty() {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 {
        return None;
    }
    let whole: i64 = int_part.parse().ok()?;
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    let value = whole.checked_mul(100)?.checked_add(cents)?;
    Some(Money::from_centavos(if text.starts_with('-') { -value } else { value }))
}

/// A JSON number or numeric string kept as its text (through [`RawValue`]), so the
/// amount never passes through an `f64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextAmount(pub String);

impl<'de> Deserialize<'de> for TextAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim();
        let text = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
        Ok(TextAmount(text.to_string()))
    }
}

impl TextAmount {
    pub fn money(&self) -> Option<Money> {
        parse_amount(&self.0)
    }
}

/// An id the provider may write as a number or a string.
pub(crate) fn id_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// The connector

/// A token and when to replace it (before it expires).
struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// Why no token could be had.
enum TokenError {
    /// The provider refused the credentials: a manager must fix them.
    Credentials(String),
    /// The token endpoint did not answer usefully; nothing else was sent.
    Unavailable(String),
}

/// What came back from one HTTP exchange.
enum Exchange {
    Answered {
        status: u16,
        body: Vec<u8>,
    },
    /// The connection could not be made: the request never left.
    NotSent(String),
    /// Sent (or maybe sent) with no answer: a timeout, a connection closed mid-way.
    MaybeSent(String),
}

/// The path every endpoint of the contract lives under.
fn prefix(contract: Contrato) -> &'static [&'static str] {
    match contract {
        Contrato::BilleteraV2 => &["v2"],
        Contrato::BancoV1 => &["transfers-management", "v1"],
    }
}

/// How far a wallet's lookup of a call in doubt is trusted, as its connection says
/// (CONTRACTS.md, stated assumptions); `None`: the worker's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LookupTrust {
    /// Days back the transaction list is trusted to reach.
    pub list_days: Option<i64>,
    /// How long after the last unknown attempt a "not found" is believed.
    pub quiet: Option<Duration>,
}

/// One per provider. Cheap to share behind an `Arc`; concurrent sends share one token.
pub struct Connector {
    contract: Contrato,
    /// The base URL with the contract's prefix, ready for the endpoint's segments.
    api: Url,
    secret: ProviderSecret,
    timeout: Duration,
    http: Client,
    /// Bank: `client_id` and `client_secret` as header values (the secret marked sensitive).
    bank_headers: HeaderMap,
    /// Bank: the connection's answers to the document's open points.
    bank: Option<bank::BankSettings>,
    /// Bank: its zone for dates and hours.
    bank_zone: chrono::FixedOffset,
    /// Wallet: the unit of `expires_at`.
    expiry_unit: UnidadExpiracion,
    /// Wallet: how far back its transaction list is trusted to reach, and how long after
    /// an unknown attempt a "not found" is believed (the connection's settings, if set).
    lookup_trust: LookupTrust,
    /// Wallet: the unit of the balance's `amount`.
    pub(crate) balance_unit: crate::domain::UnidadSaldo,
    token: Mutex<Option<CachedToken>>,
    /// Wallet: its concepts catalogue and transaction filters, kept a while.
    catalogues: Mutex<wallet::Catalogues>,
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("contract", &self.contract)
            .field("api", &self.api.as_str())
            .field("user", &self.secret.user)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The bank connection's settings with their documented defaults; the token URL has none.
fn bank_settings(settings: &AjustesContrato) -> Result<bank::BankSettings, ConnectorError> {
    let token_url = settings.url_token.as_deref().map(str::trim).filter(|u| !u.is_empty()).ok_or_else(|| {
        ConnectorError::Config("falta la dirección del token OAuth 2 del banco (el contrato no la define)".into())
    })?;
    let parsed = Url::parse(token_url).map_err(|e| ConnectorError::Config(format!("dirección del token inválida ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(ConnectorError::Config("la dirección del token debe ser http(s)://servidor".into()));
    }
    let given = |v: &Option<String>| v.as_deref().filter(|t| !t.trim().is_empty()).map(str::to_string);
    let user_ip = given(&settings.ip_terminal).unwrap_or_else(|| bank::DEFAULT_USER_IP.into());
    Ok(bank::BankSettings {
        token_url: parsed.to_string(),
        terminal_id: given(&settings.terminal_id),
        server_ip: given(&settings.ip_servidor).unwrap_or_else(|| user_ip.clone()),
        user_ip,
        modifier_user: settings.usuario_modificador.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| bank::DEFAULT_MODIFIER_USER.into()),
        resend_unknown: settings.reenvio_incierto != Some(crate::domain::ReenvioIncierto::Extracto),
    })
}

/// Installs rustls' ring provider once per process (another caller may have done it).
fn install_crypto_provider() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Connector {
    pub fn new(cfg: ConnectorConfig) -> Result<Self, ConnectorError> {
        let ConnectorConfig { contract, base_url, secret, timeout, settings } = cfg;
        if timeout.is_zero() {
            return Err(ConnectorError::Config("el tiempo de espera debe ser mayor que cero".into()));
        }
        if secret.user.trim().is_empty() || secret.secret.is_empty() {
            return Err(ConnectorError::Config("faltan las credenciales del proveedor".into()));
        }
        let mut api = Url::parse(base_url.trim())
            .map_err(|e| ConnectorError::Config(format!("URL del proveedor inválida ({e})")))?;
        if !matches!(api.scheme(), "http" | "https") || api.host().is_none() {
            return Err(ConnectorError::Config("la URL del proveedor debe ser http(s)://servidor".into()));
        }
        api.set_query(None);
        api.set_fragment(None);
        let existing: Vec<String> =
            api.path_segments().map(|s| s.filter(|x| !x.is_empty()).map(str::to_string).collect()).unwrap_or_default();
        let prefix = prefix(contract);
        let has_prefix = existing.len() >= prefix.len() && existing[existing.len() - prefix.len()..] == *prefix;
        if let Ok(mut segments) = api.path_segments_mut() {
            segments.clear().extend(&existing);
            if !has_prefix {
                segments.extend(prefix);
            }
        }

        let mut bank_headers = HeaderMap::new();
        let bank = match contract {
            Contrato::BancoV1 => Some(bank_settings(&settings)?),
            Contrato::BilleteraV2 => None,
        };
        let bank_zone = bank::bank_offset(settings.zona_horaria.as_deref());
        let expiry_unit = settings.unidad_expiracion.unwrap_or(UnidadExpiracion::Segundos);
        let lookup_trust = LookupTrust {
            list_days: settings.dias_lista_confiable,
            quiet: settings.segundos_espera_consulta.map(|s| Duration::from_secs(s.max(0) as u64)),
        };
        let balance_unit = settings.unidad_saldo.unwrap_or(wallet::DEFAULT_BALANCE_UNIT);
        if contract == Contrato::BancoV1 {
            let id = HeaderValue::from_str(secret.user.trim())
                .map_err(|_| ConnectorError::Config("client_id tiene caracteres no válidos".into()))?;
            let mut key = HeaderValue::from_str(&secret.secret)
                .map_err(|_| ConnectorError::Config("client_secret tiene caracteres no válidos".into()))?;
            key.set_sensitive(true);
            bank_headers.insert("client_id", id);
            bank_headers.insert("client_secret", key);
        }

        install_crypto_provider();
        let http = Client::builder()
            .connect_timeout(timeout)
            .timeout(timeout)
            // A redirected POST would become a GET elsewhere: a 3xx is answered as is.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConnectorError::Config(format!("cliente HTTP: {}", describe(&e))))?;
        Ok(Connector {
            contract,
            api,
            secret,
            timeout,
            http,
            bank_headers,
            bank,
            bank_zone,
            expiry_unit,
            lookup_trust,
            balance_unit,
            token: Mutex::new(None),
            catalogues: Mutex::new(wallet::Catalogues::default()),
        })
    }

    pub(crate) fn bank_settings(&self) -> Option<&bank::BankSettings> {
        self.bank.as_ref()
    }

    /// The bank's zone (the connection's `zona_horaria`, default UTC−4).
    pub fn bank_zone(&self) -> chrono::FixedOffset {
        self.bank_zone
    }

    pub fn contract(&self) -> Contrato {
        self.contract
    }

    /// Whether a call of this connection whose outcome is unknown and that no lookup can
    /// settle may be resent with its idempotency key. The wallet: yes (seeds/002 L62–L64,
    /// "reintentar … utilizar los mismos datos junto al reference_id"). The bank: as the
    /// connection's `reenvio_incierto` says (the document promises no safe resend).
    pub fn resends_unknown(&self) -> bool {
        self.bank.as_ref().is_none_or(|b| b.resend_unknown)
    }

    /// The connection's own answers to how far a wallet lookup is trusted (`None`: the
    /// worker's defaults).
    pub fn lookup_trust(&self) -> LookupTrust {
        self.lookup_trust
    }

    /// Sends `body` (the canonical body stored in the outbox row, as built by [`wallet`]
    /// or [`bank`]) as it is, adding only authentication. Never panics, whatever the answer.
    pub async fn send(&self, call: LlamadaApi, body: &RawValue) -> Outcome {
        if call.contrato() != self.contract {
            return Outcome::Rejected {
                code: INVALID_CALL.into(),
                text: format!("la operación {} no es del contrato {}", call.as_str(), self.contract.as_str()),
            };
        }
        match call {
            LlamadaApi::Cashout => self.wallet_cashout(body).await,
            LlamadaApi::VerificarCobro => self.wallet_cashin_check(body).await,
            LlamadaApi::Deposito => self.bank_deposit(bank::DepositType::Normal, body).await,
            LlamadaApi::Reverso => self.bank_deposit(bank::DepositType::Reverso, body).await,
        }
    }

    /// Resolves an [`Outcome::Unknown`] before any resend. Wallet cashout: the day's
    /// transaction list (from [`wallet::LOOKUP_DAYS`] days ago to tomorrow) searched for
    /// the `reference_id`; a provider whose list does not carry `reference_id` (it is not
    /// in the contract) gives `Unavailable`. Cash-in check: a read, asked again. Bank: the
    /// contract has no lookup, so `Unavailable`; resending with the same `trnRqUID` is
    /// safe because the provider deduplicates it.
    pub async fn lookup(&self, call: LlamadaApi, idempotency_key: &str, body: &RawValue) -> Lookup {
        let today = chrono::Utc::now().with_timezone(&crate::domain::clock::store_offset()).date_naive();
        self.lookup_on(call, idempotency_key, body, today).await
    }

    /// [`Connector::lookup`] with the store-local `today` given, for a caller that keeps
    /// its own clock.
    pub async fn lookup_on(&self, call: LlamadaApi, idempotency_key: &str, body: &RawValue, today: chrono::NaiveDate) -> Lookup {
        self.lookup_among(call, idempotency_key, body, today, 0).await
    }

    /// [`Connector::lookup_on`] knowing that `twins` other calls of the store carry the
    /// same amount and CUIT (the list cannot tell them apart: any candidate is ambiguous).
    pub async fn lookup_among(&self, call: LlamadaApi, idempotency_key: &str, body: &RawValue, today: chrono::NaiveDate, twins: i64) -> Lookup {
        let from = today - chrono::Days::new(wallet::LOOKUP_DAYS);
        let to = today + chrono::Days::new(1);
        if call == LlamadaApi::Cashout && self.contract == Contrato::BilleteraV2 {
            return self.wallet_lookup_cashout(body, from, to, twins).await;
        }
        self.lookup_between(call, idempotency_key, body, from, to).await
    }

    /// [`Connector::lookup`] over an explicit date range (the provider's dates), for a row
    /// whose first attempt is older than the default window.
    pub async fn lookup_between(
        &self,
        call: LlamadaApi,
        _idempotency_key: &str,
        body: &RawValue,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Lookup {
        if call.contrato() != self.contract {
            return Lookup::Unavailable {
                detail: format!("la operación {} no es del contrato {}", call.as_str(), self.contract.as_str())
            };
        }
        match call {
            LlamadaApi::Cashout => self.wallet_lookup_cashout(body, from, to, 0).await,
            LlamadaApi::VerificarCobro => match self.wallet_cashin_check(body).await {
                Outcome::Acked { provider_ref } => Lookup::Found { provider_ref },
                Outcome::Rejected { code, .. } if code == "404" => Lookup::NotFound,
                Outcome::Rejected { code, text } => Lookup::Unavailable { detail: format!("{code}: {text}") },
                Outcome::Retryable { detail } | Outcome::Unknown { detail } => Lookup::Unavailable { detail },
            },
            LlamadaApi::Deposito | LlamadaApi::Reverso => Lookup::Unavailable {
                detail: "el contrato transfers-management v1 no tiene consulta de depósitos: se resuelve con el extracto \
                         del banco, o reenviando con el mismo trnRqUID (supuesto: el banco no lo aplica dos veces)"
                    .into(),
            },
        }
    }

    /// A wallet cashout's unknown outcome, searched in the transaction list between two
    /// provider dates (the caller starts at the call's own day, however old), knowing
    /// that `twins` other calls of the store fit the same amount and CUIT.
    pub async fn lookup_cashout_between(&self, body: &RawValue, from: chrono::NaiveDate, to: chrono::NaiveDate, twins: i64) -> Lookup {
        if self.contract != Contrato::BilleteraV2 {
            return Lookup::Unavailable { detail: "un cashout es del contrato de billetera".into() };
        }
        self.wallet_lookup_cashout(body, from, to, twins).await
    }

    /// The provider's transactions of `date` (all pages). The bank contract has no list.
    pub async fn transactions(&self, date: chrono::NaiveDate) -> Result<Vec<ProviderTransaction>, ConnectorError> {
        match self.contract {
            Contrato::BilleteraV2 => {
                let items = self.wallet_transactions(date, date, None).await?;
                items.into_iter().map(wallet::TxnItem::into_provider).collect()
            }
            Contrato::BancoV1 => Err(ConnectorError::NotSupported),
        }
    }

    /// Whether the provider's host accepts a TCP connection (within the configured
    /// timeout, at most 2 s). Never errors.
    pub async fn reachable(&self) -> bool {
        let Some(port) = self.api.port_or_known_default() else { return false };
        let limit = self.timeout.min(Duration::from_secs(2));
        let Some(host) = self.api.host_str() else { return false };
        // An IPv6 host comes bracketed (`[::1]`).
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let connect = async {
            match host.parse::<std::net::IpAddr>() {
                Ok(ip) => tokio::net::TcpStream::connect((ip, port)).await,
                Err(_) => tokio::net::TcpStream::connect((host, port)).await,
            }
        };
        matches!(tokio::time::timeout(limit, connect).await, Ok(Ok(_)))
    }

    // -----------------------------------------------------------------------------------
    // HTTP plumbing shared by both contracts

    /// The endpoint `segments` under the contract's prefix; each segment is escaped.
    fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.api.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// One request, its answer read whole. A connection that could not be made is
    /// `NotSent`; a timeout or a connection lost after sending is `MaybeSent`.
    async fn execute(&self, request: RequestBuilder) -> Exchange {
        match request.send().await {
            Err(e) if e.is_connect() || e.is_builder() => Exchange::NotSent(describe(&e)),
            Err(e) => Exchange::MaybeSent(describe(&e)),
            Ok(response) => {
                let status = response.status().as_u16();
                match response.bytes().await {
                    Ok(body) => Exchange::Answered { status, body: body.to_vec() },
                    // A success whose body was lost: it was done, but we cannot read how.
                    Err(e) if (200..300).contains(&status) => {
                        Exchange::MaybeSent(format!("HTTP {status} sin cuerpo completo: {}", describe(&e)))
                    }
                    Err(_) => Exchange::Answered { status, body: Vec::new() },
                }
            }
        }
    }

    /// A call with the cached token; on a 401 the token is renewed and the call sent once
    /// more (tokens expire mid-drain). A 401 that persists comes back as the answer.
    async fn authorized(&self, build: impl Fn(&str) -> RequestBuilder) -> Result<Exchange, TokenError> {
        let token = self.token().await?;
        let first = self.execute(build(&token)).await;
        if !matches!(first, Exchange::Answered { status: 401, .. }) {
            return Ok(first);
        }
        self.forget_token(&token).await;
        let token = self.token().await?;
        Ok(self.execute(build(&token)).await)
    }

    /// The cached token, or a new one. The lock is held while fetching, so concurrent
    /// callers wait for one refresh instead of each asking for a token.
    async fn token(&self) -> Result<String, TokenError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(token.value.clone());
        }
        *cached = None;
        let fresh = self.fetch_token().await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    /// Drops `token` from the cache unless another caller already replaced it.
    async fn forget_token(&self, token: &str) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|t| t.value == token) {
            *cached = None;
        }
    }

    async fn fetch_token(&self) -> Result<CachedToken, TokenError> {
        let (request, what) = match self.contract {
            Contrato::BilleteraV2 => (
                self.http
                    .post(self.endpoint(&["auth", "token"]))
                    .header(ACCEPT, "application/json")
                    .json(&serde_json::json!({ "username": self.secret.user, "password": self.secret.secret })),
                "usuario o contraseña de la billetera",
            ),
            // The document only says "authorization: Used to send a valid OAuth 2 access
            // token" (seeds/004 L800) and names no token endpoint: the connection's
            // `url_token` is an OAuth 2 client-credentials URL, given the client's headers
            // as every call carries them and `grant_type=client_credentials` (RFC 6749 §4.4).
            Contrato::BancoV1 => (
                self.http
                    .post(self.bank.as_ref().map(|b| b.token_url.as_str()).unwrap_or_default())
                    .headers(self.bank_headers.clone())
                    .header(ACCEPT, "application/json")
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body("grant_type=client_credentials"),
                "client_id o client_secret del banco",
            ),
        };
        let (status, body) = match self.execute(request).await {
            Exchange::Answered { status, body } => (status, body),
            Exchange::NotSent(detail) | Exchange::MaybeSent(detail) => {
                return Err(TokenError::Unavailable(format!("no se obtuvo el token: {detail}")))
            }
        };
        if !(200..300).contains(&status) {
            // The error text only: a token endpoint's body is never echoed whole.
            let reason = token_error_text(&body);
            return Err(match status {
                400 | 401 | 403 => TokenError::Credentials(format!(
                    "el proveedor rechazó {what} (HTTP {status}{reason}); un encargado debe corregirlos"
                )),
                _ => TokenError::Unavailable(format!("el servicio de tokens respondió HTTP {status}{reason}")),
            });
        }
        let parsed: Result<TokenReply, _> = serde_json::from_slice(&body);
        let Ok(reply) = parsed else {
            return Err(TokenError::Unavailable(format!(
                "respuesta de token ilegible (HTTP {status}, {} bytes)",
                body.len()
            )));
        };
        let value = reply.token.or(reply.access_token).filter(|t| !t.trim().is_empty());
        let Some(value) = value else {
            return Err(TokenError::Unavailable(format!("HTTP {status} sin token en la respuesta")));
        };
        let ttl = match self.contract {
            // `"expires_at": number` (seeds/002 L8): a Unix time in the connection's unit
            // (default seconds; the document gives none), read against our clock.
            Contrato::BilleteraV2 => reply.expires_at.as_ref().and_then(number_secs).map(|at| {
                let at = match self.expiry_unit {
                    UnidadExpiracion::Segundos => at,
                    UnidadExpiracion::Milisegundos => at / 1000,
                };
                let now = chrono::Utc::now().timestamp();
                at.saturating_sub(now)
            }),
            Contrato::BancoV1 => reply.expires_in.as_ref().and_then(number_secs),
        };
        Ok(CachedToken { value, refresh_at: refresh_deadline(ttl) })
    }

    fn outcome_of_token_error(&self, err: TokenError) -> Outcome {
        match err {
            TokenError::Credentials(text) => Outcome::Rejected { code: CREDENTIALS_REJECTED.into(), text },
            TokenError::Unavailable(detail) => Outcome::Retryable { detail },
        }
    }
}

#[derive(Deserialize)]
struct TokenReply {
    /// Wallet.
    token: Option<String>,
    expires_at: Option<serde_json::Value>,
    /// Bank (OAuth 2).
    access_token: Option<String>,
    expires_in: Option<serde_json::Value>,
}

fn number_secs(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// When to renew a token that lives `ttl` seconds: a little before it expires. A missing
/// or absurd lifetime (a skewed clock on either side) is taken as 5 minutes and bounded,
/// and a 401 renews it anyway.
fn refresh_deadline(ttl: Option<i64>) -> Instant {
    let ttl = ttl.filter(|t| *t > 0).unwrap_or(300).clamp(5, 24 * 3600) as u64;
    let margin = (ttl / 10).clamp(1, 30);
    Instant::now() + Duration::from_secs(ttl - margin)
}

/// `: message` from a token endpoint's error body (wallet `message`, OAuth `error` and
/// `error_description`), never the body itself.
fn token_error_text(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        message: Option<String>,
        error: Option<String>,
        error_description: Option<String>,
    }
    let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) else { return String::new() };
    let parts: Vec<String> =
        [parsed.message, parsed.error, parsed.error_description].into_iter().flatten().map(|s| clip(&s)).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(" — "))
    }
}

/// A provider text kept short for a detail string.
fn clip(text: &str) -> String {
    const MAX: usize = 200;
    let text = text.trim();
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// A transport error with its causes (`connection refused`, `operation timed out`);
/// reqwest's own message names only the URL, which carries no credential.
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    if e.is_timeout() && !text.contains("timed out") {
        text.push_str(" (tiempo de espera agotado)");
    }
    text
}

/// Turns a class into the outcome; `code` and `text` are the provider's.
fn outcome_for(class: ErrorClass, status: u16, code: &str, text: &str) -> Outcome {
    let code = if code.trim().is_empty() { status.to_string() } else { code.trim().to_string() };
    let text = if text.trim().is_empty() { format!("HTTP {status}") } else { clip(text) };
    // The wallet's code is its HTTP status: said once.
    let head = if code == status.to_string() { format!("HTTP {status}") } else { format!("HTTP {status} {code}") };
    match class {
        ErrorClass::Rejected => Outcome::Rejected { code, text },
        ErrorClass::Retryable => Outcome::Retryable { detail: format!("{head}: {text}") },
        ErrorClass::Unknown => Outcome::Unknown { detail: format!("{head}: {text}") },
        ErrorClass::Unauthorized => {
            Outcome::Retryable { detail: format!("{head}: {text} (token rechazado aun después de renovarlo)") }
        }
    }
}

/// A transport failure as an outcome.
fn outcome_of_exchange_failure(exchange: Exchange) -> Option<Outcome> {
    match exchange {
        Exchange::NotSent(detail) => Some(Outcome::Retryable { detail: format!("sin conexión: {detail}") }),
        Exchange::MaybeSent(detail) => Some(Outcome::Unknown { detail: format!("enviado sin respuesta: {detail}") }),
        Exchange::Answered { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_amounts() {
        let c = |s: &str| parse_amount(s).map(Money::centavos);
        assert_eq!(c("150.50"), Some(15_050));
        assert_eq!(c("99"), Some(9_900));
        assert_eq!(c("99.000"), Some(9_900));
        assert_eq!(c("0.1"), Some(10));
        assert_eq!(c("-5"), Some(-500));
        assert_eq!(c("5812025.20"), Some(581_202_520));
        assert_eq!(c("1.005"), None);
        assert_eq!(c("1e3"), None);
        assert_eq!(c("1."), None);
        assert_eq!(c(".5"), None);
        assert_eq!(c("NaN"), None);
        assert_eq!(c(""), None);
        assert_eq!(c("9999999999999999"), None);
        assert_eq!(amount_json(Money::from_centavos(15_050)).get(), "150.50");
        assert_eq!(amount_json(Money::from_centavos(9_900)).get(), "99.00");
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let secret = ProviderSecret { user: "agente".into(), secret: "muy-secreto".into() };
        let cfg = ConnectorConfig {
            contract: Contrato::BancoV1,
            base_url: "http://127.0.0.1:1".into(),
            secret,
            timeout: Duration::from_secs(1),
            settings: AjustesContrato { url_token: Some("http://127.0.0.1:1/token".into()), ..AjustesContrato::default() },
        };
        assert!(!format!("{cfg:?}").contains("muy-secreto"));
        let connector = Connector::new(cfg).unwrap();
        assert!(!format!("{connector:?}").contains("muy-secreto"));
    }

    #[test]
    fn endpoints_keep_or_add_the_prefix() {
        let make = |contract, base: &str| {
            let cfg = ConnectorConfig {
                contract,
                base_url: base.into(),
                secret: ProviderSecret { user: "u".into(), secret: "s".into() },
                timeout: Duration::from_secs(1),
                settings: AjustesContrato { url_token: Some("https://x.example/token".into()), ..AjustesContrato::default() },
            };
            Connector::new(cfg).unwrap()
        };
        let bank = make(Contrato::BancoV1, "https://x.example/transfers-management/v1/");
        assert_eq!(bank.endpoint(&["deposit"]).as_str(), "https://x.example/transfers-management/v1/deposit");
        let bank = make(Contrato::BancoV1, "http://127.0.0.1:9000");
        assert_eq!(bank.endpoint(&["deposit"]).as_str(), "http://127.0.0.1:9000/transfers-management/v1/deposit");
        let wallet = make(Contrato::BilleteraV2, "https://w.example/api");
        assert_eq!(
            wallet.endpoint(&["payment", "cashin", "a/b"]).as_str(),
            "https://w.example/api/v2/payment/cashin/a%2Fb"
        );
    }
}
