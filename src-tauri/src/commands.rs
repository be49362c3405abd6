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
    list_providers() -> Vec<Provider> => |core| core.list_providers();
    create_provider(input: NewProvider) -> Provider => |core| core.create_provider(input);
    adjust_provider_float(input: ProviderFloatInput) -> Provider => |core| core.adjust_provider_float(input);
    create_agent_transaction(input: NewAgentTransaction) -> TransaccionAgente => |core| core.create_agent_transaction(input);
    list_agent_transactions(filter: AgentFilter) -> Page<TransaccionAgente> => |core| core.list_agent_transactions(filter);
    get_agent_transaction(id: i64) -> TransaccionAgente => |core| core.get_agent_transaction(id);
    void_agent_transaction(input: VoidInput) -> TransaccionAgente => |core| core.void_agent_transaction(input);
    settle_bank_commissions(input: SettlementInput) -> SettlementReport => |core| core.settle_bank_commissions(input);
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
}
