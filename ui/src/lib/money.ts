// Money stays a decimal string ("150.50") as it comes from the core. When the screen
// must add amounts itself (the blind-count total) it does so in integer centavos.
import type { Denomination, Money, TipoOperacion } from '../bindings';

/** "Bs 150.50"; a dash when there is no amount yet. */
export function bs(amount: Money | null | undefined): string {
  return amount == null ? '—' : `Bs ${amount}`;
}

/** Signed, for adjustments and differences: "+Bs 5.00", "-Bs 5.00", "Bs 0.00". */
export function bsSigned(amount: Money | null | undefined): string {
  if (amount == null) return '—';
  if (amount.startsWith('-')) return `-Bs ${amount.slice(1)}`;
  return /^0+(\.0+)?$/.test(amount) ? `Bs ${amount}` : `+Bs ${amount}`;
}

/**
 * A typed amount in integer centavos, read the way the core reads it ("150", "150.5",
 * "150,50"); null when it is empty or not an amount with at most two decimals.
 */
export function parseCentavos(text: string): bigint | null {
  let t = text.trim();
  if (t.includes(',') && !t.includes('.')) t = t.replace(',', '.');
  const m = /^(\d{0,12})(?:\.(\d*))?$/.exec(t);
  if (!m || !/\d/.test(t)) return null;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) return null;
  return BigInt(m[1] || '0') * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** A Money string ("150.50", "-5.00") in centavos. */
export function moneyCentavos(amount: Money): bigint {
  const negative = amount.startsWith('-');
  const value = parseCentavos(negative ? amount.slice(1) : amount) ?? 0n;
  return negative ? -value : value;
}

/**
 * The cash that changes hands at the counter in an agent operation of `monto` with a
 * client commission `comision`: a DEPOSITO or TRANSFERENCIA_QR takes both from the
 * customer; a RETIRO hands out the amount less the commission.
 */
export function agentHandOver(
  tipo: TipoOperacion,
  monto: bigint,
  comision: bigint,
): { receive: boolean; centavos: bigint } {
  if (tipo !== 'RETIRO') return { receive: true, centavos: monto + comision };
  const net = monto - comision;
  return net >= 0n ? { receive: false, centavos: net } : { receive: true, centavos: -net };
}

export function formatCentavos(centavos: bigint): string {
  const sign = centavos < 0n ? '-' : '';
  const abs = centavos < 0n ? -centavos : centavos;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export interface DenominationInfo {
  code: Denomination;
  label: string;
  centavos: bigint;
  coin: boolean;
}

/** Bolivian notes and coins, largest first, as counted at the close. */
export const DENOMINATIONS: readonly DenominationInfo[] = [
  { code: 'B200', label: 'Bs 200', centavos: 20000n, coin: false },
  { code: 'B100', label: 'Bs 100', centavos: 10000n, coin: false },
  { code: 'B50', label: 'Bs 50', centavos: 5000n, coin: false },
  { code: 'B20', label: 'Bs 20', centavos: 2000n, coin: false },
  { code: 'B10', label: 'Bs 10', centavos: 1000n, coin: false },
  { code: 'M5', label: 'Bs 5', centavos: 500n, coin: true },
  { code: 'M2', label: 'Bs 2', centavos: 200n, coin: true },
  { code: 'M1', label: 'Bs 1', centavos: 100n, coin: true },
  { code: 'M0_50', label: 'Bs 0.50', centavos: 50n, coin: true },
  { code: 'M0_20', label: 'Bs 0.20', centavos: 20n, coin: true },
  { code: 'M0_10', label: 'Bs 0.10', centavos: 10n, coin: true },
];

const LABEL_OF = new Map(DENOMINATIONS.map((d) => [d.code, d.label]));

export function denominationLabel(code: Denomination): string {
  return LABEL_OF.get(code) ?? code;
}

/** A typed quantity: empty counts as 0; anything but whole digits is null (invalid). */
export function parseQuantity(text: string): bigint | null {
  const t = text.trim();
  if (t === '') return 0n;
  return /^\d{1,9}$/.test(t) ? BigInt(t) : null;
}
