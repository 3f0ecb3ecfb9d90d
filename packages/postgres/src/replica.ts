import { createMemoryIndex, type Entry, type EntryIndex } from '@tiercache/core';
import { type EntryRow, rowToEntry } from '@tiercache/core/kit';
import { postgresErrors } from './postgres-errors.js';

/** A row of `SELECT_ALL_REJECTIONS`. */
export interface RejectionRow {
  asset_type: string;
  request_key: string;
  entry_key: string;
}

/** A row of `SELECT_CHANGES`. */
export interface ChangeRow extends EntryRow {
  revision: number;
  kind: 'insert' | 'delete' | 'reject';
  change_type: string;
  /** The entry's key; for a rejection, the request's. */
  change_key: string;
  /** For a rejection, the key of the entry that must not answer; null otherwise. */
  change_entry_key: string | null;
  present: boolean;
}

/** An index with the optional rejection methods present. */
export type RejectingIndex = EntryIndex & Required<Pick<EntryIndex, 'reject' | 'isRejected'>>;

/** Core's memory index, which records rejections (checked once: its type leaves them optional). */
function createRejectingMemoryIndex(): RejectingIndex {
  const index = createMemoryIndex();
  if (!index.reject || !index.isRejected)
    throw postgresErrors.unsupported("core's memory index records no rejections");
  return index as RejectingIndex;
}

const sameEntry = (a: Entry, b: Entry) => a.contentHash === b.contentHash && a.createdAt === b.createdAt;

/**
 * This machine's synchronous copy of the shared index (core's memory index): every read of the
 * cache is served here, without a round trip. Changes that come from the server are applied
 * here directly; they are never written back.
 */
export class Replica {
  readonly index = createRejectingMemoryIndex();

  /**
   * Makes the server's version of an entry the local one: added when missing, replaced when
   * the local copy is a different entry (another machine won the insert). Keeps the local use
   * count when it is the same entry. Returns the local entry.
   */
  adopt(entry: Entry): Entry {
    const local = this.index.get(entry.type, entry.key);
    if (local && sameEntry(local, entry)) return local;
    if (local) this.index.delete(entry.type, entry.key);
    return this.index.insert(entry);
  }

  apply(change: ChangeRow): void {
    if (change.kind === 'delete') this.index.delete(change.change_type, change.change_key);
    else if (change.kind === 'reject') {
      // The replica keeps no rejection times: only the server's row has one.
      if (change.change_entry_key !== null)
        this.index.reject(change.change_type, change.change_key, change.change_entry_key, 0);
    } else if (change.present) this.adopt(rowToEntry(change));
  }

  /**
   * Replaces the whole replica with the server's entries (at open, and after missing part of the
   * log) and adds the server's rejections. Rejections are only ever added, on every machine, so
   * the local ones stay: those not on the server yet are still queued for it.
   */
  load(entries: readonly Entry[], rejections: readonly RejectionRow[]): void {
    for (const rejection of rejections)
      this.index.reject(rejection.asset_type, rejection.request_key, rejection.entry_key, 0);
    const keep = new Set<string>();
    for (const entry of entries) {
      this.adopt(entry);
      keep.add(`${entry.type}\u0000${entry.key}`);
    }
    // Local entries the server no longer has (all of them when it is empty) go.
    for (const stale of this.index.evictionCandidates({ now: 0, limit: Number.MAX_SAFE_INTEGER })) {
      if (!keep.has(`${stale.type}\u0000${stale.key}`)) this.index.delete(stale.type, stale.key);
    }
  }
}
