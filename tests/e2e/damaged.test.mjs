// End to end: a database damaged while the app was closed, restored from the screen that
// reports it. The shop has a backup taken by `mostrador respaldar` into its data folder;
// pages written after it are scribbled over for real. On the next start the app shows the
// damaged-database screen naming that backup; a wrong PIN is refused; the administrator's
// name and PIN restore it; the damaged file is kept aside; the administrator logs in to
// the restored store, which has the cashier made before the backup and not the table
// added after it.
// Run by .ci/test (tauri-driver under Xvfb): node --test tests/e2e/

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { BINARY, createFirstAdmin, freshDataDir, launchApp, runSteps, sqliteReader, uiHelpers } from './harness.mjs';

const ADMIN = { name: 'Ana Admin', pin: '482615' };
const CASHIER = { name: 'Cajera Respaldada', pin: '135799' };

/** Writes 64 bytes of 0xA5 over the start of each of the file's last `count` pages but one. */
async function scribbleLastPages(path, pageSize, count) {
  const file = await open(path, 'r+');
  try {
    const pages = Math.floor((await file.stat()).size / pageSize);
    for (let page = pages - count - 1; page < pages - 1; page += 1) {
      await file.write(Buffer.alloc(64, 0xa5), 0, 64, page * pageSize);
    }
  } finally {
    await file.close();
  }
}

/** `PRAGMA quick_check`'s answer, or sqlite3's own complaint when it cannot finish it. */
function quickCheck(sql) {
  try {
    return sql('PRAGMA quick_check');
  } catch (error) {
    return `sqlite3: ${error.message}`;
  }
}

test('base dañada: restaurar el último respaldo desde la pantalla que la informa', { timeout: 10 * 60_000 }, async (t) => {
  const dataDir = await freshDataDir();
  const dbPath = join(dataDir, 'mostrador.sqlite3');
  const sql = sqliteReader(dbPath);
  if (!sql) {
    await rm(dataDir, { recursive: true, force: true });
    t.skip('sqlite3 no está instalado: no se puede dañar la base');
    return;
  }
  try {
    await damageAndRestore(dataDir, dbPath, sql);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

async function damageAndRestore(dataDir, dbPath, sql) {
  const first = await launchApp({ dataDir });
  await runSteps(first.browser, [first.cleanup], async (at) => {
    const { shown, click, fill } = uiHelpers(first.browser);
    at('primer inicio y una cajera');
    await createFirstAdmin({ fill, click, shown });
    await click('nav-admin');
    await fill('operator-name', CASHIER.name);
    await fill('operator-role', 'cajero');
    await fill('operator-pin', CASHIER.pin);
    await click('operator-submit');
    await shown('operator-done');
  });

  // The app is closed: a backup by the headless command, then pages written after it
  // (a filler table, checkpointed into the file) are scribbled over.
  const said = execFileSync(BINARY, ['respaldar', '--data-dir', dataDir], { encoding: 'utf8' });
  assert.match(said, /Respaldo verificado/, `respaldar informa el respaldo: ${said}`);
  sql(`CREATE TABLE relleno(x BLOB);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
       INSERT INTO relleno SELECT randomblob(300) FROM n;
       PRAGMA wal_checkpoint(TRUNCATE);`);
  await scribbleLastPages(dbPath, Number(sql('PRAGMA page_size')), 10);
  assert.notEqual(quickCheck(sql), 'ok', 'la base quedó dañada de verdad');

  const second = await launchApp({ dataDir });
  await runSteps(second.browser, [second.cleanup], async (at) => {
    const { shown, click, fill, expectContains, expectError } = uiHelpers(second.browser);
    at('la pantalla de base dañada nombra el respaldo');
    await shown('damaged-db');
    await expectContains('damaged-db-backup', 'respaldos');

    at('un PIN errado se rechaza y no cambia nada');
    await fill('damaged-db-name', ADMIN.name);
    await fill('damaged-db-pin', '000000');
    await click('damaged-db-restore');
    await expectError('CREDENCIALES_INVALIDAS');

    at('el nombre y el PIN del administrador restauran el respaldo');
    await fill('damaged-db-pin', ADMIN.pin);
    await click('damaged-db-restore');
    await shown('damaged-db-restored');
    await click('damaged-db-login');

    at('el administrador entra a la base restaurada');
    await fill('login-name', ADMIN.name);
    await fill('login-pin', ADMIN.pin);
    await click('login-submit');
    await shown('nav-admin');

    at('la base restaurada está sana, con la cajera y sin lo escrito después del respaldo');
    assert.equal(quickCheck(sql), 'ok');
    assert.equal(sql(`SELECT COUNT(*) FROM operators WHERE name = '${CASHIER.name}'`), '1');
    assert.equal(sql("SELECT COUNT(*) FROM sqlite_master WHERE name = 'relleno'"), '0');
    const kept = (await readdir(dataDir)).filter((f) => f.startsWith('antes-de-restaurar-'));
    assert.ok(kept.some((f) => f.endsWith('.sqlite3')), `la base dañada se guardó aparte: ${kept}`);
  });
}
