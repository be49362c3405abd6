// End to end: provider rules at the counter through the real window on an empty database.
// First administrator -> Tigo Money float -> Tigo Money's published deposit limits set in
// the administration (Bs 3 – 2.000, Bs 2.000 a day, Bs 14.000 a month; first saved with
// a maximum of 1.500 and corrected, and the rules' history lists both versions) -> register ->
// session -> a deposit asks for the customer's CI (refused without it) -> a deposit of
// Bs 1.500 with the CI, the receipt naming the customer -> a deposit above what remains
// of the day refused with the remaining Bs 500,00 shown -> one just inside accepted ->
// the customer found in the administration with both operations. Run by .ci/test
// (tauri-driver under Xvfb):
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createFirstAdmin, createRegister, fundProvider, launchApp, openRegister, runSteps, snapshot, sqliteReader, uiHelpers, windowLoaded } from './harness.mjs';

test('reglas del proveedor en caja: límites de Tigo Money y documento del cliente', { timeout: 15 * 60_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;
  const ui = uiHelpers(browser);
  const { shown, click, fill, expectContains, expectError } = ui;
  const KEY = { F3: '\uE033' };

  /** The deposit form for Tigo Money, with the customer as given. */
  const deposit = async (monto, referencia, ci) => {
    await click('nav-agent');
    await shown('agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'DEPOSITO');
    await fill('agent-monto', monto);
    await fill('agent-referencia', referencia);
    // The rule asks for the customer's document: the form shows its fields.
    await shown('agent-cliente');
    if (ci) {
      await fill('agent-ci-numero', ci.numero);
      await fill('agent-ci-expedido', ci.expedido);
      await fill('agent-cliente-nombre', ci.nombre);
    }
  };

  await runSteps(browser, [app.cleanup], async (at) => {
    at('la ventana carga');
    await windowLoaded(browser);

    at('primer inicio: crear el administrador');
    await createFirstAdmin(ui);

    at('fondear Tigo Money con Bs 10.000');
    await click('nav-admin');
    await fundProvider(ui, 'TIGO_MONEY', '10.000');

    at('límites de Tigo Money para depósitos: Bs 3 – 2.000, Bs 2.000 al día, Bs 14.000 al mes, CI en el comprobante');
    await fill('limit-banco', 'TIGO_MONEY');
    await fill('limit-tipo', 'DEPOSITO');
    await fill('limit-minimo', '3');
    await fill('limit-maximo', '1.500');
    await fill('limit-diario', '2.000');
    await fill('limit-mensual', '14.000');
    await fill('limit-identidad', 'SIEMPRE');
    await click('limit-en-recibo');
    await click('limit-submit');
    await expectContains('limit-done', 'Límites guardados');
    await expectContains('limit-TIGO_MONEY-DEPOSITO', '1.500,00');
    // Corrected to the published maximum: the history keeps both versions.
    await fill('limit-maximo', '2.000');
    await click('limit-submit');
    await expectContains('limit-TIGO_MONEY-DEPOSITO', '2.000,00');
    await expectContains('limit-TIGO_MONEY-DEPOSITO', '14.000,00');
    await snapshot(browser, 'reglas-00-limites');

    at('el historial de límites muestra el límite creado y la corrección del máximo');
    await click('rule-history');
    await fill('rule-history-banco', 'TIGO_MONEY');
    await click('rule-history-show');
    await shown('rule-history-list');
    const historyRows = () =>
      browser.execute(() => [...document.querySelectorAll('[data-testid="rule-history-list"] tbody tr')].map((r) => r.innerText));
    await browser.waitUntil(async () => (await historyRows()).length === 2, {
      timeoutMsg: 'el historial no tiene las dos versiones',
    });
    const rows = await historyRows();
    // Newest first: 1.500 -> 2.000, then nothing -> 1.500; both by the administrator.
    assert.ok(rows[0].includes('1.500,00') && rows[0].includes('2.000,00') && rows[0].includes('Ana Admin'), rows[0]);
    assert.ok(rows[1].includes('(ninguno)') && rows[1].includes('1.500,00'), rows[1]);
    const db = sqliteReader(app.dbPath);
    if (db) assert.equal(db("SELECT COUNT(*) FROM provider_rule_history WHERE banco = 'TIGO_MONEY' AND regla = 'LIMITE'"), '2');

    at('crear la caja y abrir sesión con fondo 100');
    await createRegister(ui);
    await click('nav-back');
    await openRegister(ui);
    await expectContains('drawer-balance', '100,00');

    at('un depósito pide el CI del cliente: sin él se rechaza');
    await browser.keys(KEY.F3);
    await deposit('1.500', 'TM-R1', null);
    await expectContains('agent-limits', '2.000,00');
    await click('agent-submit');
    await expectError('IDENTIDAD_REQUERIDA');
    await expectContains('error-message', 'número de CI');
    await snapshot(browser, 'reglas-01-pide-ci');

    at('con el CI y el nombre se registra, y el comprobante los muestra');
    await fill('agent-ci-numero', '4455667');
    await fill('agent-ci-expedido', 'LP');
    await fill('agent-cliente-nombre', 'Juana Mamani');
    await expectContains('agent-restante-diario', 'Bs 2.000,00');
    await click('agent-submit');
    await shown('agent-done');
    await expectContains('receipt', 'Juana Mamani');
    await expectContains('receipt', '4455667 LP');
    await expectContains('drawer-balance', '1.600,00');

    at('un depósito por encima de lo que le queda del día se rechaza mostrando lo que queda');
    await click('agent-new');
    await deposit('600', 'TM-R2', { numero: '4455667', expedido: 'LP', nombre: 'Juana Mamani' });
    await expectContains('agent-restante-diario', 'Bs 500,00');
    await click('agent-submit');
    await expectError('LIMITE_PROVEEDOR');
    await expectContains('error-message', 'le quedan Bs 500,00');
    await snapshot(browser, 'reglas-02-limite-diario');
    await expectContains('drawer-balance', '1.600,00');

    at('un depósito por encima del máximo por operación se rechaza nombrando el límite');
    await fill('agent-ci-numero', '9990001');
    await fill('agent-cliente-nombre', 'Pedro Choque');
    await fill('agent-monto', '2.000,01');
    await click('agent-submit');
    await expectError('LIMITE_PROVEEDOR');
    await expectContains('error-message', 'Bs 2.000,00');

    at('justo dentro de lo que queda se acepta');
    await fill('agent-ci-numero', '4455667');
    await fill('agent-cliente-nombre', 'Juana Mamani');
    await fill('agent-monto', '500');
    await click('agent-submit');
    await shown('agent-done');
    await expectContains('drawer-balance', '2.100,00');

    at('el cliente se encuentra en la administración con sus dos operaciones');
    await click('agent-new');
    await click('nav-admin');
    await fill('customer-search', 'mamani');
    await click('customer-search-submit');
    await expectContains('customer-4455667', '2');
    await click('customer-ops-4455667');
    await expectContains('customer-operations', 'TM-R1');
    await expectContains('customer-operations', 'TM-R2');
    await snapshot(browser, 'reglas-03-cliente');

    at('la base de datos guarda el documento con cada operación');
    const sql = sqliteReader(app.dbPath);
    if (sql) {
      assert.equal(sql("SELECT COUNT(*) FROM agent_transaction_terms WHERE ci_numero = '4455667'"), '2');
      assert.equal(sql("SELECT SUM(monto) FROM agent_transactions WHERE banco = 'TIGO_MONEY'"), '200000');
    }
  });
});
