/**
 * A small side-by-side benchmark harness. Contenders run interleaved in rounds inside one
 * process, in a rotating order, so machine noise hits all of them alike; results are medians and p99 of
 * per-operation times, and ratios against the first contender (the baseline).
 */
export interface Contender {
  name: string;
  /** One operation. May be async. */
  run: () => unknown;
  /** Runs once before measuring (setup that should not be timed). */
  setup?: () => unknown;
}

export interface BenchOptions {
  /** Operations per sample; each sample's time is divided by it. @default 1 */
  batch?: number;
  /** Samples per contender. @default 200 */
  samples?: number;
  /** Unmeasured samples first. @default 20 */
  warmup?: number;
}

export interface BenchRow {
  name: string;
  medianUs: number;
  p99Us: number;
  opsPerSec: number;
  /** baseline median / this median: above 1 means faster than the baseline. */
  speedVsBaseline: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function compare(
  title: string,
  contenders: Contender[],
  options: BenchOptions = {},
): Promise<BenchRow[]> {
  const batch = options.batch ?? 1;
  const samples = options.samples ?? 200;
  const warmup = options.warmup ?? 20;
  for (const contender of contenders) await contender.setup?.();
  const times = contenders.map(() => [] as number[]);
  for (let round = 0; round < samples + warmup; round++) {
    // The starting contender rotates every round: work one operation leaves behind (a file
    // flush, a GC) then lands on each contender alike instead of always on the next one.
    for (let turn = 0; turn < contenders.length; turn++) {
      const c = (round + turn) % contenders.length;
      const { run } = contenders[c]!;
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) {
        const result = run();
        if (result instanceof Promise) await result;
      }
      const elapsed = Number(process.hrtime.bigint() - start) / 1000 / batch;
      if (round >= warmup) times[c]!.push(elapsed);
    }
  }
  const rows = contenders.map((contender, c) => {
    const sorted = times[c]!.sort((a, b) => a - b);
    const medianUs = quantile(sorted, 0.5);
    return {
      name: contender.name,
      medianUs,
      p99Us: quantile(sorted, 0.99),
      opsPerSec: 1e6 / medianUs,
      speedVsBaseline: 0,
    };
  });
  for (const row of rows) row.speedVsBaseline = rows[0]!.medianUs / row.medianUs;
  printTable(title, rows);
  return rows;
}

const fmt = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

export function printTable(title: string, rows: BenchRow[]): void {
  const lines = [
    `\n## ${title}`,
    '',
    '| contender | median µs | p99 µs | ops/s | speed vs baseline |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (row, i) =>
        `| ${row.name}${i === 0 ? ' (baseline)' : ''} | ${fmt(row.medianUs)} | ${fmt(row.p99Us)} | ${Math.round(row.opsPerSec).toLocaleString('en-US')} | ${row.speedVsBaseline.toFixed(2)}× |`,
    ),
  ];
  console.log(lines.join('\n'));
}
