import { PutObjectCommand } from '@aws-sdk/client-s3';
import { hashContent } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { BUCKET, freshPrefix, rawClient, readObject } from '@tiercache/test-support/s3-bucket';
import { trackTiers } from '@tiercache/test-support/tracked-tiers';
import { describe, expect, it } from 'vitest';
import { testTier } from './test-support/test-tier.js';

const raw = rawClient();
const { tier } = trackTiers(testTier);

/** Writes bytes behind the tier's back, as another tool (or a buggy writer) would. */
async function overwrite(key: string, bytes: Uint8Array) {
  await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
}

describe('verified reads', () => {
  it('never returns bytes that differ from the name, and removes an object the store proves bad', async () => {
    const prefix = freshPrefix('tamper');
    const s3 = tier({ prefix });
    const bytes = sampleBytes(5000, 3);
    const entry = sampleEntry(bytes, { extension: 'png', mediaType: 'image/png' });
    await s3.put(entry, bytes);
    await s3.flush();
    const damaged = bytes.slice();
    damaged[100] = (damaged[100]! + 1) & 0xff;
    // The store now holds other bytes under the name: its ETag is their MD5, which proves it.
    await overwrite(`${prefix}${blobPath(entry)}`, damaged);
    const corrupt: boolean[] = [];
    s3.on('corrupt', (event) => corrupt.push(event.removed));
    expect(await s3.get(entry)).toBeUndefined();
    expect(corrupt).toEqual([true]);
    expect(s3.stats().reads).toMatchObject({ corrupt: 1, corruptRemoved: 1, misses: 1 });
    expect(await readObject(raw, `${prefix}${blobPath(entry)}`)).toBeUndefined();
    // The entry's manifest stays: the blob can be uploaded again under the same name.
    expect((await s3.describe(entry.type, entry.key))?.contentHash).toBe(entry.contentHash);
  });

  it('verifies its own reads (core skips its hash) while it hashes downloads', () => {
    const hashing = tier({ prefix: freshPrefix('flag') });
    const plain = tier({ prefix: freshPrefix('flag'), verifyDownloads: false });
    expect(hashing.readVerification).toBe('by-tier');
    expect(plain.readVerification).toBe('by-cache');
  });

  it('serves objects written by other tools under the right name (the name is the check)', async () => {
    const prefix = freshPrefix('foreign');
    const s3 = tier({ prefix });
    const bytes = sampleBytes(300, 8);
    const entry = sampleEntry(bytes);
    await overwrite(`${prefix}${blobPath(entry)}`, bytes);
    expect(await s3.get(entry)).toEqual(bytes);
    expect(await s3.get({ ...entry, contentHash: hashContent(sampleBytes(300, 9)) })).toBeUndefined();
    expect(await s3.describe(entry.type, entry.key)).toBeUndefined();
  });

  it('reads its own queued writes before they reach the bucket, as copies', async () => {
    const s3 = tier({ prefix: freshPrefix('pending') });
    const bytes = sampleBytes(200, 9);
    const entry = sampleEntry(bytes);
    await s3.put(entry, bytes);
    expect(await s3.has(entry)).toBe(true);
    const read = await s3.get(entry);
    expect(read).toEqual(bytes);
    read!.fill(0);
    await s3.flush();
    expect(await s3.get(entry)).toEqual(bytes);
    expect(s3.stats().queue).toMatchObject({ depth: 0, uploaded: 1 });
  });

  it('deleteEntry removes the manifest and keeps the blob; delete removes the blob', async () => {
    const prefix = freshPrefix('remove');
    const s3 = tier({ prefix });
    const bytes = sampleBytes(700, 5);
    const [entry, twin] = [sampleEntry(bytes), sampleEntry(bytes)];
    await s3.put(entry, bytes);
    await s3.put(twin, bytes);
    await s3.flush();
    expect(await s3.deleteEntry!(entry)).toBe(true);
    expect(await s3.deleteEntry!(entry)).toBe(false);
    expect(await s3.describe(entry.type, entry.key)).toBeUndefined();
    expect(await s3.get(twin)).toEqual(bytes); // shared content stays for the other entry
    expect(await s3.delete(twin)).toBe(true);
    expect(await s3.has(twin)).toBe(false);
    expect(await s3.delete(twin)).toBe(false);
  });

  it('bytes put under a name they do not hash to are never served, queued or stored', async () => {
    const prefix = freshPrefix('misnamed');
    const s3 = tier({ prefix });
    const bytes = sampleBytes(500, 30);
    const entry = sampleEntry(sampleBytes(500, 31)); // same size, another content's name
    await s3.put(entry, bytes);
    expect(await s3.get(entry)).toBeUndefined();
    await s3.flush();
    expect(await s3.get(entry)).toBeUndefined();
    // The store holds exactly the bytes we received under a name they do not match: removed.
    expect(s3.stats().reads).toMatchObject({ corruptRemoved: 1 });
    expect(await readObject(raw, `${prefix}${blobPath(entry)}`)).toBeUndefined();
  });
});
