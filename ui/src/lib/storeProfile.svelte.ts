// The store as its receipts name it: read once per login, replaced when an administrator
// saves it, so every receipt prints the same header without asking the core each time.
import type { StoreProfile } from '../bindings';
import { call } from './api';

class StoreProfileCache {
  value = $state<StoreProfile | null>(null);
  #reading: Promise<void> | null = null;

  /** Reads it if it has not been read; a failure leaves the default header. */
  ensure(): Promise<void> {
    if (this.value) return Promise.resolve();
    this.#reading ??= call('get_store_profile', {})
      .then((p) => {
        this.value = p;
      })
      .catch(() => {})
      .finally(() => {
        this.#reading = null;
      });
    return this.#reading;
  }

  set(profile: StoreProfile) {
    this.value = profile;
  }

  /** At logout: the next operator's session reads it again. */
  forget() {
    this.value = null;
  }
}

export const storeProfile = new StoreProfileCache();
