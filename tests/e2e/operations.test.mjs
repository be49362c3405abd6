// End to end: the store-side operations through the real window on an empty database.
// First administrator -> Tigo Money float -> register -> open session -> agent deposit and
// withdrawal (one refused for lack of cash) -> top-up refused, injection, top-up -> cash
// and bank payments -> void of the top-up -> the session's payments in the history ->
// blind close -> Z report -> bank-commission settlement. Run by .ci/test (tauri-driver
// under Xvfb):
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  createFirstAdmin,
  createRegister,
  docShot,
  fundProvider,
  launchApp,
  openRegister,
  runSteps,
  snapshot,
  sqliteReader,
  tid,
  uiHelpers,
  windowLoaded,
} from './harness.mjs';

/** Today in Bolivia (UTC−4), as the payment form proposes it. */
const boliviaToday = () => new Date(Date.now() - 4 * 3600 * 1000).toISOString().slice(0, 10);

test('operaciones de la tienda: agente, recargas, pagos, anulación, cierre y reporte Z', { timeout: 20 * 60_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;
  const ui = uiHelpers(browser);
  const { shown, click, fill, expectContains, expectEquals, expectError, pageText, firstId } = ui;

  const drawer = (amount) => expectContains('drawer-balance', amount);

  /** Opens an operation screen from the toolbar: always a fresh, empty form. */
  const screen = async (nav, firstField) => {
    await click(nav);
    await shown(firstField);
  };

  /** WebDriver codes of the keys the shell answers to. */
  const KEY = { F3: '\uE033', F7: '\uE037', Escape: '\uE00C' };

  await runSteps(browser, [app.cleanup], async (at) => {
    at('la ventana carga');
    await windowLoaded(browser);

    at('primer inicio: crear el administrador');
    await createFirstAdmin(ui);

    at('el administrador fondea Tigo Money con Bs 1000 (FONDEO)');
    await click('nav-admin');
    // Typed as a Bolivian writes it: the dot groups thousands (Bs 1.000,00, never 1,00).
    await fundProvider(ui, 'TIGO_MONEY', '1.000');
    await expectContains('provider-TIGO_MONEY', '1.000,00');
    await snapshot(browser, '00-administracion');

    at('el administrador nombra la tienda; un NIT con guiones se rechaza nombrando el campo');
    await fill('store-nombre', 'Tienda Doña Ana');
    await fill('store-direccion', 'Calle Sucre 123, El Alto');
    await fill('store-nit', '1020-304');
    await click('store-submit');
    await expectError('VALOR_INVALIDO');
    await expectContains('error-message', '«NIT»');
    await fill('store-nit', '1020304050');
    await click('store-submit');
    await expectContains('store-done', 'Datos de la tienda guardados.');

    at('crear la caja "Caja 1" (MIXTA)');
    await createRegister(ui);
    await click('nav-back');

    at('abrir sesión con fondo 100');
    await openRegister(ui);
    await drawer('100,00');

    at('DEPOSITO de 300 con comisión 5 (pantalla abierta con F3): se reciben 305 del cliente');
    await browser.keys(KEY.F3);
    await shown('agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'DEPOSITO');
    // An amount typed the es-BO way is read as such before anything is sent.
    await fill('agent-monto', '1.234,50');
    await fill('agent-comision', '5');
    await expectContains('agent-hand-over', 'Bs 1.239,50');
    await fill('agent-monto', '300');
    await fill('agent-referencia', 'TM-0001');
    await expectContains('agent-hand-over', 'Recibir del cliente');
    await expectContains('agent-hand-over', 'Bs 305,00');
    await snapshot(browser, '01-agente-deposito');
    await docShot(browser, '03-operacion-de-agente');
    await click('agent-submit');
    await shown('agent-done');
    await shown('receipt');
    await shown('receipt-print');
    await expectContains('receipt', 'TM-0001');
    await expectEquals('receipt-store', 'Tienda Doña Ana');
    await expectContains('receipt-store-nit', 'NIT 1020304050');
    await snapshot(browser, '02-agente-comprobante');
    await drawer('405,00');

    at('RETIRO de 500 sin efectivo suficiente: FONDOS_INSUFICIENTES');
    await screen('nav-agent', 'agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'RETIRO');
    await fill('agent-monto', '500');
    await fill('agent-comision', '0');
    await fill('agent-referencia', 'TM-0002');
    await expectContains('agent-hand-over', 'Entregar al cliente');
    await expectContains('agent-hand-over', 'Bs 500,00');
    await click('agent-submit');
    await expectError('FONDOS_INSUFICIENTES');
    await snapshot(browser, '03-agente-retiro-rechazado');
    await drawer('405,00');

    at('ingreso de 200 (REPOSICION_CAMBIO)');
    await screen('nav-movement', 'movement-amount');
    await fill('movement-kind', 'INGRESO');
    await fill('movement-reason', 'REPOSICION_CAMBIO');
    await fill('movement-amount', '200');
    await click('movement-submit');
    await shown('movement-done');
    await drawer('605,00');

    at('RETIRO de 500 aceptado');
    await screen('nav-agent', 'agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'RETIRO');
    await fill('agent-monto', '500');
    await fill('agent-comision', '0');
    await fill('agent-referencia', 'TM-0002');
    await click('agent-submit');
    await shown('agent-done');
    await drawer('105,00');

    at('recarga Tigo de 10 sin saldo de la operadora: SALDO_OPERADORA_INSUFICIENTE');
    await screen('nav-topup', 'topup-telefono');
    await expectContains('carrier-balance-Tigo', 'Bs 0,00');
    await fill('topup-operadora', 'Tigo');
    await fill('topup-telefono', '71234567');
    await fill('topup-monto', '10');
    await click('topup-submit');
    await expectError('SALDO_OPERADORA_INSUFICIENTE');
    await snapshot(browser, '04-recarga-rechazada');
    await drawer('105,00');

    at('inyección de 50 a Tigo con efectivo de la caja');
    await screen('nav-injection', 'injection-monto');
    await fill('injection-operadora', 'Tigo');
    await fill('injection-monto', '50');
    await snapshot(browser, '05-inyeccion');
    await click('injection-submit');
    await shown('injection-done');
    await expectContains('carrier-balance-Tigo', 'Bs 50,00');
    await drawer('55,00');

    at('la recarga de nuevo: aceptada');
    await screen('nav-topup', 'topup-telefono');
    await fill('topup-operadora', 'Tigo');
    await fill('topup-telefono', '71234567');
    await fill('topup-monto', '10');
    await click('topup-submit');
    await shown('topup-done');
    await shown('receipt');
    await expectContains('receipt', '71234567');
    await expectContains('carrier-balance-Tigo', 'Bs 40,00');
    await drawer('65,00');

    at('pago en efectivo de 40 (fecha de hoy en Bolivia por defecto)');
    await screen('nav-payment', 'payment-pendiente');
    const fecha = await (await shown('payment-fecha')).getValue();
    assert.equal(fecha, boliviaToday(), 'la fecha de pago propuesta no es la de hoy en Bolivia');
    await fill('payment-pendiente', '1001');
    await fill('payment-cliente', 'Juan Pérez');
    await fill('payment-monto', '40');
    await fill('payment-metodo', 'EFECTIVO');
    await click('payment-submit');
    await shown('payment-done');
    await drawer('105,00');

    at('pago BCP de 60 (pantalla abierta con F7): sin referencia se rechaza; con referencia no cambia la caja');
    await browser.keys(KEY.F7);
    await shown('payment-pendiente');
    await fill('payment-pendiente', '1002');
    await fill('payment-cliente', 'María Quispe');
    await fill('payment-monto', '60');
    await fill('payment-metodo', 'BCP');
    await click('payment-submit');
    await expectError('CAMPO_REQUERIDO');
    await snapshot(browser, '06-pago-sin-referencia');
    await fill('payment-referencia', 'BCP-778899');
    await click('payment-submit');
    await shown('payment-done');
    await drawer('105,00');
    await snapshot(browser, '06b-pago-comprobante');

    at('historial: anular la recarga con un motivo');
    await click('nav-history');
    await shown(`history-agent-${await firstId('history-agent-')}`);
    await shown(`history-payment-${await firstId('history-payment-')}`);
    const id = await firstId('history-topup-');
    await shown(`history-topup-${id}`);
    await snapshot(browser, '07-historial');
    // The providers are not connected in this run: each operation is only recorded.
    await expectContains(`history-agent-${await firstId('history-agent-')}`, 'Solo en la tienda');
    await docShot(browser, '04-historial');
    await click(`void-topup-${id}`);
    await fill('void-reason', 'Número de celular equivocado');
    await click('void-submit');
    await shown('void-done');
    await expectContains('receipt-voided', 'ANULADO');
    await expectContains('receipt-voided', 'Número de celular equivocado');
    await drawer('95,00');
    await snapshot(browser, '08-anulacion');
    await browser.keys(KEY.Escape);
    await expectContains(`history-topup-${id}`, 'Anulada');
    assert.ok(!(await browser.$(tid(`void-topup-${id}`)).isExisting()), 'una recarga anulada todavía ofrece «Anular»');

    at('historial: los dos pagos de la sesión, cada uno en su fila, con su comprobante fechado');
    await shown(`history-payment-${await firstId('history-payment-')}`);
    const paymentRows = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid^="history-payment-"]')]
        .map((row) => ({ id: row.getAttribute('data-testid').slice('history-payment-'.length), text: row.textContent }))
        .filter((row) => /^\d+$/.test(row.id)),
    );
    assert.equal(paymentRows.length, 2, `se esperaban 2 pagos en el historial, hay ${paymentRows.length}`);
    const paymentOf = (cliente) => {
      const row = paymentRows.find((r) => r.text.includes(cliente));
      assert.ok(row, `el historial no muestra el pago de ${cliente}`);
      return row.id;
    };
    const cashPayment = paymentOf('Juan Pérez');
    const bankPayment = paymentOf('María Quispe');
    await expectContains(`history-payment-${cashPayment}`, '40,00');
    await expectContains(`history-payment-${cashPayment}`, 'Vigente');
    await expectContains(`history-payment-${bankPayment}`, 'BCP-778899');
    await expectContains(`history-payment-${bankPayment}`, 'Vigente');
    await click(`receipt-payment-${bankPayment}`);
    await expectContains('receipt', `Pago N.º ${bankPayment}`);
    await expectContains('receipt', 'Fecha:');
    await browser.keys(KEY.Escape);
    await shown(`history-payment-${cashPayment}`);
    await drawer('95,00');

    at('inicio de la caja: saldos con bancos y operadoras, últimas operaciones y reimpresión');
    await browser.keys(KEY.Escape);
    await shown('home-recent');
    await shown('home-float-TIGO_MONEY');
    await shown('carrier-balance-Tigo');
    const reprint = await firstId('home-reprint-payment-');
    await docShot(browser, '02-inicio-de-caja');
    await click(`home-reprint-payment-${reprint}`);
    await expectContains('receipt', `Pago N.º ${reprint}`);
    await click('home-receipt-back');
    await shown('home-recent');

    at('cierre ciego: el saldo teórico no se muestra antes de contar');
    await click('nav-close');
    await shown('count-B50');
    await shown('close-submit');
    assert.ok(!(await pageText()).includes('95,00'), 'la pantalla de cierre muestra "95,00" antes del conteo');

    at('conteo: 1 x 50, 2 x 20, 1 x 5 = 95.00');
    await fill('count-B50', '1');
    await fill('count-B20', '2');
    await fill('count-M5', '1');
    await expectContains('close-counted-total', '95,00');
    await click('close-submit');
    await expectEquals('close-result', 'CUADRADO');
    await docShot(browser, '06-cierre-de-caja');
    await expectContains('close-expected', '95,00');
    await expectContains('close-counted', '95,00');

    at('reporte Z con las operaciones');
    await click('close-view-report');
    await expectEquals('report-kind', 'Z');
    await expectContains('report-agent-TIGO_MONEY-DEPOSITO', '300,00');
    await expectContains('report-agent-TIGO_MONEY-RETIRO', '500,00');
    await expectContains('report-comision-cliente', '5,00');
    await expectContains('report-injections-Tigo', 'Bs 50,00');
    await expectContains('report-topups-Tigo', 'Bs 0,00');
    await expectContains('report-payments-EFECTIVO', '40,00');
    await expectContains('report-payments-BCP', '60,00');
    await expectEquals('report-anulaciones', '1');
    await expectContains('report-expected', '95,00');
    await expectContains('report-counted', '95,00');
    await expectEquals('report-result', 'CUADRADO');
    await snapshot(browser, '09-reporte-z');
    await browser.execute(() => window.scrollTo(0, document.body.scrollHeight));
    await snapshot(browser, '10-reporte-z-fin');

    at('liquidación de comisiones de Tigo Money: una línea conciliada, una sin coincidencia');
    await click('nav-admin');
    await fill('settle-banco', 'TIGO_MONEY');
    // One line per Enter key (U+E007): WebDriver does not type "\n".
    await fill('settle-csv', ['nro_referencia,comision_banco', 'TM-0001,2.50', 'TM-9999,1.00'].join('\uE007'));
    await click('settle-pagado');
    await click('settle-submit');
    await expectContains('settlement-matched', 'TM-0001');
    await expectContains('settlement-unmatched', 'TM-9999');
    await expectContains('settlement-unmatched', 'ninguna transacción tiene esa referencia');
    await expectContains('settlement-paid', 'Bs 2,50');
    await expectContains('provider-TIGO_MONEY', '1.202,50');
    await browser.execute(() => document.querySelector('[data-testid="settlement-result"]')?.scrollIntoView());
    await snapshot(browser, '11-liquidacion');

    at('DEPOSITO escrito como en Bolivia, 1.234,50: se registra Bs 1.234,50 (nunca 1,23)');
    await fundProvider(ui, 'TIGO_MONEY', '100');
    await expectContains('provider-TIGO_MONEY', '1.302,50');
    await click('nav-back');
    await openRegister(ui);
    await drawer('100,00');
    await browser.keys(KEY.F3);
    await shown('agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'DEPOSITO');
    await fill('agent-monto', '1.234,50');
    await fill('agent-comision', '0');
    await fill('agent-referencia', 'TM-0003');
    await expectContains('agent-hand-over', 'Bs 1.234,50');
    await click('agent-submit');
    await expectContains('agent-done', 'Bs 1.234,50');
    await expectContains('receipt', '1.234,50');
    await drawer('1.334,50');

    at('la base de datos guarda las operaciones');
    checkDatabase(app.dbPath);
  });
});

/** Reads the app's SQLite file with the sqlite3 CLI when it is installed. */
function checkDatabase(dbPath) {
  const sql = sqliteReader(dbPath);
  if (!sql) return;
  assert.equal(sql('PRAGMA integrity_check'), 'ok');
  assert.equal(
    sql("SELECT status, opening_float, expected, counted, difference FROM cash_sessions WHERE status = 'CERRADA'"),
    'CERRADA|10000|9500|9500|0',
  );
  // 1000 funded, 300 deposited out of it, 500 withdrawn into it, 2.50 of commission paid
  // in, 100 funded, 1234.50 deposited out of it.
  assert.equal(sql("SELECT balance FROM accounts WHERE code = 'provider_float:TIGO_MONEY'"), '6800');
  // 50 injected, 10 sold, the sale voided.
  assert.equal(sql("SELECT balance FROM accounts WHERE code = 'carrier_float:Tigo'"), '5000');
  assert.equal(
    sql('SELECT tipo_operacion, monto, comision_cliente, comision_banco, nro_referencia FROM agent_transactions ORDER BY id'),
    'DEPOSITO|30000|500|250|TM-0001\nRETIRO|50000|0|0|TM-0002\nDEPOSITO|123450|0|0|TM-0003',
  );
  assert.equal(sql('SELECT telefono, monto, void_reason FROM topups'), '71234567|1000|Número de celular equivocado');
  assert.equal(
    sql('SELECT id_orden_trabajo, metodo_pago, monto, referencia, vigente FROM payments ORDER BY id'),
    '1001|EFECTIVO|4000||1\n1002|BCP|6000|BCP-778899|1',
  );
}
