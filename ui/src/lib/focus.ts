/** `use:autofocus` — focuses the element once it is on screen (first field of a form).
 *  `use:autofocus={false}` leaves it alone, for lists where only the first row should. */
export function autofocus(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) queueMicrotask(() => node.focus());
}
