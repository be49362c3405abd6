// Money stays a decimal string ("150.50") as it comes from the core. When the screen
// must add amounts itself (the blind-count total) it does so in integer centavos.
import type { Money } from '../bindings';

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

export function formatCentavos(centavos: bigint): string {
  const sign = centavos < 0n ? '-' : '';
  const abs = centavos < 0n ? -centavos : centavos;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A typed quantity: empty counts as 0; anything but whole digits is null (invalid). */
export function parseQuantity(text: string): bigint | null {
  const t = text.trim();
  if (t === '') return 0n;
  return /^\d{1,9}$/.test(t) ? BigInt(t) : null;
}
