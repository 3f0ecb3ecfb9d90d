import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Entry, EntryIndex } from '@tiercache/core';
import type { BucketStore } from './bucket-store.js';
import { decodeSegment } from './journal-segment.js';
import type { ManifestSigner } from './manifest-signature.js';
import type { SyncResult } from './s3-events.js';

const STATE_VERSION = 1;
// Manifests fetched at once while syncing a journal record or compacting.
export const FETCH_CONCURRENCY = 8;

export interface SyncOptions {
  /** Continue after this journal key instead of the stored cursor; `null` reads the whole journal. */
  cursor?: string | null;
}

interface SyncState {
  version: number;
  bucket: string;
  prefix: string;
  cursor: string | undefined;
}

export interface SyncContext {
  store: BucketStore;
  bucket: string;
  prefix: string;
  overlapMs: number;
  compactionAgeMs: number;
  statePath: string | undefined;
  signer: ManifestSigner | undefined;
  now: () => number;
}

/** Where the cursor lives between syncs: a small JSON file, or memory. */
export class SyncCursor {
  #memory: string | undefined;

  constructor(private readonly context: SyncContext) {}

  async load(): Promise<string | undefined> {
    const { statePath, bucket, prefix } = this.context;
    if (!statePath) return this.#memory;
    try {
      const state = JSON.parse(await readFile(statePath, 'utf8')) as Partial<SyncState>;
      // A state file of another bucket or prefix says nothing about this one.
      if (state.version !== STATE_VERSION || state.bucket !== bucket || state.prefix !== prefix)
        return undefined;
      return typeof state.cursor === 'string' ? state.cursor : undefined;
    } catch {
      return undefined; // absent or unreadable: read the whole journal, which is idempotent
    }
  }

  async save(cursor: string | undefined): Promise<void> {
    this.#memory = cursor;
    const { statePath, bucket, prefix } = this.context;
    if (!statePath) return;
    const state: SyncState = { version: STATE_VERSION, bucket, prefix, cursor };
    await mkdir(dirname(statePath), { recursive: true });
    // Write-then-rename: a crash or a concurrent CLI never leaves a half-written cursor.
    const temp = `${statePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify(state));
    await rename(temp, statePath);
  }
}

/** What a sync found beyond its result: records old enough for compaction. */
export interface SyncOutcome {
  result: SyncResult;
  compactable: number;
}

/**
 * Inserts into `index` the entries other machines recorded since the cursor: the segments
 * compaction wrote since then (entries inline), then the journal records (one object per burst
 * of uploads, naming its entries; each entry the index does not know yet is read from its
 * manifest, so deletions and first-writer-wins in the bucket are honoured). Entries the index
 * knows cost nothing. Both are listed from `cursor time - overlapMs` (clocks differ between
 * machines); inserts are first-writer-wins, so running it twice, concurrently or from several
 * processes is harmless.
 */
export async function syncJournal(
  context: SyncContext,
  cursorStore: SyncCursor,
  index: EntryIndex,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const { store } = context;
  const layout = store.layout;
  const from = options.cursor === undefined ? await cursorStore.load() : (options.cursor ?? undefined);
  const fromTime = from === undefined ? undefined : layout.cursorTime(from);
  const startedAt = context.now();
  const startIn = (folder: string) =>
    fromTime === undefined ? undefined : layout.startOf(folder, fromTime - context.overlapMs);
  const result: SyncResult = { scanned: 0, inserted: 0, known: 0, skipped: 0, cursor: from, complete: false };
  const compactBefore = context.now() - context.compactionAgeMs;
  let compactable = 0;

  const insert = (entry: Entry | undefined) => {
    if (!entry || (entry.expiresAt !== null && entry.expiresAt <= context.now())) {
      result.skipped++;
      return;
    }
    const stored = index.insert(entry);
    if (stored.contentHash === entry.contentHash && stored.createdAt === entry.createdAt) result.inserted++;
    else result.known++;
  };

  const insertCurrent = async (entries: Entry[]) => {
    for (let start = 0; start < entries.length; start += FETCH_CONCURRENCY) {
      const batch = entries.slice(start, start + FETCH_CONCURRENCY);
      const manifests = await Promise.all(batch.map((entry) => store.getManifest(entry.type, entry.key)));
      for (const manifest of manifests) insert(manifest?.entry);
    }
  };

  try {
    // Segments first (older entries, folded), then the records written since; the segments
    // once more if a record vanished meanwhile: compaction writes its segment before it deletes
    // the records, so that second listing finds what the record held.
    let vanished = false;
    const folders = [layout.segmentFolder(), layout.journalFolder(), layout.segmentFolder()];
    for (const [pass, folder] of folders.entries()) {
      if (pass === 2 && !vanished) break;
      await store.list(folder, startIn(folder), async (keys) => {
        for (const objectKey of keys) {
          const item = layout.parseJournal(objectKey);
          if (item === undefined) continue;
          const text = await store.getText(objectKey, 'sync');
          if (text === undefined) {
            vanished = true;
            continue;
          }
          const held = decodeSegment(text, item.type, context.signer);
          result.skipped += held.rejected;
          const unknown: Entry[] = [];
          for (const entry of held.entries) {
            if (pass < 2) result.scanned++;
            if (item.kind === 'record' && item.time < compactBefore) compactable++;
            if (index.get(entry.type, entry.key) === undefined) unknown.push(entry);
            else if (pass < 2) result.known++;
          }
          // A segment's manifests were current when compaction wrote it. A record's may have
          // been deleted or replaced since: each new entry is read again from its manifest.
          if (item.kind === 'segment') unknown.forEach(insert);
          else await insertCurrent(unknown);
          if (item.kind === 'record' && (result.cursor === undefined || objectKey > result.cursor))
            result.cursor = objectKey;
        }
        await cursorStore.save(result.cursor);
      });
    }
    // Everything stamped before this sync started has been read (later arrivals from machines
    // whose clock runs behind are what the overlap is for): the next sync starts from here,
    // not from the newest record, which may be days old in a quiet bucket.
    const mark = layout.startOf(layout.journalFolder(), startedAt);
    if (result.cursor === undefined || mark > result.cursor) {
      result.cursor = mark;
      await cursorStore.save(result.cursor);
    }
    result.complete = true;
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  return { result, compactable };
}
