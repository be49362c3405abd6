// Generated from the Rust types by tests/bindings.rs; do not edit by hand.
// Regenerate with: UPDATE_BINDINGS=1 cargo test --test bindings

import type { Channel } from "@tauri-apps/api/core";

export type Money = string;

export type ErrorCode = "CAMPO_REQUERIDO" | "TEXTO_DEMASIADO_LARGO" | "TEXTO_INVALIDO" | "VALOR_INVALIDO" | "MONTO_INVALIDO" | "MONTO_DECIMALES" | "MONTO_NO_POSITIVO" | "MONTO_BAJO_MINIMO" | "MONTO_EXCEDE_MAXIMO" | "PIN_INVALIDO" | "NO_AUTENTICADO" | "PERMISO_DENEGADO" | "CREDENCIALES_INVALIDAS" | "OPERADOR_BLOQUEADO" | "YA_INICIALIZADO" | "NOMBRE_DUPLICADO" | "NO_ENCONTRADO" | "SESION_CERRADA" | "SESION_YA_ABIERTA" | "OPERADOR_CON_SESION_ABIERTA" | "ULTIMO_ADMINISTRADOR" | "SESION_EXPIRADA" | "ESPECIALIDAD_NO_PERMITE" | "FONDOS_INSUFICIENTES" | "AUTORIZACION_REQUERIDA" | "REFERENCIA_DUPLICADA" | "SALDO_PROVEEDOR_INSUFICIENTE" | "SALDO_OPERADORA_INSUFICIENTE" | "YA_ANULADA" | "ARCHIVO_INVALIDO" | "LIMITE_FUERA_DE_LINEA" | "LIMITE_PROVEEDOR" | "IDENTIDAD_REQUERIDA" | "ESTADO_NO_PERMITE" | "ESPERANDO_PROVEEDOR" | "CREDENCIALES_NO_DISPONIBLES" | "IMPRESORA_NO_DISPONIBLE" | "PROVEEDOR_NO_DISPONIBLE" | "CONCILIACION_NO_DISPONIBLE" | "BASE_DE_DATOS_MAS_NUEVA" | "BASE_DE_DATOS_EN_USO" | "CONFLICTO" | "ERROR_INTERNO";

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

export type Operator = { id: number, name: string, role: Role, active: boolean, 
/**
 * Locked by failed PINs right now (only the administrators' list fills it in).
 */
locked: boolean, 
/**
 * The language this operator chose; remembered across logins.
 */
language: Language, };

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

export type FirstAdmin = { operator: Operator, recovery_code: string, };

export type ResetPinInput = { operator_id: number, new_pin: string, };

export type ChangePinInput = { current_pin: string, new_pin: string, };

export type ChangeRoleInput = { operator_id: number, 
/**
 * One of "cajero" / "administrador"; checked by the core.
 */
role: Role, };

export type RecoverAdminInput = { name: string, recovery_code: string, new_pin: string, };

export type RecoveryOutcome = { operator: Operator, recovery_code: string, };

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
opening_float: string, 
/**
 * An administrator's name and PIN, needed when a cashier's declared float differs
 * from the register's vault by more than the close threshold.
 */
authorization?: Credentials, };

export type CashSession = { id: number, register_id: number, register_name: string, operator_id: number, operator_name: string, status: SessionStatus, opened_at: string, closed_at: string | null, opening_float: Money, 
/**
 * Declared float minus what the vault held: positive adds cash, negative is a shortfall.
 */
opening_adjustment: Money, counted: Money | null, expected: Money | null, difference: Money | null, result: CloseResult | null, };

export type CashMovementInput = { session_id: number, kind: MovementKind, reason: MovementReason, amount: string, note?: string, };

export type CashMovement = { id: number, session_id: number, kind: MovementKind, reason: MovementReason, amount: Money, note: string | null, operator_id: number, created_at: string, };

export type SessionBalance = { session_id: number, 
/**
 * The drawer account's balance: what should be in the drawer now. `None` for a
 * cashier while the blind-close policy hides it (until the count is submitted).
 */
balance: Money | null, };

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
 * Theoretical drawer balance (for a Z report: just before the close). `None` on a
 * cashier's X report while the blind-close policy hides it.
 */
expected: Money | null, counted: Money | null, difference: Money | null, result: CloseResult | null, count_lines: Array<CountLine>, agentes: Array<AgentTotal>, comision_cliente: Money, comision_banco: Money, recargas: Array<CarrierTotal>, pagos: Array<PaymentTotal>, 
/**
 * Operations of the session voided so far (agent transactions, top-ups, injections, payments).
 */
anulaciones: number, 
/**
 * The session's calls to each provider by state: what has reached them and what not.
 */
sync: Array<ProviderSyncTotal>, 
/**
 * Operations of the session by the store's hour, for the chart of the day.
 */
actividad: Array<HourActivity>, 
/**
 * Each connected wallet's last balance check while the session was open: the store's
 * float against the wallet's own balance, and their difference.
 */
saldos_billeteras: Array<BalanceCheck>, generated_at: string, };

export type SessionFilter = { register_id?: number, operator_id?: number, status?: SessionStatus, 
/**
 * Inclusive, YYYY-MM-DD, on the opening date.
 */
from_date?: string, to_date?: string, page?: number, size?: number, };

export type Settings = { 
/**
 * A close whose difference is larger than this needs an administrator's PIN.
 */
close_difference_threshold: Money, 
/**
 * Minutes without a command before the operator must log in again; 0 = never.
 */
idle_logout_minutes: number, 
/**
 * A cashier does not see the drawer's expected cash until the count is submitted.
 */
blind_close: boolean, };

export type SettingsInput = { close_difference_threshold: string, 
/**
 * Whole minutes, 0 (never) to 480; absent leaves it as it is.
 */
idle_logout_minutes?: string, 
/**
 * Absent leaves the blind-close policy as it is.
 */
blind_close?: boolean, };

export type StoreProfile = { 
/**
 * Printed at the top of every receipt; "Mostrador" until an administrator names it.
 */
nombre: string, direccion: string | null, 
/**
 * The store's tax id (NIT), digits only.
 */
nit: string | null, };

export type StoreProfileInput = { nombre: string, direccion?: string, nit?: string, };

export type IntegrityReport = { sqlite_ok: boolean, sqlite_messages: Array<string>, 
/**
 * Accounts whose cached balance differs from the sum of their transfers.
 */
mismatched_accounts: Array<string>, };

export type BackupSummary = { archivo: string, 
/**
 * RFC 3339, when it was taken.
 */
creado: string, tamano_bytes: number, };

export type SystemHealth = { integridad: IntegrityReport, ruta_base: string, 
/**
 * The database file plus its write-ahead log, in bytes.
 */
tamano_base_bytes: number, archivo_log: string, 
/**
 * The newest lines of the log file, oldest first.
 */
ultimas_lineas_log: Array<string>, 
/**
 * The newest backup, `None` when there is none yet.
 */
ultimo_respaldo: BackupSummary | null, };

export type StartupCheck = { ok: boolean, mensajes: Array<string>, ruta_base: string, 
/**
 * The last backup that passed its own check, to restore from.
 */
ultimo_respaldo: BackupSummary | null, };

export type TipoOperacion = "DEPOSITO" | "RETIRO" | "TRANSFERENCIA_QR";

export type Operadora = "Tigo" | "Entel" | "Viva";

export type MetodoPago = "BCP" | "EFECTIVO" | "LOS_ANDES" | "OTRO";

export type MovimientoFondo = "FONDEO" | "RETIRO";

export type Provider = { code: string, name: string, 
/**
 * The store's float with the provider (`provider_float:<code>`).
 */
saldo: Money, 
/**
 * Bank commissions accrued and not yet paid into the float.
 */
comision_por_cobrar: Money, };

export type NewProvider = { 
/**
 * Upper-case code such as "BNB" or "TIGO_MONEY".
 */
code: string, name: string, };

export type ProviderFloatInput = { banco: string, tipo: MovimientoFondo, monto: string, nota?: string, };

export type NewAgentTransaction = { banco: string, tipo_operacion: TipoOperacion, monto: string, 
/**
 * Defaults to 0.
 */
comision_cliente?: string, nro_referencia: string, id_caja_sesion: number, 
/**
 * A voucher image or PDF on disk; it is copied into the app's data folder.
 */
comprobante?: string, 
/**
 * The customer's account (CVU, alias or bank account) a DEPOSITO or
 * TRANSFERENCIA_QR is sent to; required when the provider is connected.
 */
cuenta_cliente?: string, 
/**
 * The customer's CUIT (11 digits; dashes are dropped), asked at the counter when the
 * operation goes to a wallet: its cashout sends `"cuit": string` (seeds/002 L44).
 * Checked whenever given.
 */
cuit_cliente?: string, 
/**
 * The customer's identity document and name, when the provider's rule asks for it
 * (`quote_agent_operation` says when); kept with the operation.
 */
cliente?: ClienteIdentidad, 
/**
 * Why an administrator charges another client commission than the tariff's.
 */
motivo_comision?: string, };

export type TransaccionAgente = { id: number, banco: string, tipo_operacion: TipoOperacion, monto: Money, comision_cliente: Money, comision_banco: Money, nro_referencia: string, url_comprobante: string | null, cuenta_cliente: string | null, fecha: string, id_caja_sesion: number, id_usuario: number, anulada_en: string | null, motivo_anulacion: string | null, 
/**
 * The customer recorded with the operation (not a field of the seed's record).
 */
cliente?: ClienteIdentidad, };

export type AgentFilter = { id_caja_sesion?: number, banco?: string, tipo_operacion?: TipoOperacion, 
/**
 * Inclusive local dates, YYYY-MM-DD.
 */
desde?: string, hasta?: string, 
/**
 * 1-based.
 */
page?: number, size?: number, 
/**
 * The id of the last row of the previous page: the page starts right after it, found
 * through the index instead of skipping `(page - 1) * size` rows. `page` is then only
 * the number shown.
 */
despues_de?: number, };

export type Page<T> = { items: Array<T>, page: number, size: number, total: number, };

export type VoidInput = { id: number, motivo: string, };

export type SettlementInput = { banco: string, 
/**
 * Lines of `nro_referencia,comision_banco`; a header line is allowed.
 */
csv: string, 
/**
 * The bank has paid what it owes into the store's float: the provider's whole
 * outstanding commission receivable moves there.
 */
pagado: boolean, };

export type SettledLine = { linea: number, nro_referencia: string, id_transaccion: number, comision_banco: Money, };

export type UnmatchedLine = { linea: number, texto: string, motivo: string, };

export type SettlementReport = { banco: string, conciliadas: Array<SettledLine>, 
/**
 * Lines that matched nothing or could not be read: reported, never dropped.
 */
sin_coincidencia: Array<UnmatchedLine>, 
/**
 * Accrued by this settlement (the change in comision_banco).
 */
total: Money, pagado: boolean, 
/**
 * Moved from the commission receivable into the provider float (all that was owed).
 */
monto_pagado: Money, 
/**
 * Matched lines whose paid commission is not what the tariff expected.
 */
diferencias: Array<CommissionDifference>, };

export type OperadoraSaldo = { operadora: Operadora, saldo_actual: Money, 
/**
 * Bonus the carrier adds to an injection, in percent ("2.50").
 */
bonificacion_porcentaje: string, };

export type NewTopup = { operadora: Operadora, telefono: string, monto: string, id_caja_sesion: number, };

export type RecargaCliente = { id: number, operadora: Operadora, telefono: string, monto: Money, fecha: string, id_caja_sesion: number, id_usuario: number, anulada_en: string | null, motivo_anulacion: string | null, };

export type NewInjection = { operadora: Operadora, monto: string, id_caja_sesion: number, };

export type InyeccionOperadora = { id: number, operadora: Operadora, monto: Money, 
/**
 * Carrier bonus credited on top of the amount, booked as income.
 */
bonificacion: Money, fecha: string, id_caja_sesion: number, id_usuario: number, anulada_en: string | null, motivo_anulacion: string | null, };

export type CarrierBonusInput = { operadora: Operadora, 
/**
 * Percent with at most two decimals, 0 to 50.
 */
bonificacion_porcentaje: string, };

export type RecargaFilter = { id_caja_sesion?: number, operadora?: Operadora, desde?: string, hasta?: string, page?: number, size?: number, };

export type NewPago = { pendienteId: number, cliente: string, monto: string, fechaPago: string, metodoPago: MetodoPago, referencia?: string, id_caja_sesion: number, };

export type UpdatePago = { id: number, pago: NewPago, motivo: string, };

export type Pago = { id: number, pendienteId: number, cliente: string, empleado: string, monto: Money, fechaPago: string, metodoPago: MetodoPago, referencia: string | null, vigente: boolean, id_caja_sesion: number, 
/**
 * The payment this one corrects, if it is a correction.
 */
corrigeA: number | null, 
/**
 * When it was recorded.
 */
creado_en: string, anulada_en: string | null, motivo_anulacion: string | null, };

export type PagoFilter = { 
/**
 * Only the payments of this session.
 */
id_caja_sesion?: number, 
/**
 * Voided payments too (`vigente = false`); by default only live ones, as in the
 * payments API.
 */
incluir_anulados?: boolean, 
/**
 * Zero-based, as in the payments API.
 */
page?: number, size?: number, };

export type AgentTotal = { banco: string, tipo_operacion: TipoOperacion, cantidad: number, monto: Money, comision_cliente: Money, comision_banco: Money, };

export type CarrierTotal = { operadora: Operadora, saldo_apertura: Money, saldo_cierre: Money, recargas: number, monto_recargas: Money, inyecciones: number, monto_inyecciones: Money, bonificacion: Money, };

export type PaymentTotal = { metodoPago: MetodoPago, cantidad: number, monto: Money, };

export type Contrato = "BILLETERA_V2" | "BANCO_V1";

export type LlamadaApi = "CASHOUT" | "VERIFICAR_COBRO" | "DEPOSITO" | "REVERSO";

export type EstadoEnvio = "queued" | "sending" | "retry_wait" | "acked" | "needs_attention" | "cancelled";

export type EstadoConciliacion = "CONCILIADA" | "FALTA_EN_PROVEEDOR" | "DESCONOCIDA_EN_TIENDA" | "REQUIERE_ATENCION";

export type AlmacenCredenciales = "SECRET_SERVICE" | "KEYUTILS";

export type EstadoCredenciales = "GUARDADAS" | "FALTAN" | "BLOQUEADO" | "NO_DISPONIBLE" | "DANADAS";

export type ProviderConnection = { banco: string, 
/**
 * `None`: record only, nothing is sent.
 */
contrato: Contrato | null, url_base: string | null, enviar_deposito: boolean, enviar_retiro: boolean, enviar_qr: boolean, 
/**
 * Bank: the store's correspondent account, debited by each deposit.
 */
cuenta_tienda: string | null, 
/**
 * Bank: the point of service it assigned to the store, sent with each deposit.
 */
punto_servicio: PuntoServicio | null, 
/**
 * What the documents leave open, as configured (`None`: the documented default).
 */
ajustes: AjustesContrato, limite_operacion: Money, limite_pendiente: Money, 
/**
 * Read from the keyring without prompting; a locked or silent keyring marks every
 * connection so, and the list is still given.
 */
credenciales: EstadoCredenciales, };

export type PuntoServicio = { 
/**
 * Up to 15 digits.
 */
codigo: string, nombre: string, 
/**
 * The municipality's DANE code, 5 or 6 digits.
 */
ciudad_id: string, ciudad: string, 
/**
 * The department's DANE code, 2 digits.
 */
departamento: string, };

export type AjustesContrato = { 
/**
 * Bank: the OAuth 2 client-credentials URL (the document names none). Required.
 */
url_token: string | null, 
/**
 * Bank: its zone as `±HH:MM` for `X-Invoker-ProcessDate` and `transactionHour`;
 * default `-04:00`.
 */
zona_horaria: string | null, 
/**
 * Bank: how `trn.type` is written; default `N_R`.
 */
tipo_deposito: TipoDeposito | null, 
/**
 * Bank: `X-Invoker-TerminalId`; default the point of service code.
 */
terminal_id: string | null, 
/**
 * Bank: `X-Invoker-UserIPAddress`; default `127.0.0.1`.
 */
ip_terminal: string | null, 
/**
 * Bank: `X-Invoker-ServerIPAddress`; default the terminal's IP.
 */
ip_servidor: string | null, 
/**
 * Bank: `X-Invoker-ModifierUser`; default one space ("Enviar espacios").
 */
usuario_modificador: string | null, 
/**
 * Bank: a deposit whose outcome is unknown; default `MISMA_CLAVE`.
 */
reenvio_incierto: ReenvioIncierto | null, 
/**
 * Wallet: unit of the token's `expires_at`; default seconds.
 */
unidad_expiracion: UnidadExpiracion | null, 
/**
 * Wallet: the cashout's `concept`, one of `GET v2/payment/concepts`.
 */
concepto: string | null, 
/**
 * Wallet: how many days back its transaction list is trusted to reach (1–3650): an
 * older call in doubt the list does not show is not taken as never applied; default
 * 30 (`sync::worker::LIST_TRUSTED_DAYS`).
 */
dias_lista_confiable: number | null, 
/**
 * Wallet: seconds after the last attempt whose outcome is unknown before a "not
 * found" is believed for a voided operation's call (1–86400); default the worker's
 * quiet period, 300.
 */
segundos_espera_consulta: number | null, 
/**
 * Wallet: the unit of `account/balance`'s integer `amount`; default centavos.
 */
unidad_saldo: UnidadSaldo | null, };

export type TipoDeposito = "N_R" | "NORMAL_REVERSO";

export type ReenvioIncierto = "MISMA_CLAVE" | "EXTRACTO";

export type UnidadExpiracion = "SECONDS" | "MILLISECONDS";

export type UnidadSaldo = "CENTAVOS" | "BOLIVIANOS";

export type ConfigureProviderInput = { banco: string, 
/**
 * "BILLETERA_V2", "BANCO_V1" or "NINGUNO" (record only).
 */
contrato: string, url_base?: string, enviar_deposito: boolean, enviar_retiro: boolean, enviar_qr: boolean, cuenta_tienda?: string, 
/**
 * Bank: its point of service; required when it sends deposits or QR transfers.
 */
punto_codigo?: string, punto_nombre?: string, punto_ciudad_id?: string, punto_ciudad?: string, punto_departamento?: string, limite_operacion?: string, limite_pendiente?: string, 
/**
 * Bank: OAuth 2 client-credentials URL (required for a bank).
 */
url_token?: string, 
/**
 * Bank: `±HH:MM` (default `-04:00`).
 */
zona_horaria?: string, 
/**
 * Bank: "N_R" (default) or "NORMAL_REVERSO".
 */
tipo_deposito?: string, 
/**
 * Bank: `X-Invoker-TerminalId` (default the point of service code).
 */
terminal_id?: string, 
/**
 * Bank: `X-Invoker-UserIPAddress` (default 127.0.0.1).
 */
ip_terminal?: string, 
/**
 * Bank: `X-Invoker-ServerIPAddress` (default the terminal's IP).
 */
ip_servidor?: string, 
/**
 * Bank: `X-Invoker-ModifierUser` (default spaces).
 */
usuario_modificador?: string, 
/**
 * Bank: "MISMA_CLAVE" (default: resend an unknown deposit with its trnRqUID) or
 * "EXTRACTO" (a person resolves it with the statement).
 */
reenvio_incierto?: string, 
/**
 * Wallet: "SECONDS" (default) or "MILLISECONDS".
 */
unidad_expiracion?: string, 
/**
 * Wallet: the cashout's concept, one of the provider's `payment/concepts`.
 */
concepto?: string, 
/**
 * Wallet: days back its transaction list is trusted to reach, 1 to 3650 (default 30).
 */
dias_lista_confiable?: string, 
/**
 * Wallet: seconds before a "not found" is believed for a voided operation's call in
 * doubt, 1 to 86400 (default 300).
 */
segundos_espera_consulta?: string, 
/**
 * Wallet: "CENTAVOS" (default) or "BOLIVIANOS", the unit of the balance's `amount`.
 */
unidad_saldo?: string, };

export type ProviderCredentialsInput = { banco: string, 
/**
 * Wallet: user name. Bank: `client_id`.
 */
usuario: string, 
/**
 * Wallet: password. Bank: `client_secret`. Never returned.
 */
secreto: string, };

export type OutboundItem = { id: number, banco: string, llamada: LlamadaApi, id_transaccion: number, tipo_operacion: TipoOperacion, nro_referencia: string, 
/**
 * The outbox row this one reverses.
 */
revierte: number | null, 
/**
 * Idempotency key sent on every attempt.
 */
clave: string, monto: Money, estado: EstadoEnvio, intentos: number, 
/**
 * When the next attempt is due (UTC, RFC 3339), while waiting.
 */
proximo_intento: string | null, 
/**
 * The last attempt may have reached the provider; it is asked before a resend.
 */
resultado_incierto: boolean, referencia_proveedor: string | null, codigo_error: string | null, mensaje_error: string | null, creado: string, actualizado: string, confirmado: string | null, motivo_cancelacion: string | null, };

export type OutboxFilter = { estado?: EstadoEnvio, banco?: string, page?: number, size?: number, };

export type CancelOutboundInput = { id: number, motivo: string, };

export type ResolveOutboundInput = { id: number, aplicada: boolean, motivo: string, };

export type ProviderLink = { banco: string, 
/**
 * `None` until the worker has tried to reach it.
 */
en_linea: boolean | null, 
/**
 * Why nothing is being sent to it (no credentials, rejected credentials...).
 */
problema: string | null, };

export type SyncStatus = { 
/**
 * Every connected provider answered the last probe (or none is connected).
 */
en_linea: boolean, proveedores: Array<ProviderLink>, 
/**
 * Calls not yet acknowledged (queued, sending or waiting to retry).
 */
pendientes: number, monto_pendiente: Money, requieren_atencion: number, 
/**
 * The worker is sending right now.
 */
enviando: boolean, almacen_credenciales: AlmacenCredenciales, 
/**
 * False when credentials will not survive a reboot (kernel keyutils).
 */
credenciales_persistentes: boolean, };

export type SyncProgress = { 
/**
 * Calls that were due when the sync started.
 */
total: number, 
/**
 * Of those, how many have reached a final or waiting state in this run.
 */
hechos: number, confirmados: number, reintentos: number, requieren_atencion: number, terminado: boolean, };

export type ReconcileInput = { banco: string, 
/**
 * Store-local day, YYYY-MM-DD.
 */
fecha: string, 
/**
 * The provider's statement for that day as CSV (`referencia,monto` per line), to
 * reconcile against instead of its API: the bank contract has no transaction list.
 */
extracto?: string, };

export type ReconciliationLine = { estado: EstadoConciliacion, id_transaccion: number | null, 
/**
 * The store's reference (idempotency key or the customer's transfer reference).
 */
referencia: string | null, referencia_proveedor: string | null, monto: Money, detalle: string, };

export type ReconciliationReport = { id: number, banco: string, dia: string, creado: string, conciliadas: number, faltan_en_proveedor: number, desconocidas: number, lineas: Array<ReconciliationLine>, };

export type DrawerEffect = { 
/**
 * +1: the customer hands the amount over; -1: the store hands it out.
 */
monto: number, 
/**
 * The same for the customer's commission.
 */
comision: number, };

export type DenominationRule = { code: Denomination, value: Money, coin: boolean, };

export type AgentRule = { tipo: TipoOperacion, caja: DrawerEffect, 
/**
 * +1: the store's float with the provider grows by the amount; -1: it shrinks.
 */
saldo_proveedor: number, };

export type CounterRules = { 
/**
 * Every note and coin, largest first.
 */
denominations: Array<DenominationRule>, 
/**
 * One per agent operation type.
 */
agent: Array<AgentRule>, 
/**
 * Largest statement an import accepts, in bytes.
 */
import_max_bytes: number, };

export type Respaldo = { 
/**
 * Full path of the file.
 */
archivo: string, 
/**
 * File name (`mostrador-AAAAMMDD-HHMMSS-<motivo>.sqlite3`).
 */
nombre: string, 
/**
 * When it was taken, store-local time `AAAA-MM-DD HH:MM:SS`.
 */
tomado: string, 
/**
 * Size in bytes.
 */
bytes: number, 
/**
 * `manual`, `cierre` (a register closed) or `diario` (the daily time).
 */
motivo: string, };

export type BackupSettings = { 
/**
 * Store-local time of the daily backup, `HH:MM`.
 */
hora_diaria: string, 
/**
 * A second folder (a USB stick, a network share) each automatic backup is also copied to.
 */
carpeta_extra: string | null, 
/**
 * Automatic backups kept: the newest of each of the last N days…
 */
conservar_diarios: number, 
/**
 * …and the newest of each of the last M months.
 */
conservar_mensuales: number, };

export type BackupSettingsInput = { hora_diaria: string, 
/**
 * Empty or absent: no second folder.
 */
carpeta_extra: string | null, conservar_diarios: number, conservar_mensuales: number, };

export type BackupOverview = { 
/**
 * The data folder's backup folder.
 */
carpeta: string, ajustes: BackupSettings, 
/**
 * Newest first, from the backup folder and the second folder.
 */
respaldos: Array<Respaldo>, };

export type BackupNowInput = { 
/**
 * The folder to write to; absent or empty: the data folder's backup folder.
 */
carpeta: string | null, };

export type RestoreInput = { 
/**
 * The backup file to restore.
 */
archivo: string, 
/**
 * The logged-in administrator's PIN.
 */
pin: string, };

export type RestoreDamagedInput = { 
/**
 * The backup the screen named (the newest good one); any other file is refused.
 */
archivo: string, 
/**
 * An active administrator of the damaged database, checked against its operators.
 */
nombre: string, pin: string, };

export type RestoreOutcome = { 
/**
 * The file restored.
 */
archivo: string, 
/**
 * Where the database as it was before the restore was kept.
 */
anterior: string, 
/**
 * Provider calls not acknowledged in the backup: each is asked about before anything
 * is sent again.
 */
llamadas_en_duda: number, };

export type Identidad = "NUNCA" | "SIEMPRE" | "DESDE_MONTO";

export type TipoComision = "FIJA" | "PORCENTAJE";

export type Redondeo = "CENTAVO" | "DECIMO" | "BOLIVIANO";

export type MomentoSaldo = "SINCRONIZACION" | "CIERRE_DIA";

export type ProviderLimit = { banco: string, tipo_operacion: TipoOperacion, monto_minimo: Money | null, monto_maximo: Money | null, 
/**
 * A customer's total for this provider and type in one store-local day.
 */
total_diario: Money | null, 
/**
 * A customer's total in one calendar month (store-local).
 */
total_mensual: Money | null, identidad: Identidad, 
/**
 * With `DESDE_MONTO`: the document is asked from this amount up (inclusive).
 */
identidad_desde: Money | null, 
/**
 * The customer's name and document are printed on the receipt.
 */
identidad_en_recibo: boolean, };

export type ProviderLimitInput = { banco: string, tipo_operacion: TipoOperacion, monto_minimo?: string, monto_maximo?: string, total_diario?: string, total_mensual?: string, identidad: Identidad, identidad_desde?: string, identidad_en_recibo: boolean, };

export type ClienteIdentidad = { 
/**
 * The CI number, digits only.
 */
ci_numero: string, 
/**
 * The complement of a duplicated number (`1A`), if any.
 */
ci_complemento?: string, 
/**
 * The issuing department (`LP`, `CB`, `SC`, ...); newer cards have none.
 */
ci_expedido?: string, nombre: string, };

export type TariffBand = { desde: Money, hasta: Money | null, cliente_tipo: TipoComision, 
/**
 * A fixed commission in bolivianos (`"5.00"`) or a percentage (`"1.50"` is 1,50 %).
 */
cliente_valor: string, banco_tipo: TipoComision, banco_valor: string, };

export type Tariff = { banco: string, tipo_operacion: TipoOperacion, redondeo: Redondeo, 
/**
 * Contiguous, from the smallest amount up.
 */
bandas: Array<TariffBand>, };

export type TariffBandInput = { desde: string, hasta?: string, cliente_tipo: TipoComision, cliente_valor: string, banco_tipo: TipoComision, banco_valor: string, };

export type TariffInput = { banco: string, tipo_operacion: TipoOperacion, redondeo: Redondeo, bandas: Array<TariffBandInput>, };

export type AgentQuote = { 
/**
 * From the tariff; `None`: no tariff, typed by hand.
 */
comision_cliente: Money | null, 
/**
 * Whether the logged-in operator may change the tariff's commission (administrators,
 * with a reason).
 */
comision_editable: boolean, comision_banco_esperada: Money | null, identidad_requerida: boolean, limite: ProviderLimit | null, 
/**
 * With a document given: what the customer may still do today and this month.
 */
restante_diario: Money | null, restante_mensual: Money | null, };

export type AgentQuoteInput = { banco: string, tipo_operacion: TipoOperacion, 
/**
 * Empty: no amount typed yet.
 */
monto?: string, ci_numero?: string, ci_complemento?: string, };

export type ClienteResumen = { cliente: ClienteIdentidad, operaciones: number, ultima: string, };

export type CustomerSearch = { 
/**
 * The start of a CI number, or part of a name (at least 2 characters).
 */
texto: string, };

export type CustomerRef = { ci_numero: string, ci_complemento?: string, };

export type CommissionDifference = { id_transaccion: number, nro_referencia: string, esperada: Money, pagada: Money, 
/**
 * Paid less expected.
 */
diferencia: Money, };

export type BalanceCheck = { id: number, banco: string, fecha: string, momento: MomentoSaldo, saldo_tienda: Money, saldo_proveedor: Money, 
/**
 * Provider less store; zero when they agree.
 */
diferencia: Money, };

export type CustomerOperation = { transaccion: TransaccionAgente, cliente: ClienteIdentidad, };

export type TipoRegla = "LIMITE" | "TARIFA";

export type RuleChange = { id: number, banco: string, tipo_operacion: TipoOperacion, regla: TipoRegla, fecha: string, operador: string, limite_anterior: ProviderLimit | null, limite_nuevo: ProviderLimit | null, tarifa_anterior: Tariff | null, tarifa_nueva: Tariff | null, };

export type TipoImpresora = "NINGUNA" | "RED" | "USB" | "SERIE";

export type AnchoPapel = "58" | "80";

export type PrinterSettings = { tipo: TipoImpresora, 
/**
 * `host[:port]` for RED (port 9100 when omitted), the device file for USB / SERIE.
 */
direccion: string | null, ancho: AnchoPapel, 
/**
 * Print each operation's receipt as soon as it is recorded.
 */
impresion_automatica: boolean, 
/**
 * Print a second copy marked for the store.
 */
copia_tienda: boolean, };

export type PrinterSettingsInput = { tipo: TipoImpresora, direccion?: string, ancho: AnchoPapel, impresion_automatica: boolean, copia_tienda: boolean, };

export type TipoComprobante = "AGENTE" | "RECARGA" | "INYECCION" | "PAGO" | "MOVIMIENTO";

export type PrintReceiptInput = { tipo: TipoComprobante, id: number, };

export type PrintOutcome = { 
/**
 * The printer, as the settings name it ("red 192.168.1.50:9100").
 */
destino: string, 
/**
 * Copies printed: 1, or 2 with the store copy.
 */
copias: number, bytes: number, };

export type AuditEntry = { id: number, 
/**
 * None for what no one logged in did (a first setup, a scheduled job).
 */
operator_id: number | null, operator_name: string | null, 
/**
 * A stable machine name: `create_agent_transaction`, `login_failed`, ...
 */
action: string, entity: string, entity_id: number | null, 
/**
 * A small JSON object with the row's particulars.
 */
detail: string, created_at: string, };

export type AuditFilter = { operator_id?: number, 
/**
 * One action's exact name.
 */
action?: string, 
/**
 * Inclusive store-local dates, YYYY-MM-DD.
 */
from_date?: string, to_date?: string, page?: number, size?: number, };

export type Language = "es" | "en";

export type EstadoLlamada = "EN_COLA" | "ENVIADA" | "CONFIRMADA" | "REQUIERE_ATENCION" | "CANCELADA";

export type LlamadaDeOperacion = { id_transaccion: number, estado: EstadoLlamada, 
/**
 * The provider's reference once it confirmed the call.
 */
referencia_proveedor: string | null, };

export type ProviderSyncTotal = { banco: string, en_cola: number, enviadas: number, confirmadas: number, requieren_atencion: number, canceladas: number, 
/**
 * The amount of the calls not yet confirmed (queued, sent or needing attention).
 */
monto_sin_confirmar: Money, };

export type HourActivity = { hora: number, agentes: number, recargas: number, pagos: number, movimientos: number, };

/** Every Tauri command: its arguments and what it resolves to. */
export interface Commands {
  setup_status: { args: {  }; result: SetupStatus };
  counter_rules: { args: {  }; result: CounterRules };
  create_first_admin: { args: { input: Credentials }; result: FirstAdmin };
  recover_admin_pin: { args: { input: RecoverAdminInput }; result: RecoveryOutcome };
  login: { args: { input: Credentials }; result: Operator };
  logout: { args: {  }; result: null };
  current_operator: { args: {  }; result: Operator | null };
  create_operator: { args: { input: NewOperator }; result: Operator };
  list_operators: { args: {  }; result: Array<Operator> };
  deactivate_operator: { args: { operator_id: number }; result: Operator };
  reactivate_operator: { args: { operator_id: number }; result: Operator };
  unlock_operator: { args: { operator_id: number }; result: Operator };
  reset_operator_pin: { args: { input: ResetPinInput }; result: Operator };
  change_own_pin: { args: { input: ChangePinInput }; result: Operator };
  change_operator_role: { args: { input: ChangeRoleInput }; result: Operator };
  issue_recovery_code: { args: { input: Credentials }; result: string };
  list_registers: { args: {  }; result: Array<Register> };
  create_register: { args: { input: NewRegister }; result: Register };
  open_session: { args: { input: OpenSessionInput }; result: CashSession };
  active_session: { args: {  }; result: CashSession | null };
  session_balance: { args: { session_id: number }; result: SessionBalance };
  record_cash_movement: { args: { input: CashMovementInput }; result: CashMovement };
  close_session: { args: { input: CloseSessionInput }; result: CloseOutcome };
  session_report: { args: { session_id: number }; result: SessionReport };
  list_sessions: { args: { filter: SessionFilter }; result: Page<CashSession> };
  get_settings: { args: {  }; result: Settings };
  update_settings: { args: { input: SettingsInput }; result: Settings };
  get_store_profile: { args: {  }; result: StoreProfile };
  update_store_profile: { args: { input: StoreProfileInput }; result: StoreProfile };
  integrity_check: { args: {  }; result: IntegrityReport };
  backup_overview: { args: {  }; result: BackupOverview };
  update_backup_settings: { args: { input: BackupSettingsInput }; result: BackupSettings };
  restore_backup: { args: { input: RestoreInput }; result: RestoreOutcome };
  restore_damaged: { args: { input: RestoreDamagedInput }; result: RestoreOutcome };
  system_health: { args: {  }; result: SystemHealth };
  startup_check: { args: {  }; result: StartupCheck };
  list_providers: { args: {  }; result: Array<Provider> };
  create_provider: { args: { input: NewProvider }; result: Provider };
  adjust_provider_float: { args: { input: ProviderFloatInput }; result: Provider };
  create_agent_transaction: { args: { input: NewAgentTransaction }; result: TransaccionAgente };
  list_agent_transactions: { args: { filter: AgentFilter }; result: Page<TransaccionAgente> };
  get_agent_transaction: { args: { id: number }; result: TransaccionAgente };
  void_agent_transaction: { args: { input: VoidInput }; result: TransaccionAgente };
  settle_bank_commissions: { args: { input: SettlementInput }; result: SettlementReport };
  list_provider_limits: { args: {  }; result: Array<ProviderLimit> };
  set_provider_limit: { args: { input: ProviderLimitInput }; result: ProviderLimit };
  list_commission_tariffs: { args: {  }; result: Array<Tariff> };
  set_commission_tariff: { args: { input: TariffInput }; result: Tariff };
  provider_rule_history: { args: { banco: string }; result: Array<RuleChange> };
  quote_agent_operation: { args: { input: AgentQuoteInput }; result: AgentQuote };
  search_customers: { args: { input: CustomerSearch }; result: Array<ClienteResumen> };
  customer_operations: { args: { input: CustomerRef }; result: Array<CustomerOperation> };
  provider_balance_checks: { args: {  }; result: Array<BalanceCheck> };
  list_carrier_balances: { args: {  }; result: Array<OperadoraSaldo> };
  configure_carrier_bonus: { args: { input: CarrierBonusInput }; result: Array<OperadoraSaldo> };
  create_topup: { args: { input: NewTopup }; result: RecargaCliente };
  list_topups: { args: { filter: RecargaFilter }; result: Page<RecargaCliente> };
  inject_carrier_float: { args: { input: NewInjection }; result: InyeccionOperadora };
  list_injections: { args: { filter: RecargaFilter }; result: Page<InyeccionOperadora> };
  void_topup: { args: { input: VoidInput }; result: RecargaCliente };
  void_injection: { args: { input: VoidInput }; result: InyeccionOperadora };
  create_payment: { args: { input: NewPago }; result: Pago };
  list_payments: { args: { filter: PagoFilter }; result: Page<Pago> };
  update_payment: { args: { input: UpdatePago }; result: Pago };
  void_payment: { args: { input: VoidInput }; result: Pago };
  payments_for_work_order: { args: { pendiente_id: number }; result: Array<Pago> };
  list_provider_connections: { args: {  }; result: Array<ProviderConnection> };
  configure_provider: { args: { input: ConfigureProviderInput }; result: ProviderConnection };
  set_provider_credentials: { args: { input: ProviderCredentialsInput }; result: ProviderConnection };
  sync_status: { args: {  }; result: SyncStatus };
  list_outbox: { args: { filter: OutboxFilter }; result: Page<OutboundItem> };
  retry_outbound: { args: { id: number }; result: OutboundItem };
  cancel_outbound: { args: { input: CancelOutboundInput }; result: OutboundItem };
  resolve_outbound: { args: { input: ResolveOutboundInput }; result: OutboundItem };
  get_reconciliation: { args: { id: number }; result: ReconciliationReport };
  export_reconciliation_csv: { args: { id: number; path: string }; result: string };
  export_agent_transactions_csv: { args: { filter: AgentFilter; path: string }; result: string };
  export_sessions_csv: { args: { filter: SessionFilter; path: string }; result: string };
  export_outbox_csv: { args: { filter: OutboxFilter; path: string }; result: string };
  get_printer_settings: { args: {  }; result: PrinterSettings };
  update_printer_settings: { args: { input: PrinterSettingsInput }; result: PrinterSettings };
  receipt_lines: { args: { input: PrintReceiptInput }; result: Array<string> };
  session_report_lines: { args: { session_id: number }; result: Array<string> };
  save_session_report_pdf: { args: { session_id: number; path: string }; result: string };
  list_audit_log: { args: { filter: AuditFilter }; result: Page<AuditEntry> };
  audit_actions: { args: {  }; result: Array<string> };
  export_audit_log_csv: { args: { filter: AuditFilter; path: string }; result: string };
  set_own_language: { args: { language: string }; result: Operator };
  agent_call_states: { args: { ids: Array<number> }; result: Array<LlamadaDeOperacion> };
  sync_now: { args: { on_progress: Channel<SyncProgress> }; result: SyncStatus };
  reconcile_provider: { args: { input: ReconcileInput }; result: ReconciliationReport };
  backup_now: { args: { input: BackupNowInput }; result: Respaldo };
  unlock_keyring: { args: {  }; result: Array<ProviderConnection> };
  print_receipt: { args: { input: PrintReceiptInput }; result: PrintOutcome };
  print_session_report: { args: { session_id: number }; result: PrintOutcome };
  print_test_page: { args: {  }; result: PrintOutcome };
}
