//! The desktop window: Tauri set up over an opened core.

use std::path::Path;
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use tauri::Manager;

use crate::commands::{self, AppState, SyncState};
use crate::store::InstanceLock;
use crate::sync::{SyncHandle, WorkerConfig};
use crate::Mostrador;

/// The name the running window answers a second launch on (a D-Bus name on Linux): one per
/// database, like the file lock, so a second launch on the same data folder brings that
/// window to the front while a store in another folder (a test, a second shop) runs apart.
pub fn instance_id(db_path: &Path) -> String {
    let path = db_path.canonicalize().unwrap_or_else(|_| db_path.to_path_buf());
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    // A D-Bus name element may not start with a digit, hence the letter.
    format!("bo.mostrador.pos.db{hex}")
}

fn single_instance<R: tauri::Runtime>(db_path: &Path) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(db_path))
        .callback(|app, _args, _cwd| {
            // A second launch: bring this window to the front instead of a second one.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build()
}

/// The app's configuration and embedded UI (generated once: it holds the UI's files).
fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// One log file with rotation, plus the terminal once (the plugin's defaults are cleared:
/// adding to them printed every line twice).
fn logger<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use crate::service::health::{log_dir, LOG_FILE_NAME, LOG_KEPT_FILES, LOG_MAX_BYTES};
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    let file = TargetKind::Folder { path: log_dir(), file_name: Some(LOG_FILE_NAME.into()) };
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets([Target::new(TargetKind::Stdout), Target::new(file)])
        .level(log::LevelFilter::Info)
        .max_file_size(LOG_MAX_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(LOG_KEPT_FILES))
        .build()
}

/// Runs the app until its window closes. `lock` keeps other instances off this database.
pub fn run(mut core: Mostrador, lock: InstanceLock) -> Result<(), tauri::Error> {
    let config = WorkerConfig::default();
    let request_timeout = config.request_timeout;
    let db_path = core.path().to_path_buf();
    let sync = SyncHandle::new(core.path().to_path_buf(), core.secrets().clone(), config);
    core.attach_sync(sync.clone());
    let backend = core.secrets().backend();
    // The outbox worker runs for as long as the app; nothing the cashier does waits on it.
    tauri::async_runtime::spawn(sync.run_forever());
    // Automatic backups (after each close, at the daily time) on a thread of their own.
    let backup_db = db_path.clone();
    std::thread::spawn(move || {
        let clock: std::sync::Arc<dyn crate::domain::clock::Clock> = std::sync::Arc::new(crate::domain::clock::SystemClock);
        crate::service::backup::run_automatic(backup_db, clock, std::time::Duration::from_secs(60))
    });
    tauri::Builder::default()
        // First, so a second launch is handed over before anything else starts.
        .plugin(single_instance(&db_path))
        .plugin(logger())
        // Only to choose a voucher file; the core copies it into the data folder.
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState(Mutex::new(core)))
        .manage(SyncState { handle: sync, request_timeout })
        .manage(lock)
        .setup(move |_| {
            // Logged once the log is set up; the installed-package check counts this line.
            log::info!("Mostrador {} iniciado: base {}, credenciales en {backend:?}", env!("CARGO_PKG_VERSION"), db_path.display());
            // Which keyring the credentials live in, for headless runs to compare with.
            if let Some(dir) = db_path.parent() {
                if let Err(e) = crate::secrets::remember_backend(dir, backend) {
                    log::warn!("credenciales: no se pudo anotar el almacén en uso: {e}");
                }
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(context())
}

/// A second launch on a database whose lock is held: asks the running window to come to
/// the front, and this process ends there. Returns only when no window answered (the
/// lock is held by a headless job, or there is no session bus to find the window on).
pub fn hand_over(db_path: &Path) -> Result<(), tauri::Error> {
    // Without a display the window toolkit cannot start (it panics), and there is no
    // window to hand over to anyway.
    #[cfg(target_os = "linux")]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Ok(());
    }
    let mut context = context();
    // No window of its own: this process only knocks on the running one's door.
    context.config_mut().app.windows.clear();
    // Building runs the plugin's setup, which ends this process after the running window
    // took the launch; the event loop is never started.
    let app = tauri::Builder::default().plugin(single_instance(db_path)).build(context)?;
    app.cleanup_before_exit();
    Ok(())
}
