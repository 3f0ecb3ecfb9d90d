import { hash } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteIndex } from '@tiercache/sqlite';
import Database from 'better-sqlite3';
import { compare } from './harness.js';

// The original design ran bare statements against cache_entries. The baseline here gets
// them prepared once (the fair version of it) on an identical copy of the file with the same
// pragmas: two connections writing one file would flush each other's page cache and the
// ratio would measure who ran after whom. The ratios are the price of the index's mapping,
// validation and bookkeeping.
const SIZES = [10_000, 100_000, 1_000_000];
const T0 = 1_700_000_000_000;

const keyOf = (i: number) => hash('sha256', `request ${i}`);
const typeOf = (i: number) => (i % 3 === 0 ? 'image' : 'tts');

/** Creates the schema through the index, then bulk-loads rows with one prepared INSERT. */
function buildDatabase(file: string, rows: number): number {
  openSqliteIndex({ file }).close();
  const db = new Database(file);
  // The load is setup, not measured: no WAL (it would grow to the size of the data).
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(`INSERT INTO cache_entries
    (asset_type, prompt_hash, prompt_text, file_path, metadata, created_at, last_used_at, use_count,
     params, params_hash, content_hash, size, media_type, extension)
    VALUES (?, ?, ?, ?, '{"engine":"espeak-ng"}', ?, ?, 1, '{"voice":"bella"}', ?, ?, ?, ?, ?)`);
  const paramsHash = hash('sha256', 'params');
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const type = typeOf(i);
      const key = keyOf(i);
      const extension = type === 'tts' ? 'wav' : 'png';
      insert.run(
        type,
        key,
        `prompt number ${i} for the benchmark`,
        `${type}/${key}.${extension}`,
        T0 + i,
        T0 + i,
        paramsHash,
        key,
        1000 + (i % 5000),
        type === 'tts' ? 'audio/wav' : 'image/png',
        extension,
      );
    }
  })();
  const loadMs = performance.now() - started;
  db.pragma('journal_mode = WAL');
  db.close();
  return loadMs;
}

// The load ran with synchronous=OFF: flush it now, or the first checkpoint's fsync in the
// measured part would pay for writing back the whole load.
function flush(file: string): void {
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

function bareConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 1000');
  db.pragma('journal_size_limit = 4194304');
  return db;
}

export async function benchSqliteIndex(): Promise<void> {
  for (const rows of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'tiercache-bench-sqlite-'));
    const file = join(dir, 'cache.db');
    try {
      const loadMs = buildDatabase(file, rows);
      console.log(`\n${rows.toLocaleString('en-US')} rows bulk-loaded in ${(loadMs / 1000).toFixed(1)} s`);
      const bareFile = join(dir, 'bare.db');
      copyFileSync(file, bareFile);
      flush(file);
      flush(bareFile);
      const index = openSqliteIndex({ file });
      const bare = bareConnection(bareFile);
      // Random keys across the whole table, the same sequence for both contenders.
      const probes = Array.from({ length: 4096 }, (_, i) => (i * 2_654_435_761) % rows).map((n) => ({
        type: typeOf(n),
        key: keyOf(n),
      }));
      const label = `${rows.toLocaleString('en-US')} rows`;

      const select = bare.prepare('SELECT * FROM cache_entries WHERE asset_type = ? AND prompt_hash = ?');
      let a = 0;
      let b = 0;
      await compare(
        `Index lookup, ${label}: get(type, key) vs a prepared bare SELECT`,
        [
          {
            name: 'prepared SELECT * (original design)',
            run: () => select.get(probes[a & 4095]!.type, probes[a++ & 4095]!.key),
          },
          {
            name: 'SqliteIndex.get → Entry',
            run: () => index.get(probes[b & 4095]!.type, probes[b++ & 4095]!.key),
          },
        ],
        { batch: 500, samples: 60, warmup: 5 },
      );

      const update = bare.prepare(
        'UPDATE cache_entries SET use_count = use_count + 1, last_used_at = ? WHERE asset_type = ? AND prompt_hash = ?',
      );
      let c = 0;
      let d = 0;
      await compare(
        `Touch, ${label}: touch(type, key, at) vs a prepared bare UPDATE (synchronous=NORMAL both)`,
        [
          {
            name: 'prepared UPDATE use_count (original design)',
            run: () => update.run(Date.now(), probes[c & 4095]!.type, probes[c++ & 4095]!.key),
          },
          {
            name: 'SqliteIndex.touch → Entry (RETURNING)',
            run: () => index.touch(probes[d & 4095]!.type, probes[d++ & 4095]!.key, Date.now()),
          },
        ],
        { batch: 100, samples: 40, warmup: 4 },
      );
      bare.close();
      index.close();

      if (rows === SIZES.at(-1)) {
        await compare(
          `Open, ${label}: openSqliteIndex vs new Database + one prepared statement`,
          [
            {
              name: 'new Database(file) + prepare SELECT',
              run: () => {
                const db = new Database(file);
                db.prepare('SELECT * FROM cache_entries WHERE asset_type = ? AND prompt_hash = ?');
                db.close();
              },
            },
            {
              name: 'openSqliteIndex (pragmas, schema check, statements)',
              run: () => openSqliteIndex({ file }).close(),
            },
          ],
          { batch: 1, samples: 30, warmup: 3 },
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
