// Shared pieces of the end-to-end tests: launch the real Mostrador binary through
// tauri-driver (which drives WebKitWebDriver on Linux) against a fresh data folder.
//
// Expects tauri-driver to be listening already (.ci/test starts it under Xvfb).
// Environment:
//   MOSTRADOR_BIN      app binary (default: <repo>/target/debug/mostrador)
//   TAURI_DRIVER_HOST  default 127.0.0.1
//   TAURI_DRIVER_PORT  default 4444
//   E2E_KEEP_DATA=1    keep the temporary data folder after the run

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = resolve(process.env.MOSTRADOR_BIN ?? join(ROOT, 'target', 'debug', 'mostrador'));
export const FAILURE_SCREENSHOT = join(ROOT, 'target', 'e2e-failure.png');

// WebKitGTK under Xvfb is slow, so every wait is generous.
export const WAIT_MS = Number(process.env.E2E_WAIT_MS ?? 30_000);

/** A fresh, empty data folder for one run of the app. */
export async function freshDataDir() {
  return mkdtemp(join(tmpdir(), 'mostrador-e2e-'));
}

/**
 * Starts the app (one WebDriver session = one app process) on an empty database.
 * Returns { browser, dataDir, dbPath, cleanup }.
 */
export async function launchApp() {
  if (!existsSync(BINARY)) {
    throw new Error(`no existe el binario ${BINARY}: ejecute "cargo build" primero`);
  }
  const dataDir = await freshDataDir();
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
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`no se pudo iniciar la app por tauri-driver: ${error.message}`);
  });
  const cleanup = async () => {
    try {
      await browser.deleteSession();
    } catch {
      // the app may already be gone
    }
    if (process.env.E2E_KEEP_DATA !== '1') {
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
