// The counter's rules as the core defines them (the `counter_rules` command): the notes
// and coins of a blind count, how an agent operation moves the drawer and the provider's
// float, the largest statement an import takes. Read once at start-up, before any screen
// that uses them, so the UI keeps no copy of its own that could drift from the core.
import type { AgentRule, CounterRules, Denomination, TipoOperacion } from '../bindings';
import { call } from './api';
import { t } from './i18n';
import { moneyCentavos } from './money';

export interface DenominationInfo {
  code: Denomination;
  /** "Bs 200", "Bs 0.50". */
  label: string;
  centavos: bigint;
  coin: boolean;
}

let rules: CounterRules | null = null;
let denominations: readonly DenominationInfo[] = [];

/** Reads the rules from the core; the shell awaits it before showing any screen. */
export async function loadCounterRules(): Promise<void> {
  if (rules) return;
  const read = await call('counter_rules', {});
  denominations = read.denominations.map((d) => ({
    code: d.code,
    label: `Bs ${d.value.replace(/\.00$/, '')}`,
    centavos: moneyCentavos(d.value),
    coin: d.coin,
  }));
  rules = read;
}

function current(): CounterRules {
  if (!rules) throw new Error(t('rules.notRead'));
  return rules;
}

/** Every note and coin counted at the close, largest first. */
export function denominationList(): readonly DenominationInfo[] {
  current();
  return denominations;
}

export function denominationLabel(code: Denomination): string {
  return denominations.find((d) => d.code === code)?.label ?? code;
}

/** Largest statement file an import accepts, in bytes. */
export function importMaxBytes(): number {
  return current().import_max_bytes;
}

/** The same limit for messages: "2 MB". */
export function importMaxLabel(): string {
  return `${importMaxBytes() / 1_000_000} MB`;
}

function agentRule(tipo: TipoOperacion): AgentRule {
  const rule = current().agent.find((r) => r.tipo === tipo);
  if (!rule) throw new Error(t('rules.noRule', { tipo }));
  return rule;
}

/** What the drawer gains (negative: loses), in centavos, in an agent operation. */
export function agentDrawerChange(tipo: TipoOperacion, monto: bigint, comision: bigint): bigint {
  const { caja } = agentRule(tipo);
  return BigInt(caja.monto) * monto + BigInt(caja.comision) * comision;
}

/** What the store's float with the provider gains (negative: loses), in centavos. */
export function agentFloatChange(tipo: TipoOperacion, monto: bigint): bigint {
  return BigInt(agentRule(tipo).saldo_proveedor) * monto;
}

/**
 * The cash that changes hands at the counter in an agent operation of `monto` with a
 * client commission `comision`: received from the customer or handed out to them.
 */
export function agentHandOver(
  tipo: TipoOperacion,
  monto: bigint,
  comision: bigint,
): { receive: boolean; centavos: bigint } {
  const change = agentDrawerChange(tipo, monto, comision);
  if (change === 0n) return { receive: agentRule(tipo).caja.monto > 0, centavos: 0n };
  return change > 0n ? { receive: true, centavos: change } : { receive: false, centavos: -change };
}
