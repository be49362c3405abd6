// State shared by every form: the last error, whether a command is running, and which
// input the error is about (inputs carry `data-field` = the core's field name).
import { tick } from 'svelte';
import type { CoreError } from '../bindings';
import { toCoreError } from './api';

export class FormState {
  error = $state<CoreError | null>(null);
  busy = $state(false);
  /** The element holding the form's inputs; bind it with `bind:this={form.el}`. */
  el: HTMLElement | undefined = $state();

  /** Runs `action`; on failure shows its error and focuses the input it names. */
  async run(action: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    let failure: CoreError | null = null;
    try {
      await action();
    } catch (e) {
      failure = toCoreError(e);
    }
    this.busy = false;
    if (failure) await this.fail(failure);
    return failure === null;
  }

  async fail(error: CoreError): Promise<void> {
    this.error = error;
    await tick();
    if (error.field) {
      const selector = `[data-field="${CSS.escape(error.field)}"]`;
      this.el?.querySelector<HTMLElement>(selector)?.focus();
    }
  }

  clear(): void {
    this.error = null;
  }

  /** For `aria-invalid`: true when the current error is about `field`. */
  invalid(field: string): boolean {
    return this.error?.field === field;
  }
}
