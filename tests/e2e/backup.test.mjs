// End to end: backup and restore in the real window. The administrator takes a backup to
// a folder they chose (a USB stick, here a temporary folder), creates a cashier after it,
// then restores the backup with their PIN: a wrong file and a wrong PIN are refused first,
// the restore logs everyone out, and the restored store no longer has that cashier.
// Run by .ci/test (tauri-driver under Xvfb): node --test tests/e2e/

import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { launchApp, runSteps, sqliteReader, uiHelpers } from './harness.mjs';

const ADMIN = { name: 'Ana Admin', pin: '482615' };
const LATER = { name: 'Cajero Posterior', pin: '135799' };

test('respaldos: respaldar a una carpeta y restaurar el respaldo', { timeout: 10 * 60_000 }, async () => {
  const app = await launchApp();
  const { browser } = app;
  const { shown, click, fill, expectContains, expectError } = uiHelpers(browser);
  const usb = await mkdtemp(join(tmpdir(), 'mostrador-usb-'));
  const removeUsb = () => rm(usb, { recursive: true, force: true });

  await runSteps(browser, [app.cleanup, removeUsb], async (at) => {
    at('primer inicio');
    await fill('setup-name', ADMIN.name);
    await fill('setup-pin', ADMIN.pin);
    await fill('setup-pin2', ADMIN.pin);
    await click('setup-submit');
    await click('setup-continue');
    await click('nav-admin');

    at('una carpeta que no existe se rechaza; el respaldo a la carpeta elegida se verifica');
    await fill('backup-folder', join(usb, 'no-existe'));
    await click('backup-now');
    await expectError('ARCHIVO_INVALIDO');
    await fill('backup-folder', usb);
    await click('backup-now');
    await expectContains('backup-done', 'Respaldo verificado');
    const files = (await readdir(usb)).filter((f) => f.endsWith('.sqlite3'));
    assert.equal(files.length, 1, `un respaldo en la carpeta: ${files}`);
    const backupFile = join(usb, files[0]);

    at('un cajero creado después del respaldo');
    await fill('operator-name', LATER.name);
    await fill('operator-role', 'cajero');
    await fill('operator-pin', LATER.pin);
    await click('operator-submit');
    await shown('operator-done');

    at('restaurar: un archivo que no es un respaldo y un PIN errado se rechazan');
    const notBackup = join(usb, 'notas.sqlite3');
    await writeFile(notBackup, 'esto no es una base de datos');
    await fill('restore-file', notBackup);
    await fill('restore-pin', ADMIN.pin);
    await click('restore-submit');
    await expectError('ARCHIVO_INVALIDO');
    await fill('restore-file', backupFile);
    await fill('restore-pin', '000000');
    await click('restore-submit');
    await expectError('CREDENCIALES_INVALIDAS');

    at('restaurar el respaldo');
    await fill('restore-pin', ADMIN.pin);
    await click('restore-submit');
    await expectContains('backup-restored', 'restaurada');
    await click('backup-restored-continue');

    at('todos deben volver a ingresar; el cajero posterior al respaldo ya no existe');
    await fill('login-name', LATER.name);
    await fill('login-pin', LATER.pin);
    await click('login-submit');
    await expectError('CREDENCIALES_INVALIDAS');
    await fill('login-name', ADMIN.name);
    await fill('login-pin', ADMIN.pin);
    await click('login-submit');
    await shown('logout');

    const sql = sqliteReader(app.dbPath);
    if (sql) {
      at('la base restaurada pasa su verificación y registra la restauración');
      assert.equal(sql('PRAGMA integrity_check'), 'ok');
      assert.equal(sql(`SELECT COUNT(*) FROM operators WHERE name = '${LATER.name}'`), '0');
      assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'restore_backup'"), '1');
    }
  });
});
