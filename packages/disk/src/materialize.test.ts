import { link, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobRef } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { flipByte, useTempDir } from '@tiercache/test-support/temp-dir';
import { describe, expect, it } from 'vitest';
import { createDiskTier } from './disk-tier.js';

describe('disk tier: materialize', () => {
  const dir = useTempDir();
  const cacheDir = () => join(dir.path, 'cache');

  it('delivers a private copy that later puts and edits do not share', async () => {
    const tier = createDiskTier({ dir: cacheDir() });
    const bytes = sampleBytes(10_000, 1);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    const out = join(dir.path, 'out.bin');
    expect(await tier.materialize(entry, out)).toBe(true);
    const delivered = await stat(out);
    const cached = await stat(join(cacheDir(), blobPath(entry)));
    expect(delivered.ino).not.toBe(cached.ino);
    await writeFile(out, 'edited');
    expect(await tier.get(entry)).toEqual(bytes);
  });

  it('deletes a corrupt file, reports it and delivers nothing (no partial destination)', async () => {
    const corrupt: BlobRef[] = [];
    const tier = createDiskTier({ dir: cacheDir(), onCorrupt: (ref) => corrupt.push(ref) });
    const bytes = sampleBytes(10_000, 2);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    await flipByte(join(cacheDir(), blobPath(entry)), 5000);
    expect(await tier.materialize(entry, join(dir.path, 'out.bin'))).toBe(false);
    expect(await readdir(dir.path)).toEqual(['cache']);
    expect(await tier.has(entry)).toBe(false);
    expect(corrupt).toEqual([
      expect.objectContaining({ type: entry.type, contentHash: entry.contentHash, extension: 'bin' }),
    ]);
  });

  it('hashes a file another instance rewrote (a fingerprint it never saw) and delivers it', async () => {
    const tier = createDiskTier({ dir: cacheDir() });
    const other = createDiskTier({ dir: cacheDir() });
    const bytes = sampleBytes(10_000, 3);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    await other.put(entry, bytes); // a new inode this instance has never seen: hashed, fine
    expect(await tier.materialize(entry, join(dir.path, 'a.bin'))).toBe(true);
    expect(await tier.materialize(entry, join(dir.path, 'b.bin'))).toBe(true);
    expect(new Uint8Array(await readFile(join(dir.path, 'b.bin')))).toEqual(bytes);
  });

  it('refuses (and deletes) a file whose bytes are not the content it is named by, in both verify modes', async () => {
    for (const verify of ['always', 'on-change'] as const) {
      const tier = createDiskTier({ dir: cacheDir(), verify });
      const bytes = sampleBytes(1000, 4);
      const entry = sampleEntry(bytes);
      const other = sampleBytes(1000, 5);
      // Another content under this name, as a foreign writer or a broken disk could leave it.
      await mkdir(dirname(join(cacheDir(), blobPath(entry))), { recursive: true });
      await writeFile(join(cacheDir(), blobPath(entry)), other);
      expect(await tier.materialize(entry, join(dir.path, 'out.bin'))).toBe(false);
      expect(await tier.has(entry)).toBe(false);
      expect(
        await tier.materialize({ ...entry, contentHash: 'f'.repeat(64) }, join(dir.path, 'out.bin')),
      ).toBe(false);
    }
  });

  it('replaces an existing destination without writing through it, and keeps it on failure', async () => {
    const tier = createDiskTier({ dir: cacheDir() });
    const bytes = sampleBytes(10_000, 7);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    const mine = join(dir.path, 'mine.bin');
    const out = join(dir.path, 'out.bin');
    await writeFile(mine, 'the caller keeps this');
    await link(mine, out); // the old destination shares its inode with another file of the caller
    await flipByte(join(cacheDir(), blobPath(entry)), 100);
    expect(await tier.materialize(entry, out)).toBe(false);
    expect(await readFile(out, 'utf8')).toBe('the caller keeps this');
    await tier.put(entry, bytes);
    expect(await tier.materialize(entry, out)).toBe(true);
    expect(new Uint8Array(await readFile(out))).toEqual(bytes);
    expect(await readFile(mine, 'utf8')).toBe('the caller keeps this');
    expect((await readdir(dir.path)).sort()).toEqual(['cache', 'mine.bin', 'out.bin']);
  });

  it('leaves a folder at the destination alone and reports the failure', async () => {
    const tier = createDiskTier({ dir: cacheDir() });
    const bytes = sampleBytes(1000, 8);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    const out = join(dir.path, 'out.bin');
    await mkdir(join(out, 'inside'), { recursive: true });
    await expect(tier.materialize(entry, out)).rejects.toMatchObject({
      code: 'E_TIER_UNAVAILABLE',
    });
    expect(await readdir(out)).toEqual(['inside']);
    expect((await readdir(dir.path)).sort()).toEqual(['cache', 'out.bin']);
  });

  it('answers false for an absent blob', async () => {
    const tier = createDiskTier({ dir: cacheDir() });
    const entry = sampleEntry(sampleBytes(10));
    expect(await tier.materialize(entry, join(dir.path, 'out.bin'))).toBe(false);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('hardlink-readonly mode hands out a read-only hard link to the cached file', async () => {
    const tier = createDiskTier({ dir: cacheDir(), delivery: 'hardlink-readonly' });
    const bytes = sampleBytes(10_000, 5);
    const entry = sampleEntry(bytes);
    await tier.put(entry, bytes);
    const out = join(dir.path, 'linked.bin');
    expect(await tier.materialize(entry, out)).toBe(true);
    const delivered = await stat(out);
    const cached = await stat(join(cacheDir(), blobPath(entry)));
    expect(delivered.ino).toBe(cached.ino);
    expect(delivered.mode & 0o777).toBe(0o444);
    expect(new Uint8Array(await readFile(out))).toEqual(bytes);
  });

  it('hardlink-readonly mode makes files written in copy mode read-only before linking them', async () => {
    const bytes = sampleBytes(1000, 6);
    const entry = sampleEntry(bytes);
    await createDiskTier({ dir: cacheDir() }).put(entry, bytes);
    const tier = createDiskTier({ dir: cacheDir(), delivery: 'hardlink-readonly' });
    const out = join(dir.path, 'linked.bin');
    expect(await tier.materialize(entry, out)).toBe(true);
    expect((await stat(out)).mode & 0o777).toBe(0o444);
    // Copy mode hands out writable copies even of read-only cache files.
    const copy = join(dir.path, 'copy.bin');
    expect(await createDiskTier({ dir: cacheDir() }).materialize(entry, copy)).toBe(true);
    expect((await stat(copy)).mode & 0o200).toBe(0o200);
  });
});
