//! The desktop window: Tauri set up over an opened core.

use std::sync::Mutex;

use crate::commands::{self, AppState, SyncState};
use crate::store::InstanceLock;
use crate::sync::{SyncHandle, WorkerConfig};
use crate::Mostrador;

/// Runs the app until its window closes. `lock` keeps other instances off this database.
pub fn run(mut core: Mostrador, lock: InstanceLock) -> Result<(), tauri::Error> {
    let config = WorkerConfig::default();
    let request_timeout = config.request_timeout;
    let sync = SyncHandle::new(core.path().to_path_buf(), core.secrets().clone(), config);
    core.attach_sync(sync.clone());
    // The outbox worker runs for as long as the app; nothing the cashier does waits on it.
    tauri::async_runtime::spawn(sync.run_forever());
    tauri::Builder::default()
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .target(tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Stdout))
                .build(),
        )
        // Only to choose a voucher file; the core copies it into the data folder.
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState(Mutex::new(core)))
        .manage(SyncState { handle: sync, request_timeout })
        .manage(lock)
        .invoke_handler(tauri::generate_handler![
            commands::setup_status,
            commands::create_first_admin,
            commands::login,
            commands::logout,
            commands::current_operator,
            commands::create_operator,
            commands::list_operators,
            commands::list_registers,
            commands::create_register,
            commands::open_session,
            commands::active_session,
            commands::session_balance,
            commands::record_cash_movement,
            commands::close_session,
            commands::session_report,
            commands::list_sessions,
            commands::get_settings,
            commands::update_settings,
            commands::integrity_check,
            commands::list_providers,
            commands::create_provider,
            commands::adjust_provider_float,
            commands::create_agent_transaction,
            commands::list_agent_transactions,
            commands::get_agent_transaction,
            commands::void_agent_transaction,
            commands::settle_bank_commissions,
            commands::list_carrier_balances,
            commands::configure_carrier_bonus,
            commands::create_topup,
            commands::list_topups,
            commands::inject_carrier_float,
            commands::list_injections,
            commands::void_topup,
            commands::void_injection,
            commands::create_payment,
            commands::list_payments,
            commands::update_payment,
            commands::void_payment,
            commands::payments_for_work_order,
            commands::list_provider_connections,
            commands::configure_provider,
            commands::set_provider_credentials,
            commands::sync_status,
            commands::list_outbox,
            commands::retry_outbound,
            commands::cancel_outbound,
            commands::get_reconciliation,
            commands::export_reconciliation_csv,
            commands::sync_now,
            commands::reconcile_provider,
        ])
        .run(tauri::generate_context!())
}
