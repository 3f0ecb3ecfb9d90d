import type { Entry } from '@tiercache/core';
import type { WriteOutcome } from './bucket-store.js';

// Keys remembered at most; the oldest are forgotten first (a bound, not a cache: forgetting a
// key only leaves a later rival of it to the store's `If-None-Match`).
const REMEMBERED_KEYS = 10_000;

/**
 * First record wins within one tier instance, whatever the store: the first `put` of a key
 * claims it for its content, and a manifest of another content for that key is not written.
 * The claim is taken when the upload is queued, not when it runs, since uploads run
 * concurrently and a rival's blob may be sent first. Across machines, `If-None-Match` does the
 * same where the store honours it.
 */
export class ManifestRecorder {
  readonly #claims = new Map<string, string>();

  /** Claims the entry's key for its content unless it is claimed already. */
  claim(entry: Entry): void {
    const id = `${entry.type}/${entry.key}`;
    if (this.#claims.has(id)) return;
    this.#claims.set(id, entry.contentHash);
    if (this.#claims.size > REMEMBERED_KEYS) this.#claims.delete(this.#claims.keys().next().value!);
  }

  /** Writes the entry's manifest through `write` unless its key is claimed for another content. */
  async record(entry: Entry, write: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
    const claimed = this.#claims.get(`${entry.type}/${entry.key}`);
    if (claimed !== undefined && claimed !== entry.contentHash) return 'exists';
    return write();
  }

  /** The key's record was removed (`deleteEntry`, `clear`): a new entry may claim it. */
  forget(matches: (type: string, key: string) => boolean): void {
    for (const id of [...this.#claims.keys()]) {
      const [type, key] = id.split('/') as [string, string];
      if (matches(type, key)) this.#claims.delete(id);
    }
  }
}
