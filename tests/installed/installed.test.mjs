// The installed package, end to end: .ci/test installs the .deb (dpkg -i), then this test
// drives the installed /usr/bin/mostrador through tauri-driver under Xvfb, as the e2e test
// drives the debug build. It checks that the first screens show and that commands answer,
// and prints the start-up time to the first screen and the memory after start.
// Run by .ci/test: MOSTRADOR_BIN=/usr/bin/mostrador node --test tests/installed/

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { BINARY, launchApp, ROOT, runSteps, uiHelpers } from '../e2e/harness.mjs';

const ADMIN = { name: 'Ana Admin', pin: '482615' };

/** Resident memory (KiB) of the app and of WebKit's processes it started. */
function memory() {
  const out = execFileSync('ps', ['-C', 'mostrador,WebKitWebProcess,WebKitNetworkProcess', '-o', 'rss=,comm='], {
    encoding: 'utf8',
  });
  const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
  const app = rows.filter(([, comm]) => comm === 'mostrador').reduce((s, [rss]) => s + Number(rss), 0);
  const total = rows.reduce((s, [rss]) => s + Number(rss), 0);
  return { app, total };
}

test('paquete instalado: primera pantalla, un comando responde, ingreso y salida', { timeout: 5 * 60_000 }, async () => {
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
    const mem = memory();

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

    const figures =
      `primera pantalla: ${firstScreenMs} ms desde la orden de iniciar (incluye WebDriver)\n` +
      `memoria tras iniciar: app ${Math.round(mem.app / 1024)} MiB, con los procesos de WebKit ${Math.round(mem.total / 1024)} MiB\n`;
    console.log(figures);
    writeFileSync(join(ROOT, 'target', 'installed-figures.txt'), figures);
    assert.ok(mem.app > 0, 'no se encontró el proceso mostrador');
  });
});
