//! Outcomes told honestly, against the simulator's faults over loopback: what real
//! providers do after committing (answer 500, answer a resend with the duplicate-key
//! error, leave an entry pending, list only recent days, answer lookups slowly) never
//! lets a call that may have moved money be cancelled, and a duplicate-reference answer
//! to a resend is recorded as applied, to be confirmed by the statement.

mod common;
mod sync_support;

use std::time::Duration;

use common::*;
use mostrador::domain::*;
use serde_json::json;
use sync_support::*;

const SHORT: Duration = Duration::from_millis(300);
const LONG: Duration = Duration::from_secs(15);

fn cancel_input(id: i64) -> CancelOutboundInput {
    CancelOutboundInput { id, motivo: "El cliente se arrepintió".into() }
}

/// The call's first attempt is committed by the provider and answered 500: its outcome
/// is unknown, and the provider holds it once. A wallet's entry is listed `pending`
/// meanwhile (so its lookups cannot settle it yet), then approved, unless the test set
/// the pending fault itself.
async fn committed_then_500(env: &mut Env, banco: &str, monto: &str, referencia: &str) -> (TransaccionAgente, OutboundItem) {
    committed_then_500_as(env, banco, monto, referencia, true).await
}

async fn committed_then_500_as(env: &mut Env, banco: &str, monto: &str, referencia: &str, settle: bool) -> (TransaccionAgente, OutboundItem) {
    env.faults(json!({"commit_then_500_rate": 1.0})).await;
    if settle {
        env.faults(json!({"pending_rate": 1.0, "settle_ms": 600000})).await;
    }
    let op = env.deposit(banco, monto, referencia).unwrap();
    env.drain_for(fast(2000, 1), SHORT).await;
    let row = env.original(op.id);
    assert_eq!(row.estado, EstadoEnvio::RetryWait, "{row:?}");
    assert!(row.resultado_incierto, "a 500 after the commit is an unknown outcome: {row:?}");
    assert_eq!(row.codigo_error.as_deref(), Some("RESULTADO_INCIERTO"));
    let (contract, operation) = if banco == BANK { ("bank", "deposit") } else { ("wallet", "cashout") };
    assert_eq!(env.records_of(contract, operation, &row.clave).await.len(), 1, "the provider committed it");
    env.faults(json!({"commit_then_500_rate": 0.0})).await;
    if settle {
        env.faults(json!({"pending_rate": 0.0})).await;
        env.sim_db().execute("UPDATE operations SET status = 'approved' WHERE status = 'pending'", []).unwrap();
    }
    (op, row)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_deposit_committed_then_answered_er500_and_voided_is_reversed_never_cancelled() {
    let mut env = env().await;
    let (op, row) = committed_then_500(&mut env, BANK, "45.50", "E-1").await;
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    assert_ne!(env.original(op.id).estado, EstadoEnvio::Cancelled, "a void does not drop a call that may have moved money");
    let err = expect_err(env.fx.app.cancel_outbound(cancel_input(row.id)), "cancel an unknown outcome");
    assert_eq!(err.code, ErrorCode::EsperandoProveedor, "{err:?}");
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::Queued, "its reversal waits for the deposit");

    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked, "resent with its trnRqUID: the bank's first answer");
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::Acked);
    let deposits = env.records_of("bank", "deposit", &row.clave).await;
    assert_eq!(deposits.len(), 1, "applied once");
    assert_eq!(deposits[0]["status"], "reversed", "and reversed: zero net");
    assert_eq!(env.records_of("bank", "reversal", &row.clave).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_cashout_committed_then_answered_500_and_voided_is_found_and_left_to_a_person() {
    let mut env = env().await;
    let (op, row) = committed_then_500(&mut env, WALLET, "61.00", "W-1").await;
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    let note = env.reversal(op.id).unwrap();
    assert_eq!(note.estado, EstadoEnvio::NeedsAttention);
    assert!(note.mensaje_error.unwrap().contains("Esperando respuesta del proveedor"));
    let err = expect_err(env.fx.app.cancel_outbound(cancel_input(row.id)), "cancel an unknown outcome");
    assert_eq!(err.code, ErrorCode::EsperandoProveedor);

    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked, "the wallet's list shows it approved");
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::NeedsAttention, "no reversal in the contract: a person");
    assert_eq!(env.records_of("wallet", "cashout", &row.clave).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_key_answer_to_a_bank_resend_is_applied_pending_the_statement_never_refused() {
    let mut env = env().await;
    let (op, row) = committed_then_500(&mut env, BANK, "70.00", "E-2").await;
    env.faults(json!({"duplicate_on_resend_rate": 1.0})).await;
    env.drain_for(fast(2000, 1), LONG).await;
    let row_after = env.original(op.id);
    assert_eq!(row_after.estado, EstadoEnvio::Acked, "{row_after:?}");
    assert_eq!(row_after.codigo_error.as_deref(), Some("APLICADA_POR_CONFIRMAR"));
    assert!(row_after.mensaje_error.unwrap().contains("N3"));
    assert!(!row_after.resultado_incierto);
    assert_eq!(env.records_of("bank", "deposit", &row.clave).await.len(), 1);

    // Voided afterwards, it is reversed like any applied deposit.
    env.faults(json!({"duplicate_on_resend_rate": 0.0})).await;
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::Acked);
    assert_eq!(env.records_of("bank", "deposit", &row.clave).await[0]["status"], "reversed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_key_answer_to_a_first_attempt_is_a_refusal_that_a_void_cancels() {
    let mut env = env().await;
    env.faults(json!({"business_error": {"contract": "bank", "code": "N3", "remaining_calls": 1}})).await;
    let op = env.deposit(BANK, "12.00", "E-3").unwrap();
    env.drain_for(fast(2000, 1), SHORT).await;
    let row = env.original(op.id);
    assert_eq!(row.estado, EstadoEnvio::NeedsAttention);
    assert_eq!(row.codigo_error.as_deref(), Some("N3"));
    assert!(!row.resultado_incierto, "refused at the first attempt: nothing was applied");
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Cancelled);
    assert!(env.reversal(op.id).is_none());
    assert!(env.records_of("bank", "deposit", &row.clave).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_wallet_entry_is_not_a_confirmation_and_a_duplicate_answer_to_the_resend_is_applied() {
    let mut env = env().await;
    env.faults(json!({"pending_rate": 1.0, "settle_ms": 600000})).await;
    let (op, row) = committed_then_500_as(&mut env, WALLET, "33.00", "W-2", false).await;
    env.faults(json!({"duplicate_on_resend_rate": 1.0})).await;
    env.drain_for(fast(2000, 1), LONG).await;
    let after = env.original(op.id);
    assert_eq!(after.estado, EstadoEnvio::Acked, "{after:?}");
    assert_eq!(after.codigo_error.as_deref(), Some("APLICADA_POR_CONFIRMAR"), "the pending entry confirmed nothing: resent, 409");
    let listed = env.records_of("wallet", "cashout", &row.clave).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["status"], "pending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voided_cashout_whose_entry_is_pending_waits_until_the_wallet_settles_it() {
    let mut env = env().await;
    env.faults(json!({"pending_rate": 1.0, "settle_ms": 1500})).await;
    let (op, row) = committed_then_500_as(&mut env, WALLET, "18.25", "W-3", false).await;
    env.faults(json!({"pending_rate": 0.0})).await;
    env.fx.app.void_agent_transaction(void(op.id, "El cliente se arrepintió")).unwrap();
    env.drain_for(fast(2000, 1), SHORT).await;
    let waiting = env.original(op.id);
    assert_eq!(waiting.estado, EstadoEnvio::RetryWait, "pending is not a confirmation, nor a 'not found': {waiting:?}");
    assert!(waiting.resultado_incierto);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked, "settled: found");
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::NeedsAttention);
    assert_eq!(env.records_of("wallet", "cashout", &row.clave).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_covering_only_recent_days_never_makes_an_old_voided_cashout_look_never_applied() {
    let mut env = env().await;
    let (op, row) = committed_then_500(&mut env, WALLET, "52.00", "W-4").await;
    // Forty days pass: the store wrote the call then, the wallet committed it then.
    let then = chrono::Utc::now() - chrono::Days::new(40);
    env.fx
        .app
        .connection()
        .execute("UPDATE outbox SET created_at = ?2 WHERE id = ?1", rusqlite::params![row.id, then.to_rfc3339()])
        .unwrap();
    let local = then.with_timezone(&mostrador::domain::clock::store_offset()).format("%Y-%m-%d %H:%M:%S").to_string();
    env.sim_db().execute("UPDATE operations SET created_at = ?1 WHERE operation = 'cashout'", [local]).unwrap();
    env.faults(json!({"list_days": 7})).await;
    env.fx.app.void_agent_transaction(void(op.id, "El cliente se arrepintió")).unwrap();
    env.drain_for(fast(2000, 1), Duration::from_millis(600)).await;
    let after = env.original(op.id);
    assert_ne!(after.estado, EstadoEnvio::Cancelled, "the list does not reach back 40 days: no proof of anything");
    assert!(after.resultado_incierto, "{after:?}");
    assert_eq!(env.records_of("wallet", "cashout", &row.clave).await.len(), 1);
    // A list that does reach back finds it.
    env.faults(json!({"list_days": null})).await;
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_lookups_past_the_timeout_never_cancel_a_voided_cashout() {
    let mut env = env().await;
    let (op, row) = committed_then_500(&mut env, WALLET, "27.00", "W-5").await;
    env.fx.app.void_agent_transaction(void(op.id, "El cliente se arrepintió")).unwrap();
    env.faults(json!({"lookup_latency_ms": 900})).await;
    env.drain_for(fast(300, 1), Duration::from_millis(1500)).await;
    let after = env.original(op.id);
    assert_eq!(after.estado, EstadoEnvio::RetryWait, "{after:?}");
    assert!(after.resultado_incierto);
    env.faults(json!({"lookup_latency_ms": 0})).await;
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked);
    assert_eq!(env.records_of("wallet", "cashout", &row.clave).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_put_back_in_doubt_cannot_be_cancelled_and_is_asked_about_before_it_is_sent() {
    let mut env = env().await;
    let op = env.deposit(BANK, "15.00", "E-4").unwrap();
    let row = env.original(op.id);
    let now = mostrador::domain::clock::stamp(chrono::Utc::now());
    assert!(mostrador::store::outbox::mark_outcome_unknown(env.fx.app.connection(), row.id, &now).unwrap());
    let err = expect_err(env.fx.app.cancel_outbound(cancel_input(row.id)), "cancel a call in doubt");
    assert_eq!(err.code, ErrorCode::EsperandoProveedor);
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    assert_ne!(env.original(op.id).estado, EstadoEnvio::Cancelled);
    env.drain_for(fast(2000, 1), LONG).await;
    // The bank has no lookup: resent with its key, then reversed.
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked);
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::Acked);
    assert_eq!(env.records_of("bank", "deposit", &row.clave).await[0]["status"], "reversed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_wallet_applies_late_is_never_cancelled_by_an_early_not_found() {
    let mut env = env().await;
    // The wallet holds the cashout past the client's timeout, then commits it.
    env.faults(json!({"hang_rate": 1.0, "hang_ms": 1500})).await;
    let op = env.deposit(WALLET, "44.00", "W-6").unwrap();
    env.fx.app.void_agent_transaction(void(op.id, "El cliente se arrepintió")).unwrap_or_else(|e| panic!("{e:?}"));
    // Voided before it was sent: cancelled, never sent.
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Cancelled);
    let op = env.deposit(WALLET, "45.00", "W-7").unwrap();
    let config = || mostrador::sync::WorkerConfig { lookup_quiet: Duration::from_secs(3), ..fast(300, 1) };
    env.drain_for(config(), Duration::from_millis(200)).await;
    env.faults(json!({"hang_rate": 0.0})).await;
    let row = env.original(op.id);
    assert!(row.resultado_incierto, "{row:?}");
    env.fx.app.void_agent_transaction(void(op.id, "El cliente se arrepintió")).unwrap();
    // Asked at once, the list does not show it yet: not cancelled.
    env.drain_for(config(), Duration::from_millis(300)).await;
    let early = env.original(op.id);
    assert_ne!(early.estado, EstadoEnvio::Cancelled, "an early 'not found' proves nothing: {early:?}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(env.records_of("wallet", "cashout", &row.clave).await.len(), 1, "the wallet applied it late");
    env.drain_for(config(), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked, "found once it is applied");
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::NeedsAttention);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_set_to_wait_for_its_statement_never_resends_an_unknown_deposit_and_a_person_resolves_it() {
    let mut env = env().await;
    let mut input = connection(BANK, "BANCO_V1", &env.sim.url());
    input.reenvio_incierto = Some("EXTRACTO".into());
    env.fx.app.configure_provider(input).unwrap();
    env.faults(json!({"commit_then_500_rate": 1.0})).await;
    let op = env.deposit(BANK, "38.00", "E-5").unwrap();
    env.drain_for(fast(2000, 1), SHORT).await;
    env.faults(json!({"commit_then_500_rate": 0.0})).await;
    let row = env.original(op.id);
    assert_eq!(row.estado, EstadoEnvio::NeedsAttention, "{row:?}");
    assert_eq!(row.codigo_error.as_deref(), Some("ESPERA_EXTRACTO"));
    assert!(row.resultado_incierto);
    assert_eq!(row.intentos, 2, "sent once, then only asked about: the connection does not rely on the bank's dedup");
    assert_eq!(env.records_of("bank", "deposit", &row.clave).await.len(), 1);
    env.drain_for(fast(2000, 1), SHORT).await;
    assert_eq!(env.original(op.id).intentos, 2, "a row waiting for a person is not sent");
    let err = expect_err(env.fx.app.cancel_outbound(cancel_input(row.id)), "cancel while waiting for the statement");
    assert_eq!(err.code, ErrorCode::EsperandoProveedor);
    // The statement shows it: applied.
    let resolved = env
        .fx
        .app
        .resolve_outbound(ResolveOutboundInput { id: row.id, aplicada: true, motivo: "Figura en el extracto del 10/03".into() })
        .unwrap();
    assert_eq!(resolved.estado, EstadoEnvio::Acked);
    assert_eq!(resolved.codigo_error.as_deref(), Some("CONFIRMADA_CON_EXTRACTO"));
    // Voided now, its reversal goes out.
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::Acked);
    assert_eq!(env.records_of("bank", "deposit", &row.clave).await[0]["status"], "reversed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_the_statement_does_not_show_is_sent_again_or_cancelled_if_voided() {
    let mut env = env().await;
    let sent = env.deposit(BANK, "16.00", "E-6").unwrap();
    let voided = env.deposit(BANK, "17.00", "E-7").unwrap();
    let now = mostrador::domain::clock::stamp(chrono::Utc::now());
    for id in [sent.id, voided.id] {
        let row = env.original(id);
        assert!(mostrador::store::outbox::mark_outcome_unknown(env.fx.app.connection(), row.id, &now).unwrap());
    }
    env.fx.app.void_agent_transaction(void(voided.id, "Error de la cajera")).unwrap();
    for id in [sent.id, voided.id] {
        let row = env.original(id);
        let input = ResolveOutboundInput { id: row.id, aplicada: false, motivo: "No figura en el extracto".into() };
        env.fx.app.resolve_outbound(input).unwrap();
    }
    assert_eq!(env.original(sent.id).estado, EstadoEnvio::Queued, "not applied: sent again with its key");
    assert_eq!(env.original(voided.id).estado, EstadoEnvio::Cancelled, "not applied and voided: nothing to send");
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(sent.id).estado, EstadoEnvio::Acked);
    assert_eq!(env.reversal(voided.id).map(|r| r.estado), Some(EstadoEnvio::Cancelled), "nothing to reverse");
    let key = env.original(voided.id).clave;
    assert!(env.records_of("bank", "deposit", &key).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reversal_the_statement_does_not_show_is_sent_again_never_cancelled() {
    let mut env = env().await;
    let op = env.deposit(BANK, "19.00", "E-8").unwrap();
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(op.id).estado, EstadoEnvio::Acked);
    env.fx.app.void_agent_transaction(void(op.id, "Error de la cajera")).unwrap();
    let reversal = env.reversal(op.id).unwrap();
    let now = mostrador::domain::clock::stamp(chrono::Utc::now());
    assert!(mostrador::store::outbox::mark_outcome_unknown(env.fx.app.connection(), reversal.id, &now).unwrap());
    let input = ResolveOutboundInput { id: reversal.id, aplicada: false, motivo: "No figura en el extracto".into() };
    let resolved = env.fx.app.resolve_outbound(input).unwrap();
    assert_eq!(resolved.estado, EstadoEnvio::Queued, "the reversal undoes an applied deposit: sent again");
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.reversal(op.id).unwrap().estado, EstadoEnvio::Acked);
    assert_eq!(env.records_of("bank", "deposit", &reversal.clave).await[0]["status"], "reversed");
}

/// Moves outbox row `id`'s next attempt to `at_ms` (Unix ms): far ahead holds it while
/// other calls are drained; zero makes it due.
fn hold(env: &Env, id: i64, at_ms: i64) {
    env.fx.app.connection().execute("UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1", rusqlite::params![id, at_ms]).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_same_amount_cashout_made_long_after_an_old_call_in_doubt_is_never_taken_for_it() {
    let mut env = env_at(true).await;
    // A call in doubt that the wallet never received (its answer was lost on the way).
    let old = env.deposit(WALLET, "52.00", "W-T1").unwrap();
    let row = env.original(old.id);
    let now = mostrador::domain::clock::stamp(chrono::Utc::now());
    assert!(mostrador::store::outbox::mark_outcome_unknown(env.fx.app.connection(), row.id, &now).unwrap());
    // Twelve days ago: the lookup searches from then to tomorrow.
    let then = chrono::Utc::now() - chrono::Days::new(12);
    env.fx
        .app
        .connection()
        .execute("UPDATE outbox SET created_at = ?2 WHERE id = ?1", rusqlite::params![row.id, then.to_rfc3339()])
        .unwrap();
    hold(&env, row.id, i64::MAX / 2);
    // Today the same customer gets the same amount: applied, listed by the wallet.
    let twin = env.deposit(WALLET, "52.00", "W-T2").unwrap();
    env.drain_for(fast(2000, 1), LONG).await;
    assert_eq!(env.original(twin.id).estado, EstadoEnvio::Acked);
    hold(&env, row.id, 0);
    env.drain_for(fast(2000, 1), LONG).await;
    let after = env.original(old.id);
    assert_ne!(after.estado, EstadoEnvio::Acked, "the only listed cashout is today's twin, not the old call: {after:?}");
    assert_eq!(after.estado, EstadoEnvio::NeedsAttention, "{after:?}");
    assert_eq!(after.codigo_error.as_deref(), Some("CONSULTA_AMBIGUA"));
    assert!(after.resultado_incierto, "still unknown: a person decides");
    assert!(env.records_of("wallet", "cashout", &row.clave).await.is_empty(), "never sent again while in doubt");
}

/// A wallet cashout whose outcome became unknown at `at` (its answer lost; the wallet
/// never received it), voided since.
fn voided_in_doubt(env: &mut Env, monto: &str, referencia: &str, at: chrono::DateTime<chrono::Utc>) -> (TransaccionAgente, OutboundItem) {
    let op = env.deposit(WALLET, monto, referencia).unwrap();
    let row = env.original(op.id);
    let stamp = mostrador::domain::clock::stamp(at);
    assert!(mostrador::store::outbox::mark_outcome_unknown(env.fx.app.connection(), row.id, &stamp).unwrap());
    env.fx
        .app
        .connection()
        .execute("UPDATE outbox SET created_at = ?2 WHERE id = ?1", rusqlite::params![row.id, at.to_rfc3339()])
        .unwrap();
    env.fx.app.void_agent_transaction(void(op.id, "El cliente se arrepintió")).unwrap();
    (op, row)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_connection_trusting_its_list_sixty_days_settles_a_forty_day_old_call_the_default_leaves_in_doubt() {
    let mut env = env_at(true).await;
    let (op, row) = voided_in_doubt(&mut env, "23.00", "W-L1", chrono::Utc::now() - chrono::Days::new(40));
    env.drain_for(fast(2000, 1), SHORT).await;
    let waiting = env.original(op.id);
    assert_ne!(waiting.estado, EstadoEnvio::Cancelled, "by default a list is trusted 30 days back: {waiting:?}");
    assert!(waiting.resultado_incierto);

    let mut input = connection(WALLET, "BILLETERA_V2", &env.sim.url());
    input.dias_lista_confiable = Some(" 60 ".into());
    let saved = env.fx.app.configure_provider(input).unwrap();
    assert_eq!(saved.ajustes.dias_lista_confiable, Some(60));
    assert_eq!(saved.ajustes.segundos_espera_consulta, None, "not given: the default");
    env.drain_for(fast(2000, 1), LONG).await;
    let settled = env.original(op.id);
    assert_eq!(settled.estado, EstadoEnvio::Cancelled, "the list is trusted 60 days back and does not show it: {settled:?}");
    assert!(env.records_of("wallet", "cashout", &row.clave).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_connection_with_a_one_second_quiet_period_believes_a_not_found_before_the_workers_hour() {
    let mut env = env_at(true).await;
    let (op, row) = voided_in_doubt(&mut env, "24.00", "W-Q1", chrono::Utc::now());
    let config = || mostrador::sync::WorkerConfig { lookup_quiet: Duration::from_secs(3600), ..fast(2000, 1) };
    env.drain_for(config(), SHORT).await;
    let waiting = env.original(op.id);
    assert_ne!(waiting.estado, EstadoEnvio::Cancelled, "the worker's hour has not passed: {waiting:?}");
    assert!(waiting.resultado_incierto);

    let mut input = connection(WALLET, "BILLETERA_V2", &env.sim.url());
    input.segundos_espera_consulta = Some("1".into());
    let saved = env.fx.app.configure_provider(input).unwrap();
    assert_eq!(saved.ajustes.segundos_espera_consulta, Some(1));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.drain_for(config(), LONG).await;
    let settled = env.original(op.id);
    assert_eq!(settled.estado, EstadoEnvio::Cancelled, "the connection's second has passed: {settled:?}");
    assert!(env.records_of("wallet", "cashout", &row.clave).await.is_empty());
}

#[test]
fn a_bank_connection_keeps_no_wallet_lookup_settings_and_a_wallet_keeps_them_across_a_reload() {
    let mut fx = Fixture::new();
    let mut wallet = connection(WALLET, "BILLETERA_V2", "http://127.0.0.1:9");
    wallet.dias_lista_confiable = Some("45".into());
    wallet.segundos_espera_consulta = Some("600".into());
    fx.app.configure_provider(wallet).unwrap();
    let mut bank = connection(BANK, "BANCO_V1", "http://127.0.0.1:9");
    bank.dias_lista_confiable = Some("45".into());
    bank.segundos_espera_consulta = Some("600".into());
    fx.app.configure_provider(bank).unwrap();
    let listed = fx.app.list_provider_connections().unwrap();
    let of = |banco: &str| listed.iter().find(|c| c.banco == banco).unwrap().ajustes.clone();
    assert_eq!((of(WALLET).dias_lista_confiable, of(WALLET).segundos_espera_consulta), (Some(45), Some(600)));
    assert_eq!((of(BANK).dias_lista_confiable, of(BANK).segundos_espera_consulta), (None, None), "the bank has no list to look up");
}
