// End to end: a bank deposit whose outcome is unknown, through the real window, against
// the bank simulator. The administrator sets BCP's connection to wait for the bank's
// statement (`reenvio_incierto` = EXTRACTO) -> a deposit meets the simulator's
// commit-then-ER500 fault: the bank applied it and answered 500 -> the call lands in the
// needs-attention list, «esperando respuesta del proveedor», and is not sent again ->
// the administrator voids the operation: the call still waits for the provider (it cannot
// be cancelled) and its reversal waits in the queue -> the administrator presses «Figura
// en el extracto»: the call is confirmed, the reversal goes out, and the simulator holds
// the deposit once, reversed. Tigo Money's connection keeps the wallet lookup's two
// assumptions and the unit of its balance the administrator sets (a 0 is refused, naming
// the field). Run by .ci/test (tauri-driver under Xvfb):
//   node --test tests/e2e/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createFirstAdmin, createRegister, fundProvider, launchAppWithSimulator, openRegister, runSteps, snapshot, sqliteReader, tid, uiHelpers, WAIT_MS, windowLoaded } from './harness.mjs';

const ACCOUNT = '2010345678';
const REFERENCE = 'BCP-INC-1';

test('resultado incierto con el banco: espera al extracto, no se reenvía, una persona lo confirma', { timeout: 15 * 60_000 }, async () => {
  const { sim, app } = await launchAppWithSimulator();
  const { browser } = app;
  const ui = uiHelpers(browser);
  const { shown, click, fill, expectContains, check, firstId, syncNow } = ui;
  const KEY = { Escape: '\uE00C' };

  /** Syncs until the outbox row `outbox-<id>` is in `estado` (the worker's retry delay
   *  is drawn at random, so one pass may find the row not yet due). */
  const syncUntil = async (id, estado) => {
    await browser.waitUntil(
      async () => {
        await syncNow();
        const row = await browser.$(tid(`outbox-${id}`));
        return (await row.isExisting()) && (await row.getAttribute('data-estado')) === estado;
      },
      { timeout: WAIT_MS * 4, interval: 1_000, timeoutMsg: `el envío ${id} no llegó a "${estado}"` },
    );
  };

  /** The simulator's deposits and reversals with this trnRqUID. */
  const bankRecords = async (operation, key) =>
    (await sim.get(`/_sim/records?contract=bank&operation=${operation}`)).records.filter((r) => JSON.stringify(r).includes(key));

  await runSteps(browser, [app.cleanup, sim.cleanup], async (at) => {
    at('la ventana carga');
    await windowLoaded(browser);

    at('primer inicio: crear el administrador');
    await createFirstAdmin({ fill, click, shown });

    at('crear la caja "Caja 1" y fondear BCP con Bs 1000');
    await click('nav-admin');
    await createRegister(ui);
    await fundProvider(ui, 'BCP', '1000');
    await expectContains('provider-BCP', '1.000,00');

    at(`conectar BCP como BANCO_V1 al simulador (${sim.url}) con «esperar al extracto del banco»`);
    await click('admin-providers');
    await shown('conn-BCP');
    await fill('conn-contrato-BCP', 'BANCO_V1');
    await fill('conn-url-BCP', sim.url);
    await fill('conn-url-token-BCP', `${sim.url}/_sim/bank/oauth/token`);
    await check('conn-deposito-BCP', true);
    await check('conn-qr-BCP', false);
    await fill('conn-cuenta-BCP', '10000000001');
    await fill('conn-punto-codigo-BCP', '123456789123456');
    await fill('conn-punto-nombre-BCP', 'MI OFICINA BETTY');
    await fill('conn-punto-ciudad-BCP', 'LA MESA');
    await fill('conn-punto-ciudad-id-BCP', '25386');
    await fill('conn-punto-departamento-BCP', '25');
    await fill('conn-reenvio-BCP', 'EXTRACTO');
    await click('conn-submit-BCP');
    await shown('conn-done-BCP');
    await fill('cred-usuario-BCP', 'mostrador-demo');
    await fill('cred-secreto-BCP', 'secreto-demo-1234');
    await click('cred-submit-BCP');
    await shown('cred-done-BCP');
    await expectContains('cred-status-BCP', 'guardadas');

    at('la conexión guardada dice EXTRACTO al volver a la pantalla');
    await click('providers-back');
    await click('admin-providers');
    await browser.waitUntil(async () => (await (await shown('conn-reenvio-BCP')).getValue()) === 'EXTRACTO', {
      timeout: WAIT_MS,
      timeoutMsg: 'la conexión de BCP no conservó «reenvio_incierto» = EXTRACTO',
    });
    await snapshot(browser, 'outcomes-00-conexion');

    at('Tigo Money como billetera: los días que cubre su lista, la espera de su consulta y la unidad de su saldo; un 0 se rechaza nombrando el campo');
    await fill('conn-contrato-TIGO_MONEY', 'BILLETERA_V2');
    await fill('conn-url-TIGO_MONEY', sim.url);
    await fill('conn-concepto-TIGO_MONEY', 'VAR');
    await fill('conn-dias-lista-TIGO_MONEY', '0');
    await fill('conn-espera-consulta-TIGO_MONEY', '600');
    await fill('conn-unidad-saldo-TIGO_MONEY', 'BOLIVIANOS');
    await click('conn-submit-TIGO_MONEY');
    await ui.expectError('VALOR_INVALIDO');
    await expectContains('error-message', 'días que cubre la lista de la billetera');
    assert.equal(await (await shown('conn-dias-lista-TIGO_MONEY')).getAttribute('aria-invalid'), 'true', '«días que cubre la lista» no quedó marcado');
    await fill('conn-dias-lista-TIGO_MONEY', '45');
    await click('conn-submit-TIGO_MONEY');
    await shown('conn-done-TIGO_MONEY');
    await click('providers-back');
    await click('admin-providers');
    await browser.waitUntil(async () => (await (await shown('conn-dias-lista-TIGO_MONEY')).getValue()) === '45', {
      timeout: WAIT_MS,
      timeoutMsg: 'la conexión de Tigo Money no conservó los días de su lista',
    });
    assert.equal(await (await shown('conn-espera-consulta-TIGO_MONEY')).getValue(), '600', 'la conexión de Tigo Money no conservó la espera de su consulta');
    assert.equal(await (await shown('conn-unidad-saldo-TIGO_MONEY')).getValue(), 'BOLIVIANOS', 'la conexión de Tigo Money no conservó la unidad de su saldo');
    await click('providers-back');
    await click('nav-back');

    at('abrir sesión con fondo 100');
    await openRegister(ui);
    await shown('nav-agent');

    at('el banco aplicará el próximo depósito y responderá 500 (ER500)');
    await sim.faults({ commit_then_500_rate: 1.0 });

    at('DEPOSITO de 45,50 a la cuenta del cliente en BCP');
    await click('nav-agent');
    await shown('agent-monto');
    await fill('agent-banco', 'BCP');
    await fill('agent-tipo', 'DEPOSITO');
    await fill('agent-monto', '45,50');
    await fill('agent-comision', '0');
    await fill('agent-cuenta', ACCOUNT);
    await fill('agent-referencia', REFERENCE);
    await click('agent-submit');
    await shown('agent-done');

    at('sincronizar: el depósito pasa a «requiere atención», esperando respuesta del proveedor');
    await click('sync-indicator');
    await shown('sync-now');
    const id = await (async () => {
      await browser.waitUntil(
        async () => {
          await syncNow();
          return (await browser.$$(`[data-testid^="attention-incierto-"]`)).length > 0;
        },
        { timeout: WAIT_MS * 4, interval: 1_000, timeoutMsg: 'el depósito no llegó a la lista de atención' },
      );
      return firstId('attention-incierto-');
    })();
    await expectContains(`attention-${id}`, 'BCP');
    await expectContains(`attention-${id}`, '45,50');
    await expectContains(`attention-${id}`, REFERENCE);
    await expectContains(`attention-error-${id}`, 'ESPERA_EXTRACTO');
    await expectContains(`attention-incierto-${id}`, 'esperando respuesta del proveedor');
    assert.ok(!(await browser.$(tid(`attention-cancel-${id}`)).isExisting()), 'un envío en duda ofrece «Cancelar»');
    await shown(`attention-applied-${id}`);
    await shown(`attention-not-applied-${id}`);
    const key = (await app_sql(app.dbPath, `SELECT idempotency_key FROM outbox WHERE id = ${id}`)) ?? null;
    await snapshot(browser, 'outcomes-01-en-duda');

    at('el banco lo aplicó una vez; sin la falla, otra sincronización no lo reenvía');
    await sim.faults({ commit_then_500_rate: 0.0 });
    const deposits = (await sim.get('/_sim/records?contract=bank&operation=deposit')).records;
    assert.equal(deposits.length, 1, `el banco tiene ${deposits.length} depósitos, se esperaba 1: ${JSON.stringify(deposits)}`);
    await syncNow();
    await syncNow();
    await shown(`attention-incierto-${id}`);
    const again = (await sim.get('/_sim/records?contract=bank&operation=deposit')).records;
    assert.equal(again.length, 1, `una sincronización reenvió el depósito en duda: ${JSON.stringify(again)}`);
    await expectContains(`outbox-${id}`, 'ESPERA_EXTRACTO');

    at('anular el depósito desde el historial: el envío sigue esperando al proveedor');
    await click('sync-back');
    await click('nav-history');
    const op = await firstId('history-agent-');
    await expectContains(`history-agent-${op}`, REFERENCE);
    await click(`void-agent-${op}`);
    await fill('void-reason', 'Cuenta del cliente equivocada');
    await click('void-submit');
    await shown('void-done');
    await browser.keys(KEY.Escape);
    await expectContains(`history-agent-${op}`, 'Requiere atención');

    at('el centro de envíos: el depósito sigue en duda y sin «Cancelar»; su reverso espera en cola');
    await click('sync-indicator');
    await expectContains(`attention-incierto-${id}`, 'esperando respuesta del proveedor');
    assert.ok(!(await browser.$(tid(`attention-cancel-${id}`)).isExisting()), 'un envío en duda ofrece «Cancelar» tras anular');
    assert.ok(!(await browser.$(tid(`outbox-cancel-${id}`)).isExisting()), 'la cola ofrece cancelar un envío en duda');
    const reversal = await waitReversal(browser, id);
    await syncNow();
    assert.equal(await (await shown(`outbox-${reversal}`)).getAttribute('data-estado'), 'queued', 'el reverso salió antes de saber si el depósito se aplicó');
    assert.equal((await bankRecords('reversal', '')).length, 0, 'el banco recibió un reverso antes de saber si el depósito se aplicó');
    await snapshot(browser, 'outcomes-02-anulado-en-duda');

    at('«Figura en el extracto»: el depósito queda confirmado');
    await click(`attention-applied-${id}`);
    await expectContains('sync-action-done', 'confirmado con el extracto');
    await shown('attention-empty');
    await browser.waitUntil(async () => (await (await shown(`outbox-${id}`)).getAttribute('data-estado')) === 'acked', {
      timeout: WAIT_MS,
      timeoutMsg: `el envío ${id} no quedó confirmado`,
    });
    await expectContains(`outbox-${id}`, 'Confirmado');

    at('sincronizar: el reverso sale; el banco tuvo el depósito una sola vez, y revertido');
    await syncUntil(reversal, 'acked');
    if (key) {
      const held = await bankRecords('deposit', key);
      assert.equal(held.length, 1, `el banco tiene ${held.length} depósitos con trnRqUID ${key}: ${JSON.stringify(held)}`);
      assert.equal(held[0].status, 'reversed', `el depósito no quedó revertido: ${JSON.stringify(held[0])}`);
      assert.equal((await bankRecords('reversal', key)).length, 1, 'el reverso no llegó una vez');
    }
    const all = (await sim.get('/_sim/records?contract=bank&operation=deposit')).records;
    assert.equal(all.length, 1, `el banco tiene ${all.length} depósitos, se esperaba 1: ${JSON.stringify(all)}`);
    assert.equal(all[0].status, 'reversed', `el depósito no quedó revertido: ${JSON.stringify(all[0])}`);
    await snapshot(browser, 'outcomes-03-confirmado');

    at('la base de datos: intentos, la confirmación con el extracto y el reverso');
    const sql = sqliteReader(app.dbPath);
    if (sql) {
      assert.equal(sql('PRAGMA integrity_check'), 'ok');
      assert.equal(
        sql(`SELECT call, state, attempts, outcome_unknown, error_code FROM outbox WHERE id = ${id}`),
        'DEPOSITO|acked|2|0|CONFIRMADA_CON_EXTRACTO',
        'el depósito en duda se envió más de una vez o no quedó confirmado con el extracto',
      );
      assert.equal(sql(`SELECT call, state, reverses FROM outbox WHERE id = ${reversal}`), `REVERSO|acked|${id}`);
      assert.equal(sql("SELECT unknown_resend FROM provider_connections WHERE provider = 'BCP'"), 'EXTRACTO');
      assert.equal(
        sql("SELECT list_trusted_days, lookup_quiet_seconds, balance_unit FROM provider_connections WHERE provider = 'TIGO_MONEY'"),
        '45|600|BOLIVIANOS',
      );
    }
  });
});

/** One value from the app's database, or null without the sqlite3 CLI. */
async function app_sql(dbPath, query) {
  const sql = sqliteReader(dbPath);
  return sql ? sql(query) : null;
}

/** The id of the reversal of outbox row `id`, once the queue lists it. */
async function waitReversal(browser, id) {
  let found = null;
  await browser.waitUntil(
    async () => {
      found = await browser.execute((id) => {
        const rows = [...document.querySelectorAll('[data-testid^="outbox-"][data-estado]')];
        const row = rows.find((r) => r.textContent.includes(`(del N.º ${id})`));
        return row ? row.getAttribute('data-testid').slice('outbox-'.length) : null;
      }, id);
      return found !== null;
    },
    { timeout: WAIT_MS, timeoutMsg: `la cola no muestra el reverso del envío ${id}` },
  );
  return found;
}
