import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobTier, Entry } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { describe, expect, it } from 'vitest';
import { diagnoseSqliteIndex, openSqliteIndex, recoverSqliteIndex } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';
import { sha256File } from './test-support/temp-dir.js';

const scratch = useDatabaseFile({ prefix: 'tiercache-recovery-' });

/** A tier that vouches for these entries (as the disk tier does with its per-entry records). */
function vouching(name: string, entries: Entry[]): BlobTier {
  const refuse = async () => {
    throw new Error('not used by recovery');
  };
  return {
    name,
    readVerification: 'by-cache',
    get: refuse,
    put: refuse,
    has: refuse,
    delete: refuse,
    clear: refuse,
    async *entries() {
      yield* entries;
    },
  };
}

function fill(count: number): Entry[] {
  const index = openSqliteIndex({ file: scratch.file });
  const entries = Array.from({ length: count }, (_, i) =>
    sampleEntry(sampleBytes(32, i + 1), { prompt: `prompt number ${i} ${'padding '.repeat(20)}` }),
  );
  for (const entry of entries) index.insert(entry);
  index.checkpoint();
  index.close();
  return entries;
}

/** Overwrites pages of the file (page 1, the header and schema, is spared). */
function damagePages(from: number, pages: number): void {
  const pageSize = 4096;
  const fd = openSync(scratch.file, 'r+');
  try {
    const garbage = Buffer.alloc(pageSize * pages, 0xa5);
    writeSync(fd, garbage, 0, garbage.length, pageSize * from);
  } finally {
    closeSync(fd);
  }
}

describe('recoverSqliteIndex', () => {
  it('a healthy index is left alone', async () => {
    fill(5);
    const before = sha256File(scratch.file);
    const report = await recoverSqliteIndex({ file: scratch.file, tiers: [vouching('disk', [])] });
    expect(report).toMatchObject({ status: 'healthy', damage: null, keptAs: null });
    expect(sha256File(scratch.file)).toBe(before);
  });

  it('a malformed index is kept aside, a fresh one is refilled from the tiers, and losses are counted', async () => {
    const entries = fill(300);
    expect(statSync(scratch.file).size).toBeGreaterThan(4096 * 8);
    damagePages(2, 3);
    const damage = diagnoseSqliteIndex(scratch.file);
    expect(damage).toBeDefined();
    const damagedBytes = sha256File(scratch.file);
    // The disk vouches for the first 200, S3 for 150..299 (overlap: the first record wins).
    const report = await recoverSqliteIndex({
      file: scratch.file,
      tiers: [vouching('disk', entries.slice(0, 200)), vouching('s3', entries.slice(150))],
      now: () => Date.UTC(2026, 10, 25, 23, 59),
    });
    expect(report.status).toBe('recovered');
    expect(report.damage).toBe(damage);
    expect(report.recovered).toBe(300);
    expect(report.sources).toEqual(['disk', 's3']);
    expect(report.keptAs).toMatch(/cache\.db\.damaged-2026-11-25T23-59-00-000Z$/);
    expect(sha256File(report.keptAs!)).toBe(damagedBytes);
    expect(report.lost === null || report.lost === 0).toBe(true);
    expect(diagnoseSqliteIndex(scratch.file)).toBeUndefined();
    const index = openSqliteIndex({ file: scratch.file });
    expect(index.stats().entries).toBe(300);
    expect(index.get(entries[7]!.type, entries[7]!.key)?.prompt).toBe(entries[7]!.prompt);
    index.close();
  });

  it('keys the damaged file still lists but no tier vouches for are reported lost', async () => {
    const entries = fill(40);
    const report = await recoverSqliteIndex({
      file: scratch.file,
      force: true,
      tiers: [vouching('disk', [...entries.slice(0, 30), { ...entries[30]!, contentHash: 'not a hash' }])],
    });
    expect(report).toMatchObject({ status: 'recovered', recovered: 30, rejected: 1, lost: 10 });
    expect(report.lostSample).toHaveLength(10);
    expect(report.lostSample[0]).toMatch(/^image\//);
    expect(existsSync(report.keptAs!)).toBe(true);
    // The damaged file and whatever SQLite kept beside it (-wal, -shm) moved together.
    const kept = readdirSync(scratch.dir).filter((name) => name.includes('.damaged-'));
    expect(kept.every((name) => join(scratch.dir, name).startsWith(report.keptAs!))).toBe(true);
  });

  it('a failure that is not damage (here: the path is a folder) is thrown, and nothing is moved', async () => {
    const folder = join(scratch.dir, 'a-folder.db');
    mkdirSync(folder);
    expect(() => diagnoseSqliteIndex(folder)).toThrow(/@tiercache\/sqlite: open failed/);
    await expect(recoverSqliteIndex({ file: folder })).rejects.toThrow(/open failed/);
    expect(statSync(folder).isDirectory()).toBe(true);
  });

  it('a file that is not a database at all is recovered too', async () => {
    const entries = fill(3);
    const fd = openSync(scratch.file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    closeSync(fd);
    const report = await recoverSqliteIndex({ file: scratch.file, tiers: [vouching('disk', entries)] });
    expect(report).toMatchObject({ status: 'recovered', recovered: 3, lost: null });
    expect(report.damage).toMatch(/not a database|malformed/);
  });
});
