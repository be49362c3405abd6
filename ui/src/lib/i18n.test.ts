// The catalogues (src/locales/*.json) and the components that read them: a key missing in
// either language, a placeholder that differs between them, or a literal user-facing text
// left in a component's markup fails here. README, "Languages", says how to add a text.
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import type { CoreError } from '../bindings';
import en from '../locales/en.json';
import es from '../locales/es.json';
import { uiError } from './api';
import { errorText, setLanguage, t } from './i18n';
import { KIND_LABEL, REASONS, ROLE_LABEL, TIPO_LABEL } from './labels';
import { bs, parseCentavos } from './money';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const ES = flatten(es as Tree);
const EN = flatten(en as Tree);

const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts', '!../bindings.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/**
 * Screens other parts of the counter are still converting to the catalogue; each is
 * checked once it is converted and taken off this list.
 */
const NOT_YET_CONVERTED: string[] = [];

/** Attributes a person reads or hears (and the Pager's nouns). */
const USER_FACING_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'alt', 'aria-description', 'label', 'noun', 'one']);
const WORD = /\p{L}{2,}/u;

/** A quoted string a person reads: words with a space, or a capitalised word ("Vigente"),
 *  not a class name or a wire value ("active", "EFECTIVO"). */
function readable(text: string): boolean {
  return (WORD.test(text) && /\s/.test(text.trim())) || /^\p{Lu}\p{Ll}{2,}/u.test(text);
}

interface Literal {
  where: string;
  text: string;
}

/** Text in markup that a person would read and that does not come from the catalogue. */
export function literalsIn(source: string): Literal[] {
  const ast = parse(source, { modern: true });
  const found: Literal[] = [];
  const visit = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, where);
      return;
    }
    const n = node as { type?: string; name?: string; data?: string; value?: unknown; expression?: unknown };
    if (n.type === 'Text' && n.data && WORD.test(n.data)) found.push({ where, text: n.data.trim() });
    if (n.type === 'Attribute') {
      if (USER_FACING_ATTRIBUTES.has(n.name ?? '') && Array.isArray(n.value)) visit(n.value, `${n.name}=`);
      return;
    }
    if (n.type === 'ExpressionTag') {
      stringsIn(n.expression, where);
      return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'metadata' || key === 'expression' || key === 'instance' || key === 'module' || key === 'css') continue;
      visit(value, where);
    }
  };
  // String literals inside a `{…}` shown as text: `{ok ? 'Sí' : 'No'}`. Keys passed to the
  // catalogue (`$_('a.b')`) are not texts.
  const stringsIn = (expr: unknown, where: string): void => {
    if (!expr || typeof expr !== 'object') return;
    const e = expr as { type?: string; value?: unknown; callee?: { name?: string }; arguments?: unknown[] };
    if (e.type === 'CallExpression' && (e.callee?.name === '$_' || e.callee?.name === 't' || e.callee?.name === 'tr')) return;
    if (e.type === 'Literal' && typeof e.value === 'string' && readable(e.value)) {
      found.push({ where: `${where}{…}`, text: e.value });
      return;
    }
    if (e.type === 'TemplateLiteral') {
      for (const q of (e as { quasis: { value: { cooked: string } }[] }).quasis) {
        if (WORD.test(q.value.cooked)) found.push({ where: `${where}{\`…\`}`, text: q.value.cooked });
      }
    }
    for (const [key, value] of Object.entries(e)) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'metadata') continue;
      if (value && typeof value === 'object') stringsIn(value, where);
    }
  };
  visit(ast.fragment, 'text');
  return found;
}

/** The keys a source reads with a fixed name: `$_('a.b')`, `t('a.b')`, `tr('a.b')`. */
function keysUsed(source: string): string[] {
  return [...source.matchAll(/(?:\$_|\bt|\btr)\(\s*'([A-Za-z][\w.-]*)'/g)].map((m) => m[1]);
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('the catalogues', () => {
  it('have the same keys in Spanish and in English', () => {
    const missingInEnglish = [...ES.keys()].filter((k) => !EN.has(k));
    const missingInSpanish = [...EN.keys()].filter((k) => !ES.has(k));
    expect(missingInEnglish).toEqual([]);
    expect(missingInSpanish).toEqual([]);
    expect(ES.size).toBeGreaterThan(400);
  });

  it('leave no text empty and fill the same placeholders in both languages', () => {
    for (const [key, text] of ES) {
      expect(text.trim(), key).not.toBe('');
      expect((EN.get(key) ?? '').trim(), key).not.toBe('');
      expect(placeholders(EN.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('hold every key a screen or library reads by name', () => {
    const missing: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
      for (const key of keysUsed(source)) {
        if (!ES.has(key) || !EN.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('name every value of the enums the screens show, in both languages', () => {
    for (const language of ['es', 'en'] as const) {
      setLanguage(language);
      for (const map of [ROLE_LABEL, KIND_LABEL, TIPO_LABEL] as Record<string, string>[]) {
        for (const [key, label] of Object.entries(map)) {
          expect(label, key).not.toMatch(/^[a-zA-Z]+\.[A-Z_a-z]+$/);
        }
      }
      for (const reason of Object.values(REASONS)) expect(reason.label).not.toMatch(/^reason\./);
    }
    setLanguage('es');
  });
});

describe('the components', () => {
  it('show no literal text outside the catalogues', () => {
    const left: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
      if (!file.endsWith('.svelte') || NOT_YET_CONVERTED.some((p) => file.startsWith(p))) continue;
      for (const literal of literalsIn(source)) left.push(`${file} ${literal.where} «${literal.text}»`);
    }
    expect(left).toEqual([]);
  });

  it('the check finds a literal text, attribute and quoted string in markup', () => {
    const found = literalsIn(
      `<script lang="ts">let ok = true;</script>
       <p>Saldo en caja</p><input placeholder="Ej. 150" aria-label={$_('a.b')} />
       <span>{ok ? 'Sin conexión ahora' : $_('a.c')}</span><b>{$_('a.d')}</b>
       <i class={ok ? 'active' : 'EFECTIVO'}>{ok ? 'Vigente' : ''}</i>`,
    ).map((l) => l.text);
    expect(found).toEqual(['Saldo en caja', 'Ej. 150', 'Sin conexión ahora', 'Vigente']);
  });
});

describe('switching the language', () => {
  it('changes texts, labels and the separators of amounts, shown and typed', () => {
    const cases = [
      { language: 'en', text: 'Cash in drawer:', label: 'Deposit', shown: 'Bs 1,234.50', typed: '1,234.50', thousands: '1,500' },
      { language: 'es', text: 'Saldo en caja:', label: 'Depósito', shown: 'Bs 1.234,50', typed: '1.234,50', thousands: '1.500' },
    ] as const;
    for (const c of cases) {
      setLanguage(c.language);
      expect(t('app.saldo_en_caja'), c.language).toBe(c.text);
      expect(TIPO_LABEL.DEPOSITO, c.language).toBe(c.label);
      expect(bs('1234.50'), c.language).toBe(c.shown);
      expect(parseCentavos(c.typed), c.language).toBe(123450n);
      expect(parseCentavos(c.thousands), c.language).toBe(150000n);
    }
  });

  it('shows a core error in English from its code and field, and the core message in Spanish', () => {
    const error: CoreError = { code: 'MONTO_DECIMALES', message: 'El monto admite como máximo dos decimales.', field: 'monto' };
    setLanguage('en');
    expect(errorText(error)).toBe('amount: at most two decimals.');
    expect(errorText({ ...error, field: null })).toBe('At most two decimals.');
    // A screen's own error is already written in the operator's language.
    expect(errorText(uiError('VALOR_INVALIDO', 'pin2', t('setup.pinMismatch')))).toBe('The two PINs differ; type them again.');
    setLanguage('es');
    expect(errorText(error)).toBe('El monto admite como máximo dos decimales.');
  });
});
