// Calls the providers have not confirmed yet, from the shared sync status: what leaving
// the counter (logout, closing the register or the window) warns about.
import { syncMonitor } from './sync.svelte';

/** Queued, being sent or needing attention; 0 while the status is unknown. */
export function unconfirmedCalls(): number {
  const status = syncMonitor.status;
  return status ? status.pendientes + status.requieren_atencion : 0;
}
