//! The outbox's rules: what an operation sends its provider (checked against the
//! connection and its offline limits before anything is written), the row written in
//! the operation's own transaction, and what a void does to the calls already made.
//! The rows are read and written by `store::outbox`.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::value::RawValue;

use crate::connectors::{bank, wallet};
use crate::domain::{TipoDeposito, 
    text, CoreError, CoreResult, Contrato, ErrorCode, EstadoEnvio, LlamadaApi, Money, OutboundItem, PuntoServicio,
    TipoOperacion,
};
use crate::store::outbox::{self, NewCall, OriginalCall};
use crate::store::providers as store;

pub use crate::store::providers::Link;

/// The error code of a wallet reversal, which the contract cannot send.
pub const NO_REVERSAL: &str = "SIN_REVERSO";

/// The call an operation of this type makes on `link`, if this provider sends it.
pub fn call_for(link: &Link, tipo: TipoOperacion) -> Option<LlamadaApi> {
    let sends = match tipo {
        TipoOperacion::Deposito => link.send_deposito,
        TipoOperacion::TransferenciaQr => link.send_qr,
        TipoOperacion::Retiro => link.send_retiro,
    };
    if !sends {
        return None;
    }
    match (link.contract, tipo) {
        (Contrato::BilleteraV2, TipoOperacion::Retiro) => Some(LlamadaApi::VerificarCobro),
        (Contrato::BilleteraV2, _) => Some(LlamadaApi::Cashout),
        // The bank contract has no way to verify a customer's transfer.
        (Contrato::BancoV1, TipoOperacion::Retiro) => None,
        (Contrato::BancoV1, _) => Some(LlamadaApi::Deposito),
    }
}

/// A provider's connection as stored, `None` for a record-only provider.
pub fn link(conn: &Connection, provider: &str) -> rusqlite::Result<Option<Link>> {
    store::link(conn, provider)
}

/// The bank's point of service as the deposit body carries it.
fn service_point(point: PuntoServicio) -> bank::ServicePoint {
    bank::ServicePoint {
        code: point.codigo,
        branch_name: point.nombre,
        city_id: point.ciudad_id,
        city: point.ciudad,
        state_prov: point.departamento,
    }
}

/// What a new operation will send, checked before anything is written.
pub struct Planned {
    pub call: LlamadaApi,
    pub contract: Contrato,
    pub account: Option<String>,
    pub store_account: Option<String>,
    pub point: Option<bank::ServicePoint>,
    /// Bank: its zone and how it writes `trn.type` (the connection's settings).
    pub bank_zone: chrono::FixedOffset,
    pub deposit_type: TipoDeposito,
    /// Wallet cashout: the customer's CUIT and the connection's concept.
    pub cuit: Option<String>,
    pub concept: Option<String>,
}

/// Validates an operation against its provider's connection and offline limits.
/// `None`: the provider is record-only for this operation type.
pub fn plan(
    conn: &Connection,
    provider: &str,
    tipo: TipoOperacion,
    monto: Money,
    cuenta_cliente: Option<&str>,
    cuit_cliente: Option<&str>,
) -> CoreResult<Option<Planned>> {
    let Some(link) = link(conn, provider)? else { return Ok(None) };
    let Some(call) = call_for(&link, tipo) else { return Ok(None) };
    let account = match call {
        LlamadaApi::Cashout | LlamadaApi::Deposito => {
            let account = cuenta_cliente.ok_or_else(|| CoreError::required("cuenta_cliente"))?;
            check_customer_account(link.contract, account)?;
            Some(account.to_string())
        }
        _ => None,
    };
    // The wallet's cashout sends `"cuit": string` (seeds/002 L44, not marked optional)
    // and a `"concept"` of its catalogue: the customer's CUIT is asked at the counter,
    // the concept is the connection's (configure_provider requires it).
    let (cuit, concept) = match call {
        LlamadaApi::Cashout => {
            let cuit = cuit_cliente.ok_or_else(|| CoreError::required("cuit_cliente"))?;
            let concept = link.settings.concepto.clone().ok_or_else(|| {
                CoreError::new(
                    ErrorCode::EstadoNoPermite,
                    "banco",
                    format!("La conexión de {provider} no tiene «concepto» de cashout: un administrador debe elegirlo en la configuración."),
                )
            })?;
            (Some(cuit.to_string()), Some(concept))
        }
        _ => (None, None),
    };
    if monto > link.max_single {
        return Err(CoreError::new(
            ErrorCode::LimiteFueraDeLinea,
            "monto",
            format!("El monto supera el límite por operación sin confirmar de {provider} (Bs {}).", link.max_single),
        ));
    }
    let queued = pending_amount(conn, provider)?;
    if queued.checked_add(monto).is_none_or(|total| total > link.max_queued) {
        return Err(CoreError::new(
            ErrorCode::LimiteFueraDeLinea,
            "monto",
            format!(
                "Con este monto, lo pendiente de confirmar con {provider} superaría su límite de Bs {} (ya pendiente: Bs {queued}).",
                link.max_queued
            ),
        ));
    }
    Ok(Some(Planned {
        call,
        contract: link.contract,
        account,
        store_account: link.store_account,
        point: link.point.map(service_point),
        bank_zone: bank::bank_offset(link.settings.zona_horaria.as_deref()),
        deposit_type: link.settings.tipo_deposito.unwrap_or(TipoDeposito::CodigoNR),
        cuit,
        concept,
    }))
}

/// A 22-digit CVU or an alias for the wallet; an account number for the bank.
fn check_customer_account(contract: Contrato, account: &str) -> CoreResult<()> {
    let ok = match contract {
        Contrato::BilleteraV2 => {
            (account.len() == 22 && account.bytes().all(|b| b.is_ascii_digit()))
                || ((6..=20).contains(&account.len())
                    && account.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                    && !account.bytes().all(|b| b.is_ascii_digit()))
        }
        Contrato::BancoV1 => (6..=20).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_digit()),
    };
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "cuenta_cliente",
            match contract {
                Contrato::BilleteraV2 => "debe ser un CVU de 22 dígitos o un alias de 6 a 20 letras, dígitos, «.» o «-»",
                Contrato::BancoV1 => "debe ser un número de cuenta de 6 a 20 dígitos",
            },
        ))
    }
}

/// The customer's account as typed: trimmed, at most 40 characters.
pub fn customer_account(input: Option<&str>) -> CoreResult<Option<String>> {
    text::optional("cuenta_cliente", input, 40)
}

/// The customer's CUIT as typed: 11 digits once dashes, dots and spaces are dropped
/// (`20-30405060-7`). Checked whenever given; required only by a wallet cashout.
pub fn customer_cuit(input: Option<&str>) -> CoreResult<Option<String>> {
    let Some(typed) = text::optional("cuit_cliente", input, 20)? else { return Ok(None) };
    let digits: String = typed.chars().filter(|c| !matches!(c, '-' | '.' | ' ')).collect();
    if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CoreError::invalid("cuit_cliente", "debe tener 11 dígitos (se admiten guiones: 20-30405060-7)"));
    }
    Ok(Some(digits))
}

/// Amount owed to a provider and not yet acknowledged.
pub fn pending_amount(conn: &Connection, provider: &str) -> rusqlite::Result<Money> {
    outbox::pending_amount(conn, provider)
}

fn install_id(conn: &Connection) -> rusqlite::Result<String> {
    Ok(crate::store::setting(conn, "install_id")?.unwrap_or_else(|| "0".into()))
}

/// A number in 0..1,000,000 derived from this database's random install id.
fn install_offset(conn: &Connection) -> rusqlite::Result<i64> {
    let install = install_id(conn)?;
    Ok(i64::from_str_radix(install.get(..5).unwrap_or("0"), 16).unwrap_or(0) % BANK_KEYS)
}

/// How many `trnRqUID`s there are: the contract's key has six digits.
pub const BANK_KEYS: i64 = 1_000_000;

/// The `trnRqUID` of the bank deposit that outbox row `id` will be (CONTRACTS.md, "Keys
/// that never collide"): counted from an offset drawn from the install id, so a new
/// install does not start again at the keys of the one before; never one this store has
/// already given a deposit to `provider`, so after the millionth row the count skips the
/// keys in use (the outbox keeps every row, and the bank may remember any of them). When
/// all million are used, deposits to that bank are refused, nothing written.
fn bank_key(conn: &Connection, provider: &str, id: i64) -> CoreResult<String> {
    let start = install_offset(conn)? + id;
    for step in 0..BANK_KEYS {
        let key = format!("{:06}", (start + step) % BANK_KEYS);
        if !outbox::key_taken(conn, provider, LlamadaApi::Deposito, &key)? {
            return Ok(key);
        }
    }
    Err(CoreError::general(
        ErrorCode::EstadoNoPermite,
        format!(
            "Esta tienda ya usó los 1.000.000 números de depósito (trnRqUID) que admite {provider}: \
             no se puede encolar otro depósito sin arriesgar que el banco lo confunda con uno anterior."
        ),
    ))
}

/// Writes the outbox row of a new agent transaction; the caller's transaction commits it
/// with the operation.
#[allow(clippy::too_many_arguments)]
pub fn enqueue(
    conn: &Connection,
    provider: &str,
    planned: &Planned,
    agent_transaction_id: i64,
    referencia: &str,
    monto: Money,
    at: DateTime<Utc>,
    now: &str,
) -> CoreResult<i64> {
    let id = outbox::next_id(conn)?;
    let (key, body) = match planned.call {
        LlamadaApi::Cashout => {
            let key = format!("MST-{}-{id}", install_id(conn)?);
            let account = planned.account.as_deref().unwrap_or_default();
            let cashout = wallet::Cashout {
                reference_id: &key,
                destination: account,
                cuit: planned.cuit.as_deref().unwrap_or_default(),
                amount: monto,
                concept: planned.concept.as_deref().unwrap_or_default(),
                description: &format!("Depósito {referencia}"),
            };
            let body = wallet::cashout_body(&cashout);
            (key, body)
        }
        // The customer's transfer must be for the amount handed out.
        LlamadaApi::VerificarCobro => (referencia.to_string(), wallet::cashin_check_body_for_amount(referencia, monto)),
        LlamadaApi::Deposito => {
            let key = bank_key(conn, provider, id)?;
            let to = planned.account.as_deref().unwrap_or_default();
            let from = planned.store_account.as_deref().unwrap_or_default();
            // The bank's zone (the connection's setting): the hour and book date it reads.
            let local = at.with_timezone(&planned.bank_zone);
            // configure_provider refuses a bank that sends deposits without its point.
            let point = planned.point.as_ref().ok_or_else(|| CoreError::internal(format!("{provider} no tiene punto de servicio")))?;
            (key.clone(), bank::deposit_body(&key, to, from, monto, local, point, planned.deposit_type))
        }
        LlamadaApi::Reverso => return Err(CoreError::internal("un reverso se encola al anular")),
    };
    outbox::insert(
        conn,
        &NewCall {
            id,
            provider,
            call: planned.call,
            agent_transaction_id,
            reverses: None,
            key: &key,
            body: &body,
            amount: monto,
            state: EstadoEnvio::Queued,
            error: None,
            now,
        },
    )?;
    Ok(id)
}

/// Cancels one call that did not take effect at the provider (its outcome is known):
/// by an administrator (`actor`) or by the worker. A call whose outcome is unknown is
/// never cancelled: `false`, nothing changed.
pub fn cancel(conn: &Connection, id: i64, actor: Option<i64>, reason: &str, now: &str) -> rusqlite::Result<bool> {
    outbox::cancel(conn, id, actor, reason, now)
}

/// What a void does to the calls of the voided operation, in the void's transaction:
/// a call that surely never reached the provider is cancelled; a deposit that did (or
/// may have) gets its reversal, sent once the deposit is acknowledged. The wallet
/// contract has no reversal, so a sent cashout is left to the manager.
pub fn on_void(conn: &Connection, agent_transaction_id: i64, motivo: &str, actor: i64, now: &str) -> CoreResult<()> {
    for OriginalCall { id, provider, call, key, body, amount, state, unknown } in outbox::original_calls(conn, agent_transaction_id)? {
        let never_sent = matches!(state, EstadoEnvio::Queued | EstadoEnvio::RetryWait | EstadoEnvio::NeedsAttention) && !unknown;
        if state == EstadoEnvio::Cancelled {
            continue;
        }
        if never_sent {
            cancel(conn, id, Some(actor), &format!("Operación anulada: {motivo}"), now)?;
            continue;
        }
        let (body, state, error) = match call {
            LlamadaApi::Deposito => {
                let body = RawValue::from_string(body).map_err(CoreError::internal)?;
                (bank::reversal_body(&body).map_err(CoreError::internal)?, EstadoEnvio::Queued, None)
            }
            LlamadaApi::Cashout => {
                let note = if unknown {
                    (
                        NO_REVERSAL,
                        "Esperando respuesta del proveedor: si la billetera confirma el cashout, pida al cliente que devuelva el dinero y cancele esta fila; si confirma que no lo tiene, esta fila se cancela sola.",
                    )
                } else {
                    (
                        NO_REVERSAL,
                        "La billetera no ofrece reverso de un cashout enviado: pida al cliente que devuelva el dinero y cancele esta fila.",
                    )
                };
                (null_body(), EstadoEnvio::NeedsAttention, Some(note))
            }
            // Verifying the customer's transfer only reads; nothing to undo at the provider.
            LlamadaApi::VerificarCobro | LlamadaApi::Reverso => continue,
        };
        let reversal = NewCall {
            id: outbox::next_id(conn)?,
            provider: &provider,
            call: LlamadaApi::Reverso,
            agent_transaction_id,
            reverses: Some(id),
            key: &key,
            body: &body,
            amount,
            state,
            error,
            now,
        };
        outbox::insert(conn, &reversal)?;
    }
    Ok(())
}

/// The body of a row that is never sent.
fn null_body() -> Box<RawValue> {
    RawValue::from_string("null".into()).expect("null is JSON")
}

/// One row as the manager sees it.
pub fn load_item(conn: &Connection, id: i64) -> CoreResult<OutboundItem> {
    outbox::item(conn, id)?.ok_or_else(|| CoreError::not_found("id", "la fila de envío"))
}
