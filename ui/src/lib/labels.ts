// Spanish names for the wire values. `satisfies Record<…>` makes svelte-check fail
// when the Rust enums gain or lose a variant.
import type {
  AlmacenCredenciales,
  CloseResult,
  Contrato,
  EstadoConciliacion,
  EstadoEnvio,
  LlamadaApi,
  MetodoPago,
  MovementKind,
  MovementReason,
  MovimientoFondo,
  Operadora,
  ProviderConnection,
  ReportKind,
  Role,
  SessionStatus,
  Specialty,
  TipoOperacion,
} from '../bindings';

export const ROLE_LABEL = {
  cajero: 'Cajero',
  administrador: 'Administrador',
} as const satisfies Record<Role, string>;

export const SPECIALTY_LABEL = {
  SOLO_VENTAS: 'Solo ventas',
  SOLO_AGENTES: 'Solo agentes',
  MIXTA: 'Mixta',
} as const satisfies Record<Specialty, string>;

export const KIND_LABEL = {
  INGRESO: 'Ingreso',
  EGRESO: 'Egreso',
} as const satisfies Record<MovementKind, string>;

export const REASONS = {
  REPOSICION_CAMBIO: { kind: 'INGRESO', label: 'Reposición de cambio' },
  APORTE_DUENO: { kind: 'INGRESO', label: 'Aporte del dueño' },
  OTRO_INGRESO: { kind: 'INGRESO', label: 'Otro ingreso' },
  PAGO_PROVEEDOR: { kind: 'EGRESO', label: 'Pago a proveedor' },
  GASTO_OPERATIVO: { kind: 'EGRESO', label: 'Gasto operativo' },
  RETIRO_DUENO: { kind: 'EGRESO', label: 'Retiro del dueño' },
  DEPOSITO_BANCARIO: { kind: 'EGRESO', label: 'Depósito bancario' },
  OTRO_EGRESO: { kind: 'EGRESO', label: 'Otro egreso' },
} as const satisfies Record<MovementReason, { kind: MovementKind; label: string }>;

export function reasonsOf(kind: MovementKind): MovementReason[] {
  return (Object.keys(REASONS) as MovementReason[]).filter((r) => REASONS[r].kind === kind);
}

export const RESULT_LABEL = {
  CUADRADO: 'Cuadrado',
  SOBRANTE: 'Sobrante',
  FALTANTE: 'Faltante',
} as const satisfies Record<CloseResult, string>;

export const STATUS_LABEL = {
  ABIERTA: 'Abierta',
  CERRADA: 'Cerrada',
} as const satisfies Record<SessionStatus, string>;

export const REPORT_TITLE = {
  X: 'Reporte X (parcial)',
  Z: 'Reporte Z (cierre)',
} as const satisfies Record<ReportKind, string>;

export const TIPO_LABEL = {
  DEPOSITO: 'Depósito',
  RETIRO: 'Retiro',
  TRANSFERENCIA_QR: 'Transferencia QR',
} as const satisfies Record<TipoOperacion, string>;

export const TIPOS = Object.keys(TIPO_LABEL) as TipoOperacion[];

/** What the cashier does with the cash in each agent operation. */
export const TIPO_HINT = {
  DEPOSITO: 'el cliente entrega efectivo y la tienda le deposita desde su saldo con el banco',
  RETIRO: 'la tienda entrega efectivo y recibe el monto en su saldo con el banco',
  TRANSFERENCIA_QR: 'el cliente paga en efectivo y la tienda envía la transferencia QR desde su saldo',
} as const satisfies Record<TipoOperacion, string>;

/** The operations that send money to a customer's account (a CVU, alias or bank account). */
export function takesCuenta(tipo: TipoOperacion): boolean {
  return tipo === 'DEPOSITO' || tipo === 'TRANSFERENCIA_QR';
}

/** Whether the provider's connection sends this operation type (else it is only recorded). */
export function sendsTipo(connection: ProviderConnection | null, tipo: TipoOperacion): boolean {
  if (!connection?.contrato) return false;
  switch (tipo) {
    case 'DEPOSITO':
      return connection.enviar_deposito;
    case 'RETIRO':
      return connection.enviar_retiro && connection.contrato !== 'BANCO_V1';
    case 'TRANSFERENCIA_QR':
      return connection.enviar_qr;
  }
}

/** What the "Cuenta del cliente" field takes with this provider. */
export function cuentaHint(contrato: Contrato | null, sent: boolean): string {
  const what =
    contrato === 'BILLETERA_V2'
      ? 'CVU de 22 dígitos o alias (6 a 20 letras, dígitos, «.» o «-»)'
      : contrato === 'BANCO_V1'
        ? 'número de cuenta del banco (6 a 20 dígitos)'
        : 'CVU de 22 dígitos, alias o número de cuenta del banco';
  return sent
    ? `Obligatoria: ${what}. La operación se envía al proveedor; sin conexión queda en cola y se envía al volver.`
    : `Opcional: ${what}. Este proveedor no está conectado para esta operación: solo se registra en la tienda.`;
}

export const OPERADORAS = ['Tigo', 'Entel', 'Viva'] as const satisfies readonly Operadora[];

export const METODO_LABEL = {
  EFECTIVO: 'Efectivo',
  BCP: 'BCP',
  LOS_ANDES: 'Los Andes',
  OTRO: 'Otro',
} as const satisfies Record<MetodoPago, string>;

export const METODOS = Object.keys(METODO_LABEL) as MetodoPago[];

/** The contract a provider connection speaks; "NINGUNO" is record-only (nothing is sent). */
export const CONTRATO_LABEL = {
  BILLETERA_V2: 'Billetera (API v2)',
  BANCO_V1: 'Banco (API v1)',
} as const satisfies Record<Contrato, string>;

export type ContratoChoice = Contrato | 'NINGUNO';

export const CONTRATO_CHOICES = [
  { value: 'NINGUNO', label: 'Ninguno: solo se registra en la tienda' },
  { value: 'BILLETERA_V2', label: CONTRATO_LABEL.BILLETERA_V2 },
  { value: 'BANCO_V1', label: CONTRATO_LABEL.BANCO_V1 },
] as const satisfies readonly { value: ContratoChoice; label: string }[];

export const LLAMADA_LABEL = {
  CASHOUT: 'Envío al cliente',
  VERIFICAR_COBRO: 'Verificar cobro',
  DEPOSITO: 'Depósito',
  REVERSO: 'Reverso',
} as const satisfies Record<LlamadaApi, string>;

export const ESTADO_ENVIO_LABEL = {
  queued: 'En cola',
  sending: 'Enviando',
  retry_wait: 'Esperando reintento',
  acked: 'Confirmado',
  needs_attention: 'Requiere atención',
  cancelled: 'Cancelado',
} as const satisfies Record<EstadoEnvio, string>;

export const ESTADOS_ENVIO = Object.keys(ESTADO_ENVIO_LABEL) as EstadoEnvio[];

export const CONCILIACION_LABEL = {
  CONCILIADA: 'Conciliada',
  FALTA_EN_PROVEEDOR: 'Falta en el proveedor',
  REQUIERE_ATENCION: 'Requiere atención',
  DESCONOCIDA_EN_TIENDA: 'Desconocida en la tienda',
} as const satisfies Record<EstadoConciliacion, string>;

export const ALMACEN_LABEL = {
  SECRET_SERVICE: 'llavero del sistema (Secret Service)',
  KEYUTILS: 'almacén del núcleo (keyutils)',
} as const satisfies Record<AlmacenCredenciales, string>;

/** A call whose last attempt may have reached the provider. */
export const INCIERTO_TEXT =
  'esperando respuesta del proveedor: pudo haberse aplicado; se consulta antes de reenviar y no se puede cancelar hasta saberlo';

/** When the credentials live in the kernel's keyutils (they do not survive a reboot). */
export const CREDENCIALES_VOLATILES_TEXT =
  'Las credenciales se guardan en el almacén del núcleo (keyutils) y no sobreviven un reinicio del equipo: vuelva a ingresarlas después de reiniciar.';

export const FONDO_LABEL = {
  FONDEO: 'Fondeo',
  RETIRO: 'Retiro',
} as const satisfies Record<MovimientoFondo, string>;

/** The store's time zone: stored instants are UTC and shown as La Paz reads its clock. */
export const STORE_TIME_ZONE = 'America/La_Paz';

const STORE_PARTS = new Intl.DateTimeFormat('es-BO', {
  timeZone: STORE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The store's calendar and clock at an instant, through Intl (the zone's own rules). */
function storeParts(ms: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts = Object.fromEntries(STORE_PARTS.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const p = (v: string | undefined) => (v ?? '').padStart(2, '0');
  return { year: parts.year ?? '', month: p(parts.month), day: p(parts.day), hour: p(parts.hour), minute: p(parts.minute), second: p(parts.second) };
}

/** A stored instant as the store reads it: "21/11/2026 14:05" (with seconds when asked). */
export function dateTime(stamp: string | null | undefined, seconds = false): string {
  if (!stamp) return '—';
  const ms = Date.parse(stamp);
  if (Number.isNaN(ms)) return stamp;
  const d = storeParts(ms);
  return `${d.day}/${d.month}/${d.year} ${d.hour}:${d.minute}${seconds ? `:${d.second}` : ''}`;
}

/** Today's date in the store (La Paz), as YYYY-MM-DD. */
export function storeToday(now: number = Date.now()): string {
  const d = storeParts(now);
  return `${d.year}-${d.month}-${d.day}`;
}

/** Only the time of a stored instant, in Bolivia time: "14:05". */
export function timeOnly(stamp: string | null | undefined): string {
  const full = dateTime(stamp);
  return full.includes(' ') ? full.slice(full.indexOf(' ') + 1) : full;
}

/** A stored date "2026-11-21" as the store writes it: "21/11/2026". */
export function localDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}
