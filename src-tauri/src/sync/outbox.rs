//! The outbox table: rows written in the same transaction as the operation they belong
//! to, and the state changes the worker makes as it sends them.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;

use crate::connectors::{bank, wallet};
use crate::domain::{
    text, CoreError, CoreResult, Contrato, ErrorCode, EstadoEnvio, LlamadaApi, Money, OutboundItem, TipoOperacion,
};

/// The error code of a wallet reversal, which the contract cannot send.
pub const NO_REVERSAL: &str = "SIN_REVERSO";

/// Outbox states that still owe the provider a call (count against the offline limit).
pub const UNACKED: &str = "('queued', 'sending', 'retry_wait', 'needs_attention')";

/// A provider's connection as the outbox needs it.
#[derive(Debug, Clone)]
pub struct Link {
    pub contract: Contrato,
    pub base_url: String,
    pub send_deposito: bool,
    pub send_retiro: bool,
    pub send_qr: bool,
    pub store_account: Option<String>,
    /// Bank: the point of service its deposits are taken at.
    pub point: Option<bank::ServicePoint>,
    pub max_single: Money,
    pub max_queued: Money,
}

impl Link {
    /// The call an operation of this type makes, if this provider sends it.
    pub fn call_for(&self, tipo: TipoOperacion) -> Option<LlamadaApi> {
        let sends = match tipo {
            TipoOperacion::Deposito => self.send_deposito,
            TipoOperacion::TransferenciaQr => self.send_qr,
            TipoOperacion::Retiro => self.send_retiro,
        };
        if !sends {
            return None;
        }
        match (self.contract, tipo) {
            (Contrato::BilleteraV2, TipoOperacion::Retiro) => Some(LlamadaApi::VerificarCobro),
            (Contrato::BilleteraV2, _) => Some(LlamadaApi::Cashout),
            // The bank contract has no way to verify a customer's transfer.
            (Contrato::BancoV1, TipoOperacion::Retiro) => None,
            (Contrato::BancoV1, _) => Some(LlamadaApi::Deposito),
        }
    }
}

pub fn link(conn: &Connection, provider: &str) -> rusqlite::Result<Option<Link>> {
    conn.prepare_cached(
        "SELECT contract, send_deposito, send_retiro, send_qr, store_account, max_single, max_queued, base_url,
                point_code, point_branch, point_city_id, point_city, point_state
         FROM provider_connections WHERE provider = ?1",
    )?
    .query_row([provider], |r| {
        let point = match (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?) {
            (Some(code), Some(branch_name), Some(city_id), Some(city), Some(state_prov)) => {
                Some(bank::ServicePoint { code, branch_name, city_id, city, state_prov })
            }
            _ => None,
        };
        Ok(Link {
            point,
            contract: r.get(0)?,
            send_deposito: r.get(1)?,
            send_retiro: r.get(2)?,
            send_qr: r.get(3)?,
            store_account: r.get(4)?,
            max_single: r.get(5)?,
            max_queued: r.get(6)?,
            base_url: r.get(7)?,
        })
    })
    .optional()
}

/// What a new operation will send, checked before anything is written.
pub struct Planned {
    pub call: LlamadaApi,
    pub contract: Contrato,
    pub account: Option<String>,
    pub store_account: Option<String>,
    pub point: Option<bank::ServicePoint>,
}

/// Validates an operation against its provider's connection and offline limits.
/// `None`: the provider is record-only for this operation type.
pub fn plan(
    conn: &Connection,
    provider: &str,
    tipo: TipoOperacion,
    monto: Money,
    cuenta_cliente: Option<&str>,
) -> CoreResult<Option<Planned>> {
    let Some(link) = link(conn, provider)? else { return Ok(None) };
    let Some(call) = link.call_for(tipo) else { return Ok(None) };
    let account = match call {
        LlamadaApi::Cashout | LlamadaApi::Deposito => {
            let account = cuenta_cliente.ok_or_else(|| CoreError::required("cuenta_cliente"))?;
            check_customer_account(link.contract, account)?;
            Some(account.to_string())
        }
        _ => None,
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
    Ok(Some(Planned { call, contract: link.contract, account, store_account: link.store_account, point: link.point }))
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

/// Amount owed to a provider and not yet acknowledged (kept by triggers in `outbox_owed`).
pub fn pending_amount(conn: &Connection, provider: &str) -> rusqlite::Result<Money> {
    Ok(conn
        .prepare_cached("SELECT amount FROM outbox_owed WHERE provider = ?1")?
        .query_row([provider], |r| r.get(0))
        .optional()?
        .unwrap_or(Money::ZERO))
}

fn install_id(conn: &Connection) -> rusqlite::Result<String> {
    Ok(crate::store::setting(conn, "install_id")?.unwrap_or_else(|| "0".into()))
}

/// A number in 0..1,000,000 derived from this database's random install id.
fn install_offset(conn: &Connection) -> rusqlite::Result<i64> {
    let install = install_id(conn)?;
    Ok(i64::from_str_radix(install.get(..5).unwrap_or("0"), 16).unwrap_or(0) % 1_000_000)
}

fn next_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(id), 0) + 1 FROM outbox")?.query_row([], |r| r.get(0))
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
    let id = next_id(conn)?;
    let (key, body) = match planned.call {
        LlamadaApi::Cashout => {
            let key = format!("MST-{}-{id}", install_id(conn)?);
            let account = planned.account.as_deref().unwrap_or_default();
            let body = wallet::cashout_body(&key, account, monto, &format!("Depósito {referencia}"));
            (key, body)
        }
        // The customer's transfer must be for the amount handed out.
        LlamadaApi::VerificarCobro => (referencia.to_string(), wallet::cashin_check_body_for_amount(referencia, monto)),
        LlamadaApi::Deposito => {
            // The contract's trnRqUID has six digits: unique for the last million deposits
            // of this install, counted from an offset drawn from its id, so a new install
            // does not start again at the keys of the one before.
            let key = format!("{:06}", (install_offset(conn)? + id) % 1_000_000);
            let to = planned.account.as_deref().unwrap_or_default();
            let from = planned.store_account.as_deref().unwrap_or_default();
            let local = at.with_timezone(&crate::service::clock::store_offset());
            // configure_provider refuses a bank that sends deposits without its point.
            let point = planned.point.as_ref().ok_or_else(|| CoreError::internal(format!("{provider} no tiene punto de servicio")))?;
            (key.clone(), bank::deposit_body(&key, to, from, monto, local, point))
        }
        LlamadaApi::Reverso => return Err(CoreError::internal("un reverso se encola al anular")),
    };
    insert(conn, id, provider, planned.call, agent_transaction_id, None, &key, &body, monto, EstadoEnvio::Queued, None, now)?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
fn insert(
    conn: &Connection,
    id: i64,
    provider: &str,
    call: LlamadaApi,
    agent_transaction_id: i64,
    reverses: Option<i64>,
    key: &str,
    body: &RawValue,
    amount: Money,
    state: EstadoEnvio,
    error: Option<(&str, &str)>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (id, provider, call, agent_transaction_id, reverses, idempotency_key, body, amount, state,
                             next_attempt_at, error_code, error_text, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        id,
        provider,
        call,
        agent_transaction_id,
        reverses,
        key,
        body.get(),
        amount,
        state,
        error.map(|e| e.0),
        error.map(|e| e.1),
        now
    ])?;
    Ok(())
}

/// Cancels one call that did not take effect at the provider (its outcome is known):
/// by an administrator (`actor`) or by the worker.
pub fn cancel(conn: &Connection, id: i64, actor: Option<i64>, reason: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'cancelled', cancelled_by = ?2, cancel_reason = ?3, updated_at = ?4, outcome_unknown = 0
         WHERE id = ?1",
    )?
    .execute(params![id, actor, reason, now])?;
    Ok(())
}

/// What a void does to the calls of the voided operation, in the void's transaction:
/// a call that surely never reached the provider is cancelled; a deposit that did (or
/// may have) gets its reversal, sent once the deposit is acknowledged. The wallet
/// contract has no reversal, so a sent cashout is left to the manager.
pub fn on_void(conn: &Connection, agent_transaction_id: i64, motivo: &str, actor: i64, now: &str) -> CoreResult<()> {
    struct Call {
        id: i64,
        provider: String,
        call: LlamadaApi,
        key: String,
        body: String,
        amount: Money,
        state: EstadoEnvio,
        unknown: bool,
    }
    let rows: Vec<Call> = conn
        .prepare_cached(
            "SELECT id, provider, call, idempotency_key, body, amount, state, outcome_unknown FROM outbox
             WHERE agent_transaction_id = ?1 AND reverses IS NULL",
        )?
        .query_map([agent_transaction_id], |r| {
            Ok(Call {
                id: r.get(0)?,
                provider: r.get(1)?,
                call: r.get(2)?,
                key: r.get(3)?,
                body: r.get(4)?,
                amount: r.get(5)?,
                state: r.get(6)?,
                unknown: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    for Call { id, provider, call, key, body, amount, state, unknown } in rows {
        let never_sent = matches!(state, EstadoEnvio::Queued | EstadoEnvio::RetryWait | EstadoEnvio::NeedsAttention) && !unknown;
        if state == EstadoEnvio::Cancelled {
            continue;
        }
        if never_sent {
            cancel(conn, id, Some(actor), &format!("Operación anulada: {motivo}"), now)?;
            continue;
        }
        match call {
            LlamadaApi::Deposito => {
                let body = RawValue::from_string(body).map_err(CoreError::internal)?;
                let reversal = bank::reversal_body(&body).map_err(CoreError::internal)?;
                insert(conn, next_id(conn)?, &provider, LlamadaApi::Reverso, agent_transaction_id, Some(id), &key, &reversal, amount, EstadoEnvio::Queued, None, now)?;
            }
            LlamadaApi::Cashout => {
                let note = (
                    NO_REVERSAL,
                    "La billetera no ofrece reverso de un cashout enviado: pida al cliente que devuelva el dinero y cancele esta fila.",
                );
                insert(conn, next_id(conn)?, &provider, LlamadaApi::Reverso, agent_transaction_id, Some(id), &key, &null_body(), amount, EstadoEnvio::NeedsAttention, Some(note), now)?;
            }
            // Verifying the customer's transfer only reads; nothing to undo at the provider.
            LlamadaApi::VerificarCobro | LlamadaApi::Reverso => {}
        }
    }
    Ok(())
}

/// The body of a row that is never sent.
fn null_body() -> Box<RawValue> {
    RawValue::from_string("null".into()).expect("null is JSON")
}

pub const OUTBOX_COLUMNS: &str = "o.id, o.provider, o.call, o.agent_transaction_id, a.tipo_operacion, a.nro_referencia,
     o.reverses, o.idempotency_key, o.amount, o.state, o.attempts, o.next_attempt_at, o.outcome_unknown,
     o.provider_ref, o.error_code, o.error_text, o.created_at, o.updated_at, o.acked_at, o.cancel_reason";

pub const OUTBOX_FROM: &str = "outbox o JOIN agent_transactions a ON a.id = o.agent_transaction_id";

pub fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboundItem> {
    let state: EstadoEnvio = r.get(9)?;
    let next: i64 = r.get(11)?;
    let waiting = matches!(state, EstadoEnvio::RetryWait | EstadoEnvio::Queued);
    Ok(OutboundItem {
        id: r.get(0)?,
        banco: r.get(1)?,
        llamada: r.get(2)?,
        id_transaccion: r.get(3)?,
        tipo_operacion: r.get(4)?,
        nro_referencia: r.get(5)?,
        revierte: r.get(6)?,
        clave: r.get(7)?,
        monto: r.get(8)?,
        estado: state,
        intentos: r.get(10)?,
        proximo_intento: waiting.then(|| millis_to_rfc3339(next)).flatten(),
        resultado_incierto: r.get(12)?,
        referencia_proveedor: r.get(13)?,
        codigo_error: r.get(14)?,
        mensaje_error: r.get(15)?,
        creado: r.get(16)?,
        actualizado: r.get(17)?,
        confirmado: r.get(18)?,
        motivo_cancelacion: r.get(19)?,
    })
}

fn millis_to_rfc3339(ms: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

pub fn load_item(conn: &Connection, id: i64) -> CoreResult<OutboundItem> {
    conn.prepare_cached(&format!("SELECT {OUTBOX_COLUMNS} FROM {OUTBOX_FROM} WHERE o.id = ?1"))?
        .query_row([id], item_from_row)
        .optional()?
        .ok_or_else(|| CoreError::not_found("id", "la fila de envío"))
}
