import type { EntryIndex } from '@tiercache/core';
import { decodeSegment, encodeSegment, type SegmentItem } from './journal-segment.js';
import {
  FETCH_CONCURRENCY,
  type SyncContext,
  type SyncCursor,
  type SyncOptions,
  syncJournal,
} from './journal-sync.js';
import { decodeManifest } from './manifest.js';
import type { JournalItem } from './object-layout.js';
import type { SyncResult } from './s3-events.js';

// Journal records folded into one segment at most (each holds up to 100 entries).
const RECORDS_PER_SEGMENT = 50;

/** What one `compactJournal` did. */
export interface CompactionResult {
  /** Journal records folded into segments and deleted. */
  folded: number;
  /** Segments written. */
  segments: number;
  /** Entries those segments hold (keys whose manifest is still there, well-formed and, with a key, signed). */
  entries: number;
}

/**
 * Folds journal records older than `compactionAgeMs` into segments, one object per asset type
 * and per 50 records, stamped with the time of the newest record it folds, then deletes the
 * folded records. A segment holds the entries' current manifests verbatim (read again now, so
 * deleted entries drop out and signatures still check), so a machine syncing from scratch
 * reads a few large objects, and a machine with a cursor reads only segments stamped after it:
 * `sync` stays proportional to what is new.
 *
 * Safe to run from several machines at once: segments are written before records are
 * deleted, and an entry found in two segments is inserted once (first writer wins).
 */
export async function compactJournal(context: SyncContext): Promise<CompactionResult> {
  const { store } = context;
  const { layout } = store;
  const before = context.now() - context.compactionAgeMs;
  const byType = new Map<string, JournalItem[]>();
  const legacy: string[] = [];
  await store.list(layout.journalFolder(), undefined, async (keys) => {
    for (const objectKey of keys) {
      const legacyTime = layout.legacyRecordTime(objectKey);
      if (legacyTime !== undefined && legacyTime < before) legacy.push(objectKey);
      const item = layout.parseJournal(objectKey);
      if (item?.kind !== 'record') continue;
      if (item.time >= before) return false; // names sort by time: the rest is newer
      byType.set(item.type, [...(byType.get(item.type) ?? []), item]);
    }
    return true;
  });
  const result: CompactionResult = { folded: legacy.length, segments: 0, entries: 0 };
  // Records of the layout before content addressing name entries no reader looks for any more.
  await store.deleteMany(legacy);
  for (const [type, records] of byType) {
    for (let start = 0; start < records.length; start += RECORDS_PER_SEGMENT) {
      const group = records.slice(start, start + RECORDS_PER_SEGMENT);
      const keys = new Set<string>();
      for (const record of group) {
        const text = await store.getText(record.objectKey, 'compact');
        for (const entry of text === undefined ? [] : decodeSegment(text, type, undefined).entries)
          keys.add(entry.key);
      }
      const items = await currentManifests(context, type, [...keys]);
      if (items.length > 0) {
        const newest = Math.max(...group.map((record) => record.time));
        await store.putText(layout.segment(newest, type), encodeSegment(type, items));
        result.segments++;
        result.entries += items.length;
      }
      await store.deleteMany(group.map((record) => record.objectKey));
      result.folded += group.length;
    }
  }
  return result;
}

/** The manifests the keys have now, when well-formed and (with a key) signed. */
async function currentManifests(context: SyncContext, type: string, keys: string[]): Promise<SegmentItem[]> {
  const { store } = context;
  const items: SegmentItem[] = [];
  for (let at = 0; at < keys.length; at += FETCH_CONCURRENCY) {
    const batch = keys.slice(at, at + FETCH_CONCURRENCY);
    const texts = await Promise.all(
      batch.map((key) => store.getText(store.layout.manifest(type, key), 'compact')),
    );
    batch.forEach((key, i) => {
      const manifest = texts[i];
      if (manifest === undefined) return; // deleted since: nothing to carry over
      if (typeof decodeManifest(manifest, type, key, context.signer) === 'string') return;
      items.push({ key, manifest });
    });
  }
  return items;
}

/**
 * `syncJournal`, then a compaction when it listed at least `threshold` records old enough
 * (0: never). A bucket that cannot be compacted now is compacted by a later sync: a failed
 * compaction is never the sync's error.
 */
export async function syncAndCompact(
  context: SyncContext,
  cursor: SyncCursor,
  index: EntryIndex,
  options: SyncOptions,
  threshold: number,
): Promise<SyncResult> {
  const { result, compactable } = await syncJournal(context, cursor, index, options);
  if (result.complete && threshold > 0 && compactable >= threshold)
    await compactJournal(context).catch(() => undefined);
  return result;
}
