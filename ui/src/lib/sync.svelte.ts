// The outbox as the header shows it: one shared status, polled while someone is logged
// in and refreshed at once after an operation, a sync, a retry or a cancellation.
import type { CoreError, SyncStatus } from '../bindings';
import { call, toCoreError } from './api';

export const SYNC_POLL_MS = 5000;

class SyncMonitor {
  status = $state<SyncStatus | null>(null);
  /** The last failure to read the status (the indicator says it is unknown). */
  error = $state<CoreError | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;
  #reading: Promise<void> | null = null;

  /** Reads the status now; concurrent callers share one read. */
  refresh(): Promise<void> {
    this.#reading ??= (async () => {
      try {
        this.status = await call('sync_status', {});
        this.error = null;
      } catch (e) {
        this.error = toCoreError(e);
      } finally {
        this.#reading = null;
      }
    })();
    return this.#reading;
  }

  /** Polls every `SYNC_POLL_MS` until the returned function is called (use in onMount). */
  start(): () => void {
    this.stop();
    this.status = null;
    this.error = null;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), SYNC_POLL_MS);
    return () => this.stop();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}

export const syncMonitor = new SyncMonitor();
