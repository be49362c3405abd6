// Names for the wire values, read from the catalogues (src/locales). `satisfies Record<…>`
// makes svelte-check fail when the Rust enums gain or lose a variant.
import { labelsOf, t } from './i18n';
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

export const ROLE_LABEL = labelsOf('role', { cajero: true, administrador: true } satisfies Record<Role, true>);

export const SPECIALTY_LABEL = labelsOf('specialty', { SOLO_VENTAS: true, SOLO_AGENTES: true, MIXTA: true } satisfies Record<Specialty, true>);

export const KIND_LABEL = labelsOf('kind', { INGRESO: true, EGRESO: true } satisfies Record<MovementKind, true>);

export const REASONS = {
  REPOSICION_CAMBIO: { kind: 'INGRESO', get label() { return t('reason.REPOSICION_CAMBIO'); } },
  APORTE_DUENO: { kind: 'INGRESO', get label() { return t('reason.APORTE_DUENO'); } },
  OTRO_INGRESO: { kind: 'INGRESO', get label() { return t('reason.OTRO_INGRESO'); } },
  PAGO_PROVEEDOR: { kind: 'EGRESO', get label() { return t('reason.PAGO_PROVEEDOR'); } },
  GASTO_OPERATIVO: { kind: 'EGRESO', get label() { return t('reason.GASTO_OPERATIVO'); } },
  RETIRO_DUENO: { kind: 'EGRESO', get label() { return t('reason.RETIRO_DUENO'); } },
  DEPOSITO_BANCARIO: { kind: 'EGRESO', get label() { return t('reason.DEPOSITO_BANCARIO'); } },
  OTRO_EGRESO: { kind: 'EGRESO', get label() { return t('reason.OTRO_EGRESO'); } },
} as const satisfies Record<MovementReason, { kind: MovementKind; readonly label: string }>;

export function reasonsOf(kind: MovementKind): MovementReason[] {
  return (Object.keys(REASONS) as MovementReason[]).filter((r) => REASONS[r].kind === kind);
}

export const RESULT_LABEL = labelsOf('result', { CUADRADO: true, SOBRANTE: true, FALTANTE: true } satisfies Record<CloseResult, true>);

export const STATUS_LABEL = labelsOf('status', { ABIERTA: true, CERRADA: true } satisfies Record<SessionStatus, true>);

export const REPORT_TITLE = labelsOf('reportTitle', { X: true, Z: true } satisfies Record<ReportKind, true>);

export const TIPO_LABEL = labelsOf('tipo', { DEPOSITO: true, RETIRO: true, TRANSFERENCIA_QR: true } satisfies Record<TipoOperacion, true>);

export const TIPOS = Object.keys(TIPO_LABEL) as TipoOperacion[];

/** What the cashier does with the cash in each agent operation. */
export const TIPO_HINT = labelsOf('tipoHint', { DEPOSITO: true, RETIRO: true, TRANSFERENCIA_QR: true } satisfies Record<TipoOperacion, true>);

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
  const what = t(`cuentaHint.${contrato ?? 'NINGUNO'}`);
  return t(sent ? 'cuentaHint.sent' : 'cuentaHint.recorded', { what });
}

export const OPERADORAS = ['Tigo', 'Entel', 'Viva'] as const satisfies readonly Operadora[];

export const METODO_LABEL = labelsOf('metodo', { EFECTIVO: true, BCP: true, LOS_ANDES: true, OTRO: true } satisfies Record<MetodoPago, true>);

export const METODOS = Object.keys(METODO_LABEL) as MetodoPago[];

/** The contract a provider connection speaks; "NINGUNO" is record-only (nothing is sent). */
export const CONTRATO_LABEL = labelsOf('contrato', { BILLETERA_V2: true, BANCO_V1: true } satisfies Record<Contrato, true>);

export type ContratoChoice = Contrato | 'NINGUNO';

/** The contract choices of a connection form; each label is read in the current language. */
export const CONTRATO_CHOICES: readonly { readonly value: ContratoChoice; readonly label: string }[] = [
  {
    value: 'NINGUNO',
    get label() {
      return t('contratoChoice.NINGUNO');
    },
  },
  {
    value: 'BILLETERA_V2',
    get label() {
      return CONTRATO_LABEL.BILLETERA_V2;
    },
  },
  {
    value: 'BANCO_V1',
    get label() {
      return CONTRATO_LABEL.BANCO_V1;
    },
  },
];

export const LLAMADA_LABEL = labelsOf('llamada', { CASHOUT: true, VERIFICAR_COBRO: true, DEPOSITO: true, REVERSO: true } satisfies Record<LlamadaApi, true>);

export const ESTADO_ENVIO_LABEL = labelsOf('estadoEnvio', { queued: true, sending: true, retry_wait: true, acked: true, needs_attention: true, cancelled: true } satisfies Record<EstadoEnvio, true>);

export const ESTADOS_ENVIO = Object.keys(ESTADO_ENVIO_LABEL) as EstadoEnvio[];

export const CONCILIACION_LABEL = labelsOf('conciliacion', { CONCILIADA: true, FALTA_EN_PROVEEDOR: true, REQUIERE_ATENCION: true, DESCONOCIDA_EN_TIENDA: true } satisfies Record<EstadoConciliacion, true>);

export const ALMACEN_LABEL = labelsOf('almacen', { SECRET_SERVICE: true, KEYUTILS: true } satisfies Record<AlmacenCredenciales, true>);

/** A call whose last attempt may have reached the provider (a catalogue key). */
export const INCIERTO_KEY = 'labels.incierto';

/** When the credentials live in the kernel's keyutils, which do not survive a reboot (a catalogue key). */
export const CREDENCIALES_VOLATILES_KEY = 'labels.credencialesVolatiles';

export const FONDO_LABEL = labelsOf('fondo', { FONDEO: true, RETIRO: true } satisfies Record<MovimientoFondo, true>);

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
