// Spanish names for the wire values. `satisfies Record<…>` makes svelte-check fail
// when the Rust enums gain or lose a variant.
import type {
  CloseResult,
  MovementKind,
  MovementReason,
  ReportKind,
  Role,
  SessionStatus,
  Specialty,
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

/** Stored instants are UTC; the store keeps Bolivia time (UTC−4 all year). */
const STORE_OFFSET_MS = -4 * 3600 * 1000;

export function dateTime(stamp: string | null | undefined): string {
  if (!stamp) return '—';
  const ms = Date.parse(stamp);
  if (Number.isNaN(ms)) return stamp;
  const d = new Date(ms + STORE_OFFSET_MS);
  const p = (n: number) => n.toString().padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
