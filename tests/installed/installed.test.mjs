// The installed package, end to end: .ci/test installs the .deb (dpkg -i), then this test
// drives the installed /usr/bin/mostrador through tauri-driver under Xvfb, as the e2e test
// drives the debug build. It checks that the first screens show and that commands answer,
// and prints the start-up time to the first screen and the memory after start.
// Run by .ci/test: MOSTRADOR_BIN=/usr/bin/mostrador node --test tests/installed/

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { BINARY, launchApp, ROOT, runSteps, uiHelpers } from '../e2e/harness.mjs';

const ADMIN = { name: 'Ana Admin', pin: '482615' };
const NEW_PIN = '639174';

/** Memory (KiB) of the app started on `dataDir`: its resident set (ps), its PSS, and the
 *  PSS of it with the WebKit processes it started (its descendants). */
function memory(dataDir) {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rss: Number(rss), args: args.join(' ') };
    });
  const root = rows.find((r) => r.args.startsWith(BINARY) && r.args.includes(dataDir));
  if (!root) return { app: 0, appPss: 0, total: 0, processes: 0 };
  const tree = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (tree.has(r.ppid) && !tree.has(r.pid)) {
        tree.add(r.pid);
        grew = true;
      }
    }
  }
  // PSS shares each library page among the processes using it, so the sum is not inflated.
  const pss = (pid) => {
    try {
      return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  const total = [...tree].reduce((sum, pid) => sum + pss(pid), 0);
  return { app: root.rss, appPss: pss(root.pid), total, processes: tree.size };
}

test('paquete instalado: lleva solo la aplicación de la tienda, sin el simulador de bancos', () => {
  assert.ok(existsSync(BINARY), `${BINARY} is not installed`);
  const owned = execFileSync('dpkg', ['-L', 'mostrador'], { encoding: 'utf8' }).split('\n');
  const programs = owned.filter((path) => /^\/usr\/bin\/./.test(path));
  assert.deepEqual(programs, ['/usr/bin/mostrador']);
  assert.ok(!existsSync('/usr/bin/bank-simulator'), 'the bank simulator was installed');
});

test('paquete instalado: primera pantalla, un comando responde, ingreso, salida y cambio del propio PIN', { timeout: 5 * 60_000 }, async () => {
  assert.ok(BINARY.startsWith('/usr/'), `se esperaba el binario instalado, no ${BINARY}`);
  const started = performance.now();
  const app = await launchApp();
  const { browser } = app;
  const { shown, click, fill, expectContains } = uiHelpers(browser);

  await runSteps(browser, [app.cleanup], async (at) => {
    at('la primera pantalla aparece (setup_status respondió)');
    await shown('setup-name');
    const firstScreenMs = Math.round(performance.now() - started);
    // Settled: the first screen drawn, nothing else asked for.
    await new Promise((r) => setTimeout(r, 2000));
    const mem = memory(app.dataDir);

    at('se crea el primer administrador (un comando que escribe)');
    await fill('setup-name', ADMIN.name);
    await fill('setup-pin', ADMIN.pin);
    await fill('setup-pin2', ADMIN.pin);
    await click('setup-submit');
    await shown('setup-recovery-code');
    await click('setup-continue');

    at('la pantalla de estado del sistema responde: base correcta, registro con líneas');
    await click('nav-admin');
    await expectContains('health-integrity', 'Correcta');
    await expectContains('health-log', 'iniciado');

    at('al salir aparece la pantalla de ingreso, y se vuelve a ingresar');
    await click('logout');
    await shown('login-name');
    await fill('login-name', ADMIN.name);
    await fill('login-pin', ADMIN.pin);
    await click('login-submit');
    await shown('logout');

    at('«Mi PIN»: cambia el propio PIN, que sirve en el ingreso siguiente');
    await click('nav-my-pin');
    await fill('own-current-pin', ADMIN.pin);
    await fill('own-new-pin', NEW_PIN);
    await fill('own-new-pin2', NEW_PIN);
    await click('own-pin-submit');
    await shown('own-pin-done');
    await click('logout');
    await fill('login-name', ADMIN.name);
    await fill('login-pin', NEW_PIN);
    await click('login-submit');
    await shown('logout');

    const figures =
      `primera pantalla: ${firstScreenMs} ms desde la orden de iniciar (incluye WebDriver)\n` +
      `memoria tras iniciar: app ${Math.round(mem.app / 1024)} MiB RSS (${Math.round(mem.appPss / 1024)} MiB PSS); ` +
      `con sus ${mem.processes - 1} procesos de WebKit ${Math.round(mem.total / 1024)} MiB PSS\n`;
    console.log(figures);
    writeFileSync(join(ROOT, 'target', 'installed-figures.txt'), figures);
    assert.ok(mem.app > 0, 'no se encontró el proceso mostrador');
  });
});
