import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { openSqliteIndex } from '@tiercache/sqlite';
import { indexOfPrompt, payloadFor, sameBytes } from './payload.mjs';
import type { ReliabilityRow } from './table.js';

const WORKER = fileURLToPath(new URL('./crash-worker.mjs', import.meta.url));

export interface CrashRoundsOptions {
  dir: string;
  rounds: number;
  processes: number;
  /** Longest a worker lives before its SIGKILL, in ms (each gets a random share of it). */
  maxLifeMs: number;
  seed: number;
}

interface WorkerOutcome {
  lines: string[];
}

function runWorker(child: ChildProcess, lifeMs: number): Promise<WorkerOutcome> {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), lifeMs);
  return new Promise((resolve) => {
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ lines: text.split('\n').filter((line) => line !== '') });
    });
  });
}

async function tempFiles(dir: string): Promise<number> {
  const items = await readdir(dir, { recursive: true, withFileTypes: true });
  return items.filter((item) => item.isFile() && /\.tmp$/.test(item.name)).length;
}

/**
 * Rounds of several processes writing one cache concurrently, each killed with SIGKILL at a
 * random moment; after each round a verify with repair runs (as `cache verify --repair` does)
 * and every entry left is read back and compared with what its key must hold.
 */
export async function crashRounds(options: CrashRoundsOptions): Promise<ReliabilityRow> {
  const cacheDir = join(options.dir, 'cache');
  const outDir = join(options.dir, 'out');
  await mkdir(outDir, { recursive: true });
  let seed = options.seed;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const row: ReliabilityRow = {
    family: 'crash rounds (SIGKILL)',
    cases: 0,
    wrongBytes: 0,
    callerErrors: 0,
    leftovers: 0,
    notes: '',
  };
  let kills = 0;
  const failures: string[] = [];
  let checked = 0;
  let repaired = 0;
  let tempsFound = 0;
  for (let round = 0; round < options.rounds; round++) {
    const workers = Array.from({ length: options.processes }, (_, i) => {
      const child = spawn(
        process.execPath,
        [WORKER, cacheDir, outDir, String(options.seed * 1000 + round * 10 + i)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      // At least long enough to open the stack and write a few entries.
      return runWorker(child, 600 + Math.floor(random() * options.maxLifeMs));
    });
    for (const { lines } of await Promise.all(workers)) {
      kills++;
      let operations = 0;
      for (const line of lines) {
        if (line.startsWith('wrong')) row.wrongBytes++;
        else if (line.startsWith('error')) {
          row.callerErrors++;
          failures.push(line);
        } else if (line.startsWith('ops ')) operations = Number(line.slice(4));
      }
      row.cases += operations;
    }
    // The check, as after a crash: every writer is dead, so no temporary file is in progress.
    tempsFound += await tempFiles(cacheDir);
    const disk = createDiskTier({ dir: cacheDir, staleTempMs: 0 });
    const index = openSqliteIndex({ file: join(cacheDir, 'cache.db') });
    try {
      const entries = index.evictionCandidates({ now: Date.now(), limit: index.stats().entries + 1 });
      const result = await disk.verify({
        references: (ref) => index.blobReferences?.(ref) ?? 1,
        expected: entries,
        repair: true,
        onMissing: (entry) => void index.delete(entry.type, entry.key),
      });
      repaired += result.repaired + (result.missing ?? 0) + (result.corruptEntries ?? 0);
      const cache = createTieredCache({ index, tiers: [disk] });
      for (const entry of index.evictionCandidates({
        now: Date.now(),
        limit: index.stats().entries + 1,
      })) {
        checked++;
        if (!(await disk.has(entry))) row.leftovers++;
        const i = indexOfPrompt(entry.prompt);
        const hit = await cache.get({
          type: entry.type,
          prompt: entry.prompt,
          params: JSON.parse(entry.params),
        });
        if (hit && (i < 0 || !sameBytes(hit.bytes, payloadFor(i)))) row.wrongBytes++;
      }
      row.leftovers += await tempFiles(cacheDir);
    } finally {
      index.close();
    }
  }
  row.notes = `${options.rounds} rounds x ${options.processes} processes, ${kills} kills, operations counted to the last 10 before each kill; ${checked} entries read back after verify; killed writers left ${tempsFound} temporary files, verify repaired ${repaired} blobs or rows${failures.length ? `; first failure: ${failures[0]}` : ''}`;
  return row;
}
