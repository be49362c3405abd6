// End to end: the thermal printer. A raw printer socket on loopback (what a network
// receipt printer's port 9100 is) receives the test page, an injection's receipt printed
// automatically and again by hand, and the Z report. Run by .ci/test:
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createFirstAdmin, createRegister, launchApp, openRegister, runSteps, startRawPrinter, uiHelpers } from './harness.mjs';

test('impresora térmica: página de prueba, comprobante automático y reporte Z', { timeout: 15 * 60_000 }, async () => {
  const printer = await startRawPrinter();
  const app = await launchApp();
  const { browser } = app;
  const ui = uiHelpers(browser);
  const { shown, fill, click, expectContains } = ui;

  const job = (n) => printer.job(browser, n);

  await runSteps(browser, [app.cleanup, printer.stop], async (at) => {
    at('primer inicio y caja');
    await createFirstAdmin(ui);
    await click('nav-admin');
    await createRegister(ui);

    at('configurar la impresora de red de 58 mm con impresión automática');
    await fill('printer-tipo', 'RED');
    await fill('printer-direccion', printer.address);
    await fill('printer-ancho', '58');
    await click('printer-auto');
    await click('printer-submit');
    await expectContains('printer-done', 'Impresora guardada');

    at('página de prueba');
    await click('printer-test');
    await expectContains('printer-done', 'Página de prueba enviada');
    const testPage = await job(1);
    assert.ok(testPage.includes('58 mm, 32 columnas'), testPage);
    assert.ok(testPage.includes('Bs 1.234,50'), testPage);
    await click('nav-back');

    at('abrir sesión con fondo 100 e inyectar 50 a Tigo: el comprobante se imprime solo');
    await openRegister(ui);
    await expectContains('drawer-balance', '100,00');
    await click('nav-injection');
    await fill('injection-operadora', 'Tigo');
    await fill('injection-monto', '50');
    await click('injection-submit');
    await shown('injection-done');
    await expectContains('receipt-printed', 'Comprobante impreso');
    const receipt = await job(2);
    assert.ok(receipt.includes('Inyecci\u00f3n de saldo Tigo'), receipt);
    assert.ok(receipt.includes('Bs 50,00'), receipt);

    at('reimprimir el comprobante');
    await click('receipt-print');
    const printedAt = /Impreso: \d\d\/\d\d\/\d{4} \d\d:\d\d/g;
    assert.equal((await job(3)).replace(printedAt, ''), receipt.replace(printedAt, ''), 'la copia dice lo mismo');

    at('ingreso de 20: su comprobante también se imprime solo');
    await click('nav-movement');
    await fill('movement-kind', 'INGRESO');
    await fill('movement-reason', 'APORTE_DUENO');
    await fill('movement-amount', '20');
    await click('movement-submit');
    await shown('movement-done');
    await expectContains('movement-printed', 'Comprobante impreso');
    const movement = await job(4);
    assert.ok(movement.includes('Ingreso de efectivo') && movement.includes('Bs 20,00'), movement);

    at('cierre ciego y reporte Z impreso');
    await click('nav-close');
    await fill('count-B50', '1');
    await fill('count-B20', '1');
    await click('close-submit');
    await click('close-view-report');
    await click('report-print');
    await expectContains('report-printed', 'Reporte impreso');
    const report = await job(5);
    assert.ok(report.includes('REPORTE Z (cierre)'), report);
    assert.ok(report.includes('Bs 70,00'), report);
  });
});
