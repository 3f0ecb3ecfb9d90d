import { PutObjectCommand } from '@aws-sdk/client-s3';
import { hashContent } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { S3Tier } from './s3-tier.js';
import { generator, type Machine, startMachine } from './test-support/machine.js';
import {
  BUCKET,
  ensureBucket,
  freshPrefix,
  rawClient,
  readObject,
  testTier,
} from './test-support/test-bucket.js';

const raw = rawClient();
const open: Array<S3Tier | Machine> = [];

beforeAll(async () => {
  await ensureBucket(raw);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => ('cache' in item ? item.close() : item.close())));
});

async function overwrite(key: string, bytes: Uint8Array, metadata?: Record<string, string>) {
  await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, Metadata: metadata }));
}

describe('verified reads', () => {
  it('never returns bytes tampered with in the bucket, and removes the bad object', async () => {
    const prefix = freshPrefix('tamper');
    const tier = testTier({ prefix });
    open.push(tier);
    const bytes = sampleBytes(5000, 3);
    const entry = sampleEntry(bytes, { extension: 'png', mediaType: 'image/png' });
    await tier.put(entry, bytes);
    await tier.flush();
    const damaged = bytes.slice();
    damaged[100] = (damaged[100]! + 1) & 0xff;
    // Same metadata (hash and size of the original), different bytes.
    await overwrite(`${prefix}image/${entry.key}.png`, damaged, {
      'tiercache-sha256': entry.contentHash,
      'tiercache-size': String(bytes.length),
    });
    expect(await tier.get(entry)).toBeUndefined();
    expect(tier.stats().reads).toMatchObject({ corrupt: 1, corruptRemoved: 1 });
    expect(await readObject(raw, `${prefix}image/${entry.key}.png`)).toBeUndefined();
    expect(await tier.describe('image', entry.key)).toBeUndefined();
  });

  it('with verifyDownloads off, core catches a tampered copy and it is removed through delete', async () => {
    const prefix = freshPrefix('tamper');
    const a = await startMachine({ prefix });
    const b = await startMachine({ prefix, verifyDownloads: false });
    open.push(a, b);
    const request = { type: 'tts', prompt: 'See you next week', params: {} };
    const stored = await a.cache.getOrGenerate(request, generator(6000, 'a').for(request.prompt));
    await a.s3.flush();
    const blobKey = `${prefix}tts/${stored.entry.key}.wav`;
    const damaged = (await readObject(raw, blobKey))!.slice();
    damaged[10] = (damaged[10]! + 1) & 0xff;
    await overwrite(blobKey, damaged, {
      'tiercache-sha256': stored.entry.contentHash,
      'tiercache-size': String(damaged.length),
    });
    const result = await b.cache.getOrGenerate(request, generator(6000, 'b').for(request.prompt));
    expect(result.source).toBe('generated');
    expect(Buffer.from(result.bytes).equals(Buffer.from(damaged))).toBe(false);
    expect(await b.localBlobsIntact()).toBe(true);
    const left = await readObject(raw, blobKey);
    expect(left === undefined || !Buffer.from(left).equals(Buffer.from(damaged))).toBe(true);
  });

  it('a copy rewritten with matching metadata is caught by the tier against the entry, removed, regenerated', async () => {
    const prefix = freshPrefix('tamper');
    const a = await startMachine({ prefix });
    const b = await startMachine({ prefix });
    open.push(a, b);
    const request = { type: 'tts', prompt: 'Welcome back to the channel', params: {} };
    const stored = await a.cache.getOrGenerate(request, generator(9000, 'a').for(request.prompt));
    await a.s3.flush();
    const forged = sampleBytes(9000, 99);
    await overwrite(`${prefix}tts/${stored.entry.key}.wav`, forged, {
      'tiercache-sha256': hashContent(forged),
      'tiercache-size': '9000',
    });
    const generateB = generator(9000, 'b');
    const result = await b.cache.getOrGenerate(request, generateB.for(request.prompt));
    expect(generateB.calls).toBe(1);
    expect(result.source).toBe('generated');
    expect(Buffer.from(result.bytes).equals(Buffer.from(forged))).toBe(false);
    expect(await b.localBlobsIntact()).toBe(true);
    await b.cache.idle();
    await b.s3.flush();
    // The forged copy went, and B's own generation replaced it consistently.
    const blob = await readObject(raw, `${prefix}tts/${stored.entry.key}.wav`);
    expect(blob && hashContent(blob)).toBe((await b.s3.describe('tts', stored.entry.key))?.contentHash);
  });

  it('verifies its own reads (core skips its hash) while it hashes downloads', () => {
    const hashing = testTier({ prefix: freshPrefix('flag') });
    const plain = testTier({ prefix: freshPrefix('flag'), verifyDownloads: false });
    open.push(hashing, plain);
    expect(hashing.verifiesOwnReads).toBe(true);
    expect(plain.verifiesOwnReads).toBe(false);
  });

  it('answers undefined for a version other than the expected one and keeps it when its manifest vouches for it', async () => {
    const prefix = freshPrefix('versions');
    const tier = testTier({ prefix });
    open.push(tier);
    const bytes = sampleBytes(900, 11);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    await tier.flush();
    const otherHash = hashContent(sampleBytes(900, 12));
    expect(await tier.get({ ...entry, contentHash: otherHash })).toBeUndefined();
    expect(await readObject(raw, `${prefix}image/${entry.key}.bin`)).toEqual(bytes);
    expect(await tier.get(entry)).toEqual(bytes);
    expect(tier.stats().reads).toMatchObject({ hits: 1, misses: 1, corrupt: 0, corruptRemoved: 0 });
  });

  it('removes an intact object its manifest does not vouch for when it is not the expected version', async () => {
    const prefix = freshPrefix('forged');
    const tier = testTier({ prefix });
    open.push(tier);
    const bytes = sampleBytes(900, 13);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    await tier.flush();
    const forged = sampleBytes(900, 14);
    await overwrite(`${prefix}image/${entry.key}.bin`, forged, {
      'tiercache-sha256': hashContent(forged),
      'tiercache-size': '900',
    });
    expect(await tier.get(entry)).toBeUndefined();
    expect(tier.stats().reads).toMatchObject({ corrupt: 1, corruptRemoved: 1 });
    expect(await readObject(raw, `${prefix}image/${entry.key}.bin`)).toBeUndefined();
    expect(await tier.describe(entry.type, entry.key)).toBeUndefined();
  });

  it('the expected hash is the authority: matching bytes are served even when the metadata disagrees', async () => {
    const prefix = freshPrefix('metadata');
    const tier = testTier({ prefix });
    open.push(tier);
    const bytes = sampleBytes(400, 15);
    const entry = sampleEntry(bytes);
    await overwrite(`${prefix}image/${entry.key}.bin`, bytes, {
      'tiercache-sha256': hashContent(sampleBytes(400, 16)),
      'tiercache-size': '400',
    });
    expect(await tier.get(entry)).toEqual(bytes);
  });

  it("keeps another machine's valid version when asked to delete a copy that does not match", async () => {
    const prefix = freshPrefix('versions');
    const tier = testTier({ prefix });
    open.push(tier);
    const bytes = sampleBytes(700, 5);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    await tier.flush();
    const other = sampleEntry(sampleBytes(800, 6), { key: entry.key });
    expect(await tier.delete(other)).toBe(false);
    expect(await tier.get(entry)).toEqual(bytes);
    expect(await tier.delete(entry)).toBe(true);
    expect(await tier.describe(entry.type, entry.key)).toBeUndefined();
  });

  it('serves objects written by other tools (no recorded hash); core still verifies them', async () => {
    const prefix = freshPrefix('foreign');
    const tier = testTier({ prefix });
    open.push(tier);
    const bytes = sampleBytes(300, 8);
    const entry = sampleEntry(bytes);
    await overwrite(`${prefix}image/${entry.key}.bin`, bytes);
    expect(await tier.get(entry)).toEqual(bytes);
    expect(await tier.describe(entry.type, entry.key)).toBeUndefined();
  });

  it('reads its own queued writes before they reach the bucket', async () => {
    const tier = testTier({ prefix: freshPrefix('pending') });
    open.push(tier);
    const bytes = sampleBytes(200, 9);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    expect(await tier.has(entry)).toBe(true);
    expect(await tier.get(entry)).toEqual(bytes);
    await tier.flush();
    expect(tier.stats().queue).toMatchObject({ depth: 0, uploaded: 1 });
  });
});
