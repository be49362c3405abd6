// Shared pieces of the end-to-end tests: launch the real Mostrador binary through
// tauri-driver (which drives WebKitWebDriver on Linux) against a fresh data folder.
//
// Expects tauri-driver to be listening already (.ci/test starts it under Xvfb).
// Environment:
//   MOSTRADOR_BIN      app binary (default: <repo>/target/debug/mostrador)
//   BANK_SIMULATOR_BIN bank simulator binary (default: <repo>/target/debug/bank-simulator)
//   TAURI_DRIVER_HOST  default 127.0.0.1
//   TAURI_DRIVER_PORT  default 4444
//   E2E_KEEP_DATA=1    keep the temporary data folder after the run
//   E2E_SCREENSHOTS    a folder: tests that call `snapshot` save their screens there

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { remote } from 'webdriverio';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = resolve(process.env.MOSTRADOR_BIN ?? join(ROOT, 'target', 'debug', 'mostrador'));
export const FAILURE_SCREENSHOT = join(ROOT, 'target', 'e2e-failure.png');
export const SIMULATOR_BINARY = resolve(
  process.env.BANK_SIMULATOR_BIN ?? join(ROOT, 'target', 'debug', 'bank-simulator'),
);

// WebKitGTK under Xvfb is slow, so every wait is generous.
export const WAIT_MS = Number(process.env.E2E_WAIT_MS ?? 30_000);

/** A fresh, empty data folder for one run of the app. */
export async function freshDataDir() {
  return mkdtemp(join(tmpdir(), 'mostrador-e2e-'));
}

/**
 * Starts the app (one WebDriver session = one app process) on an empty database, or on
 * the data folder `dataDir` a test prepared (then the test removes it, not `cleanup`).
 * Returns { browser, dataDir, dbPath, cleanup }.
 */
export async function launchApp({ dataDir: given } = {}) {
  if (!existsSync(BINARY)) {
    throw new Error(`no existe el binario ${BINARY}: ejecute "cargo build" primero`);
  }
  const dataDir = given ?? (await freshDataDir());
  const browser = await remote({
    hostname: process.env.TAURI_DRIVER_HOST ?? '127.0.0.1',
    port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
    logLevel: process.env.E2E_LOG_LEVEL ?? 'warn',
    connectionRetryTimeout: 120_000,
    // WebKitWebDriver holds one session at a time; a retried "new session" would only
    // hide the first failure behind "A session already exists".
    connectionRetryCount: 0,
    waitforTimeout: WAIT_MS,
    capabilities: {
      // Plain WebDriver: WebKitWebDriver speaks no BiDi.
      'wdio:enforceWebDriverClassic': true,
      // tauri-driver 2.1 hands `args` to WebKitWebDriver, which starts the app with them.
      'tauri:options': { application: BINARY, args: ['--data-dir', dataDir] },
    },
  }).catch(async (error) => {
    if (!given) await rm(dataDir, { recursive: true, force: true });
    throw new Error(`no se pudo iniciar la app por tauri-driver: ${error.message}`);
  });
  const cleanup = async () => {
    try {
      await browser.deleteSession();
    } catch {
      // the app may already be gone
    }
    if (given) {
      // the test's own folder
    } else if (process.env.E2E_KEEP_DATA !== '1') {
      await rm(dataDir, { recursive: true, force: true });
    } else {
      console.log(`datos conservados en ${dataDir}`);
    }
  };
  return { browser, dataDir, dbPath: join(dataDir, 'mostrador.sqlite3'), cleanup };
}

/** `[data-testid="id"]` */
export const tid = (id) => `[data-testid="${id}"]`;

/** Saves a screenshot for a failed run; never throws. */
export async function screenshotOnFailure(browser, path = FAILURE_SCREENSHOT) {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.from(await browser.takeScreenshot(), 'base64'));
    console.error(`captura de pantalla del fallo: ${path}`);
  } catch (error) {
    console.error(`no se pudo guardar la captura: ${error.message}`);
  }
}

/**
 * Runs a scenario: `body` gets `at(name)`, which names and logs the step under way. A
 * failure says which step failed and saves a screenshot; the cleanups run, in order,
 * whatever happens.
 */
export async function runSteps(browser, cleanups, body) {
  let step = 'inicio de la app';
  const at = (name) => {
    step = name;
    console.log(`paso: ${name}`);
  };
  try {
    await body(at);
  } catch (error) {
    console.error(`falló en el paso: ${step}`);
    await screenshotOnFailure(browser);
    throw error;
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

/** Saves a screenshot named `name`.png in $E2E_SCREENSHOTS when it is set; never throws. */
export async function snapshot(browser, name) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${name}.png`), Buffer.from(await browser.takeScreenshot(), 'base64'));
  } catch (error) {
    console.error(`no se pudo guardar la captura ${name}: ${error.message}`);
  }
}

/** Where the README's screenshots of the main screens are kept (committed). */
export const DOC_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/**
 * Saves the screen as docs/screenshots/`name`.png, the README's pictures, when the run
 * asks for them (E2E_DOC_SCREENSHOTS=1), so an ordinary test run leaves the checkout
 * clean; never throws. The window scrolls to
 * the top first so each picture starts with the header, or to `scrollTo` (a selector).
 */
export async function docShot(browser, name, scrollTo = null) {
  if (process.env.E2E_DOC_SCREENSHOTS !== '1') return;
  try {
    await browser.execute(() => window.scrollTo(0, 0));
    if (scrollTo) await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'start' }), scrollTo);
    await mkdir(DOC_SCREENSHOTS, { recursive: true });
    await writeFile(join(DOC_SCREENSHOTS, `${name}.png`), Buffer.from(await browser.takeScreenshot(), 'base64'));
  } catch (error) {
    console.error(`no se pudo guardar la captura ${name}: ${error.message}`);
  }
}

/** The ways a test drives the window: every element is found by its data-testid. */
export function uiHelpers(browser) {
  /** Waits until `data-testid=id` is displayed and returns it. */
  const shown = async (id, timeout = WAIT_MS) => {
    const element = await browser.$(tid(id));
    await element.waitForDisplayed({ timeout, timeoutMsg: `no apareció [data-testid="${id}"]` });
    return element;
  };

  const click = async (id) => (await shown(id)).click();

  /**
   * Selects, in the <select> `id`, the first option whose value (`by: 'value'`) or label
   * (`by: 'label'`, substring) matches `wanted`, waiting for the options to load.
   * Goes by index so options with or without a `value` attribute both work.
   */
  const select = async (id, by, wanted) => {
    const element = await shown(id);
    let index = -1;
    await browser
      .waitUntil(
        async () => {
          index = await browser.execute(
            (selector, by, wanted) => {
              const options = [...(document.querySelector(selector)?.options ?? [])];
              return options.findIndex((o) => (by === 'value' ? o.value === wanted : o.textContent.includes(wanted)));
            },
            tid(id),
            by,
            wanted,
          );
          return index >= 0;
        },
        { timeout: WAIT_MS },
      )
      .catch(() => {
        throw new Error(`[data-testid="${id}"] no ofrece la opción ${by === 'value' ? 'de valor' : 'con texto'} "${wanted}"`);
      });
    await element.selectByIndex(index);
  };

  /** Types into an input, or picks the option with that value in a <select>. */
  const fill = async (id, value) => {
    const element = await shown(id);
    if ((await element.getTagName()).toLowerCase() === 'select') {
      await select(id, 'value', String(value));
    } else {
      await element.setValue(String(value));
    }
  };

  /** Picks the option of a <select> whose label contains `label` (its value is an id). */
  const choose = (id, label) => select(id, 'label', label);

  /** Waits until the element's visible text satisfies `ok`; the failure names what it saw. */
  const expectText = async (id, ok, wanted) => {
    await shown(id);
    let seen;
    try {
      await browser.waitUntil(
        async () => {
          try {
            seen = (await browser.$(tid(id)).getText()).trim();
          } catch {
            return false; // re-rendered between lookup and read
          }
          return ok(seen);
        },
        { timeout: WAIT_MS },
      );
    } catch {
      assert.fail(`[data-testid="${id}"]: se esperaba ${wanted}, se leyó ${JSON.stringify(seen)}`);
    }
  };
  const expectContains = (id, text) => expectText(id, (s) => s.includes(text), `que contenga "${text}"`);
  const expectEquals = (id, text) => expectText(id, (s) => s === text, `"${text}"`);

  const pageText = () => browser.execute(() => document.body.innerText);

  /** Waits for the error alert with the core's error `code` (data-code). */
  const expectError = async (code) => {
    const error = await browser.$(`${tid('error-message')}[data-code="${code}"]`);
    await error.waitForDisplayed({
      timeout: WAIT_MS,
      timeoutMsg: `no apareció [data-testid="error-message"][data-code="${code}"]`,
    });
  };

  /** Sets the checkbox `id` to `on`. */
  const check = async (id, on) => {
    const box = await shown(id);
    if ((await box.isSelected()) !== on) await box.click();
    if ((await box.isSelected()) !== on) {
      throw new Error(`[data-testid="${id}"] no quedó ${on ? 'marcado' : 'desmarcado'}`);
    }
  };

  /** The id N of the first row `<prefix>N` (a record's id) once one is on screen. */
  const firstId = async (prefix) => {
    let id = null;
    await browser
      .waitUntil(
        async () => {
          id = await browser.execute((prefix) => {
            const ids = [...document.querySelectorAll(`[data-testid^="${prefix}"]`)]
              .map((e) => e.getAttribute('data-testid').slice(prefix.length))
              .filter((rest) => /^\d+$/.test(rest));
            return ids[0] ?? null;
          }, prefix);
          return id !== null;
        },
        { timeout: WAIT_MS },
      )
      .catch(() => {
        throw new Error(`no apareció ninguna fila [data-testid="${prefix}<id>"]`);
      });
    return id;
  };

  /** Presses «Sincronizar ahora» and waits for the progress to say it finished. */
  const syncNow = async () => {
    await click('sync-now');
    await browser
      .$(`${tid('sync-progress')}[data-done="true"]`)
      .waitForExist({ timeout: WAIT_MS * 2, timeoutMsg: 'la sincronización no terminó' });
  };

  return {
    shown, click, select, fill, choose, expectText, expectContains, expectEquals, expectError, pageText,
    check, firstId, syncNow,
  };
}

/**
 * Starts the bank simulator (`bank-simulator --port 0 --state <tmp>/sim.sqlite3`; it dates
 * its records in Bolivia's time, as the store does) and waits for the address it prints.
 * Returns:
 *   url, port       where it listens (127.0.0.1)
 *   stop()          ends the process; its state file stays (the provider "goes offline")
 *   start()         starts it again on the same port and state (the provider "comes back")
 *   faults(patch)   POST /_sim/faults with `patch`
 *   get(path)       GET a /_sim/ route, parsed as JSON
 *   cleanup()       stops it and removes its state folder
 */
export async function startSimulator() {
  if (!existsSync(SIMULATOR_BINARY)) {
    throw new Error(`no existe el binario ${SIMULATOR_BINARY}: ejecute "cargo build" primero`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'mostrador-e2e-sim-'));
  const state = join(dir, 'sim.sqlite3');
  let child = null;
  let port = 0;
  let url = '';

  const launch = async () => {
    const proc = spawn(SIMULATOR_BINARY, ['--port', String(port), '--state', state], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const address = await new Promise((resolveAddress, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`el simulador no indicó su dirección en 30 s:\n${output}`));
      }, 30_000);
      const read = (chunk) => {
        output += chunk.toString();
        const m = /Simulador de bancos escuchando en (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolveAddress({ url: m[1], port: Number(m[2]) });
        }
      };
      proc.stdout.on('data', read);
      proc.stderr.on('data', read);
      proc.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`no se pudo iniciar el simulador: ${error.message}`));
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`el simulador terminó al iniciar (código ${code}, señal ${signal}):\n${output}`));
      });
    });
    // Keep draining its output so a full pipe never blocks it.
    proc.stdout.resume();
    proc.stderr.resume();
    child = proc;
    port = address.port;
    url = address.url;
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const request = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} respondió ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };

  try {
    await launch();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    stop,
    start: async () => {
      if (!child) await launch();
    },
    faults: (patch) => request('POST', '/_sim/faults', patch),
    get: (path) => request('GET', path),
    cleanup: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the window has loaded the app (its title is "Mostrador"). */
export async function windowLoaded(browser) {
  await browser.waitUntil(async () => (await browser.getTitle()) === 'Mostrador', {
    timeout: WAIT_MS,
    timeoutMsg: 'el título de la ventana no es "Mostrador"',
  });
}

/** The bank simulator, then the app; the simulator is stopped if the app cannot start. */
export async function launchAppWithSimulator() {
  const sim = await startSimulator();
  try {
    return { sim, app: await launchApp() };
  } catch (error) {
    await sim.cleanup();
    throw error;
  }
}

/**
 * A reader of the app's SQLite file through the sqlite3 CLI (`sql(query)` → its output,
 * trimmed), or null when sqlite3 is not installed (the check is then skipped, said once).
 */
export function sqliteReader(dbPath) {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
  } catch {
    console.log('sqlite3 no está instalado: se omite la revisión del archivo');
    return null;
  }
  return (query) => execFileSync('sqlite3', ['-bail', dbPath, query], { encoding: 'utf8' }).trim();
}

/** The first administrator every run creates. */
export const FIRST_ADMIN = { name: 'Ana Admin', pin: '482615' };

/** The first administrator, Ana Admin with PIN 482615, created on the first-start screen. */
export async function createFirstAdmin({ fill, click, shown }) {
  await fill('setup-name', FIRST_ADMIN.name);
  await fill('setup-pin', FIRST_ADMIN.pin);
  await fill('setup-pin2', FIRST_ADMIN.pin);
  await click('setup-submit');
  await shown('setup-recovery-code');
  await click('setup-continue');
}

/**
 * On the administration screen: funds `banco`'s float with `monto` (a FONDEO, typed as
 * the operator writes it in the screen's language) and waits for the confirmation.
 */
export async function fundProvider({ fill, click, shown }, banco, monto) {
  await fill('provider-float-banco', banco);
  await fill('provider-float-tipo', 'FONDEO');
  await fill('provider-float-monto', monto);
  await click('provider-float-submit');
  await shown('provider-float-done');
}

/** On the administration screen: creates the register `name` (MIXTA unless told). */
export async function createRegister({ fill, click, shown }, name = 'Caja 1', specialty = 'MIXTA') {
  await fill('register-name', name);
  await fill('register-specialty', specialty);
  await click('register-submit');
  await shown('register-done');
}

/**
 * On the open-session screen: opens the register whose name contains `register` with the
 * opening float `float` (typed). What follows (the drawer, or an authorization) is the
 * caller's to check.
 */
export async function openRegister({ choose, fill, click }, register = 'Caja 1', float = '100') {
  await choose('open-register', register);
  await fill('open-float', float);
  await click('open-submit');
}

/**
 * A raw printer on loopback (what a network receipt printer's port 9100 is): every
 * connection is one job, kept as its bytes. Returns:
 *   address          "127.0.0.1:PORT", for the printer settings
 *   job(browser, n)  waits for job number `n` (from 1), checks it is one initialised, cut
 *                    ticket (ESC @ … GS V A 0) and returns its text (code page WPC1252
 *                    reads as Latin-1 for what receipts print)
 *   stop()           closes the socket
 */
export async function startRawPrinter() {
  const jobs = [];
  const server = createServer((socket) => {
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => jobs.push(Buffer.concat(chunks)));
  });
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const job = async (browser, n) => {
    await browser.waitUntil(async () => jobs.length >= n, {
      timeout: WAIT_MS,
      timeoutMsg: `la impresora recibió ${jobs.length} trabajos, se esperaban ${n}`,
    });
    const bytes = jobs[n - 1];
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1b, 0x40], 'el trabajo empieza con ESC @');
    assert.deepEqual([...bytes.subarray(bytes.length - 4)], [0x1d, 0x56, 0x41, 0], 'el trabajo termina con el corte');
    return bytes.toString('latin1');
  };
  return {
    address: `127.0.0.1:${server.address().port}`,
    job,
    stop: () => new Promise((resolveClose) => server.close(resolveClose)),
  };
}
