import { hashContent } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { DEFAULT_JACCARD_THRESHOLD } from '@tiercache/matchers';
import {
  ensureBucket,
  freshPrefix,
  headMetadata,
  rawClient,
  readObject,
} from '@tiercache/test-support/s3-bucket';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generator, type Machine, startMachine } from './support/machine.js';

const raw = rawClient();
const machines: Machine[] = [];

async function twoMachines(): Promise<[Machine, Machine, string]> {
  const prefix = freshPrefix('farm');
  const a = await startMachine({ prefix });
  const b = await startMachine({ prefix });
  machines.push(a, b);
  return [a, b, prefix];
}

beforeAll(async () => {
  await ensureBucket(raw);
});

afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.close()));
});

describe('two machines sharing one bucket', () => {
  it('B gets an exact hit, served by S3, for what A generated', async () => {
    const [a, b, prefix] = await twoMachines();
    const request = { type: 'tts', prompt: 'Subscribe for more!', params: { voice: 'nova' } };
    const generateA = generator();
    const generated = await a.cache.getOrGenerate(request, generateA.for(request.prompt));
    expect(generated.source).toBe('generated');
    await a.s3.flush();

    const entry = generated.entry;
    const blobKey = `${prefix}tts/${entry.contentHash.slice(0, 2)}/${entry.contentHash}.wav`;
    const head = await headMetadata(raw, blobKey);
    expect(head?.contentType).toBe('audio/wav');
    const manifest = JSON.parse(
      Buffer.from((await readObject(raw, `${prefix}_manifests/tts/${entry.key}.json`))!).toString(),
    );
    expect(manifest.entry.contentHash).toBe(entry.contentHash);
    expect(manifest.entry.useCount).toBeUndefined();

    const generateB = generator(4096, 'b');
    const hit = await b.cache.getOrGenerate(request, generateB.for(request.prompt));
    expect(generateB.calls).toBe(0);
    expect(hit.source).toBe('exact');
    expect(hit.tier).toBe('s3');
    expect(hashContent(hit.bytes)).toBe(entry.contentHash);
    expect(b.index.get('tts', entry.key)?.contentHash).toBe(entry.contentHash);
    await b.cache.idle();
    // Backfilled into B's disk: the next hit is local.
    const again = await b.cache.get(request);
    expect(again?.tier).toBe('disk');
    expect(await b.localBlobsIntact()).toBe(true);
  });

  it('after sync, B gets a similarity hit for a near-duplicate of what A generated', async () => {
    const [a, b] = await twoMachines();
    const params = { model: 'sdxl', size: '1024x1024' };
    const original = { type: 'image', prompt: 'a calm lake at sunrise, misty mountains, 4k', params };
    const nearDuplicate = { type: 'image', prompt: 'calm lake at sunrise misty mountains 4k', params };
    const generated = await a.cache.getOrGenerate(original, generator().for(original.prompt));
    await a.s3.flush();

    const before = await b.cache.get(nearDuplicate);
    expect(before).toBeUndefined(); // B has never heard of A's entry: no key to ask the bucket for

    const result = await b.s3.sync(b.index);
    expect(result).toMatchObject({ complete: true, inserted: 1 });
    expect(b.index.partition('image', generated.entry.paramsHash).map((p) => p.key)).toEqual([
      generated.entry.key,
    ]);

    const generateB = generator(4096, 'b');
    const hit = await b.cache.getOrGenerate(nearDuplicate, generateB.for(nearDuplicate.prompt));
    expect(generateB.calls).toBe(0);
    expect(hit.source).toBe('similar');
    expect(hit.score).toBeGreaterThanOrEqual(DEFAULT_JACCARD_THRESHOLD);
    expect(hashContent(hit.bytes)).toBe(generated.entry.contentHash);

    // A second sync finds nothing new and inserts nothing twice.
    expect(await b.s3.sync(b.index)).toMatchObject({ complete: true, inserted: 0 });
  });

  it('A and B generating the same new key at once: both blobs intact, one manifest, every hit right', async () => {
    const [a, b, prefix] = await twoMachines();
    const request = { type: 'tts', prompt: 'Thanks for watching', params: { voice: 'alloy' } };
    // Different bytes on each machine (generation is not deterministic).
    const [fromA, fromB] = await Promise.all([
      a.cache.getOrGenerate(request, generator(8192, 'a').for(request.prompt)),
      b.cache.getOrGenerate(request, generator(8192, 'b').for(request.prompt)),
    ]);
    expect(fromA.entry.key).toBe(fromB.entry.key);
    await Promise.all([a.s3.flush(), b.s3.flush()]);

    const key = fromA.entry.key;
    const manifest = JSON.parse(
      Buffer.from((await readObject(raw, `${prefix}_manifests/tts/${key}.json`))!).toString(),
    );
    // Named by content, neither blob could overwrite the other.
    for (const entry of [fromA.entry, fromB.entry]) {
      const blob = await readObject(raw, `${prefix}${blobPath(entry)}`);
      expect(blob && hashContent(blob)).toBe(entry.contentHash);
    }
    expect([fromA.entry.contentHash, fromB.entry.contentHash]).toContain(manifest.entry.contentHash);
    const stats = [a.s3.stats().queue, b.s3.stats().queue];
    expect(stats.reduce((sum, q) => sum + q.uploaded + q.alreadyStored, 0)).toBe(2);

    // Each machine keeps serving its own index's entry, with the bytes that entry promises...
    for (const [machine, own] of [
      [a, fromA],
      [b, fromB],
    ] as const) {
      const hit = await machine.cache.get(request);
      expect(hit?.entry.contentHash).toBe(own.entry.contentHash);
      expect(hashContent(hit!.bytes)).toBe(own.entry.contentHash);
    }
    // ...and a third machine sees the version the manifest records.
    const c = await startMachine({ prefix });
    machines.push(c);
    const hit = await c.cache.getOrGenerate(request, generator(8192, 'c').for(request.prompt));
    expect(hit.source).toBe('exact');
    expect(hit.entry.contentHash).toBe(manifest.entry.contentHash);
    expect(hashContent(hit.bytes)).toBe(manifest.entry.contentHash);
    expect(await a.localBlobsIntact()).toBe(true);
    expect(await b.localBlobsIntact()).toBe(true);
  });
});
