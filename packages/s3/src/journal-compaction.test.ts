import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createMemoryIndex } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { BUCKET, clientConfig, freshPrefix, rawClient, server } from '@tiercache/test-support/s3-bucket';
import { trackTiers, useFaultProxy } from '@tiercache/test-support/tracked-tiers';
import { describe, expect, it } from 'vitest';
import { compactJournal } from './journal-compaction.js';
import { SyncCursor, syncJournal } from './journal-sync.js';
import type { S3Tier } from './s3-tier.js';
import { bucketStoreFor } from './test-support/bucket-store-for-tests.js';
import { testTier } from './test-support/test-tier.js';

const raw = rawClient();
const { tier } = trackTiers(testTier);
const faultProxy = useFaultProxy();
const DAY = 86_400_000;
// A writer whose clock is two days behind writes records that are old enough to compact at once.
const twoDaysAgo = () => Date.now() - 2 * DAY;

async function storeMany(writer: S3Tier, count: number, type = 'image') {
  const entries = [];
  for (let i = 0; i < count; i++) {
    const bytes = sampleBytes(200 + i, 1000 + i);
    const entry = sampleEntry(bytes, { type, prompt: `compacted prompt ${type} ${i}` });
    await writer.put(entry, bytes);
    entries.push(entry);
  }
  await writer.flush();
  return entries;
}

async function journalRecords(prefix: string): Promise<number> {
  const listed = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}_journal/` }));
  return listed.KeyCount ?? 0;
}

/** Requests a fresh machine's sync sends, counted at the proxy. */
async function freshSyncRequests(prefix: string) {
  const reader = tier({
    prefix,
    clientConfig: clientConfig(server(), faultProxy().endpoint),
    journalCompactionThreshold: 0,
  });
  const count = () => [...faultProxy().methods.values()].reduce((sum, n) => sum + n, 0);
  const before = count();
  const index = createMemoryIndex();
  const result = await reader.sync(index);
  return { result, requests: count() - before, index };
}

describe('journal compaction', () => {
  it('folds old records into one segment per type; a fresh sync then costs a few requests, not one per entry', async () => {
    const prefix = freshPrefix('compact');
    const writer = tier({ prefix, now: twoDaysAgo });
    const images = await storeMany(writer, 40, 'image');
    await storeMany(writer, 5, 'tts');
    const before = await freshSyncRequests(prefix);
    expect(before.result).toMatchObject({ complete: true, inserted: 45 });
    expect(before.requests).toBeGreaterThanOrEqual(45);

    const compactor = tier({ prefix });
    expect(await compactor.compactJournal()).toMatchObject({ segments: 2, entries: 45 });
    expect(await journalRecords(prefix)).toBe(0);

    const after = await freshSyncRequests(prefix);
    expect(after.result).toMatchObject({ complete: true, inserted: 45, skipped: 0 });
    expect(after.requests).toBeLessThanOrEqual(5); // two lists and one read per segment
    for (const entry of images)
      expect(after.index.get(entry.type, entry.key)?.contentHash).toBe(entry.contentHash);
  });

  it('keeps recent records, drops entries deleted before compaction, and new records still sync', async () => {
    const prefix = freshPrefix('compact');
    const old = await storeMany(tier({ prefix, now: twoDaysAgo }), 4);
    const writer = tier({ prefix });
    await writer.deleteEntry!(old[0]!);
    const recent = await storeMany(writer, 2, 'tts');
    expect(await writer.compactJournal()).toMatchObject({ segments: 1, entries: 3 });
    expect(await journalRecords(prefix)).toBeGreaterThanOrEqual(1); // the recent burst
    const reader = tier({ prefix });
    const index = createMemoryIndex();
    expect(await reader.sync(index)).toMatchObject({ complete: true, inserted: 5 });
    expect(index.get(old[0]!.type, old[0]!.key)).toBeUndefined();
    expect(index.get(recent[1]!.type, recent[1]!.key)).toBeDefined();
  });

  it('a sync that meets enough old records compacts by itself; one with a cursor never re-reads old segments', async () => {
    const prefix = freshPrefix('compact');
    await storeMany(tier({ prefix, now: twoDaysAgo }), 6);
    const reader = tier({ prefix, journalCompactionThreshold: 5 });
    const index = createMemoryIndex();
    expect(await reader.sync(index)).toMatchObject({ complete: true, inserted: 6 });
    expect(await journalRecords(prefix)).toBe(0);
    await storeMany(tier({ prefix }), 1, 'tts');
    const next = await reader.sync(index);
    expect(next).toMatchObject({ complete: true, inserted: 1, known: 0 });
    expect(next.scanned).toBe(1);
  });

  it('signed farms: compaction carries signatures over and leaves unsigned entries out', async () => {
    const prefix = freshPrefix('compact');
    const key = 'farm-secret-7f3a9c1e5b2d4086';
    await storeMany(tier({ prefix, now: twoDaysAgo, signingKey: key }), 3);
    await storeMany(tier({ prefix, now: twoDaysAgo }), 2, 'tts');
    expect(await tier({ prefix, signingKey: key }).compactJournal()).toMatchObject({
      segments: 1,
      entries: 3,
    });
    expect(await journalRecords(prefix)).toBe(0);
    const index = createMemoryIndex();
    expect(await tier({ prefix, signingKey: key }).sync(index)).toMatchObject({
      complete: true,
      inserted: 3,
    });
  });
});

describe('compaction racing a sync', () => {
  it('a record compacted while a sync reads the journal is found in its segment', async () => {
    const prefix = freshPrefix('compact');
    await storeMany(tier({ prefix }), 3);
    const store = bucketStoreFor(prefix);
    const context = {
      store,
      bucket: BUCKET,
      prefix,
      overlapMs: 0,
      compactionAgeMs: 0,
      statePath: undefined,
      signer: undefined,
      now: () => Date.now() + 1000,
    };
    let compacted = false;
    const read = store.getText.bind(store);
    // Another machine compacts between this sync's listing of the journal and its read of a record.
    store.getText = async (key, operation) => {
      if (!compacted && key.includes('/_journal/')) {
        compacted = true;
        expect(await compactJournal(context)).toMatchObject({ entries: 3 });
      }
      return read(key, operation);
    };
    const index = createMemoryIndex();
    const { result } = await syncJournal(context, new SyncCursor(context), index, {});
    expect(compacted).toBe(true);
    expect(result).toMatchObject({ complete: true, inserted: 3 });
  });
});

describe('objects of the layout before content addressing', () => {
  it('are never read, and clear() and compaction remove them', async () => {
    const prefix = freshPrefix('legacy');
    const key = 'a'.repeat(64);
    const old = {
      blob: `${prefix}tts/${key}.wav`,
      manifest: `${prefix}_manifests/tts/${key}.json`,
      record: `${prefix}_journal/${String(Date.now() - 3 * DAY).padStart(15, '0')}.0badc0de.tts.${key}.json`,
    };
    const v1 = JSON.stringify({
      format: 'tiercache-s3-manifest',
      version: 1,
      writer: 'w',
      writtenAt: 1,
      entry: {},
    });
    for (const Key of Object.values(old))
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key === old.blob ? 'bytes' : v1 }));
    const s3 = tier({ prefix });
    expect(await s3.describe('tts', key)).toBeUndefined();
    expect(await s3.sync(createMemoryIndex())).toMatchObject({ complete: true, inserted: 0, scanned: 0 });
    expect(await s3.compactJournal()).toMatchObject({ folded: 1, segments: 0 });
    expect(await journalRecords(prefix)).toBe(0);
    await s3.clear();
    const left = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    expect(left.KeyCount ?? 0).toBe(0);
  });
});
