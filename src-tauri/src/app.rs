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
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
}
