import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hashContent } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { useTempDir } from '@tiercache/test-support/temp-dir';
import { describe, expect, it } from 'vitest';
import { createDiskTier } from './disk-tier.js';

const KEY = 'a'.repeat(64);
const TEMP = /\.tmp$/;

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('disk tier: atomic writes', () => {
  const dir = useTempDir();

  it('leaves no temporary file behind after puts, with and without fsync', async () => {
    for (const fsync of [false, true]) {
      const tier = createDiskTier({ dir: dir.path, fsync });
      const blobs = Array.from({ length: 20 }, (_, i) => sampleBytes(5000 + i, i + 1));
      await Promise.all(blobs.map((bytes) => tier.put(sampleEntry(bytes), bytes)));
      expect((await filesUnder(join(dir.path, 'image'))).filter((name) => TEMP.test(name))).toEqual([]);
    }
    const files = await filesUnder(join(dir.path, 'image'));
    // The same 20 contents twice: stored once each, plus one record per entry.
    expect(files.filter((name) => name.endsWith('.bin'))).toHaveLength(20);
    expect(files.filter((name) => name.endsWith('.json'))).toHaveLength(40);
  });

  it('removes leftovers of a crashed writer on first use, but not a write in progress', async () => {
    const setup = createDiskTier({ dir: dir.path });
    const bytes = sampleBytes(100);
    const entry = sampleEntry(bytes, { type: 'tts' });
    await setup.put(entry, bytes);
    const folder = join(dir.path, dirname(blobPath(entry)));
    const stale = join(folder, `.${KEY}.00000000deadbeef.tmp`);
    const fresh = join(folder, `.${KEY}.00000000cafebabe.tmp`);
    await writeFile(stale, 'half a file');
    await writeFile(fresh, 'another process is still writing this');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, anHourAgo, anHourAgo);

    const tier = createDiskTier({ dir: dir.path });
    expect(await tier.has(sampleEntry(sampleBytes(5), { type: 'tts' }))).toBe(false); // any first use
    const names = await readdir(folder);
    expect(names).not.toContain(`.${KEY}.00000000deadbeef.tmp`);
    expect(names).toContain(`.${KEY}.00000000cafebabe.tmp`);
    expect(await tier.usage()).toEqual({ entries: 1, bytes: 100 });
  });

  it('concurrent writers of one key with different bytes each keep an intact blob, and one record', async () => {
    const writers = Array.from({ length: 4 }, () => createDiskTier({ dir: dir.path }));
    const versions = Array.from({ length: 12 }, (_, i) => sampleBytes(200_000 + i * 1000, i + 1));
    const base = sampleEntry(versions[0]!, { key: KEY });
    const entries = versions.map((bytes) => ({
      ...base,
      size: bytes.length,
      contentHash: hashContent(bytes),
    }));
    await Promise.all(entries.map((entry, i) => writers[i % writers.length]!.put(entry, versions[i]!)));
    for (const [i, entry] of entries.entries())
      expect(new Uint8Array(await readFile(join(dir.path, blobPath(entry))))).toEqual(versions[i]);
    expect(await readdir(join(dir.path, 'image', 'entries'))).toEqual([`${KEY}.json`]);
    const record = JSON.parse(await readFile(join(dir.path, 'image', 'entries', `${KEY}.json`), 'utf8'));
    expect(entries.map((entry) => entry.contentHash)).toContain(record.contentHash);
  });

  it('readers racing writers of the same content see the whole blob or nothing, never a partial one', async () => {
    const writers = Array.from({ length: 3 }, () => createDiskTier({ dir: dir.path }));
    const bytes = sampleBytes(600_000, 2);
    const entry = sampleEntry(bytes);
    const reads: Array<Promise<Uint8Array | undefined>> = [];
    const writes = writers.map((writer) => writer.put(sampleEntry(bytes), bytes));
    for (let i = 0; i < 20; i++) reads.push(writers[i % 3]!.get(entry));
    await Promise.all(writes);
    for (const read of await Promise.all(reads)) if (read) expect(hashContent(read)).toBe(entry.contentHash);
    expect(await writers[0]!.get(entry)).toEqual(bytes);
  });
});
