import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashContent } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { describe, expect, it } from 'vitest';
import { createDiskTier } from './disk-tier.js';
import { useTempDir } from './test-support/temp-dir.js';

const KEY = 'a'.repeat(64);
const TEMP = /\.tmp$/;

describe('disk tier: atomic writes', () => {
  const dir = useTempDir();

  it('leaves no temporary file behind after puts, with and without fsync', async () => {
    for (const fsync of [false, true]) {
      const tier = createDiskTier({ dir: dir.path, fsync });
      const blobs = Array.from({ length: 20 }, (_, i) => sampleBytes(5000 + i, i + 1));
      await Promise.all(blobs.map((bytes) => tier.put(sampleEntry(bytes), bytes)));
      const names = await readdir(join(dir.path, 'image'));
      expect(names.filter((name) => TEMP.test(name))).toEqual([]);
    }
    expect(await readdir(join(dir.path, 'image'))).toHaveLength(40);
  });

  it('removes leftovers of a crashed writer on first use, but not a write in progress', async () => {
    const folder = join(dir.path, 'tts');
    const setup = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(100);
    await setup.put(sampleEntry(bytes, { type: 'tts' }), bytes);
    const stale = join(folder, `.${KEY}.00000000deadbeef.tmp`);
    const fresh = join(folder, `.${KEY}.00000000cafebabe.tmp`);
    await writeFile(stale, 'half a file');
    await writeFile(fresh, 'another process is still writing this');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, anHourAgo, anHourAgo);

    const tier = createDiskTier({ dir: dir.path });
    expect(await tier.has(sampleEntry(bytes, { type: 'tts' }))).toBe(false); // any first use
    const names = await readdir(folder);
    expect(names).not.toContain(`.${KEY}.00000000deadbeef.tmp`);
    expect(names).toContain(`.${KEY}.00000000cafebabe.tmp`);
    expect(await tier.usage()).toEqual({ entries: 1, bytes: 100 });
  });

  it('concurrent writers of one key leave exactly one intact file', async () => {
    const writers = Array.from({ length: 4 }, () => createDiskTier({ dir: dir.path }));
    const versions = Array.from({ length: 12 }, (_, i) => sampleBytes(200_000 + i * 1000, i + 1));
    const base = sampleEntry(versions[0]!, { key: KEY });
    await Promise.all(
      versions.map((bytes, i) =>
        writers[i % writers.length]!.put(
          { ...base, size: bytes.length, contentHash: hashContent(bytes) },
          bytes,
        ),
      ),
    );
    expect(await readdir(join(dir.path, 'image'))).toEqual([`${KEY}.bin`]);
    const stored = new Uint8Array(await readFile(join(dir.path, 'image', `${KEY}.bin`)));
    expect(versions.some((bytes) => Buffer.from(bytes).equals(stored))).toBe(true);
  });

  it('readers racing a writer see the old or the new file, never a partial one', async () => {
    const tier = createDiskTier({ dir: dir.path });
    const old = sampleBytes(300_000, 1);
    const next = sampleBytes(600_000, 2);
    const entry = sampleEntry(old, { key: KEY });
    await tier.put(entry, old);
    const reads: Array<Promise<Uint8Array | undefined>> = [];
    const write = tier.put({ ...entry, size: next.length, contentHash: hashContent(next) }, next);
    for (let i = 0; i < 20; i++) reads.push(tier.get(entry));
    await write;
    for (const bytes of await Promise.all(reads)) {
      expect([old.length, next.length]).toContain(bytes?.length);
      expect([hashContent(old), hashContent(next)]).toContain(hashContent(bytes!));
    }
  });
});
