// End to end: the counter in English and in Bolivian Spanish. The administrator sets up a
// raw printer on loopback, switches to English, records a deposit typed `1,234.50` and
// prints its receipt (English labels, Bs 1,234.50); back in Spanish a deposit typed
// `1.234,50` is recorded as Bs 1.234,50; History is exported as CSV and read back; after
// the close the Z report reads in English and prints in English. Run by .ci/test:
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  createFirstAdmin,
  createRegister,
  fundProvider,
  launchApp,
  openRegister,
  runSteps,
  sqliteReader,
  startRawPrinter,
  uiHelpers,
} from './harness.mjs';

test('en inglés y en español: depósito, comprobante impreso, CSV del historial y reporte Z', { timeout: 15 * 60_000 }, async () => {
  const printer = await startRawPrinter();
  const app = await launchApp();
  const { browser } = app;
  const ui = uiHelpers(browser);
  const { shown, fill, click, expectContains } = ui;

  const job = (n) => printer.job(browser, n);

  /** A Tigo Money deposit with no fee, typed as `monto`, from a fresh agent screen. */
  const deposit = async (monto, referencia) => {
    await click('nav-agent');
    await shown('agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'DEPOSITO');
    await fill('agent-monto', monto);
    await fill('agent-comision', '0');
    await fill('agent-referencia', referencia);
    await click('agent-submit');
    await shown('agent-done');
  };

  await runSteps(browser, [app.cleanup, printer.stop], async (at) => {
    at('primer inicio; el administrador pasa a inglés');
    await createFirstAdmin(ui);
    await fill('language', 'en');
    await expectContains('nav-admin', 'Administration');

    at('en inglés: fondeo de Tigo Money, caja e impresora de red de 80 mm en loopback');
    await click('nav-admin');
    await fundProvider(ui, 'TIGO_MONEY', '5,000'); // in English `,` groups thousands
    await expectContains('provider-TIGO_MONEY', '5,000.00');
    await createRegister(ui);
    await fill('printer-tipo', 'RED');
    await fill('printer-direccion', printer.address);
    await fill('printer-ancho', '80');
    await click('printer-submit');
    await shown('printer-done');
    await click('nav-back');
    await openRegister(ui);
    await expectContains('drawer-balance', 'Bs 100.00');

    at('en inglés: depósito escrito 1,234.50 y su comprobante impreso en inglés');
    await deposit('1,234.50', 'TM-E001');
    await expectContains('receipt', 'Deposit — banking agent');
    await expectContains('receipt', 'Bs 1,234.50');
    await click('receipt-print');
    await shown('receipt-printed');
    const receipt = await job(1);
    for (const label of ['Deposit - banking agent', 'Agent operation No.', 'Reference No.', 'Bs 1,234.50', 'TM-E001']) {
      assert.ok(receipt.includes(label), `el comprobante impreso no dice "${label}":\n${receipt}`);
    }
    assert.ok(!receipt.includes('1.234,50') && !receipt.includes('Monto'), `quedó texto en español:\n${receipt}`);

    at('en español: depósito escrito 1.234,50 se registra Bs 1.234,50');
    await fill('language', 'es');
    await expectContains('nav-admin', 'Administración');
    await deposit('1.234,50', 'TM-E002');
    await expectContains('agent-done', 'Bs 1.234,50');
    await expectContains('drawer-balance', 'Bs 2.569,00');

    at('de nuevo en inglés: el historial se exporta como CSV y se lee');
    await fill('language', 'en');
    await click('nav-history');
    await shown('history-agents');
    // The native GTK save dialog is out of WebDriver's reach: the answer of the dialog
    // plugin's IPC call (a fetch to ipc://) is replaced by the chosen path. The core's
    // export command itself runs for real and writes the file.
    const csvPath = join(app.dataDir, 'historial.csv');
    await browser.execute((path) => {
      const realFetch = window.fetch.bind(window);
      window.fetch = (input, init) =>
        decodeURIComponent(String(input?.url ?? input)).endsWith('plugin:dialog|save')
          ? Promise.resolve(
              new Response(JSON.stringify(path), { headers: { 'Tauri-Response': 'ok', 'content-type': 'application/json' } }),
            )
          : realFetch(input, init);
    }, csvPath);
    await click('history-export-agents');
    await expectContains('history-agents-exported', 'Operations saved in');
    const csv = await readFile(csvPath, 'utf8');
    assert.ok(csv.startsWith('\uFEFF'), 'el CSV empieza con la marca de orden de bytes');
    const rows = csv.slice(1).trim().split('\r\n').map((line) => line.split(';'));
    assert.equal(rows.length, 3, `una cabecera y dos depósitos:\n${csv}`);
    const col = (name) => rows[0].indexOf(name);
    const deposits = rows
      .slice(1)
      .map((r) => [r[col('tipo_operacion')], r[col('monto')], r[col('nro_referencia')]].join('|'))
      .sort();
    assert.deepEqual(deposits, ['DEPOSITO|1234,50|TM-E001', 'DEPOSITO|1234,50|TM-E002'], csv);

    at('cierre: 25 x 100, 1 x 50, 1 x 10, 1 x 5, 2 x 2 = 2,569.00');
    await click('nav-close');
    await fill('count-B100', '25');
    await fill('count-B50', '1');
    await fill('count-B10', '1');
    await fill('count-M5', '1');
    await fill('count-M2', '2');
    await expectContains('close-counted-total', '2,569.00');
    await click('close-submit');
    await expectContains('close-expected', 'Bs 2,569.00');

    at('reporte Z en inglés, en pantalla y en la impresora');
    await click('close-view-report');
    await expectContains('report-title', 'Z report (close)');
    await expectContains('report-agent-TIGO_MONEY-DEPOSITO', '2,469.00');
    await expectContains('report-expected', 'Bs 2,569.00');
    await click('report-print');
    await shown('report-printed');
    const report = await job(2);
    assert.ok(report.includes('Z REPORT (close)') && report.includes('Bs 2,569.00'), report);
    assert.ok(!report.includes('REPORTE'), `quedó texto en español:\n${report}`);

    at('la base de datos guarda dos depósitos de 1234,50 y el idioma del operador');
    const sql = sqliteReader(app.dbPath);
    if (sql) {
      assert.equal(sql('SELECT tipo_operacion, monto, nro_referencia FROM agent_transactions ORDER BY id'),
        'DEPOSITO|123450|TM-E001\nDEPOSITO|123450|TM-E002');
      assert.equal(sql("SELECT language FROM operators WHERE name = 'Ana Admin'"), 'en');
    }
  });
});
