// What a printed receipt says, built from the records the core returns. The receipt
// component only lays this out; every operation and its void share that layout.
import type { CashSession, InyeccionOperadora, LlamadaDeOperacion, Pago, PrintReceiptInput, RecargaCliente, TransaccionAgente } from '../bindings';
import { t } from './i18n';
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

/**
 * An agent operation's receipt. `call` is where its call to the provider stands: the
 * receipt carries the provider's reference once confirmed, else says it is pending
 * confirmation; an operation that is only recorded in the store (no call) says nothing.
 */
export function agentReceipt(
  tx: TransaccionAgente,
  place: ReceiptPlace,
  providerName?: string,
  call?: LlamadaDeOperacion | null,
): ReceiptData {
  const hand = agentHandOver(tx.tipo_operacion, moneyCentavos(tx.monto), moneyCentavos(tx.comision_cliente));
  const lines: ReceiptLine[] = [
    { label: t('receiptText.provider'), value: providerName ? `${providerName} (${tx.banco})` : tx.banco },
    { label: t('receiptText.operation'), value: TIPO_LABEL[tx.tipo_operacion] },
    { label: t('receiptText.reference'), value: tx.nro_referencia },
    ...(tx.cuenta_cliente ? [{ label: t('receiptText.customerAccount'), value: tx.cuenta_cliente }] : []),
    { label: t('receiptText.amount'), value: bs(tx.monto) },
    { label: t('receiptText.fee'), value: bs(tx.comision_cliente) },
    {
      label: hand.receive ? t('receiptText.received') : t('receiptText.handedOver'),
      value: bs(formatCentavos(hand.centavos)),
      big: true,
    },
  ];
  if (tx.url_comprobante) lines.push({ label: t('receiptText.bankVoucher'), value: t('receiptText.archived') });
  if (call) lines.push(callLine(call));
  return {
    title: t('receiptText.agentTitle', { tipo: TIPO_LABEL[tx.tipo_operacion] }),
    number: t('receiptText.agentNumber', { id: tx.id }),
    at: tx.fecha,
    place,
    lines,
    voided: tx.anulada_en ? { at: tx.anulada_en, reason: tx.motivo_anulacion } : null,
    source: { tipo: 'AGENTE', id: tx.id },
  };
}

/** The receipt's line about the provider: its reference once confirmed, else pending. */
export function callLine(call: LlamadaDeOperacion): ReceiptLine {
  if (call.estado === 'CONFIRMADA' && call.referencia_proveedor) {
    return { label: t('receiptText.providerReference'), value: call.referencia_proveedor };
  }
  if (call.estado === 'CANCELADA') return { label: t('receiptText.providerState'), value: t('callState.CANCELADA') };
  return { label: t('receiptText.providerState'), value: t('receiptText.pending') };
}

export function topupReceipt(r: RecargaCliente, place: ReceiptPlace): ReceiptData {
  return {
    title: t('receiptText.topupTitle', { operadora: r.operadora }),
    number: t('receiptText.topupNumber', { id: r.id }),
    at: r.fecha,
    place,
    lines: [
      { label: t('receiptText.carrier'), value: r.operadora },
      { label: t('receiptText.mobile'), value: r.telefono },
      { label: t('receiptText.charged'), value: bs(r.monto), big: true },
    ],
    voided: r.anulada_en ? { at: r.anulada_en, reason: r.motivo_anulacion } : null,
    source: { tipo: 'RECARGA', id: r.id },
  };
}

export function injectionReceipt(i: InyeccionOperadora, place: ReceiptPlace): ReceiptData {
  const credited = formatCentavos(moneyCentavos(i.monto) + moneyCentavos(i.bonificacion));
  return {
    title: t('receiptText.injectionTitle', { operadora: i.operadora }),
    number: t('receiptText.injectionNumber', { id: i.id }),
    at: i.fecha,
    place,
    lines: [
      { label: t('receiptText.carrier'), value: i.operadora },
      { label: t('receiptText.paidFromDrawer'), value: bs(i.monto), big: true },
      { label: t('receiptText.bonus'), value: bs(i.bonificacion) },
      { label: t('receiptText.credited'), value: bs(credited) },
    ],
    voided: i.anulada_en ? { at: i.anulada_en, reason: i.motivo_anulacion } : null,
    source: { tipo: 'INYECCION', id: i.id },
  };
}

export function paymentReceipt(p: Pago, place: ReceiptPlace): ReceiptData {
  const lines: ReceiptLine[] = [
    { label: t('receiptText.workOrder'), value: t('receiptText.numbered', { id: p.pendienteId }) },
    { label: t('receiptText.customer'), value: p.cliente },
    { label: t('receiptText.paymentDate'), value: localDate(p.fechaPago) },
    { label: t('receiptText.method'), value: METODO_LABEL[p.metodoPago] },
  ];
  if (p.referencia) lines.push({ label: t('receiptText.paymentReference'), value: p.referencia });
  lines.push({ label: t('receiptText.paid'), value: bs(p.monto), big: true });
  return {
    title: t('receiptText.paymentTitle'),
    number: t('receiptText.paymentNumber', { id: p.id }),
    at: p.creado_en,
    place: { ...place, operator: p.empleado },
    lines,
    voided: p.vigente ? null : { at: p.anulada_en, reason: p.motivo_anulacion },
    note: p.corrigeA !== null ? t('receiptText.corrects', { id: p.corrigeA }) : undefined,
    source: { tipo: 'PAGO', id: p.id },
  };
}
