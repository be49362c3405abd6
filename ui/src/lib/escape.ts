// Esc goes back one level. A screen with levels of its own (a receipt or a void form
// over a list) registers a handler here; the shell asks the newest handler first and
// only leaves the screen when none of them took the key.
const handlers: Array<() => boolean> = [];

/** Registers `handler` (returns true when it used the key); returns the unregister
 *  function, suitable as the return value of `onMount`. */
export function onEscape(handler: () => boolean): () => void {
  handlers.push(handler);
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** Called by the shell on Esc: true when a screen handled it. */
export function handleEscape(): boolean {
  for (let i = handlers.length - 1; i >= 0; i--) {
    if (handlers[i]()) return true;
  }
  return false;
}
