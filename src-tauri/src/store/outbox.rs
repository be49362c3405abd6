//! The `outbox` table: the calls each operation owes its provider, and every state
//! change the worker and the manager make to them. The rules (what to enqueue, when to
//! retry, what a void does) live in `sync`; this module only reads and writes rows.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;

use super::query::{self, Filter, Listing, Paging};
use crate::domain::{EstadoEnvio, LlamadaApi, Money, OutboundItem, Page};

/// Outbox states that still owe the provider a call (count against the offline limit).
const UNACKED: &str = "('queued', 'sending', 'retry_wait', 'needs_attention')";

/// A row to write.
pub struct NewCall<'a> {
    pub id: i64,
    pub provider: &'a str,
    pub call: LlamadaApi,
    pub agent_transaction_id: i64,
    /// The row this one reverses.
    pub reverses: Option<i64>,
    pub key: &'a str,
    pub body: &'a RawValue,
    pub amount: Money,
    pub state: EstadoEnvio,
    /// Error code and text it starts with (a row that needs attention from the start).
    pub error: Option<(&'a str, &'a str)>,
    pub now: &'a str,
}

/// An operation's original call, as a void needs it.
pub struct OriginalCall {
    pub id: i64,
    pub provider: String,
    pub call: LlamadaApi,
    pub key: String,
    pub body: String,
    pub amount: Money,
    pub state: EstadoEnvio,
    pub unknown: bool,
}

/// A row claimed for sending.
pub struct Claimed {
    pub id: i64,
    pub provider: String,
    pub call: LlamadaApi,
    pub key: String,
    pub body: Box<RawValue>,
    pub outcome_unknown: bool,
    pub attempts: i64,
    /// The operation was voided: an original call may only be confirmed, never sent anew.
    pub voided: bool,
    /// Cashout whose outcome is unknown (the only one looked up): other calls of this
    /// provider, not cancelled, with the same amount and CUIT, written from 8 days before
    /// this one on (however much later: the lookup lists from this call's day to today,
    /// so any of them may be there): the wallet's list (no ids) cannot tell them from this
    /// one. Not counted (0) otherwise: counting scans the provider's calls.
    pub twins: i64,
    /// When the row was written (the store's stamp): a lookup searches from that day.
    pub created_at: String,
    /// When an attempt that may still be in flight was last made (Unix ms).
    pub unknown_since: Option<i64>,
}

/// Rows by where they stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub acked: i64,
    /// Queued, being sent or waiting for a retry.
    pub pending: i64,
    pub needs_attention: i64,
}

/// Amount owed to a provider and not yet acknowledged (kept by triggers in `outbox_owed`).
pub fn pending_amount(conn: &Connection, provider: &str) -> rusqlite::Result<Money> {
    Ok(conn
        .prepare_cached("SELECT amount FROM outbox_owed WHERE provider = ?1")?
        .query_row([provider], |r| r.get(0))
        .optional()?
        .unwrap_or(Money::ZERO))
}

/// Calls to `provider` that still owe it something.
pub fn unacked_count(conn: &Connection, provider: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("SELECT COUNT(*) FROM outbox WHERE provider = ?1 AND state IN {UNACKED}"), [provider], |r| r.get(0))
}

/// The next outbox id: above every id the store has given, including those of calls a
/// restore took away (`outbox_retired`, see `store::backup`), since keys are built from it.
pub fn next_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM outbox), 0), COALESCE((SELECT MAX(outbox_id) FROM outbox_retired), 0)) + 1",
    )?
    .query_row([], |r| r.get(0))
}

/// Whether `provider` already has a call of kind `call` with idempotency key `key`, or had
/// one that a restore took away (`outbox_retired`).
pub fn key_taken(conn: &Connection, provider: &str, call: LlamadaApi, key: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE provider = ?1 AND call = ?2 AND idempotency_key = ?3)
             OR EXISTS (SELECT 1 FROM outbox_retired WHERE provider = ?1 AND call = ?2 AND idempotency_key = ?3)",
    )?
    .query_row(params![provider, call, key], |r| r.get(0))
}

pub fn insert(conn: &Connection, row: &NewCall<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (id, provider, call, agent_transaction_id, reverses, idempotency_key, body, amount, state,
                             next_attempt_at, error_code, error_text, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        row.id,
        row.provider,
        row.call,
        row.agent_transaction_id,
        row.reverses,
        row.key,
        row.body.get(),
        row.amount,
        row.state,
        row.error.map(|e| e.0),
        row.error.map(|e| e.1),
        row.now
    ])?;
    Ok(())
}

/// Marks one call cancelled, by an administrator (`actor`) or by the worker, **only if
/// its outcome is known** (nothing that may have moved money is cancelled blind);
/// returns whether it was cancelled.
pub fn cancel(conn: &Connection, id: i64, actor: Option<i64>, reason: &str, now: &str) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'cancelled', cancelled_by = ?2, cancel_reason = ?3, updated_at = ?4
             WHERE id = ?1 AND outcome_unknown = 0",
        )?
        .execute(params![id, actor, reason, now])?;
    Ok(changed == 1)
}

/// Cancels a call whose unknown outcome the provider itself has just resolved as never
/// applied (a lookup that did not find it in a list that covers its date).
pub fn cancel_resolved(conn: &Connection, id: i64, reason: &str, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'cancelled', cancel_reason = ?2, updated_at = ?3, outcome_unknown = 0 WHERE id = ?1",
    )?
    .execute(params![id, reason, now])?;
    Ok(())
}

/// A person found, on the provider's statement, that call `id` was never applied: its
/// outcome is known again and it is queued to be sent (with the same key).
pub fn requeue_not_applied(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'queued', next_attempt_at = 0, outcome_unknown = 0, error_code = NULL,
                error_text = NULL, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// Treats call `id` as an unknown outcome: it may have reached the provider, so it is
/// looked up (where the contract allows) before anything is sent again, and no void or
/// cancel drops it until the provider answers. For a store that lost track of what it
/// sent (a restore from a backup taken before the call went out). An acknowledged or
/// cancelled row is left as it is. Returns whether the row changed.
pub fn mark_outcome_unknown(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE outbox SET outcome_unknown = 1, updated_at = ?2,
                    unknown_since = CAST((julianday(?2) - 2440587.5) * 86400000 AS INTEGER),
                    state = CASE WHEN state = 'sending' THEN 'retry_wait' ELSE state END
             WHERE id = ?1 AND state IN ('queued', 'sending', 'retry_wait', 'needs_attention')",
        )?
        .execute(params![id, now])?;
    Ok(changed == 1)
}

/// [`mark_outcome_unknown`] for every call not yet acknowledged nor cancelled; returns
/// how many rows changed.
pub fn mark_unacknowledged_unknown(conn: &Connection, now: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE outbox SET outcome_unknown = 1, updated_at = ?1,
                unknown_since = CAST((julianday(?1) - 2440587.5) * 86400000 AS INTEGER),
                state = CASE WHEN state = 'sending' THEN 'retry_wait' ELSE state END
         WHERE state IN ('queued', 'sending', 'retry_wait', 'needs_attention')",
        [now],
    )
}

/// The provider answered a resend with "this reference already exists": the earlier
/// attempt was applied. Acknowledged without the provider's id, `code`/`text` saying it
/// is to be confirmed by the provider's statement.
pub fn mark_applied_unconfirmed(conn: &Connection, id: i64, now: &str, code: &str, text: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'acked', acked_at = ?2, updated_at = ?2, outcome_unknown = 0,
                error_code = ?3, error_text = ?4 WHERE id = ?1",
    )?
    .execute(params![id, now, code, text])?;
    Ok(())
}

/// The calls an operation made itself (not the reversals of them).
pub fn original_calls(conn: &Connection, agent_transaction_id: i64) -> rusqlite::Result<Vec<OriginalCall>> {
    conn.prepare_cached(
        "SELECT id, provider, call, idempotency_key, body, amount, state, outcome_unknown FROM outbox
         WHERE agent_transaction_id = ?1 AND reverses IS NULL",
    )?
    .query_map([agent_transaction_id], |r| {
        Ok(OriginalCall {
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
    .collect()
}

/// The idempotency keys of every call of one kind.
pub fn keys(conn: &Connection, call: LlamadaApi) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT idempotency_key FROM outbox WHERE call = ?1")?.query_map([call], |r| r.get(0))?.collect()
}

// ---------------------------------------------------------------------------------------
// The manager's view

const ITEM_COLUMNS: &str = "o.id, o.provider, o.call, o.agent_transaction_id, a.tipo_operacion, a.nro_referencia,
     o.reverses, o.idempotency_key, o.amount, o.state, o.attempts, o.next_attempt_at, o.outcome_unknown,
     o.provider_ref, o.error_code, o.error_text, o.created_at, o.updated_at, o.acked_at, o.cancel_reason";

const ITEM_FROM: &str = "outbox o JOIN agent_transactions a ON a.id = o.agent_transaction_id";

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboundItem> {
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

pub fn item(conn: &Connection, id: i64) -> rusqlite::Result<Option<OutboundItem>> {
    conn.prepare_cached(&format!("SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE o.id = ?1"))?
        .query_row([id], item_from_row)
        .optional()
}

const ITEMS: Listing<OutboundItem> = Listing { from: ITEM_FROM, columns: ITEM_COLUMNS, order: "o.id DESC", row: item_from_row };

/// One page of rows, newest first, of one state and provider when given, and only of the
/// operations of `owner`'s sessions when given.
pub fn page(
    conn: &Connection,
    state: Option<EstadoEnvio>,
    provider: Option<&str>,
    owner: Option<i64>,
    paging: Paging,
) -> rusqlite::Result<Page<OutboundItem>> {
    let mut filter = Filter::default();
    filter
        .and_some("o.state = ?", state.map(|s| s.as_str().to_string()))
        .and_some("o.provider = ?", provider.map(str::to_string))
        .and_some("a.id_caja_sesion IN (SELECT id FROM cash_sessions WHERE operator_id = ?)", owner);
    query::page(conn, &ITEMS, &filter, paging, None)
}

/// Whether the operation the row belongs to was voided.
pub fn operation_voided(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT a.voided_at IS NOT NULL FROM outbox o JOIN agent_transactions a ON a.id = o.agent_transaction_id
         WHERE o.id = ?1",
        [id],
        |r| r.get(0),
    )
}

/// Puts a row back in the queue, due at once, its last error cleared.
pub fn requeue(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET state = 'queued', next_attempt_at = 0, error_code = NULL, error_text = NULL, updated_at = ?2
         WHERE id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// Rows not yet acknowledged, the amount they owe (reversals excluded) and the rows that
/// need attention.
pub fn backlog(conn: &Connection) -> rusqlite::Result<(i64, Money, i64)> {
    conn.query_row(
        "SELECT COALESCE(SUM(state IN ('queued', 'sending', 'retry_wait')), 0),
                COALESCE(SUM(CASE WHEN state IN ('queued', 'sending', 'retry_wait') AND call != 'REVERSO' THEN amount END), 0),
                COALESCE(SUM(state = 'needs_attention'), 0)
         FROM outbox WHERE state IN ('queued', 'sending', 'retry_wait', 'needs_attention')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

// ---------------------------------------------------------------------------------------
// The worker's side. `now_ms` is the clock in Unix milliseconds (`next_attempt_at`'s
// unit) and `now` the same instant as a stored stamp.

/// Rows left in `sending` are due again at once, their outcome unknown.
pub fn recover_sending(conn: &Connection, now_ms: i64, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET state = 'retry_wait', outcome_unknown = 1, next_attempt_at = ?1, updated_at = ?2,
                unknown_since = ?1
         WHERE state = 'sending'",
        params![now_ms, now],
    )?;
    Ok(())
}

pub fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    conn.query_row(
        "SELECT COALESCE(SUM(state = 'acked'), 0),
                COALESCE(SUM(state IN ('queued', 'sending', 'retry_wait')), 0),
                COALESCE(SUM(state = 'needs_attention'), 0) FROM outbox",
        [],
        |r| Ok(Counts { acked: r.get(0)?, pending: r.get(1)?, needs_attention: r.get(2)? }),
    )
}

/// The outbox rows (`o`) a pass may send: waiting, of a provider that answered, and a
/// reversal only once the call it reverses is acknowledged. Binds one `?` per provider.
/// The rows still to send, read by their due time. Named, because without statistics
/// SQLite's planner prefers `outbox_by_state` and then reads and sorts every queued row
/// on each claim: with 10,000 queued calls that was most of a drain's time. `INDEXED BY`
/// also turns a query that could no longer use the index into an error, not a slow scan.
const PENDING: &str = "outbox o INDEXED BY outbox_pending";

fn sendable(online: &[String]) -> String {
    // Read through the partial index `outbox_pending` (see `PENDING`): the first term
    // repeats its condition word for word, which SQLite needs before it will use it.
    format!(
        "o.state IN ('queued', 'sending', 'retry_wait') AND o.state IN ('queued', 'retry_wait') AND o.provider IN ({})
         AND (o.reverses IS NULL OR (SELECT p.state FROM outbox p WHERE p.id = o.reverses) = 'acked')",
        vec!["?"; online.len()].join(", ")
    )
}

/// When the earliest sendable row of the `online` providers is due, in Unix milliseconds.
pub fn next_due(conn: &Connection, online: &[String]) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        &format!("SELECT MIN(o.next_attempt_at) FROM {PENDING} WHERE {}", sendable(online)),
        rusqlite::params_from_iter(online.iter()),
        |r| r.get(0),
    )
}

/// How many sendable rows of the `online` providers are due at `now_ms`.
pub fn due_count(conn: &Connection, online: &[String], now_ms: i64) -> rusqlite::Result<i64> {
    let mut args: Vec<Value> = vec![now_ms.into()];
    args.extend(online.iter().map(|p| p.clone().into()));
    conn.query_row(
        &format!("SELECT COUNT(*) FROM {PENDING} WHERE o.next_attempt_at <= ? AND {}", sendable(online)),
        rusqlite::params_from_iter(args),
        |r| r.get(0),
    )
}

/// Cancels the reversals whose original was cancelled or refused with a known outcome,
/// and the refused originals of voided operations.
pub fn cancel_orphan_reversals(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?1,
                cancel_reason = 'La operación original no se realizó en el proveedor: no hay nada que revertir.'
         WHERE reverses IS NOT NULL AND state IN ('queued', 'retry_wait', 'needs_attention')
           AND EXISTS (SELECT 1 FROM outbox p WHERE p.id = outbox.reverses
                       AND (p.state = 'cancelled' OR (p.state = 'needs_attention' AND p.outcome_unknown = 0)))",
        [now],
    )?;
    conn.execute(
        "UPDATE outbox SET state = 'cancelled', updated_at = ?1,
                cancel_reason = 'Operación anulada y rechazada por el proveedor: no se realizó.'
         WHERE reverses IS NULL AND state = 'needs_attention' AND outcome_unknown = 0
           AND EXISTS (SELECT 1 FROM agent_transactions a WHERE a.id = outbox.agent_transaction_id
                       AND a.voided_at IS NOT NULL)",
        [now],
    )?;
    Ok(())
}

/// Marks up to `limit` sendable rows of the `online` providers due at `now_ms` as
/// `sending`, earliest first, counting the attempt; returns them.
pub fn claim(conn: &Connection, online: &[String], limit: usize, now_ms: i64, now: &str) -> rusqlite::Result<Vec<Claimed>> {
    if online.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?
         WHERE id IN (SELECT o.id FROM {PENDING} WHERE o.next_attempt_at <= ? AND {}
                      ORDER BY o.next_attempt_at, o.id LIMIT ?)
         RETURNING id, provider, call, idempotency_key, body, outcome_unknown, attempts,
                   reverses IS NULL AND EXISTS (SELECT 1 FROM agent_transactions a
                                                WHERE a.id = agent_transaction_id AND a.voided_at IS NOT NULL),
                   CASE WHEN call = 'CASHOUT' AND outcome_unknown = 1 THEN
                       (SELECT COUNT(*) FROM outbox t
                         WHERE t.provider = outbox.provider AND t.id <> outbox.id AND t.call = 'CASHOUT'
                           AND t.reverses IS NULL AND t.state <> 'cancelled' AND t.amount = outbox.amount
                           AND json_extract(t.body, '$.cuit') IS json_extract(outbox.body, '$.cuit')
                           AND julianday(t.created_at) >= julianday(outbox.created_at) - 8)
                   ELSE 0 END,
                   created_at, unknown_since",
        sendable(online)
    );
    let mut args: Vec<Value> = vec![now.to_string().into(), now_ms.into()];
    args.extend(online.iter().map(|p| p.clone().into()));
    args.push((limit as i64).into());
    conn.prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args), |r| {
            let body: String = r.get(4)?;
            let body = RawValue::from_string(body)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
            Ok(Claimed {
                id: r.get(0)?,
                provider: r.get(1)?,
                call: r.get(2)?,
                key: r.get(3)?,
                body,
                outcome_unknown: r.get(5)?,
                attempts: r.get(6)?,
                voided: r.get(7)?,
                twins: r.get(8)?,
                created_at: r.get(9)?,
                unknown_since: r.get(10)?,
            })
        })?
        .collect()
}

pub fn mark_acked(conn: &Connection, id: i64, provider_ref: Option<&str>, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'acked', provider_ref = ?2, acked_at = ?3, updated_at = ?3,
                outcome_unknown = 0, error_code = NULL, error_text = NULL WHERE id = ?1",
    )?
    .execute(params![id, provider_ref, now])?;
    Ok(())
}

/// Waits until `next_ms`; an unknown outcome stays unknown until a later one is known.
/// `now_ms`: when an unknown attempt (`unknown`) was made.
#[allow(clippy::too_many_arguments)]
pub fn mark_retry(
    conn: &Connection,
    id: i64,
    next_ms: i64,
    now_ms: i64,
    now: &str,
    unknown: bool,
    code: &str,
    text: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'retry_wait', next_attempt_at = ?2, updated_at = ?3,
                outcome_unknown = MAX(outcome_unknown, ?4), error_code = ?5, error_text = ?6,
                unknown_since = CASE WHEN ?4 THEN ?7 ELSE unknown_since END WHERE id = ?1",
    )?
    .execute(params![id, next_ms, now, unknown, code, text, now_ms])?;
    Ok(())
}

/// Waits until `next_ms` with the provider's error, its unknown outcome left as it was.
pub fn mark_waiting(conn: &Connection, id: i64, next_ms: i64, now: &str, code: &str, text: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'retry_wait', next_attempt_at = ?2, updated_at = ?3, error_code = ?4,
                error_text = ?5 WHERE id = ?1",
    )?
    .execute(params![id, next_ms, now, code, text])?;
    Ok(())
}

/// Needs a manager; `keep_unknown`: the call never left, so an earlier unknown outcome
/// stays unknown.
pub fn mark_attention(conn: &Connection, id: i64, now: &str, code: &str, text: &str, keep_unknown: bool) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'needs_attention', updated_at = ?2, error_code = ?3, error_text = ?4,
                outcome_unknown = CASE WHEN ?5 THEN outcome_unknown ELSE 0 END
         WHERE id = ?1",
    )?
    .execute(params![id, now, code, text, keep_unknown])?;
    Ok(())
}
