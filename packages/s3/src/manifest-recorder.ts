import type { Entry } from '@tiercache/core';
import type { WriteOutcome } from './bucket-store.js';

// Keys remembered at most; the oldest are forgotten first (a bound, not a cache: forgetting a
// key only means a later rival of it is left to the store's `If-None-Match`).
const REMEMBERED_KEYS = 10_000;

interface Recorded {
  contentHash: string;
  written: Promise<WriteOutcome>;
}

/**
 * First record wins within one tier instance, whatever the store: the manifest of a key this
 * instance recorded (or is recording) with other content is not written again. Across
 * machines, `If-None-Match` does the same where the store honours it.
 */
export class ManifestRecorder {
  readonly #recent = new Map<string, Recorded>();

  /** Writes the entry's manifest through `write` unless this instance recorded another content for its key. */
  async record(entry: Entry, write: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
    const id = `${entry.type}/${entry.key}`;
    const earlier = this.#recent.get(id);
    if (earlier && earlier.contentHash !== entry.contentHash) {
      // Unless the earlier record failed (its upload is retried later): then this one may take the key.
      if ((await earlier.written.catch(() => undefined)) !== undefined) return 'exists';
    }
    const written = write();
    this.#recent.delete(id);
    this.#recent.set(id, { contentHash: entry.contentHash, written });
    if (this.#recent.size > REMEMBERED_KEYS) this.#recent.delete(this.#recent.keys().next().value!);
    written.catch(() => {
      if (this.#recent.get(id)?.written === written) this.#recent.delete(id);
    });
    return written;
  }

  /** The key's record was removed (`deleteEntry`, `clear`): a new entry may take it. */
  forget(matches: (type: string, key: string) => boolean): void {
    for (const id of [...this.#recent.keys()]) {
      const [type, key] = id.split('/') as [string, string];
      if (matches(type, key)) this.#recent.delete(id);
    }
  }
}
