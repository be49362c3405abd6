// Printing a receipt or a report: to the thermal printer through the core when one is
// configured, else (or when it does not answer and the cashier asks) through the system
// print dialog. The core builds the text either way, so both print the same.
import { tick } from 'svelte';
import type { CoreError, PrintOutcome, PrintReceiptInput, PrinterSettings } from '../bindings';
import { call, toCoreError } from './api';
import { t } from './i18n';

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

/**
 * The print state of one receipt on screen: the thermal printer when there is one (and
 * at once when the settings say so), else the dialog with the core's lines in `text`
 * (shown only on paper, in place of the screen's layout: `has-print-text`).
 */
export class ReceiptPrinter {
  text = $state<string[] | null>(null);
  error = $state<CoreError | null>(null);
  done = $state('');
  busy = $state(false);

  /** After the operation is recorded: prints when automatic printing is on. */
  async auto(source: PrintReceiptInput): Promise<void> {
    try {
      const settings = await printerSettings.ensure();
      if (settings.impresion_automatica && hasThermal(settings)) await this.thermal(source);
    } catch {
      // The settings could not be read: the receipt stays on screen and the button prints.
    }
  }

  print(source: PrintReceiptInput): Promise<void> {
    return hasThermal(printerSettings.value) ? this.thermal(source) : this.dialog(source);
  }

  async thermal(source: PrintReceiptInput): Promise<void> {
    this.busy = true;
    this.error = null;
    this.done = '';
    const result = await printReceipt(source);
    this.busy = false;
    if (result.ok) {
      const key = result.outcome.copias > 1 ? 'receipt.impreso_en_con_copia' : 'receipt.impreso_en';
      this.done = t(key, { destino: result.outcome.destino });
    } else {
      this.error = result.error;
    }
  }

  async dialog(source: PrintReceiptInput | undefined): Promise<void> {
    this.error = null;
    if (source) {
      try {
        this.text = await call('receipt_lines', { input: source });
      } catch {
        this.text = null;
      }
      await tick();
    }
    window.print();
  }
}
