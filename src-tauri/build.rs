// Every command the UI may call is listed here; tauri-build turns each into an
// `allow-<command>` permission, and src-tauri/capabilities/ grants exactly those to the
// main window. A command missing from this list cannot be invoked from the UI.
const COMMANDS: &[&str] = &[
    "setup_status",
    "counter_rules",
    "create_first_admin",
    "recover_admin_pin",
    "login",
    "logout",
    "current_operator",
    "create_operator",
    "list_operators",
    "deactivate_operator",
    "reactivate_operator",
    "unlock_operator",
    "reset_operator_pin",
    "change_own_pin",
    "change_operator_role",
    "issue_recovery_code",
    "list_registers",
    "create_register",
    "open_session",
    "active_session",
    "session_balance",
    "record_cash_movement",
    "close_session",
    "session_report",
    "list_sessions",
    "get_settings",
    "update_settings",
    "get_store_profile",
    "update_store_profile",
    "integrity_check",
    "list_providers",
    "create_provider",
    "adjust_provider_float",
    "create_agent_transaction",
    "list_agent_transactions",
    "get_agent_transaction",
    "void_agent_transaction",
    "settle_bank_commissions",
    "list_carrier_balances",
    "configure_carrier_bonus",
    "create_topup",
    "list_topups",
    "inject_carrier_float",
    "list_injections",
    "void_topup",
    "void_injection",
    "create_payment",
    "list_payments",
    "update_payment",
    "void_payment",
    "payments_for_work_order",
    "list_provider_connections",
    "configure_provider",
    "set_provider_credentials",
    "sync_status",
    "list_outbox",
    "retry_outbound",
    "cancel_outbound",
    "resolve_outbound",
    "get_reconciliation",
    "export_reconciliation_csv",
    "export_agent_transactions_csv",
    "export_sessions_csv",
    "export_outbox_csv",
    "sync_now",
    "reconcile_provider",
];

fn main() {
    // The capabilities are found through a custom pattern, which tauri-build does not
    // watch: without this a changed grant would keep the old one in an incremental build.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    // The migrations are embedded by refinery's macro; a new file must rebuild the crate.
    println!("cargo:rerun-if-changed=migrations");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
