import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createMemoryIndex, type Entry, hashContent } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import {
  BUCKET,
  clientConfig,
  freshPrefix,
  rawClient,
  readObject,
  server,
} from '@tiercache/test-support/s3-bucket';
import { trackTiers, useFaultProxy } from '@tiercache/test-support/tracked-tiers';
import { describe, expect, it } from 'vitest';
import type { S3TierOptions } from './s3-options.js';
import type { S3Tier } from './s3-tier.js';
import { testTier } from './test-support/test-tier.js';

const raw = rawClient();
const { tier } = trackTiers(testTier);
const faultProxy = useFaultProxy();

/** A tier that reaches the bucket through the proxy, so its requests are counted. */
function proxiedTier(prefix: string, options: Partial<S3TierOptions> = {}): S3Tier {
  return tier({ prefix, clientConfig: clientConfig(server(), faultProxy().endpoint), ...options });
}

/** Headers of every request the tier's client sends, through SDK middleware. */
function recordHeaders(tier: S3Tier): Array<Record<string, string>> {
  const seen: Array<Record<string, string>> = [];
  tier.client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { method?: string; path?: string; headers?: Record<string, string> };
      seen.push({ ':method': request.method ?? '', ':path': request.path ?? '', ...request.headers });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordHeadersForTests' },
  );
  return seen;
}

function rivals(): [Entry, Uint8Array, Entry, Uint8Array] {
  const bytesA = sampleBytes(3000, 1);
  const bytesB = sampleBytes(3500, 2);
  const entryA = sampleEntry(bytesA, { type: 'tts', extension: 'wav' });
  const entryB = sampleEntry(bytesB, { type: 'tts', extension: 'wav', key: entryA.key });
  return [entryA, bytesA, entryB, bytesB];
}

async function manifestOf(prefix: string, entry: Entry) {
  const text = await readObject(raw, `${prefix}_manifests/${entry.type}/${entry.key}.json`);
  return text && (JSON.parse(Buffer.from(text).toString()) as { entry: Entry });
}

describe('content-addressed uploads', () => {
  it('store new entries in 2 requests each (blob, manifest) plus one journal record per burst', async () => {
    const prefix = freshPrefix('requests');
    const tier = proxiedTier(prefix);
    const total = () => [...faultProxy().methods.values()].reduce((sum, n) => sum + n, 0);
    const before = total();
    for (let i = 0; i < 10; i++) {
      const bytes = sampleBytes(2000 + i, 100 + i);
      await tier.put(sampleEntry(bytes), bytes);
    }
    expect(await tier.flush()).toBe(0);
    const requests = total() - before;
    const journal = await raw.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}_journal/` }),
    );
    const records = journal.KeyCount ?? 0;
    expect(records).toBeGreaterThanOrEqual(1);
    expect(requests).toBe(20 + records);
    expect(requests / 10).toBeLessThanOrEqual(3);
    expect(tier.stats().queue).toMatchObject({ uploaded: 10, failed: 0 });
    // Every entry is in the journal, for other machines' sync.
    const index = createMemoryIndex();
    expect(await proxiedTier(prefix).sync(index)).toMatchObject({ complete: true, inserted: 10 });
  });

  it('name blobs by content: racing writers of one key with different bytes both keep intact blobs', async () => {
    const prefix = freshPrefix('race');
    const [entryA, bytesA, entryB, bytesB] = rivals();
    const [a, b] = [proxiedTier(prefix), proxiedTier(prefix)];
    await Promise.all([a.put(entryA, bytesA), b.put(entryB, bytesB)]);
    await Promise.all([a.flush(), b.flush()]);
    for (const [entry, bytes] of [
      [entryA, bytesA],
      [entryB, bytesB],
    ] as const) {
      expect(await readObject(raw, `${prefix}${blobPath(entry)}`)).toEqual(bytes);
      expect(await a.get(entry)).toEqual(bytes);
    }
    // s3rver ignores If-None-Match: the last manifest wins, and it points at an intact blob.
    const manifest = await manifestOf(prefix, entryA);
    expect([entryA.contentHash, entryB.contentHash]).toContain(manifest?.entry.contentHash);
    const blob = await readObject(raw, `${prefix}${blobPath(manifest!.entry)}`);
    expect(hashContent(blob!)).toBe(manifest?.entry.contentHash);
  });

  it('identical content under two keys is one blob object', async () => {
    const prefix = freshPrefix('dedup');
    const tier = proxiedTier(prefix);
    const bytes = sampleBytes(4000, 7);
    const [one, two] = [sampleEntry(bytes), sampleEntry(bytes)];
    await tier.put(one, bytes);
    await tier.put(two, bytes);
    await tier.flush();
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}image/` }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([`${prefix}${blobPath(one)}`]);
    expect((await tier.describe(one.type, one.key))?.contentHash).toBe(one.contentHash);
    expect((await tier.describe(two.type, two.key))?.contentHash).toBe(one.contentHash);
  });

  it('send If-None-Match: * on blob and manifest writes (not on journal records), and none when turned off', async () => {
    const bytes = sampleBytes(1000, 3);
    const on = proxiedTier(freshPrefix('conditional'));
    const off = proxiedTier(freshPrefix('conditional'), { conditionalWrites: false });
    const [seenOn, seenOff] = [recordHeaders(on), recordHeaders(off)];
    for (const tier of [on, off]) {
      await tier.put(sampleEntry(bytes), bytes);
      await tier.flush();
    }
    const conditional = (seen: Array<Record<string, string>>) =>
      seen.filter((headers) => headers['if-none-match'] === '*').map((headers) => headers[':path']);
    expect(conditional(seenOn)).toHaveLength(2);
    expect(conditional(seenOn).some((path) => path?.includes('/_manifests/'))).toBe(true);
    expect(conditional(seenOn).some((path) => path?.includes('/_journal/'))).toBe(false);
    expect(conditional(seenOff)).toEqual([]);
    // The content hash travels as the store's own checksum, for stores that verify and keep it.
    expect(
      seenOn.find((headers) => headers['if-none-match'] && !headers[':path']?.includes('_manifests')),
    ).toMatchObject({
      'x-amz-checksum-sha256': Buffer.from(hashContent(bytes), 'hex').toString('base64'),
    });
  });

  it('where the store honours If-None-Match, the first manifest of a key wins in the bucket', async () => {
    faultProxy().honourIfNoneMatch = true;
    const prefix = freshPrefix('first-wins');
    const [entryA, bytesA, entryB, bytesB] = rivals();
    const [a, b] = [proxiedTier(prefix), proxiedTier(prefix)];
    await a.put(entryA, bytesA);
    await a.flush();
    await b.put(entryB, bytesB);
    await b.flush();
    expect((await manifestOf(prefix, entryA))?.entry.contentHash).toBe(entryA.contentHash);
    expect(a.stats().queue).toMatchObject({ uploaded: 1, alreadyStored: 0 });
    expect(b.stats().queue).toMatchObject({ uploaded: 0, alreadyStored: 1, failed: 0 });
    expect(faultProxy().counts.get('precondition-failed')).toBeGreaterThanOrEqual(1);
    // B's blob is stored anyway (garbage until some entry points at it), never over A's.
    expect(await readObject(raw, `${prefix}${blobPath(entryB)}`)).toEqual(bytesB);
    expect(await readObject(raw, `${prefix}${blobPath(entryA)}`)).toEqual(bytesA);
  });

  it('within one tier the first record of a key wins on any store, until deleteEntry frees the key', async () => {
    const prefix = freshPrefix('first-record');
    const [entryA, bytesA, entryB, bytesB] = rivals();
    const s3 = proxiedTier(prefix);
    await Promise.all([s3.put(entryA, bytesA), s3.put(entryB, bytesB)]);
    await s3.flush();
    expect((await manifestOf(prefix, entryA))?.entry.contentHash).toBe(entryA.contentHash);
    expect(s3.stats().queue).toMatchObject({ uploaded: 1, alreadyStored: 1 });
    expect(await readObject(raw, `${prefix}${blobPath(entryB)}`)).toEqual(bytesB); // stored anyway
    expect(await s3.deleteEntry!(entryA)).toBe(true);
    await s3.put(entryB, bytesB);
    await s3.flush();
    expect((await manifestOf(prefix, entryA))?.entry.contentHash).toBe(entryB.contentHash);
  });
});
