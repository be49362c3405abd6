// End to end: the offline queue through the real window, against the bank simulator.
// First administrator -> register and cashier -> Tigo Money float -> Tigo Money connected
// as BILLETERA_V2 to the simulator with its credentials -> the cashier records a deposit
// while the wallet is down (the header shows it queued, offline) and one over the offline
// limit (refused on «monto») -> the wallet comes back, the administrator syncs and the
// queue empties -> a business error on the simulator -> another deposit ends in the
// needs-attention list with the wallet's message -> the administrator cancels it with a
// reason. Run by .ci/test (tauri-driver under Xvfb):
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  createFirstAdmin,
  createRegister,
  FIRST_ADMIN,
  fundProvider,
  launchAppWithSimulator,
  openRegister,
  runSteps,
  snapshot,
  sqliteReader,
  tid,
  uiHelpers,
  WAIT_MS,
  windowLoaded,
} from './harness.mjs';

const ADMIN = FIRST_ADMIN;
const CASHIER = { name: 'Carlos Cajero', pin: '135799' };
const CVU = '0000003100000000000123';
const CUIT = '20123456789';

test('cola sin conexión: envío a la billetera, sincronización y envíos que requieren atención', { timeout: 20 * 60_000 }, async () => {
  const { sim, app } = await launchAppWithSimulator();
  const { browser } = app;
  const ui = uiHelpers(browser);
  const { shown, click, fill, expectContains, expectEquals, expectError, check, firstId, syncNow } = ui;

  /** WebDriver code of F11, the sync centre's shortcut. */
  const KEY = { F11: '\uE03B', Escape: '\uE00C' };

  /** Waits until the element `id` is gone from the page. */
  const gone = async (id) => {
    await browser.$(tid(id)).waitForExist({ reverse: true, timeout: WAIT_MS, timeoutMsg: `[data-testid="${id}"] sigue en pantalla` });
  };

  const login = async ({ name, pin }) => {
    await fill('login-name', name);
    await fill('login-pin', pin);
    await click('login-submit');
    await shown('logout');
  };

  /** Logs out; with calls the providers have not confirmed, the warning comes first and
   *  says what happens to them, and the operator leaves anyway. Returns whether it warned. */
  const logout = async () => {
    await click('logout');
    let warned = false;
    await browser.waitUntil(
      async () => {
        if (await (await browser.$(tid('login-name'))).isDisplayed()) return true;
        const warning = await browser.$(tid('unconfirmed-warning'));
        if (!(await warning.isDisplayed())) return false;
        const text = await warning.getText();
        const said = (text.includes('sin confirmar') && text.includes('se siguen enviando')) ||
          (text.includes('not confirmed') && text.includes('keep being sent'));
        assert.ok(said, `aviso incompleto: ${text}`);
        warned = true;
        await click('leave-anyway');
        return false;
      },
      { timeout: WAIT_MS, timeoutMsg: 'no volvió a la pantalla de ingreso al salir' },
    );
    return warned;
  };

  /** A DEPOSITO of Tigo Money to the customer's CVU, from a fresh agent screen; `shot`
   *  names a snapshot of the filled form. */
  const deposit = async (monto, referencia, shot) => {
    await click('nav-agent');
    await shown('agent-monto');
    await fill('agent-banco', 'TIGO_MONEY');
    await fill('agent-tipo', 'DEPOSITO');
    await fill('agent-monto', monto);
    await fill('agent-comision', '0');
    await fill('agent-cuenta', CVU);
    await fill('agent-cuit', CUIT);
    await fill('agent-referencia', referencia);
    if (shot) await snapshot(browser, shot);
    await click('agent-submit');
  };

  await runSteps(browser, [app.cleanup, sim.cleanup], async (at) => {
    at('la ventana carga');
    await windowLoaded(browser);

    at('primer inicio: crear el administrador');
    await createFirstAdmin(ui);

    at('el indicador de envíos está en la cabecera: en línea, nada por enviar');
    await expectEquals('sync-online', 'En línea');
    await expectEquals('sync-pending-count', '0');

    at('crear la caja "Caja 1" y el cajero');
    await click('nav-admin');
    await createRegister(ui);
    await fill('operator-name', CASHIER.name);
    await fill('operator-role', 'cajero');
    await fill('operator-pin', CASHIER.pin);
    await click('operator-submit');
    await shown('operator-done');

    at('fondear Tigo Money con Bs 1000');
    await fundProvider(ui, 'TIGO_MONEY', '1000');
    await expectContains('provider-TIGO_MONEY', '1.000,00');

    at(`conectar Tigo Money como BILLETERA_V2 al simulador (${sim.url})`);
    await click('admin-providers');
    await shown('conn-TIGO_MONEY');
    await expectContains('cred-status-TIGO_MONEY', 'faltan');
    await fill('conn-contrato-TIGO_MONEY', 'BILLETERA_V2');
    await fill('conn-url-TIGO_MONEY', sim.url);
    await check('conn-deposito-TIGO_MONEY', true);
    await check('conn-retiro-TIGO_MONEY', false);
    await check('conn-qr-TIGO_MONEY', false);
    // The wallet's cashout names a concept from its payment/concepts catalogue.
    await fill('conn-concepto-TIGO_MONEY', 'VAR');
    await fill('conn-limite-operacion-TIGO_MONEY', '500');
    await fill('conn-limite-pendiente-TIGO_MONEY', '2000');
    await click('conn-submit-TIGO_MONEY');
    await shown('conn-done-TIGO_MONEY');

    at('credenciales de la billetera: se guardan y no se vuelven a mostrar');
    await fill('cred-usuario-TIGO_MONEY', 'agente.demo');
    await fill('cred-secreto-TIGO_MONEY', 'demo-1234');
    await click('cred-submit-TIGO_MONEY');
    await shown('cred-done-TIGO_MONEY');
    await expectContains('cred-status-TIGO_MONEY', 'guardadas');
    assert.equal(await (await shown('cred-secreto-TIGO_MONEY')).getValue(), '', 'el secreto quedó escrito en el formulario');
    assert.equal(await (await shown('cred-usuario-TIGO_MONEY')).getValue(), '', 'el usuario quedó escrito en el formulario');
    await snapshot(browser, 'sync-00-conexion');

    at('conectar BCP como BANCO_V1: sin el punto de servicio se rechaza nombrando el campo; con él se guarda');
    await fill('conn-contrato-BCP', 'BANCO_V1');
    await fill('conn-url-BCP', sim.url);
    // The bank document names no token endpoint: the simulator's stand-in is configured.
    await fill('conn-url-token-BCP', `${sim.url}/_sim/bank/oauth/token`);
    await check('conn-deposito-BCP', true);
    await check('conn-qr-BCP', false);
    await fill('conn-cuenta-BCP', '10000000001');
    await click('conn-submit-BCP');
    await expectError('CAMPO_REQUERIDO');
    assert.equal(await (await shown('conn-punto-codigo-BCP')).getAttribute('aria-invalid'), 'true', '«código del punto» no quedó marcado');
    await fill('conn-punto-codigo-BCP', '123456789123456');
    await fill('conn-punto-nombre-BCP', 'MI OFICINA BETTY');
    await fill('conn-punto-ciudad-BCP', 'LA MESA');
    await fill('conn-punto-ciudad-id-BCP', '25386');
    await fill('conn-punto-departamento-BCP', '25');
    await click('conn-submit-BCP');
    await shown('conn-done-BCP');

    at('el cajero abre su caja con fondo 100: la bóveda está vacía, autoriza un administrador');
    await logout();
    await login(CASHIER);
    await openRegister(ui);
    await fill('auth-name', ADMIN.name);
    await fill('auth-pin', ADMIN.pin);
    await click('auth-submit');
    // Blind close (on by default): the cashier does not see the expected cash.
    await shown('drawer-balance-hidden');
    assert.ok(!(await (await shown('drawer-balance')).getText()).includes('100,00'), 'el cajero ve el saldo esperado');
    assert.equal(await (await shown('sync-indicator')).getTagName(), 'div', 'el indicador de un cajero no debe abrir el centro');

    at('la billetera deja de responder');
    await sim.stop();

    at('DEPOSITO de 600: supera el límite por operación sin confirmar (LIMITE_FUERA_DE_LINEA en «monto»)');
    await deposit('600', 'TM-S000');
    await expectError('LIMITE_FUERA_DE_LINEA');
    assert.equal(await (await shown('agent-monto')).getAttribute('aria-invalid'), 'true', '«monto» no quedó marcado');
    await shown('drawer-balance-hidden');

    at('DEPOSITO de 150 a la CVU del cliente: queda en cola, sin conexión');
    await expectContains('agent-cuenta-hint', 'Obligatoria');
    await deposit('150', 'TM-S001', 'sync-01a-deposito');
    await shown('agent-done');
    await expectContains('receipt', CVU);
    await shown('drawer-balance-hidden');
    await expectEquals('sync-pending-count', '1');
    await expectContains('sync-pending-amount', '150,00');
    await expectEquals('sync-online', 'Sin conexión');
    await browser.execute(() => window.scrollTo(0, 0));
    await snapshot(browser, 'sync-01-en-cola');

    at('el historial del cajero dice que el depósito está en cola; salir avisa qué pasa con él');
    await click('nav-history');
    await expectContains('history-agents', 'En cola');
    await browser.keys(KEY.Escape);
    await shown('nav-history');

    at('la billetera vuelve; el administrador pulsa «Sincronizar ahora»');
    assert.ok(await logout(), 'salir con un envío en cola no avisó');
    await login(ADMIN);
    await click('sync-indicator');
    await shown('sync-now');
    await sim.start();
    await syncNow();
    await expectEquals('sync-pending-count', '0');
    await expectEquals('sync-online', 'En línea');
    await expectContains('outbox-list', 'TM-S001');
    await expectContains('outbox-list', 'Confirmado');
    await shown('attention-empty');
    await snapshot(browser, 'sync-02-sincronizado');
    const cashouts = (await sim.get('/_sim/records?contract=wallet&operation=cashout')).records;
    assert.equal(cashouts.length, 1, `la billetera tiene ${cashouts.length} envíos, se esperaba 1: ${JSON.stringify(cashouts)}`);
    assert.ok(JSON.stringify(cashouts[0]).includes('150'), `el envío a la billetera no es de 150: ${JSON.stringify(cashouts[0])}`);

    at('la billetera rechazará la próxima operación por saldo insuficiente');
    await sim.faults({ business_error: { contract: 'wallet', code: 'saldo_insuficiente', remaining_calls: 1 } });

    at('el historial del cajero: el depósito confirmado, con la referencia de la billetera en su comprobante');
    await logout();
    await login(CASHIER);
    await click('nav-history');
    await expectContains('history-agents', 'Confirmada');
    const confirmed = await firstId('receipt-agent-');
    await click(`receipt-agent-${confirmed}`);
    await expectContains('receipt', 'Referencia del proveedor');
    await browser.keys(KEY.Escape);
    await shown('history-agents');

    at('el cajero pasa a inglés y registra otro DEPOSITO de 80: su comprobante en inglés');
    await fill('language', 'en');
    await expectContains('nav-history', 'History');
    await deposit('80', 'TM-S002');
    await shown('agent-done');
    await shown('drawer-balance-hidden');
    await expectContains('receipt', 'Deposit — banking agent');
    await expectContains('receipt', 'Bs 80.00');

    at('el administrador sincroniza: el envío requiere atención, con el mensaje de la billetera');
    await logout();
    await login(ADMIN);
    await browser.keys(KEY.F11);
    await shown('sync-now');
    await syncNow();
    const id = await firstId('attention-');
    await expectContains(`attention-${id}`, 'TIGO_MONEY');
    await expectContains(`attention-${id}`, '80,00');
    await expectContains(`attention-${id}`, 'TM-S002');
    await expectContains(`attention-error-${id}`, 'Saldo insuficiente');
    await expectContains('sync-attention', '1');
    await expectEquals('sync-pending-count', '0');
    await snapshot(browser, 'sync-03-atencion');

    at('cancelar el envío con un motivo');
    await click(`attention-cancel-${id}`);
    await click('cancel-submit');
    await expectError('CAMPO_REQUERIDO');
    await fill('cancel-motivo', 'Billetera sin saldo: se devolvió el efectivo al cliente');
    await click('cancel-submit');
    await shown('sync-action-done');
    await shown('attention-empty');
    await gone('sync-attention');
    await fill('outbox-estado', 'cancelled');
    await click('outbox-filter');
    await expectContains(`outbox-${id}`, 'Billetera sin saldo');
    await snapshot(browser, 'sync-04-cancelado');

    at('conciliación del día con la billetera: el envío confirmado está en su lista');
    await fill('reconcile-banco', 'TIGO_MONEY');
    await click('reconcile-submit');
    await shown('reconcile-report');
    await expectEquals('reconcile-conciliadas', '1');
    await expectEquals('reconcile-faltan', '0');
    await expectEquals('reconcile-desconocidas', '0');
    await expectContains('reconcile-lines', '150,00');
    await browser.execute(() => document.querySelector('[data-testid="reconcile-report"]')?.scrollIntoView());
    await snapshot(browser, 'sync-05-conciliacion');

    at('la base de datos guarda los envíos');
    checkDatabase(app.dbPath);
  });
});

/** Reads the app's SQLite file with the sqlite3 CLI when it is installed. */
function checkDatabase(dbPath) {
  const sql = sqliteReader(dbPath);
  if (!sql) return;
  assert.equal(sql('PRAGMA integrity_check'), 'ok');
  assert.equal(sql(`SELECT language FROM operators WHERE name = '${CASHIER.name}'`), 'en', 'el idioma del cajero no quedó guardado');
  assert.equal(
    sql('SELECT tipo_operacion, monto, nro_referencia, cuenta_cliente FROM agent_transactions ORDER BY id'),
    `DEPOSITO|15000|TM-S001|${CVU}\nDEPOSITO|8000|TM-S002|${CVU}`,
  );
  assert.equal(
    sql('SELECT provider, call, amount, state, cancel_reason FROM outbox ORDER BY id'),
    'TIGO_MONEY|CASHOUT|15000|acked|\nTIGO_MONEY|CASHOUT|8000|cancelled|Billetera sin saldo: se devolvió el efectivo al cliente',
  );
  assert.equal(
    sql("SELECT contract, store_account, point_code, point_branch, point_city_id, point_city, point_state FROM provider_connections WHERE provider = 'BCP'"),
    'BANCO_V1|10000000001|123456789123456|MI OFICINA BETTY|25386|LA MESA|25',
  );
  // The secret is in the OS keyring only: not in the database file nor its journal.
  for (const file of [dbPath, `${dbPath}-wal`]) {
    if (existsSync(file)) assert.ok(!readFileSync(file).includes('demo-1234'), `${file} contiene el secreto`);
  }
  // Nor in the log file (and its rotated copies), which .ci/test points at its own folder.
  const logDir = process.env.MOSTRADOR_LOG_DIR;
  if (logDir) {
    const logs = readdirSync(logDir).map((name) => join(logDir, name));
    assert.ok(logs.length > 0, `no hay archivo de registro en ${logDir}`);
    for (const file of logs) assert.ok(!readFileSync(file).includes('demo-1234'), `${file} contiene el secreto`);
  }
}
