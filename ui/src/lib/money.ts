// Money stays a decimal string ("150.50", the wire form) as it comes from the core and is
// shown the es-BO way ("Bs 1.234,50"). When the screen must add amounts itself (the
// blind-count total) it does so in integer centavos (BigInt), never in floats.
//
// A typed amount is read by the rule written in src-tauri/src/domain/money.rs (and the
// README): a comma is the decimal separator; dots group thousands by threes; a single dot
// followed by one or two digits is a decimal point ("150.50"); never more than two decimals,
// even zeros. Where the core refuses "1.500" as ambiguous, the cashier typed it in Spanish,
// so here that dot groups thousands: Bs 1.500,00. tests/fixtures/amounts_es_bo.json is the
// table both sides are tested against.
//
// In English the separators swap ("Bs 1,234.50"; "1,234.50" and "1,500" typed): the same
// rule with "." and "," exchanged, so one table of cases serves both languages.
import type { Language, Money } from '../bindings';

let amountLanguage: Language = 'es';

/** Set by the language switch (lib/i18n.ts): which separators amounts are shown and read with. */
export function setAmountLanguage(language: Language): void {
  amountLanguage = language;
}

/** "." for ",", "," for ".": the English form of an es-BO amount and back. */
function swapSeparators(text: string): string {
  return text.replace(/[.,]/g, (c) => (c === '.' ? ',' : '.'));
}

/** The wire form in the operator's language: "1.234,50" in Spanish, "1,234.50" in English. */
export function formatAmount(amount: Money): string {
  const es = formatEs(amount);
  return amountLanguage === 'en' ? swapSeparators(es) : es;
}

/** What a prefilled amount field shows: "150,50" (not the wire form "150.50"). */
export function amountInput(amount: Money | null | undefined): string {
  return amount == null ? '' : formatAmount(amount);
}

/** The wire form "1234.50" (or "-5.00") written the es-BO way: "1.234,50". */
export function formatEs(amount: Money): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return amount;
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${m[1]}${whole},${(m[3] ?? '').padEnd(2, '0')}`;
}

/** "Bs 1.234,50"; a dash when there is no amount yet. */
export function bs(amount: Money | null | undefined): string {
  return amount == null ? '—' : `Bs ${formatAmount(amount)}`;
}

/** Signed, for adjustments and differences: "+Bs 5,00", "-Bs 5,00", "Bs 0,00". */
export function bsSigned(amount: Money | null | undefined): string {
  if (amount == null) return '—';
  if (amount.startsWith('-')) return `-Bs ${formatAmount(amount.slice(1))}`;
  return /^0+(\.0+)?$/.test(amount) ? `Bs ${formatAmount(amount)}` : `+Bs ${formatAmount(amount)}`;
}

/** "1.234.567" as "1234567" when grouped by threes (first group 1–3 digits, no leading 0). */
function ungroup(grouped: string): string | null {
  return /^[1-9]\d{0,2}(\.\d{3})+$/.test(grouped) ? grouped.split('.').join('') : null;
}

/**
 * A typed amount in integer centavos, read by the es-BO rule ("1234", "1234,50",
 * "1.234,50", "1.500" = 1500, "150.50"); null when it is empty or not an amount with at
 * most two decimals. Sign, zero and the maximum are the core's to judge.
 */
export function parseCentavos(text: string): bigint | null {
  return parseEsCentavos(amountLanguage === 'en' ? swapSeparators(text) : text);
}

/** The es-BO rule itself (see the module's comment). */
function parseEsCentavos(text: string): bigint | null {
  const t = text.trim();
  if (!/^[\d.,]*\d[\d.,]*$/.test(t)) return null;
  let whole: string | null;
  let fraction = '';
  const comma = t.indexOf(',');
  if (comma >= 0) {
    fraction = t.slice(comma + 1);
    if (!/^\d*$/.test(fraction)) return null;
    const before = t.slice(0, comma);
    whole = before.includes('.') ? ungroup(before) : before;
  } else if (/^\d*\.\d{1,2}$/.test(t) || /^\d+\.$/.test(t)) {
    // One dot with one or two digits after it can only be a decimal point.
    [whole, fraction] = t.split('.');
  } else {
    whole = t.includes('.') ? ungroup(t) : t;
  }
  if (whole === null || !/^\d*$/.test(whole) || fraction.length > 2) return null;
  const digits = whole.replace(/^0+/, '');
  if (digits.length > 12) return null;
  return BigInt(digits || '0') * 100n + BigInt(fraction.padEnd(2, '0'));
}

/**
 * What an amount field sends to the core: the wire form when the text is an amount
 * ("1.234,50" → "1234.50"), else the text as typed, so the core names the error.
 */
export function amountForCore(text: string): string {
  const centavos = parseCentavos(text);
  return centavos === null ? text.trim() : formatCentavos(centavos);
}

/** A Money string in the wire form ("150.50", "-5.00") in centavos. */
export function moneyCentavos(amount: Money): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return 0n;
  const value = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -value : value;
}

/** Centavos in the wire form: "1234.50", "-5.00". */
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
