import type { Entry } from '@tiercache/core';
import type { BucketStore } from './bucket-store.js';
import { encodeSegment, type SegmentItem } from './journal-segment.js';

// Entries one journal record holds at most: a record stays a small object (about 1 KB each).
const MAX_ENTRIES_PER_RECORD = 100;

/**
 * Collects the entries a tier uploads and records them in the journal in bursts: one object per
 * asset type for everything uploaded since the last write, written when the upload queue runs
 * dry, when `MAX_ENTRIES_PER_RECORD` wait, and on `flush`/`close`. An upload thus costs 2
 * requests plus a share of one, and `sync` reads one object per burst instead of one per entry.
 * Entries whose record could not be written wait for the next write.
 */
export class JournalBatcher {
  #pending: Array<{ type: string; item: SegmentItem }> = [];

  constructor(private readonly store: BucketStore) {}

  get size(): number {
    return this.#pending.length;
  }

  get full(): boolean {
    return this.#pending.length >= MAX_ENTRIES_PER_RECORD;
  }

  /** `manifest`: the entry's manifest, exactly as written to its key. */
  add(entry: Entry, manifest: string): void {
    this.#pending.push({ type: entry.type, item: { key: entry.key, manifest } });
  }

  /** Writes what is pending, one record per type and per `MAX_ENTRIES_PER_RECORD` entries. */
  async write(): Promise<void> {
    const taken = this.#pending;
    this.#pending = [];
    const byType = new Map<string, SegmentItem[]>();
    for (const { type, item } of taken) byType.set(type, [...(byType.get(type) ?? []), item]);
    const failed: typeof taken = [];
    let firstError: unknown;
    for (const [type, items] of byType) {
      for (let start = 0; start < items.length; start += MAX_ENTRIES_PER_RECORD) {
        const chunk = items.slice(start, start + MAX_ENTRIES_PER_RECORD);
        const key = this.store.layout.journal(this.store.now(), type);
        try {
          await this.store.putText(key, encodeSegment(type, chunk));
        } catch (error) {
          firstError ??= error;
          failed.push(...chunk.map((item) => ({ type, item })));
        }
      }
    }
    if (failed.length === 0) return;
    this.#pending.unshift(...failed);
    throw firstError;
  }
}
