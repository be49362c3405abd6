// End to end: operators over time in the real window. The first administrator sees the
// recovery code once; a cashier is created, deactivated (and then cannot log in),
// reactivated, given a new PIN by the administrator, and logs in with it only.
// Run by .ci/test (tauri-driver under Xvfb): node --test tests/e2e/

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { launchApp, runSteps, sqliteReader, tid, uiHelpers, WAIT_MS } from './harness.mjs';

const ADMIN = { name: 'Ana Admin', pin: '482615' };
const CASHIER = { name: 'Carlos Cajero', pin: '135799' };
const NEW_PIN = '975310';

test('operadores: desactivar a un cajero que ya no puede ingresar y cambiarle el PIN', { timeout: 10 * 60_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;
  const { shown, click, fill, expectContains, expectError } = uiHelpers(browser);

  const login = async ({ name, pin }) => {
    await fill('login-name', name);
    await fill('login-pin', pin);
    await click('login-submit');
  };
  const logout = async () => {
    await click('logout');
    await shown('login-name');
  };
  /** A button of the operator's row in the administrators' list. */
  const rowButton = async (name, id) => {
    const button = await browser.$(`[data-testid="operator-row"][data-name="${name}"] ${tid(id)}`);
    await button.waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: `no apareció ${id} en la fila de ${name}` });
    return button;
  };

  await runSteps(browser, [app.cleanup], async (at) => {
    at('primer inicio: el código de recuperación se muestra una vez');
    await fill('setup-name', ADMIN.name);
    await fill('setup-pin', ADMIN.pin);
    await fill('setup-pin2', ADMIN.pin);
    await click('setup-submit');
    const code = (await (await shown('setup-recovery-code')).getText()).trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/, `código de recuperación: ${code}`);
    await click('setup-continue');

    at('un PIN nuevo de 4 dígitos se rechaza; el cajero se crea con 6');
    await click('nav-admin');
    await fill('operator-name', CASHIER.name);
    await fill('operator-role', 'cajero');
    await fill('operator-pin', '1357');
    await click('operator-submit');
    await expectError('PIN_INVALIDO');
    await fill('operator-pin', CASHIER.pin);
    await click('operator-submit');
    await shown('operator-done');

    at('desactivar al cajero');
    await (await rowButton(CASHIER.name, 'operator-deactivate')).click();
    await expectContains('operator-row-done', 'desactivado');
    await expectContains(`operator-row"][data-name="${CASHIER.name}`, 'Inactivo');
    await logout();

    at('el cajero desactivado no puede ingresar: la misma respuesta que un PIN errado');
    await login(CASHIER);
    await expectError('CREDENCIALES_INVALIDAS');
    await expectContains('error-message', 'Nombre o PIN incorrecto');

    at('el administrador lo reactiva y le da un PIN nuevo');
    await login(ADMIN);
    await shown('logout');
    await click('nav-admin');
    await (await rowButton(CASHIER.name, 'operator-reactivate')).click();
    await expectContains('operator-row-done', 'reactivado');
    await (await rowButton(CASHIER.name, 'operator-reset-open')).click();
    const pinInput = await rowButton(CASHIER.name, 'operator-reset-pin');
    await pinInput.setValue(NEW_PIN);
    await (await rowButton(CASHIER.name, 'operator-reset-submit')).click();
    await expectContains('operator-row-done', 'PIN de «Carlos Cajero» cambiado');
    await logout();

    at('el PIN anterior ya no sirve; el nuevo sí');
    await login(CASHIER);
    await expectError('CREDENCIALES_INVALIDAS');
    await login({ name: CASHIER.name, pin: NEW_PIN });
    await shown('logout');
    await logout();

    const sql = sqliteReader(app.dbPath);
    if (sql) {
      at('cada cambio quedó en la auditoría, sin PIN ni código en claro');
      const actions = sql("SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE action IN ('deactivate_operator', 'reactivate_operator', 'reset_operator_pin') ORDER BY id)");
      assert.equal(actions, 'deactivate_operator,reactivate_operator,reset_operator_pin');
      assert.equal(sql(`SELECT COUNT(*) FROM settings WHERE value LIKE '%${code.slice(0, 4)}-%'`), '0');
    }
  });
});
