// Run metrics: the built CLI's `generate` appends one record per run to <cacheDir>/metrics.jsonl,
// keeps the file bounded, and never fails a run because the record could not be written.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS_KEEP, type RunRecord, readRunRecords } from './metrics-log.js';
import { runCli } from './test-support/run-cli.js';
import { exists, useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-metrics-');
const cacheDir = () => join(dir.path, 'media_local_storage', 'cache');
const metricsFile = () => join(cacheDir(), 'metrics.jsonl');
const generate = (count = '3') =>
  runCli(dir.path, ['generate', '--channel', 'momentum_mindset', '--count', count]);

async function records(): Promise<RunRecord[]> {
  const text = await readFile(metricsFile(), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunRecord);
}

describe('metrics.jsonl', () => {
  it('records each generate run: counts, hit rate, latency per source, tier hits, savings', async () => {
    const first = await generate();
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const [run] = await records();
    expect(run).toMatchObject({
      version: 2,
      command: 'generate',
      channel: 'momentum_mindset',
      videos: 3,
      profile: 'local',
      requests: 24,
      exact: 7,
      canonical: 3,
      similar: 0,
      generated: 14,
      failed: 0,
      // The 14 generated assets and the 3 videos, encoded for the first time.
      misses: 17,
      errors: 0,
      saved: { generations: 10, generationCost: 0 },
    });
    expect(run?.hitRate).toBeCloseTo(10 / 24, 12);
    expect(Date.parse(run?.at ?? '')).not.toBeNaN();
    // One latency sample per cache request of each source (the 3 MP4s encoded are generations
    // too); percentiles are observed values in order.
    expect(run?.latencyMs.exact.count).toBe(7);
    expect(run?.latencyMs.canonical.count).toBe(3);
    expect(run?.latencyMs.similar.count).toBe(0);
    expect(run?.latencyMs.generated.count).toBe(17);
    for (const source of ['exact', 'canonical', 'generated'] as const) {
      const { p50, p95, max } = run?.latencyMs[source] ?? {};
      expect(p50).toBeGreaterThanOrEqual(0);
      expect(p50).toBeLessThanOrEqual(p95 ?? 0);
      expect(p95).toBeLessThanOrEqual(max ?? 0);
    }
    // The first run's hits come from what it just stored: memory L1 serves them all.
    expect(Object.values(run?.tierHits ?? {}).reduce((a, b) => a + b, 0)).toBe(10);
    expect(run?.saved.generationMs).toBeGreaterThan(0);
    expect(run?.hostedEquivalent).toBeGreaterThan(0);

    const second = await generate();
    expect(second.code).toBe(0);
    const [, again] = await records();
    expect(again).toMatchObject({ exact: 21, canonical: 3, similar: 0, generated: 0, hitRate: 1, misses: 0 });
    expect(again?.latencyMs.generated).toEqual({ count: 0, p50: null, p95: null, max: null });
    // A new process starts with an empty memory tier: the disk serves what it has not read yet.
    expect(again?.tierHits.disk).toBeGreaterThan(0);
  });

  it('reads records written before canonical hits were counted as having none', async () => {
    await mkdir(cacheDir(), { recursive: true });
    const latency = { count: 0, p50: null, p95: null, max: null };
    const legacy = { version: 1, at: '2025-01-01T00:00:00.000Z', hitRate: 0.5, exact: 1, similar: 1 };
    await writeFile(
      metricsFile(),
      `${JSON.stringify({ ...legacy, latencyMs: { exact: latency, similar: latency, generated: latency } })}\n`,
    );
    const [record] = await readRunRecords(cacheDir());
    expect(record).toMatchObject({ exact: 1, canonical: 0, similar: 1 });
    expect(record?.latencyMs.canonical).toEqual(latency);
  });

  it('reads version 1 savings in the current names', async () => {
    await mkdir(cacheDir(), { recursive: true });
    const saved = { calls: 4, generationSeconds: 1.25, money: 0.5 };
    await writeFile(
      metricsFile(),
      `${JSON.stringify({ version: 1, at: '2025-01-01T00:00:00.000Z', hitRate: 0.5, saved })}\n`,
    );
    const [record] = await readRunRecords(cacheDir());
    expect(record).toMatchObject({
      version: 2,
      saved: { generations: 4, generationMs: 1250, generationCost: 0.5 },
    });
  });

  it(`keeps the last ${METRICS_KEEP} runs`, async () => {
    await mkdir(cacheDir(), { recursive: true });
    const old = Array.from({ length: METRICS_KEEP + 100 }, (_, i) =>
      JSON.stringify({
        version: 1,
        at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
        hitRate: 0,
        marker: i,
      }),
    );
    await writeFile(metricsFile(), `${old.join('\n')}\n`);
    expect((await generate('1')).code).toBe(0);
    const lines = await records();
    expect(lines).toHaveLength(METRICS_KEEP);
    // The oldest 101 went; the newest line is this run.
    expect((lines[0] as unknown as { marker: number }).marker).toBe(101);
    expect(lines.at(-1)).toMatchObject({ command: 'generate', channel: 'momentum_mindset', videos: 1 });
  });

  it('a metrics file that cannot be written costs one warning, not the run', async () => {
    // A folder where the file should be: every write fails, whoever runs the test (root included).
    await mkdir(metricsFile(), { recursive: true });
    const run = await generate('1');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}hit rate {6}/m);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warning: run metrics not written to .*metrics\.jsonl \(E[A-Z]+\)$/),
    ]);
  });

  it('a disabled cache logs nothing and still creates no cache folder', async () => {
    const run = await runCli(dir.path, ['generate', '--channel', 'momentum_mindset', '--count', '1'], {
      TIERCACHE_ENABLE_CACHE: 'false',
    });
    expect(run.code).toBe(0);
    expect(await exists(cacheDir())).toBe(false);
  });
});
