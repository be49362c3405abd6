// End to end: the real app on an empty database, driven through its UI.
// First administrator -> register -> open session -> cash movement (and one bad input)
// -> blind close -> Z report. Run by .ci/test (tauri-driver under Xvfb):
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createFirstAdmin, createRegister, docShot, launchApp, openRegister, runSteps, sqliteReader, tid, uiHelpers, WAIT_MS, windowLoaded } from './harness.mjs';

test('sesión de caja completa: apertura, movimiento, cierre ciego y reporte Z', { timeout: 15 * 60_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;

  const ui = uiHelpers(browser);
  const { shown, fill, click, expectContains, expectEquals, pageText } = ui;

  await runSteps(browser, [app.cleanup], async (at) => {
    at('la ventana carga');
    await windowLoaded(browser);

    at('primer inicio: crear el administrador');
    await shown('setup-name');
    await docShot(browser, '01-primer-inicio');
    await createFirstAdmin(ui);

    at('crear la caja "Caja 1"');
    await click('nav-admin');
    await createRegister(ui);
    await click('nav-back');

    at('abrir sesión con fondo 100');
    await openRegister(ui);
    await expectContains('drawer-balance', '100,00');

    at('ingreso de 50.50 (APORTE_DUENO)');
    await click('nav-movement');
    await fill('movement-kind', 'INGRESO');
    await fill('movement-reason', 'APORTE_DUENO');
    await fill('movement-amount', '50.50');
    await click('movement-submit');
    await shown('movement-done');
    await expectContains('drawer-balance', '150,50');

    at('monto inválido: se rechaza y el saldo no cambia');
    if (!(await browser.$(tid('movement-amount')).isDisplayed())) await click('nav-movement');
    await fill('movement-kind', 'INGRESO');
    await fill('movement-reason', 'APORTE_DUENO');
    await fill('movement-amount', 'abc');
    await click('movement-submit');
    const error = await browser.$(`${tid('error-message')}[data-code="MONTO_INVALIDO"]`);
    await error.waitForDisplayed({
      timeout: WAIT_MS,
      timeoutMsg: 'no apareció [data-testid="error-message"][data-code="MONTO_INVALIDO"]',
    });
    await expectContains('drawer-balance', '150,50');

    at('reporte X con el gráfico del día: la operación de las horas de la sesión');
    await click('nav-report');
    await expectEquals('report-kind', 'X');
    await expectContains('report-chart-movimientos', '1');
    await shown('report-sync');
    await docShot(browser, '05-reporte-x', tid('report-chart'));
    await browser.keys('\uE00C');
    await shown('nav-close');

    at('cierre ciego: el saldo teórico no se muestra antes de contar');
    await click('nav-close');
    await shown('count-B100');
    await shown('close-submit');
    assert.ok(!(await pageText()).includes('150,50'), 'la pantalla de cierre muestra "150,50" antes del conteo');

    at('conteo por denominación: 1 x 100, 1 x 50, 1 x 0.50');
    await fill('count-B100', '1');
    await fill('count-B50', '1');
    await fill('count-M0_50', '1');
    await expectContains('close-counted-total', '150,50');
    await click('close-submit');
    await expectEquals('close-result', 'CUADRADO');
    await expectContains('close-expected', '150,50');
    await expectContains('close-counted', '150,50');
    await expectContains('close-difference', '0,00');

    at('reporte Z');
    await click('close-view-report');
    await expectEquals('report-kind', 'Z');
    await expectContains('report-opening-float', '100,00');
    await expectContains('report-total-ingresos', '50,50');
    await expectContains('report-total-egresos', '0,00');
    await expectContains('report-expected', '150,50');
    await expectContains('report-counted', '150,50');
    await expectContains('report-difference', '0,00');
    await expectEquals('report-result', 'CUADRADO');

    at('el operador cambia a inglés: el reporte Z se lee en inglés, con montos 150.50');
    await fill('language', 'en');
    await expectEquals('report-kind', 'Z');
    await expectContains('report-expected', 'Bs 150.50');
    await expectContains('report-title', 'Report');
    await expectContains('report-title', 'Z report (close)');
    await expectContains('report-sync', 'No operation of the session is sent to a provider.');
    await expectContains('nav-admin', 'Administration');
    await docShot(browser, '07-reporte-z-en-ingles');

    at('la base de datos guarda la sesión cerrada');
    checkDatabase(app.dbPath);
  });
});

/** Reads the app's SQLite file with the sqlite3 CLI when it is installed. */
function checkDatabase(dbPath) {
  const sql = sqliteReader(dbPath);
  if (!sql) return;
  assert.equal(sql('PRAGMA integrity_check'), 'ok');
  assert.equal(
    sql("SELECT status, opening_float, expected, counted, difference FROM cash_sessions"),
    'CERRADA|10000|15050|15050|0',
  );
  assert.equal(sql('SELECT kind, reason, amount FROM cash_movements'), 'INGRESO|APORTE_DUENO|5050');
  assert.equal(sql("SELECT language FROM operators WHERE name = 'Ana Admin'"), 'en', 'el idioma elegido no quedó guardado');
}
