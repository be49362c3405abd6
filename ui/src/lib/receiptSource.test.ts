import { describe, expect, it } from 'vitest';
import type { InyeccionOperadora, Pago, RecargaCliente } from '../bindings';
import { injectionReceipt, paymentReceipt, topupReceipt } from './receipt';
import { hasThermal } from './printing.svelte';

const place = { register: 'Caja 1', sessionId: 3, operator: 'Carlos' };

describe('receipts name the record the core prints them from', () => {
  it('gives each receipt its kind and id, so the printer and the dialog print that record', () => {
    const topup: RecargaCliente = {
      id: 7, operadora: 'Tigo', telefono: '71234567', monto: '20.00', fecha: '2026-11-21T18:05:09.000Z',
      id_caja_sesion: 3, id_usuario: 2, anulada_en: null, motivo_anulacion: null,
    };
    const injection: InyeccionOperadora = {
      id: 9, operadora: 'Entel', monto: '1500.00', bonificacion: '30.00', fecha: '2026-11-21T18:05:09.000Z',
      id_caja_sesion: 3, id_usuario: 2, anulada_en: null, motivo_anulacion: null,
    };
    expect(topupReceipt(topup, place).source).toEqual({ tipo: 'RECARGA', id: 7 });
    expect(injectionReceipt(injection, place).source).toEqual({ tipo: 'INYECCION', id: 9 });
    const pago = {
      id: 11, pendienteId: 42, cliente: 'Rosa', empleado: 'Carlos', monto: '2345.60', fechaPago: '2026-11-21',
      metodoPago: 'EFECTIVO', referencia: null, vigente: true, id_caja_sesion: 3, corrigeA: null,
      creado_en: '2026-11-21T18:05:09.000Z', anulada_en: null, motivo_anulacion: null,
    } as unknown as Pago;
    expect(paymentReceipt(pago, place).source).toEqual({ tipo: 'PAGO', id: 11 });
  });

  it('prints to the thermal printer only when one is configured', () => {
    const settings = { direccion: '10.0.0.5', ancho: '80', impresion_automatica: true, copia_tienda: false } as const;
    expect(hasThermal(null)).toBe(false);
    expect(hasThermal({ ...settings, tipo: 'NINGUNA' })).toBe(false);
    expect(hasThermal({ ...settings, tipo: 'RED' })).toBe(true);
    expect(hasThermal({ ...settings, tipo: 'USB' })).toBe(true);
  });
});
