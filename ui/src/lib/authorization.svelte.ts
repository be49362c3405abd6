// The administrator's authorization a screen asks for when the core answers
// AUTORIZACION_REQUERIDA (a float or a count beyond the allowed difference): whether it is
// being asked for and the name and PIN typed. `AuthorizationStep.svelte` shows it.
import type { Credentials, CoreError } from '../bindings';

export class AuthorizationAsk {
  /** True once the core required an authorization; the command is then sent with it. */
  needed = $state(false);
  credentials = $state<Credentials>({ name: '', pin: '' });

  /** The authorization for the command's input: a copy of what was typed. */
  input(): Credentials {
    return { name: this.credentials.name, pin: this.credentials.pin };
  }

  /** After a failed command: asks for the authorization when the core requires one, and
   *  clears the PIN the core refused. */
  afterFailure(error: CoreError | null): void {
    if (error?.code === 'AUTORIZACION_REQUERIDA' && !this.needed) {
      this.needed = true;
    } else if (error?.field === 'authorization') {
      this.credentials.pin = '';
    }
  }

  /** Stops asking and forgets what was typed. */
  cancel(): void {
    this.needed = false;
    this.credentials = { name: '', pin: '' };
  }
}
