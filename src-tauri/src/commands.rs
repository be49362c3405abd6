//! Tauri commands: one line each over the core. They take the logged-in operator from the
//! core's state, never from their arguments, and return `{code, message, field}` errors.

use std::sync::{Mutex, MutexGuard};

use tauri::State;

use crate::domain::*;
use crate::Mostrador;

pub struct AppState(pub Mutex<Mostrador>);

impl AppState {
    fn core(&self) -> MutexGuard<'_, Mostrador> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolled
        // back), so the core stays usable.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

type Reply<T> = Result<T, CoreError>;

/// Declares each command once: the Tauri handler and its signature for the TypeScript
/// bindings (tests/bindings.rs), so the UI's types cannot drift from the handlers.
macro_rules! commands {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty => |$core:ident| $body:expr;)*) => {
        $(
            #[tauri::command(rename_all = "snake_case")]
            pub fn $name(state: State<'_, AppState>$(, $arg: $ty)*) -> Reply<$ret> {
                let $core = &mut *state.core();
                $body
            }
        )*

        /// Name, arguments and result type of every command, as TypeScript.
        pub fn signatures(cfg: &ts_rs::Config) -> Vec<CommandSignature> {
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
    create_first_admin(input: Credentials) -> Operator => |core| core.create_first_admin(input);
    login(input: Credentials) -> Operator => |core| core.login(input);
    logout() -> () => |core| core.logout();
    current_operator() -> Option<Operator> => |core| Ok(core.current_operator());
    create_operator(input: NewOperator) -> Operator => |core| core.create_operator(input);
    list_operators() -> Vec<Operator> => |core| core.list_operators();
    list_registers() -> Vec<Register> => |core| core.list_registers();
    create_register(input: NewRegister) -> Register => |core| core.create_register(input);
    open_session(input: OpenSessionInput) -> CashSession => |core| core.open_session(input);
    active_session() -> Option<CashSession> => |core| core.active_session();
    session_balance(session_id: i64) -> SessionBalance => |core| core.session_balance(session_id);
    record_cash_movement(input: CashMovementInput) -> CashMovement => |core| core.record_cash_movement(input);
    close_session(input: CloseSessionInput) -> CloseOutcome => |core| core.close_session(input);
    session_report(session_id: i64) -> SessionReport => |core| core.session_report(session_id);
    list_sessions(filter: SessionFilter) -> SessionPage => |core| core.list_sessions(filter);
    get_settings() -> Settings => |core| core.get_settings();
    update_settings(input: SettingsInput) -> Settings => |core| core.update_settings(input);
    integrity_check() -> IntegrityReport => |core| core.integrity_check();
}
