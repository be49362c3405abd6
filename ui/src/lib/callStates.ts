// Where agent operations' calls to their providers stand, read from the core for a page of
// History or the cashier's last operations.
import type { LlamadaDeOperacion } from '../bindings';
import { call } from './api';

/** The call state of each of `ids` that has a call; recorded-only operations are absent. */
export async function loadCallStates(ids: number[]): Promise<Map<number, LlamadaDeOperacion>> {
  if (ids.length === 0) return new Map();
  const states = await call('agent_call_states', { ids });
  return new Map(states.map((s) => [s.id_transaccion, s]));
}
