import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { LlamadaDeOperacion, TransaccionAgente } from '../bindings';
import { setLanguage } from './i18n';
import { agentReceipt, callLine, type ReceiptPlace } from './receipt';
import { loadCounterRules } from './rules';

// The core cannot run inside Vitest: `counter_rules` answers here with the deposit's rule
// as domain/rules.rs states it (the customer hands over the amount and the commission).
// tests/bindings.rs checks the real command against the core.
vi.mock('@tauri-apps/api/core', () => ({
  invoke: async (cmd: string) => {
    if (cmd !== 'counter_rules') throw new Error(`unexpected command ${cmd}`);
    return {
      denominations: [],
      agent: [{ tipo: 'DEPOSITO', caja: { monto: 1, comision: 1 }, saldo_proveedor: -1 }],
      import_max_bytes: 2_000_000,
    };
  },
}));

const place: ReceiptPlace = { register: 'Caja 1', sessionId: 7, operator: 'Carlos' };

const deposit: TransaccionAgente = {
  id: 12,
  banco: 'TIGO_MONEY',
  tipo_operacion: 'DEPOSITO',
  monto: '1234.50',
  comision_cliente: '5.00',
  comision_banco: '0.00',
  nro_referencia: 'TM-0001',
  url_comprobante: null,
  cuenta_cliente: '0000003100000000000123',
  fecha: '2026-11-21T18:05:09Z',
  id_caja_sesion: 7,
  id_usuario: 2,
  anulada_en: null,
  motivo_anulacion: null,
};

const confirmed: LlamadaDeOperacion = { id_transaccion: 12, estado: 'CONFIRMADA', referencia_proveedor: 'TX-99812' };
const queued: LlamadaDeOperacion = { id_transaccion: 12, estado: 'EN_COLA', referencia_proveedor: null };

function lines(receipt: ReturnType<typeof agentReceipt>): Record<string, string> {
  return Object.fromEntries(receipt.lines.map((l) => [l.label, l.value]));
}

describe('an agent operation’s receipt', () => {
  beforeAll(() => loadCounterRules());

  it('carries the provider’s reference once the call is confirmed', () => {
    const receipt = agentReceipt(deposit, place, 'Tigo Money', confirmed);
    expect(lines(receipt)['Referencia del proveedor']).toBe('TX-99812');
    expect(lines(receipt)['Estado con el proveedor']).toBeUndefined();
    expect(receipt.number).toBe('Operación de agente N.º 12');
    expect(lines(receipt)['Monto']).toBe('Bs 1.234,50');
    expect(lines(receipt)['Recibido del cliente']).toBe('Bs 1.239,50');
  });

  it('says pending confirmation while the call is queued, sent or needs attention', () => {
    for (const estado of ['EN_COLA', 'ENVIADA', 'REQUIERE_ATENCION'] as const) {
      const line = callLine({ ...queued, estado });
      expect(line, estado).toEqual({ label: 'Estado con el proveedor', value: 'pendiente de confirmación' });
    }
    // A confirmed call without a reference is not shown as confirmed with an empty one.
    expect(callLine({ ...confirmed, referencia_proveedor: null }).value).toBe('pendiente de confirmación');
  });

  it('says nothing of a provider for an operation only recorded in the store', () => {
    const receipt = agentReceipt(deposit, place, 'Tigo Money', null);
    const labels = receipt.lines.map((l) => l.label);
    expect(labels).not.toContain('Estado con el proveedor');
    expect(labels).not.toContain('Referencia del proveedor');
  });

  it('is written in English for an English-speaking operator', () => {
    setLanguage('en');
    try {
      const receipt = agentReceipt(deposit, place, 'Tigo Money', queued);
      expect(receipt.title).toBe('Deposit — banking agent');
      expect(receipt.number).toBe('Agent operation No. 12');
      expect(lines(receipt)['Status with the provider']).toBe('pending confirmation');
      expect(lines(receipt)['Amount']).toBe('Bs 1,234.50');
      expect(lines(agentReceipt(deposit, place, undefined, confirmed))["Provider's reference"]).toBe('TX-99812');
    } finally {
      setLanguage('es');
    }
  });
});
