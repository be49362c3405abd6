// The administration screen shows one alert at a time: starting an action in one of its
// sections clears the errors the other sections were showing. The screen creates the group
// and its sections reach it through the component context.
import { getContext, setContext } from 'svelte';
import { FormState } from '../../lib/form.svelte';

const KEY = Symbol('admin-alerts');

export class AlertGroup {
  readonly #forms = new Set<FormState>();

  /** A form of this screen; its errors take part in the one-alert rule. */
  form(): FormState {
    const form = new FormState();
    this.#forms.add(form);
    return form;
  }

  /** Clears every other form's error: call it when `form` starts an action. */
  only(form: FormState): void {
    for (const f of this.#forms) if (f !== form) f.clear();
  }
}

/** In the screen, while it is created: the group its sections share. */
export function provideAlerts(): AlertGroup {
  return setContext(KEY, new AlertGroup());
}

/** In a section, while it is created: the screen's group. */
export function screenAlerts(): AlertGroup {
  const group = getContext<AlertGroup | undefined>(KEY);
  if (!group) throw new Error('Esta sección va dentro de la pantalla de administración.');
  return group;
}
