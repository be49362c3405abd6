import { describe, expect, it } from 'vitest';
import table from '../../../tests/fixtures/amounts_es_bo.json';
import { setLanguage } from './i18n';
import { amountForCore, amountInput, bs, bsSigned, formatCentavos, formatEs, moneyCentavos, parseCentavos } from './money';

type Case = { input: string; core: string; ui: string | null };

describe('the es-BO amount rule, from the table the core reads too', () => {
  for (const c of table.cases as Case[]) {
    it(`reads ${JSON.stringify(c.input)} as ${c.ui ?? 'not an amount'}`, () => {
      const centavos = parseCentavos(c.input);
      expect(centavos === null ? null : formatCentavos(centavos)).toBe(c.ui);
    });
  }

  it('agrees with the core on every amount the core accepts', () => {
    for (const c of table.cases as Case[]) {
      if (/^\d+\.\d\d$/.test(c.core)) expect(c.ui, c.input).toBe(c.core);
    }
  });

  it('reads a dot before three digits as thousands, never as 1.50', () => {
    expect(parseCentavos('1.500')).toBe(150_000n);
    expect(amountForCore('1.500')).toBe('1500.00');
  });

  it('sends the wire form of an amount and the text as typed when it is not one', () => {
    expect(amountForCore(' 1.234,50 ')).toBe('1234.50');
    expect(amountForCore('1,500')).toBe('1,500');
    expect(amountForCore('abc')).toBe('abc');
  });
});

describe('amounts shown the es-BO way', () => {
  it('groups thousands with dots and writes decimals after a comma', () => {
    expect(bs('1234.50')).toBe('Bs 1.234,50');
    expect(bs('1000000.00')).toBe('Bs 1.000.000,00');
    expect(bs('0.05')).toBe('Bs 0,05');
    expect(bs('999.00')).toBe('Bs 999,00');
    expect(bs(null)).toBe('—');
  });

  it('signs differences and leaves zero unsigned', () => {
    expect(bsSigned('-1500.00')).toBe('-Bs 1.500,00');
    expect(bsSigned('5.00')).toBe('+Bs 5,00');
    expect(bsSigned('0.00')).toBe('Bs 0,00');
    expect(formatEs('-12.05')).toBe('-12,05');
  });

  it('reads the wire form back into exact centavos', () => {
    expect(moneyCentavos('1234.50')).toBe(123_450n);
    expect(moneyCentavos('-5.00')).toBe(-500n);
    expect(formatCentavos(moneyCentavos('99999999999999.99'))).toBe('99999999999999.99');
  });
});

describe('amounts in the operator’s language', () => {
  it('reads the same table in English with the separators swapped', () => {
    setLanguage('en');
    try {
      for (const c of table.cases as Case[]) {
        const english = c.input.replace(/[.,]/g, (s) => (s === '.' ? ',' : '.'));
        const centavos = parseCentavos(english);
        expect(centavos === null ? null : formatCentavos(centavos), english).toBe(c.ui);
      }
      expect(bs('1234567.05')).toBe('Bs 1,234,567.05');
      expect(bsSigned('-5.00')).toBe('-Bs 5.00');
    } finally {
      setLanguage('es');
    }
  });

  it('prefills an amount field the way the operator types it, not in the wire form', () => {
    expect(amountInput('150.50')).toBe('150,50');
    expect(amountInput('1234.50')).toBe('1.234,50');
    expect(parseCentavos(amountInput('1234.50'))).toBe(123_450n);
    expect(amountInput(null)).toBe('');
    setLanguage('en');
    try {
      expect(amountInput('150.50')).toBe('150.50');
      expect(parseCentavos(amountInput('1234.50'))).toBe(123_450n);
    } finally {
      setLanguage('es');
    }
  });
});
