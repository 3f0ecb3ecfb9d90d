import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteIndex } from './index.js';
import { tempDir } from './test-support/temp-dir.js';

const WORKER = fileURLToPath(new URL('./test-support/multi-process-worker.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const WORKERS = 4;
const ROUNDS = 40;
const KEYS = 24;

interface WorkerReport {
  touches: number[];
  reads: number;
  errors: string[];
}

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function startWorker(
  file: string,
  id: number,
  touchFlushMs: number,
): { child: ChildProcess; ready: Promise<void>; report: Promise<WorkerReport> } {
  const args = [file, String(id), String(ROUNDS), String(KEYS), String(touchFlushMs)];
  const child = fork(WORKER, args, { stdio: 'inherit' });
  let onReady: () => void = () => undefined;
  let onEarlyExit: (error: Error) => void = () => undefined;
  // A worker that dies before 'ready' (e.g. dist missing) fails the test instead of hanging it.
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onEarlyExit = reject;
  });
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.on('message', (message) => {
      if (message === 'ready') onReady();
      else resolve(message as WorkerReport);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const error = new Error(`worker ${id} exited with ${code} before reporting`);
      onEarlyExit(error);
      reject(error);
    });
  });
  report.catch(() => undefined);
  return { child, ready, report };
}

describe('several processes sharing one file', () => {
  // 0: every touch is its own write; 50: touches are coalesced and flushed by timer and close.
  it.each([0, 50])(
    'keeps use counts exact, rows unique and SQLITE_BUSY away from callers (touchFlushMs %i)',
    async (touchFlushMs) => {
      expect(existsSync(BUILT), 'build first: pnpm --filter @tiercache/sqlite build').toBe(true);
      // No parent open first: the workers race to create and migrate the fresh file too.
      const file = join(dir.path, 'shared', 'cache.db');
      const workers = Array.from({ length: WORKERS }, (_, id) => startWorker(file, id, touchFlushMs));
      await Promise.all(workers.map((worker) => worker.ready));
      for (const worker of workers) worker.child.send('go');
      const reports = await Promise.all(workers.map((worker) => worker.report));

      expect(reports.flatMap((report) => report.errors)).toEqual([]);
      expect(reports.map((report) => report.reads)).toEqual(new Array(WORKERS).fill(ROUNDS * KEYS));

      const index = openSqliteIndex({ file });
      for (let k = 0; k < KEYS; k++) {
        const touched = reports.reduce((sum, report) => sum + (report.touches[k] ?? 0), 0);
        expect(touched).toBe(WORKERS * ROUNDS);
        const entry = index.get(k % 2 === 0 ? 'tts' : 'image', k.toString(16).padStart(64, '0'));
        expect(entry?.useCount).toBe(touched + 1);
      }
      expect(index.stats().entries).toBe(KEYS);
      expect(index.integrityCheck()).toEqual({ ok: true, problems: [] });
      index.close();

      const db = new Database(file, { readonly: true });
      const duplicates = db
        .prepare(
          'SELECT count(*) FROM (SELECT 1 FROM cache_entries GROUP BY asset_type, prompt_hash HAVING count(*) > 1)',
        )
        .pluck()
        .get();
      expect(duplicates).toBe(0);
      db.close();
    },
  );
});
