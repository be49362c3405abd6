// The only door to the core: every screen calls commands through `call`, so the
// arguments and results are checked against the bindings generated from Rust.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { Commands, CoreError, ErrorCode } from '../bindings';

export type { CoreError, ErrorCode };

/** Called when the core says the session is over (idle logout, deactivation, role change). */
let sessionEnded: ((error: CoreError) => void) | null = null;

/** The shell registers here to return to the login screen from wherever it is. */
export function onSessionEnded(handler: (error: CoreError) => void): void {
  sessionEnded = handler;
}

export function call<K extends keyof Commands>(
  cmd: K,
  args: Commands[K]['args'],
): Promise<Commands[K]['result']> {
  return invoke<Commands[K]['result']>(cmd, args as InvokeArgs).catch((e: unknown) => {
    const error = toCoreError(e);
    if (error.code === 'SESION_EXPIRADA') sessionEnded?.(error);
    throw error;
  });
}

function isCoreError(e: unknown): e is CoreError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as CoreError).code === 'string' &&
    typeof (e as CoreError).message === 'string'
  );
}

/** Whatever a command rejected with, as a `{code, message, field}` the screens can show. */
export function toCoreError(e: unknown): CoreError {
  if (isCoreError(e) && fromScreen.has(e)) return e;
  if (isCoreError(e)) return { code: e.code, message: e.message, field: e.field ?? null };
  const detail = e instanceof Error ? e.message : String(e);
  return { code: 'ERROR_INTERNO', message: `No se pudo comunicar con el sistema: ${detail}`, field: null };
}

/** Errors the screens wrote themselves, already in the operator's language. */
const fromScreen = new WeakSet<CoreError>();

/** An error found by the screen itself, before calling the core; `message` is translated. */
export function uiError(code: ErrorCode, field: string | null, message: string): CoreError {
  const error = { code, message, field };
  fromScreen.add(error);
  return error;
}

/** Whether the screen wrote this error (its message is already in the operator's language). */
export function isScreenError(error: CoreError): boolean {
  return fromScreen.has(error);
}
