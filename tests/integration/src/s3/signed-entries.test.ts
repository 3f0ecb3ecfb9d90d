import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createMemoryIndex, isTiercacheError } from '@tiercache/core';
import type { S3Tier } from '@tiercache/s3';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { BUCKET, freshPrefix, rawClient, readObject } from '@tiercache/test-support/s3-bucket';
import { trackTiers } from '@tiercache/test-support/tracked-tiers';
import { describe, expect, it } from 'vitest';
import { generator, startMachine } from './support/machine.js';
import { testTier } from './support/test-tier.js';

const SIGNING_KEY = 'farm-secret-7f3a9c1e5b2d4086';
const raw = rawClient();
const { tier, track } = trackTiers(testTier);
const machine = async (options: Parameters<typeof startMachine>[0]) => track(await startMachine(options));

async function stored(writer: S3Tier, seed: number) {
  const bytes = sampleBytes(600 + seed, seed);
  const entry = sampleEntry(bytes, { prompt: `signed prompt ${seed}` });
  await writer.put(entry, bytes);
  await writer.flush();
  return entry;
}

const manifestKey = (prefix: string, type: string, key: string) => `${prefix}_manifests/${type}/${key}.json`;

describe('signed entries', () => {
  it('machines sharing the key describe and sync each other’s entries; manifests carry an HMAC', async () => {
    const prefix = freshPrefix('signed');
    const writer = tier({ prefix, signingKey: SIGNING_KEY });
    const reader = tier({ prefix, signingKey: SIGNING_KEY });
    const entry = await stored(writer, 1);
    const manifest = JSON.parse(
      Buffer.from((await readObject(raw, manifestKey(prefix, entry.type, entry.key)))!).toString(),
    );
    expect(manifest.signature).toMatch(/^[0-9a-f]{64}$/);
    expect((await reader.describe(entry.type, entry.key))?.contentHash).toBe(entry.contentHash);
    expect(await reader.sync(createMemoryIndex())).toMatchObject({ complete: true, inserted: 1, skipped: 0 });
  });

  it('a writer without the key cannot poison the farm: its entries are ignored and never served', async () => {
    const prefix = freshPrefix('signed');
    const intruder = await machine({ prefix });
    const farm = await machine({ prefix, signingKey: SIGNING_KEY });
    const request = { type: 'tts', prompt: 'poisoned line', params: {} };
    const planted = await intruder.cache.getOrGenerate(
      request,
      generator(2048, 'intruder').for(request.prompt),
    );
    await intruder.s3.flush();
    expect(await farm.s3.describe('tts', planted.entry.key)).toBeUndefined();
    expect(await farm.s3.sync(farm.index)).toMatchObject({ complete: true, inserted: 0, skipped: 1 });
    const generateFarm = generator(2048, 'farm');
    const result = await farm.cache.getOrGenerate(request, generateFarm.for(request.prompt));
    expect(result.source).toBe('generated');
    expect(generateFarm.calls).toBe(1);
    expect(result.entry.contentHash).not.toBe(planted.entry.contentHash);
    expect(farm.s3.stats().manifests.unsigned).toBeGreaterThanOrEqual(2);
  });

  it('a signed manifest edited to point at other content fails its signature', async () => {
    const prefix = freshPrefix('signed');
    const writer = tier({ prefix, signingKey: SIGNING_KEY });
    const entry = await stored(writer, 2);
    const Key = manifestKey(prefix, entry.type, entry.key);
    const manifest = JSON.parse(Buffer.from((await readObject(raw, Key))!).toString());
    manifest.entry.contentHash = sampleEntry(sampleBytes(50, 3)).contentHash;
    await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: JSON.stringify(manifest) }));
    expect(await writer.describe(entry.type, entry.key)).toBeUndefined();
    // Signed with another key: just as unknown.
    const other = tier({ prefix, signingKey: 'another-farm-key-0123456789' });
    const own = await stored(other, 4);
    expect(await writer.describe(own.type, own.key)).toBeUndefined();
    expect(writer.stats().manifests).toMatchObject({ unsigned: 2 });
  });

  it('without a key nothing changes: unsigned and signed manifests are both read', async () => {
    const prefix = freshPrefix('unsigned');
    const signed = await stored(tier({ prefix, signingKey: SIGNING_KEY }), 5);
    const plain = await stored(tier({ prefix }), 6);
    const reader = tier({ prefix });
    expect((await reader.describe(signed.type, signed.key))?.contentHash).toBe(signed.contentHash);
    expect((await reader.describe(plain.type, plain.key))?.contentHash).toBe(plain.contentHash);
  });

  it('the key never appears in errors, in the bucket or in stats', async () => {
    const short = (() => {
      try {
        testTier({ prefix: freshPrefix('k'), signingKey: 'too-short' });
      } catch (error) {
        return error;
      }
    })();
    expect(isTiercacheError(short, 'E_INVALID_OPTIONS')).toBe(true);
    expect(String((short as Error).message)).not.toContain('too-short');
    expect(JSON.stringify(short)).not.toContain('too-short');
    const prefix = freshPrefix('signed');
    const writer = tier({ prefix, signingKey: SIGNING_KEY });
    await stored(writer, 7);
    const hex = Buffer.from(SIGNING_KEY).toString('hex');
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    for (const object of listed.Contents ?? []) {
      const text = Buffer.from((await readObject(raw, object.Key!))!).toString('latin1');
      expect(text).not.toContain(SIGNING_KEY);
      expect(text).not.toContain(hex);
    }
    expect(JSON.stringify(writer.stats())).not.toContain(SIGNING_KEY);
  });
});
