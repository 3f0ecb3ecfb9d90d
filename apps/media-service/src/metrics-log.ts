import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Savings } from '@tiercache/core';
import type { LatencySummary, RequestSource } from './metrics-recorder.js';

/** Runs kept in `metrics.jsonl`: enough for months of daily runs, a file of a few hundred KB. */
export const METRICS_KEEP = 500;
export const METRICS_FILE = 'metrics.jsonl';

/** One line of `<cacheDir>/metrics.jsonl`: what one `generate` or `cache warm` run did. */
export interface RunRecord {
  /** 2 since savings are `{generations, generationMs, generationCost}`; version 1 lines are read as 2. */
  version: 2;
  /** ISO time the run ended. */
  at: string;
  command: 'generate' | 'warm';
  /** The channel of a `generate` run; `null` for warm. */
  channel: string | null;
  videos: number | null;
  profile: string;
  requests: number;
  exact: number;
  /** Hits on the same request written differently. Absent from records written before it existed: read as 0. */
  canonical: number;
  similar: number;
  generated: number;
  /** Requests that neither hit nor produced a file (warm items that failed). */
  failed: number;
  /** (exact + canonical + similar) / requests. */
  hitRate: number;
  elapsedMs: number;
  latencyMs: Record<RequestSource, LatencySummary>;
  misses: number;
  errors: number;
  evictions: number;
  tierHits: Record<string, number>;
  saved: Savings;
  /** The hits at hosted list prices, when the run computed it (generate does). */
  hostedEquivalent: number | null;
}

export const metricsPath = (cacheDir: string) => join(cacheDir, METRICS_FILE);

function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { version?: unknown; at?: unknown; hitRate?: unknown };
  return (
    (record.version === 1 || record.version === 2) &&
    typeof record.at === 'string' &&
    typeof record.hitRate === 'number'
  );
}

/** How version 1 wrote the savings. */
interface SavingsVersion1 {
  calls?: number;
  generationSeconds?: number;
  money?: number;
}

function savingsOfRecord(saved: Savings | SavingsVersion1 | undefined): Savings {
  if (saved && 'generations' in saved) return saved;
  return {
    generations: saved?.calls ?? 0,
    generationMs: Math.round((saved?.generationSeconds ?? 0) * 1000),
    generationCost: saved?.money ?? 0,
  };
}

const NO_LATENCY: LatencySummary = { count: 0, p50: null, p95: null, max: null };

/**
 * Older records in today's shape: version 1 savings renamed, and records written before
 * canonical hits were counted read as having none.
 */
function upgraded(record: RunRecord): RunRecord {
  return {
    ...record,
    version: 2,
    saved: savingsOfRecord(record.saved),
    canonical: record.canonical ?? 0,
    latencyMs: { ...record.latencyMs, canonical: record.latencyMs?.canonical ?? NO_LATENCY },
  };
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Appends one run and keeps the last `keep`. The whole file is rewritten through a temporary file
 * and a rename, so a reader never sees half a line; two runs ending at the same moment may drop
 * one record, which a metrics log can afford (a lock could not).
 */
export async function appendRunRecord(
  cacheDir: string,
  record: RunRecord,
  keep = METRICS_KEEP,
): Promise<void> {
  const file = metricsPath(cacheDir);
  await mkdir(dirname(file), { recursive: true });
  const lines = [...(await readLines(file)), JSON.stringify(record)].slice(-keep);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${lines.join('\n')}\n`);
    await rename(temporary, file);
  } catch (error) {
    // A full disk leaves an empty or short temporary file: never a leftover.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The last `limit` runs, oldest first; lines that are not run records (hand edits) are skipped. */
export async function readRunRecords(cacheDir: string, limit = METRICS_KEEP): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (const line of await readLines(metricsPath(cacheDir))) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRunRecord(parsed)) records.push(upgraded(parsed));
    } catch {
      // A torn or hand-edited line costs one run on the dashboard, not the dashboard.
    }
  }
  return records.slice(-limit);
}

/**
 * Writes the record, never failing the run: metrics are a by-product, so a cache folder that
 * cannot take them costs one warning line on stderr and nothing else.
 */
export async function saveRunRecord(
  cacheDir: string,
  record: RunRecord,
  warn: (message: string) => void,
): Promise<boolean> {
  try {
    await appendRunRecord(cacheDir, record);
    return true;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    warn(`run metrics not written to ${metricsPath(cacheDir)} (${reason})`);
    return false;
  }
}
