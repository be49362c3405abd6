// What a printed receipt says, built from the records the core returns. The receipt
// component only lays this out; every operation and its void share that layout.
import type { CashSession, InyeccionOperadora, Pago, PrintReceiptInput, RecargaCliente, TransaccionAgente } from '../bindings';
import { METODO_LABEL, TIPO_LABEL, localDate } from './labels';
import { bs, formatCentavos, moneyCentavos } from './money';
import { agentHandOver } from './rules';

export interface ReceiptLine {
  label: string;
  value: string;
  /** The amount the customer pays or receives: printed large. */
  big?: boolean;
}

/** Where and by whom: the register, session and operator of the operation. */
export interface ReceiptPlace {
  register: string;
  sessionId: number;
  operator: string;
}

export interface ReceiptData {
  title: string;
  /** "Agente N.º 12" */
  number: string;
  /** Stored instant of the operation (UTC). */
  at: string | null;
  place: ReceiptPlace;
  lines: ReceiptLine[];
  /** Set when the operation was voided. */
  voided: { at: string | null; reason: string | null } | null;
  note?: string;
  /** The record the core prints this receipt from (thermal printer, print dialog). */
  source?: PrintReceiptInput;
}

export function placeOf(session: CashSession): ReceiptPlace {
  return { register: session.register_name, sessionId: session.id, operator: session.operator_name };
}

export function agentReceipt(t: TransaccionAgente, place: ReceiptPlace, providerName?: string): ReceiptData {
  const hand = agentHandOver(t.tipo_operacion, moneyCentavos(t.monto), moneyCentavos(t.comision_cliente));
  const lines: ReceiptLine[] = [
    { label: 'Banco / billetera', value: providerName ? `${providerName} (${t.banco})` : t.banco },
    { label: 'Operación', value: TIPO_LABEL[t.tipo_operacion] },
    { label: 'N.º de referencia', value: t.nro_referencia },
    ...(t.cuenta_cliente ? [{ label: 'Cuenta del cliente', value: t.cuenta_cliente }] : []),
    { label: 'Monto', value: bs(t.monto) },
    { label: 'Comisión', value: bs(t.comision_cliente) },
    {
      label: hand.receive ? 'Recibido del cliente' : 'Entregado al cliente',
      value: bs(formatCentavos(hand.centavos)),
      big: true,
    },
  ];
  if (t.url_comprobante) lines.push({ label: 'Comprobante del banco', value: 'archivado' });
  return {
    title: `${TIPO_LABEL[t.tipo_operacion]} — agente bancario`,
    number: `Operación de agente N.º ${t.id}`,
    at: t.fecha,
    place,
    lines,
    voided: t.anulada_en ? { at: t.anulada_en, reason: t.motivo_anulacion } : null,
    source: { tipo: 'AGENTE', id: t.id },
  };
}

export function topupReceipt(r: RecargaCliente, place: ReceiptPlace): ReceiptData {
  return {
    title: `Recarga ${r.operadora}`,
    number: `Recarga N.º ${r.id}`,
    at: r.fecha,
    place,
    lines: [
      { label: 'Operadora', value: r.operadora },
      { label: 'Celular', value: r.telefono },
      { label: 'Cobrado al cliente', value: bs(r.monto), big: true },
    ],
    voided: r.anulada_en ? { at: r.anulada_en, reason: r.motivo_anulacion } : null,
    source: { tipo: 'RECARGA', id: r.id },
  };
}

export function injectionReceipt(i: InyeccionOperadora, place: ReceiptPlace): ReceiptData {
  const credited = formatCentavos(moneyCentavos(i.monto) + moneyCentavos(i.bonificacion));
  return {
    title: `Inyección de saldo ${i.operadora}`,
    number: `Inyección N.º ${i.id}`,
    at: i.fecha,
    place,
    lines: [
      { label: 'Operadora', value: i.operadora },
      { label: 'Pagado con efectivo de caja', value: bs(i.monto), big: true },
      { label: 'Bonificación', value: bs(i.bonificacion) },
      { label: 'Saldo acreditado', value: bs(credited) },
    ],
    voided: i.anulada_en ? { at: i.anulada_en, reason: i.motivo_anulacion } : null,
    source: { tipo: 'INYECCION', id: i.id },
  };
}

export function paymentReceipt(p: Pago, place: ReceiptPlace): ReceiptData {
  const lines: ReceiptLine[] = [
    { label: 'Orden de trabajo', value: `N.º ${p.pendienteId}` },
    { label: 'Cliente', value: p.cliente },
    { label: 'Fecha de pago', value: localDate(p.fechaPago) },
    { label: 'Método', value: METODO_LABEL[p.metodoPago] },
  ];
  if (p.referencia) lines.push({ label: 'Referencia', value: p.referencia });
  lines.push({ label: 'Monto pagado', value: bs(p.monto), big: true });
  return {
    title: 'Pago de orden de trabajo',
    number: `Pago N.º ${p.id}`,
    at: p.creado_en,
    place: { ...place, operator: p.empleado },
    lines,
    voided: p.vigente ? null : { at: p.anulada_en, reason: p.motivo_anulacion },
    note: p.corrigeA !== null ? `Corrige el pago N.º ${p.corrigeA}.` : undefined,
    source: { tipo: 'PAGO', id: p.id },
  };
}
