import { statSync } from 'node:fs';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex, type SqliteIndex } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';

const scratch = useDatabaseFile();

const walSize = () => statSync(`${scratch.file}-wal`).size;

function insertMany(index: SqliteIndex, count: number, seed: number): void {
  for (let i = 0; i < count; i++) {
    index.insert(sampleEntry(sampleBytes(16, seed + i), { prompt: `prompt ${seed + i} `.repeat(20) }));
  }
}

describe('checkpoint policy', () => {
  // Autocheckpoint on: SQLite resets the WAL itself once the reader is gone and
  // journal_size_limit trims it. Autocheckpoint off (a deployment that checkpoints elsewhere,
  // or a reader that starves passive checkpoints): only the policy's TRUNCATE brings it back.
  it.each([
    { name: 'autocheckpoint on', walAutoCheckpointPages: 100, bound: 1024 * 1024 },
    { name: 'autocheckpoint off', walAutoCheckpointPages: 0, bound: 512 * 1024 },
  ])(
    'lets the WAL grow while a reader holds a snapshot, then bounds it ($name)',
    ({ walAutoCheckpointPages, bound }) => {
      const index = openSqliteIndex({
        file: scratch.file,
        walAutoCheckpointPages,
        checkpointEveryWrites: 50,
        journalSizeLimitBytes: 1024 * 1024,
      });
      insertMany(index, 10, 0);
      const reader = new Database(scratch.file, { readonly: true });
      reader.prepare('BEGIN').run();
      const seenBefore = reader.prepare('SELECT count(*) FROM cache_entries').pluck().get();

      insertMany(index, 400, 1000);
      const grown = walSize();
      expect(grown).toBeGreaterThan(4 * 1024 * 1024);
      expect(index.checkpoint().busy).toBe(true);
      expect(reader.prepare('SELECT count(*) FROM cache_entries').pluck().get()).toBe(seenBefore);

      reader.prepare('COMMIT').run();
      insertMany(index, 50, 5000);
      expect(walSize()).toBeLessThanOrEqual(bound);
      expect(index.stats().entries).toBe(460);
      expect(index.integrityCheck()).toEqual({ ok: true, problems: [] });
      reader.close();
      index.close();
    },
  );

  it('leaves a WAL within journalSizeLimitBytes alone: healthy files pay for no extra checkpoint', () => {
    const index = openSqliteIndex({ file: scratch.file, checkpointEveryWrites: 10 });
    insertMany(index, 30, 0);
    expect(walSize()).toBeGreaterThan(0);
    index.close();
  });

  it('checkpoint() on demand empties the WAL when nobody reads', () => {
    const index = openSqliteIndex({ file: scratch.file, checkpointEveryWrites: 0 });
    insertMany(index, 20, 0);
    expect(walSize()).toBeGreaterThan(0);
    const result = index.checkpoint();
    expect(result.busy).toBe(false);
    expect(result.checkpointedFrames).toBe(result.walFrames);
    expect(walSize()).toBe(0);
    index.close();
  });
});
