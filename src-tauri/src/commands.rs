//! Tauri commands: one line each over the core. They take the logged-in operator from the
//! core's state, never from their arguments, and return `{code, message, field}` errors.

use std::sync::{Mutex, MutexGuard};

use tauri::ipc::Channel;
use tauri::State;

use crate::domain::*;
use crate::sync::SyncHandle;
use crate::Mostrador;

pub struct AppState(pub Mutex<Mostrador>);

/// The outbox worker, reached without taking the core's lock.
pub struct SyncState {
    pub handle: SyncHandle,
    pub request_timeout: std::time::Duration,
}

impl AppState {
    fn core(&self) -> MutexGuard<'_, Mostrador> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolled
        // back), so the core stays usable.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

type Reply<T> = Result<T, CoreError>;

/// Declares each command once: the Tauri command, its place in the invoke handler and its
/// signature for the TypeScript bindings (tests/bindings.rs), so the UI's types cannot
/// drift from the handlers.
macro_rules! commands {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty => |$core:ident| $body:expr;)*) => {
        $(
            // `async`: on the async runtime's threads, never the UI thread, so a slow call
            // (the keyring, a big export) cannot freeze the window.
            #[tauri::command(rename_all = "snake_case", async)]
            pub fn $name(state: State<'_, AppState>$(, $arg: $ty)*) -> Reply<$ret> {
                let $core = &mut *state.core();
                $body
            }
        )*

        /// The app's invoke handler: every command declared here and the async ones
        /// written out below, so no command can be declared and left unregistered.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name,)* sync_now, reconcile_provider, backup_now, unlock_keyring, print_receipt, print_session_report, print_test_page]
        }

        /// Name, arguments and result type of every command declared here, as TypeScript.
        fn core_signatures(cfg: &ts_rs::Config) -> Vec<CommandSignature> {
            vec![$(CommandSignature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$ty as ts_rs::TS>::name(cfg))),*],
                result: <$ret as ts_rs::TS>::name(cfg),
            }),*]
        }
    };
}

pub struct CommandSignature {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub result: String,
}

commands! {
    setup_status() -> SetupStatus => |core| core.setup_status();
    counter_rules() -> CounterRules => |_core| Ok(crate::domain::rules::counter_rules());
    create_first_admin(input: Credentials) -> FirstAdmin => |core| core.create_first_admin(input);
    recover_admin_pin(input: RecoverAdminInput) -> RecoveryOutcome => |core| core.recover_admin_pin(input);
    login(input: Credentials) -> Operator => |core| core.login(input);
    logout() -> () => |core| core.logout();
    current_operator() -> Option<Operator> => |core| Ok(core.current_operator());
    create_operator(input: NewOperator) -> Operator => |core| core.create_operator(input);
    list_operators() -> Vec<Operator> => |core| core.list_operators();
    deactivate_operator(operator_id: i64) -> Operator => |core| core.deactivate_operator(operator_id);
    reactivate_operator(operator_id: i64) -> Operator => |core| core.reactivate_operator(operator_id);
    unlock_operator(operator_id: i64) -> Operator => |core| core.unlock_operator(operator_id);
    reset_operator_pin(input: ResetPinInput) -> Operator => |core| core.reset_operator_pin(input);
    change_own_pin(input: ChangePinInput) -> Operator => |core| core.change_own_pin(input);
    change_operator_role(input: ChangeRoleInput) -> Operator => |core| core.change_operator_role(input);
    issue_recovery_code(input: Credentials) -> String => |core| core.issue_recovery_code(input);
    list_registers() -> Vec<Register> => |core| core.list_registers();
    create_register(input: NewRegister) -> Register => |core| core.create_register(input);
    open_session(input: OpenSessionInput) -> CashSession => |core| core.open_session(input);
    active_session() -> Option<CashSession> => |core| core.active_session();
    session_balance(session_id: i64) -> SessionBalance => |core| core.session_balance(session_id);
    record_cash_movement(input: CashMovementInput) -> CashMovement => |core| core.record_cash_movement(input);
    close_session(input: CloseSessionInput) -> CloseOutcome => |core| core.close_session(input);
    session_report(session_id: i64) -> SessionReport => |core| core.session_report(session_id);
    list_sessions(filter: SessionFilter) -> Page<CashSession> => |core| core.list_sessions(filter);
    get_settings() -> Settings => |core| core.get_settings();
    update_settings(input: SettingsInput) -> Settings => |core| core.update_settings(input);
    get_store_profile() -> StoreProfile => |core| core.get_store_profile();
    update_store_profile(input: StoreProfileInput) -> StoreProfile => |core| core.update_store_profile(input);
    integrity_check() -> IntegrityReport => |core| core.integrity_check();
    backup_overview() -> BackupOverview => |core| core.backup_overview();
    update_backup_settings(input: BackupSettingsInput) -> BackupSettings => |core| core.update_backup_settings(input);
    restore_backup(input: RestoreInput) -> RestoreOutcome => |core| core.restore_backup(input);
    restore_damaged(input: RestoreDamagedInput) -> RestoreOutcome => |core| core.restore_damaged(input);
    system_health() -> SystemHealth => |core| core.system_health();
    startup_check() -> StartupCheck => |core| core.startup_check();
    list_providers() -> Vec<Provider> => |core| core.list_providers();
    create_provider(input: NewProvider) -> Provider => |core| core.create_provider(input);
    adjust_provider_float(input: ProviderFloatInput) -> Provider => |core| core.adjust_provider_float(input);
    create_agent_transaction(input: NewAgentTransaction) -> TransaccionAgente => |core| core.create_agent_transaction(input);
    list_agent_transactions(filter: AgentFilter) -> Page<TransaccionAgente> => |core| core.list_agent_transactions(filter);
    get_agent_transaction(id: i64) -> TransaccionAgente => |core| core.get_agent_transaction(id);
    void_agent_transaction(input: VoidInput) -> TransaccionAgente => |core| core.void_agent_transaction(input);
    settle_bank_commissions(input: SettlementInput) -> SettlementReport => |core| core.settle_bank_commissions(input);
    list_provider_limits() -> Vec<ProviderLimit> => |core| core.list_provider_limits();
    set_provider_limit(input: ProviderLimitInput) -> ProviderLimit => |core| core.set_provider_limit(input);
    list_commission_tariffs() -> Vec<Tariff> => |core| core.list_commission_tariffs();
    set_commission_tariff(input: TariffInput) -> Tariff => |core| core.set_commission_tariff(input);
    provider_rule_history(banco: String) -> Vec<RuleChange> => |core| core.provider_rule_history(banco);
    quote_agent_operation(input: AgentQuoteInput) -> AgentQuote => |core| core.quote_agent_operation(input);
    search_customers(input: CustomerSearch) -> Vec<ClienteResumen> => |core| core.search_customers(input);
    customer_operations(input: CustomerRef) -> Vec<CustomerOperation> => |core| core.customer_operations(input);
    provider_balance_checks() -> Vec<BalanceCheck> => |core| core.provider_balance_checks();
    list_carrier_balances() -> Vec<OperadoraSaldo> => |core| core.list_carrier_balances();
    configure_carrier_bonus(input: CarrierBonusInput) -> Vec<OperadoraSaldo> => |core| core.configure_carrier_bonus(input);
    create_topup(input: NewTopup) -> RecargaCliente => |core| core.create_topup(input);
    list_topups(filter: RecargaFilter) -> Page<RecargaCliente> => |core| core.list_topups(filter);
    inject_carrier_float(input: NewInjection) -> InyeccionOperadora => |core| core.inject_carrier_float(input);
    list_injections(filter: RecargaFilter) -> Page<InyeccionOperadora> => |core| core.list_injections(filter);
    void_topup(input: VoidInput) -> RecargaCliente => |core| core.void_topup(input);
    void_injection(input: VoidInput) -> InyeccionOperadora => |core| core.void_injection(input);
    create_payment(input: NewPago) -> Pago => |core| core.create_payment(input);
    list_payments(filter: PagoFilter) -> Page<Pago> => |core| core.list_payments(filter);
    update_payment(input: UpdatePago) -> Pago => |core| core.update_payment(input);
    void_payment(input: VoidInput) -> Pago => |core| core.void_payment(input);
    payments_for_work_order(pendiente_id: i64) -> Vec<Pago> => |core| core.payments_for_work_order(pendiente_id);
    list_provider_connections() -> Vec<ProviderConnection> => |core| core.list_provider_connections();
    configure_provider(input: ConfigureProviderInput) -> ProviderConnection => |core| core.configure_provider(input);
    set_provider_credentials(input: ProviderCredentialsInput) -> ProviderConnection => |core| core.set_provider_credentials(input);
    sync_status() -> SyncStatus => |core| core.sync_status();
    list_outbox(filter: OutboxFilter) -> Page<OutboundItem> => |core| core.list_outbox(filter);
    retry_outbound(id: i64) -> OutboundItem => |core| core.retry_outbound(id);
    cancel_outbound(input: CancelOutboundInput) -> OutboundItem => |core| core.cancel_outbound(input);
    resolve_outbound(input: ResolveOutboundInput) -> OutboundItem => |core| core.resolve_outbound(input);
    get_reconciliation(id: i64) -> ReconciliationReport => |core| core.get_reconciliation(id);
    export_reconciliation_csv(id: i64, path: String) -> String => |core| core.export_reconciliation_csv(id, &path);
    export_agent_transactions_csv(filter: AgentFilter, path: String) -> String => |core| core.export_agent_transactions_csv(filter, &path);
    export_sessions_csv(filter: SessionFilter, path: String) -> String => |core| core.export_sessions_csv(filter, &path);
    export_outbox_csv(filter: OutboxFilter, path: String) -> String => |core| core.export_outbox_csv(filter, &path);
    get_printer_settings() -> PrinterSettings => |core| core.get_printer_settings();
    update_printer_settings(input: PrinterSettingsInput) -> PrinterSettings => |core| core.update_printer_settings(input);
    receipt_lines(input: PrintReceiptInput) -> Vec<String> => |core| core.receipt_lines(input);
    session_report_lines(session_id: i64) -> Vec<String> => |core| core.session_report_lines(session_id);
    save_session_report_pdf(session_id: i64, path: String) -> String => |core| core.save_session_report_pdf(session_id, &path);
    list_audit_log(filter: AuditFilter) -> Page<AuditEntry> => |core| core.list_audit_log(filter);
    audit_actions() -> Vec<String> => |core| core.audit_actions();
    export_audit_log_csv(filter: AuditFilter, path: String) -> String => |core| core.export_audit_log_csv(filter, &path);
    set_own_language(language: String) -> Operator => |core| core.set_own_language(&language);
    agent_call_states(ids: Vec<i64>) -> Vec<LlamadaDeOperacion> => |core| core.agent_call_states(ids);
}

// The two commands that wait on the network run outside the core's lock, so the
// cashier keeps working while they do.

/// Sends everything due now, streaming progress, and returns the status after.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(state: State<'_, AppState>, sync: State<'_, SyncState>, on_progress: Channel<SyncProgress>) -> Reply<SyncStatus> {
    state.core().sync_status()?;
    let mut progress = sync.handle.sync_now();
    // A pass ends when every due call has an answer or timed out; the bound is a guard.
    let forward = async {
        while let Some(step) = progress.recv().await {
            let done = step.terminado;
            // The window may have closed; the sync goes on regardless.
            let _ = on_progress.send(step);
            if done {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(15 * 60), forward).await;
    // Each sync compares the store's float with every connected wallet's balance.
    let (path, secrets) = { let core = state.core(); (core.path().to_path_buf(), core.secrets().clone()) };
    crate::sync::balance::check_all(&path, &secrets, sync.handle.clock(), MomentoSaldo::Sincronizacion, sync.request_timeout).await;
    state.core().sync_status()
}

/// Reconciles a provider for a store-local day against its transaction list, or against
/// the statement in `extracto` when one is given.
#[tauri::command(rename_all = "snake_case")]
pub async fn reconcile_provider(state: State<'_, AppState>, sync: State<'_, SyncState>, input: ReconcileInput) -> Reply<ReconciliationReport> {
    if input.extracto.is_some() {
        return state.core().reconcile_statement(input);
    }
    let (actor, banco, day, path, secrets) = {
        let core = state.core();
        let actor = core.require_admin("conciliar con los proveedores")?;
        let (banco, day) = core.check_reconcile_input(&input)?;
        (actor, banco, day, core.path().to_path_buf(), core.secrets().clone())
    };
    crate::sync::reconcile(&path, &secrets, sync.handle.clock(), &banco, day, Some(actor), sync.request_timeout).await
}

/// Takes a backup now: checked under the core's lock, copied without it, so the counter
/// keeps working while the file is written.
#[tauri::command(rename_all = "snake_case")]
pub async fn backup_now(state: State<'_, AppState>, input: BackupNowInput) -> Reply<Respaldo> {
    let job = state.core().prepare_backup(input)?;
    tauri::async_runtime::spawn_blocking(move || job.run()).await.map_err(CoreError::internal)?
}

/// Asks the desktop to unlock the keyring (administrator): the wait for the person at the
/// prompt is bounded on the credential store's thread, outside the core's lock; answers
/// the connections with their credentials state after. An unlock is audited.
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock_keyring(state: State<'_, AppState>) -> Reply<Vec<ProviderConnection>> {
    let (actor, secrets) = state.core().keyring_to_unlock()?;
    tauri::async_runtime::spawn_blocking(move || Mostrador::unlock_keyring(&secrets)).await.map_err(CoreError::internal)??;
    let mut core = state.core();
    core.keyring_unlocked(actor)?;
    core.list_provider_connections()
}

// The three that print wait on the printer (at most `printer::SEND_TIMEOUT`) outside the
// core's lock and off the window's thread; the job is built under the lock.

#[tauri::command(rename_all = "snake_case")]
pub async fn print_receipt(state: State<'_, AppState>, input: PrintReceiptInput) -> Reply<PrintOutcome> {
    let job = state.core().receipt_job(input)?;
    send(job).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_session_report(state: State<'_, AppState>, session_id: i64) -> Reply<PrintOutcome> {
    let job = state.core().session_report_job(session_id)?;
    send(job).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_test_page(state: State<'_, AppState>) -> Reply<PrintOutcome> {
    let job = state.core().test_page_job()?;
    send(job).await
}

async fn send(job: crate::printer::PrintJob) -> Reply<PrintOutcome> {
    tauri::async_runtime::spawn_blocking(move || job.send()).await.map_err(CoreError::internal)?
}

/// Name, arguments and result type of every command, as TypeScript.
pub fn signatures(cfg: &ts_rs::Config) -> Vec<CommandSignature> {
    use ts_rs::TS;
    let mut all = core_signatures(cfg);
    all.push(CommandSignature {
        name: "sync_now",
        args: vec![("on_progress", format!("Channel<{}>", SyncProgress::name(cfg)))],
        result: SyncStatus::name(cfg),
    });
    all.push(CommandSignature {
        name: "reconcile_provider",
        args: vec![("input", ReconcileInput::name(cfg))],
        result: ReconciliationReport::name(cfg),
    });
    all.push(CommandSignature {
        name: "backup_now",
        args: vec![("input", BackupNowInput::name(cfg))],
        result: Respaldo::name(cfg),
    });
    all.push(CommandSignature { name: "unlock_keyring", args: vec![], result: format!("Array<{}>", ProviderConnection::name(cfg)) });
    all.push(CommandSignature {
        name: "print_receipt",
        args: vec![("input", PrintReceiptInput::name(cfg))],
        result: PrintOutcome::name(cfg),
    });
    all.push(CommandSignature { name: "print_session_report", args: vec![("session_id", i64::name(cfg))], result: PrintOutcome::name(cfg) });
    all.push(CommandSignature { name: "print_test_page", args: vec![], result: PrintOutcome::name(cfg) });
    all
}
