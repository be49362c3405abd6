// Printing a receipt or a report: to the thermal printer through the core when one is
// configured, else (or when it does not answer and the cashier asks) through the system
// print dialog. The core builds the text either way, so both print the same.
import type { CoreError, PrintOutcome, PrintReceiptInput, PrinterSettings } from '../bindings';
import { call, toCoreError } from './api';

/** The store's printer settings, read once per login and updated by the settings card. */
class PrinterSettingsState {
  value = $state<PrinterSettings | null>(null);

  async ensure(): Promise<PrinterSettings> {
    if (!this.value) this.value = await call('get_printer_settings', {});
    return this.value;
  }

  set(value: PrinterSettings) {
    this.value = value;
  }

  clear() {
    this.value = null;
  }
}

export const printerSettings = new PrinterSettingsState();

/** Whether a thermal printer is configured. */
export function hasThermal(settings: PrinterSettings | null): boolean {
  return settings !== null && settings.tipo !== 'NINGUNA';
}

export type PrintResult = { ok: true; outcome: PrintOutcome } | { ok: false; error: CoreError };

/** Sends a receipt to the thermal printer; never throws (the operation is already recorded). */
export async function printReceipt(input: PrintReceiptInput): Promise<PrintResult> {
  try {
    return { ok: true, outcome: await call('print_receipt', { input }) };
  } catch (e) {
    return { ok: false, error: toCoreError(e) };
  }
}

export async function printReport(sessionId: number): Promise<PrintResult> {
  try {
    return { ok: true, outcome: await call('print_session_report', { session_id: sessionId }) };
  } catch (e) {
    return { ok: false, error: toCoreError(e) };
  }
}
