// Generated from the Rust types by tests/bindings.rs; do not edit by hand.
// Regenerate with: UPDATE_BINDINGS=1 cargo test --test bindings

export type Money = string;

export type ErrorCode = "CAMPO_REQUERIDO" | "TEXTO_DEMASIADO_LARGO" | "TEXTO_INVALIDO" | "VALOR_INVALIDO" | "MONTO_INVALIDO" | "MONTO_DECIMALES" | "MONTO_NO_POSITIVO" | "MONTO_EXCEDE_MAXIMO" | "PIN_INVALIDO" | "NO_AUTENTICADO" | "PERMISO_DENEGADO" | "CREDENCIALES_INVALIDAS" | "OPERADOR_BLOQUEADO" | "YA_INICIALIZADO" | "NOMBRE_DUPLICADO" | "NO_ENCONTRADO" | "SESION_CERRADA" | "SESION_YA_ABIERTA" | "OPERADOR_CON_SESION_ABIERTA" | "ESPECIALIDAD_NO_PERMITE" | "FONDOS_INSUFICIENTES" | "AUTORIZACION_REQUERIDA" | "BASE_DE_DATOS_MAS_NUEVA" | "BASE_DE_DATOS_EN_USO" | "ERROR_INTERNO";

export type CoreError = { code: ErrorCode, message: string, 
/**
 * The input field the error is about, as named in the command's input.
 */
field: string | null, };

export type Role = "cajero" | "administrador";

export type Specialty = "SOLO_VENTAS" | "SOLO_AGENTES" | "MIXTA";

export type SessionStatus = "ABIERTA" | "CERRADA";

export type MovementKind = "INGRESO" | "EGRESO";

export type MovementReason = "REPOSICION_CAMBIO" | "APORTE_DUENO" | "OTRO_INGRESO" | "PAGO_PROVEEDOR" | "GASTO_OPERATIVO" | "RETIRO_DUENO" | "DEPOSITO_BANCARIO" | "OTRO_EGRESO";

export type CloseResult = "CUADRADO" | "SOBRANTE" | "FALTANTE";

export type Denomination = "B200" | "B100" | "B50" | "B20" | "B10" | "M5" | "M2" | "M1" | "M0_50" | "M0_20" | "M0_10";

export type ReportKind = "X" | "Z";

export type Operator = { id: number, name: string, role: Role, active: boolean, };

export type SetupStatus = { 
/**
 * True until the first administrator has been created.
 */
needs_first_admin: boolean, };

export type NewOperator = { name: string, 
/**
 * One of "cajero" / "administrador"; checked by the core.
 */
role: Role, pin: string, };

export type Credentials = { name: string, pin: string, };

export type Register = { id: number, name: string, specialty: Specialty, 
/**
 * Cash kept for this register since its last counted close.
 */
vault_balance: Money, 
/**
 * The session open on it, if any.
 */
open_session_id: number | null, };

export type NewRegister = { name: string, specialty: Specialty, };

export type OpenSessionInput = { register_id: number, 
/**
 * The float the cashier declares to have in the drawer, e.g. "500.00".
 */
opening_float: string, };

export type CashSession = { id: number, register_id: number, register_name: string, operator_id: number, operator_name: string, status: SessionStatus, opened_at: string, closed_at: string | null, opening_float: Money, 
/**
 * Declared float minus what the vault held: positive adds cash, negative is a shortfall.
 */
opening_adjustment: Money, counted: Money | null, expected: Money | null, difference: Money | null, result: CloseResult | null, };

export type CashMovementInput = { session_id: number, kind: MovementKind, reason: MovementReason, amount: string, note?: string, };

export type CashMovement = { id: number, session_id: number, kind: MovementKind, reason: MovementReason, amount: Money, note: string | null, operator_id: number, created_at: string, };

export type SessionBalance = { session_id: number, 
/**
 * The drawer account's balance: what should be in the drawer now.
 */
balance: Money, };

export type DenominationCount = { denomination: Denomination, quantity: number, };

export type CloseSessionInput = { session_id: number, counts: Array<DenominationCount>, note?: string, 
/**
 * Needed when the difference is above the configured threshold.
 */
authorization?: Credentials, };

export type CloseOutcome = { session: CashSession, counted: Money, expected: Money, difference: Money, result: CloseResult, authorized_by: string | null, };

export type MovementTotal = { kind: MovementKind, reason: MovementReason, count: number, total: Money, };

export type OperatorTotal = { operator_id: number, operator_name: string, count: number, ingresos: Money, egresos: Money, };

export type CountLine = { denomination: Denomination, quantity: number, subtotal: Money, };

export type SessionReport = { kind: ReportKind, session: CashSession, opening_float: Money, opening_adjustment: Money, movements: Array<MovementTotal>, total_ingresos: Money, total_egresos: Money, by_operator: Array<OperatorTotal>, 
/**
 * Theoretical drawer balance (for a Z report: just before the close).
 */
expected: Money, counted: Money | null, difference: Money | null, result: CloseResult | null, count_lines: Array<CountLine>, generated_at: string, };

export type SessionFilter = { register_id?: number, operator_id?: number, status?: SessionStatus, 
/**
 * Inclusive, YYYY-MM-DD, on the opening date.
 */
from_date?: string, to_date?: string, page?: number, size?: number, };

export type SessionPage = { items: Array<CashSession>, page: number, size: number, total: number, };

export type Settings = { 
/**
 * A close whose difference is larger than this needs an administrator's PIN.
 */
close_difference_threshold: Money, };

export type SettingsInput = { close_difference_threshold: string, };

export type IntegrityReport = { sqlite_ok: boolean, sqlite_messages: Array<string>, 
/**
 * Accounts whose cached balance differs from the sum of their transfers.
 */
mismatched_accounts: Array<string>, };

/** Every Tauri command: its arguments and what it resolves to. */
export interface Commands {
  setup_status: { args: {  }; result: SetupStatus };
  create_first_admin: { args: { input: Credentials }; result: Operator };
  login: { args: { input: Credentials }; result: Operator };
  logout: { args: {  }; result: null };
  current_operator: { args: {  }; result: Operator | null };
  create_operator: { args: { input: NewOperator }; result: Operator };
  list_operators: { args: {  }; result: Array<Operator> };
  list_registers: { args: {  }; result: Array<Register> };
  create_register: { args: { input: NewRegister }; result: Register };
  open_session: { args: { input: OpenSessionInput }; result: CashSession };
  active_session: { args: {  }; result: CashSession | null };
  session_balance: { args: { session_id: number }; result: SessionBalance };
  record_cash_movement: { args: { input: CashMovementInput }; result: CashMovement };
  close_session: { args: { input: CloseSessionInput }; result: CloseOutcome };
  session_report: { args: { session_id: number }; result: SessionReport };
  list_sessions: { args: { filter: SessionFilter }; result: SessionPage };
  get_settings: { args: {  }; result: Settings };
  update_settings: { args: { input: SettingsInput }; result: Settings };
  integrity_check: { args: {  }; result: IntegrityReport };
}
