//! The desktop window: Tauri set up over an opened core.

use std::sync::Mutex;

use crate::commands::{self, AppState};
use crate::store::InstanceLock;
use crate::Mostrador;

/// Runs the app until its window closes. `lock` keeps other instances off this database.
pub fn run(core: Mostrador, lock: InstanceLock) -> Result<(), tauri::Error> {
    tauri::Builder::default()
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .target(tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Stdout))
                .build(),
        )
        .manage(AppState(Mutex::new(core)))
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
        ])
        .run(tauri::generate_context!())
}
