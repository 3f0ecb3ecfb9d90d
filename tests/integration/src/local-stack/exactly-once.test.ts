// Exactly-once generation across processes: 16 processes, 500 keys, one SQLite index and one
// disk folder, mixed getOrGenerate, get and put.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hashContent } from '@tiercache/core';
import { useTempDir } from '@tiercache/test-support/temp-dir';
import { describe, expect, it } from 'vitest';
import { openLocalStack } from './support/open-local-stack.mjs';

const WORKER = fileURLToPath(new URL('./support/exactly-once-worker.mjs', import.meta.url));
const PROCESSES = 16;
const KEYS = 500;

interface WorkerReport {
  generated: number[];
  hashes: Record<string, string>;
  errors: string[];
  wrongBytes: number;
  gets: number;
  puts: number;
  coalesced: number;
}

function startWorker(dir: string, id: number) {
  const child: ChildProcess = fork(WORKER, [dir, String(id), String(KEYS)], { stdio: 'inherit' });
  let ready: () => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.on('message', (message) => {
      if (message === 'ready') ready();
      else resolve(message as WorkerReport);
    });
    child.on('exit', (code) => {
      const error = new Error(`worker ${id} exited with ${code} before reporting`);
      failed(error);
      reject(error);
    });
  });
  report.catch(() => undefined);
  return { child, started, report };
}

describe('exactly-once generation across processes', () => {
  const dir = useTempDir('tiercache-once-');

  it(`${PROCESSES} processes × ${KEYS} keys: every key generated once, no caller error, no wrong bytes`, async () => {
    openLocalStack(dir.path).index.close?.(); // the schema exists, as with a running service
    const workers = Array.from({ length: PROCESSES }, (_, id) => startWorker(dir.path, id));
    await Promise.all(workers.map((worker) => worker.started));
    const began = performance.now();
    for (const worker of workers) worker.child.send('go');
    const reports = await Promise.all(workers.map((worker) => worker.report));
    const seconds = (performance.now() - began) / 1000;

    const generations = reports.flatMap((report) => report.generated);
    const perKey = new Map<number, number>();
    for (const k of generations) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    const twice = [...perKey].filter(([, count]) => count > 1).map(([k]) => k);
    const figures = {
      processes: PROCESSES,
      keys: KEYS,
      seconds: Number(seconds.toFixed(1)),
      getOrGenerateCalls: PROCESSES * KEYS,
      generations: generations.length,
      keysGeneratedTwice: twice.length,
      waitedForAnotherProcess: reports.reduce((sum, report) => sum + report.coalesced, 0),
      gets: reports.reduce((sum, report) => sum + report.gets, 0),
      racingPuts: reports.reduce((sum, report) => sum + report.puts, 0),
      callerErrors: reports.reduce((sum, report) => sum + report.errors.length, 0),
      wrongBytes: reports.reduce((sum, report) => sum + report.wrongBytes, 0),
    };
    console.info(`exactly-once figures: ${JSON.stringify(figures)}`);

    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(figures.wrongBytes).toBe(0);
    expect(twice).toEqual([]);
    expect(perKey.size).toBe(KEYS);
    // Every process saw the one stored content of each key, and the stack still serves it.
    const cache = openLocalStack(dir.path);
    try {
      for (let k = 0; k < KEYS; k++) {
        const seen = new Set(reports.map((report) => report.hashes[k]));
        expect(seen.size, `key ${k}`).toBe(1);
        const hit = await cache.get({
          type: k % 2 ? 'image' : 'tts',
          prompt: `line ${k}`,
          params: { voice: 'v1' },
        });
        expect(hit && hashContent(hit.bytes)).toBe([...seen][0]);
      }
    } finally {
      await cache.close();
    }
  }, 120_000);
});
