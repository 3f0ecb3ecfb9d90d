import { deriveKey, type RequestKey } from '@tiercache/core';
import { DEFAULT_JACCARD_THRESHOLD, jaccard, jaccardMatcher, tokenize } from '@tiercache/matchers';
import { arrayIndex, keyOf } from './array-index.js';
import { makeCorpus } from './prompt-corpus.js';

// Jaccard similarity lookup: @tiercache/matchers' indexed search against the original
// design's scan (Jaccard against every stored prompt of the partition), on the same
// corpus and queries, with every answer checked for equality.

// MATCHERS_BENCH_SIZES=1000,10000 runs a quick subset.
const SIZES = process.env.MATCHERS_BENCH_SIZES?.split(',').map(Number) ?? [1_000, 10_000, 100_000, 1_000_000];
const QUERIES = 2_000;
// The scan is linear in the corpus: fewer queries at the large sizes keep the run short.
const SCAN_QUERIES: Record<number, number> = { 1000: 2_000, 10000: 1_000, 100000: 150 };
const THRESHOLD = DEFAULT_JACCARD_THRESHOLD;
function scan(sets: Set<string>[], query: Set<string>): { key: string; score: number } | undefined {
  let best: { key: string; score: number } | undefined;
  for (let i = 0; i < sets.length; i++) {
    const score = jaccard(query, sets[i]!);
    if (score < THRESHOLD || score === 0) continue;
    const key = keyOf(i);
    if (!best || score > best.score || (score === best.score && key < best.key)) best = { key, score };
  }
  return best;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const us = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function timeAll(run: (i: number) => unknown, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return times.sort((a, b) => a - b);
}

async function benchCorpus(kind: 'natural' | 'templated'): Promise<string[]> {
  const rows: string[] = [];
  const builds: string[] = [];
  for (const size of SIZES) {
    gc();
    const rssBefore = process.memoryUsage().rss;
    const { prompts, queries } = makeCorpus(kind, size, QUERIES, size + (kind === 'natural' ? 1 : 2));
    const index = arrayIndex(prompts);
    const requests: RequestKey[] = queries.map((prompt) =>
      deriveKey({ type: 'image', prompt, params: { model: 'bench' } }),
    );
    gc();
    const rssCorpus = process.memoryUsage().rss;
    const matcher = jaccardMatcher({ threshold: THRESHOLD });
    const buildStart = performance.now();
    matcher.find(requests[0]!, index); // the first lookup builds the partition's token index
    const buildMs = performance.now() - buildStart;
    gc();
    const rssBuilt = process.memoryUsage().rss;
    const usage = matcher.memoryUsage();
    builds.push(
      `| ${kind} | ${size.toLocaleString('en-US')} | ${Math.round(buildMs)} | ${mb(usage.bytes)} | ${mb(rssCorpus - rssBefore)} | ${mb(rssBuilt - rssCorpus)} | ${mb(rssBuilt)} |`,
    );

    for (const request of requests.slice(0, 200)) matcher.find(request, index); // warm-up
    const answers = requests.map(() => undefined as { key: string; score: number } | undefined);
    const indexed = timeAll((i) => {
      const match = matcher.find(requests[i]!, index);
      answers[i] = match && { key: match.entry.key, score: match.score };
    }, requests.length);
    const hits = answers.filter(Boolean).length;

    let scanCells = '— | — | —';
    let identical = 'n/a (scan too slow)';
    const scanCount = SCAN_QUERIES[size];
    if (scanCount !== undefined) {
      const sets = prompts.map((prompt) => tokenize(prompt));
      const querySets = queries.map((prompt) => tokenize(prompt));
      let mismatches = 0;
      const scanned = timeAll((i) => {
        const expected = scan(sets, querySets[i]!);
        const got = answers[i];
        if (expected?.key !== got?.key || expected?.score !== got?.score) mismatches++;
      }, scanCount);
      if (mismatches > 0) throw new Error(`${kind} ${size}: ${mismatches} answers differ from the scan`);
      const scanP50 = quantile(scanned, 0.5);
      scanCells = `${us(scanP50)} | ${us(quantile(scanned, 0.99))} | ${Math.round(scanP50 / quantile(indexed, 0.5))}×`;
      identical = `yes (${scanCount}/${scanCount})`;
    }
    rows.push(
      `| ${kind} | ${size.toLocaleString('en-US')} | ${us(quantile(indexed, 0.5))} | ${us(quantile(indexed, 0.99))} | ${scanCells} | ${hits}/${requests.length} | ${identical} |`,
    );
    matcher.close();
  }
  return [...rows, '', ...builds];
}

export async function benchMatchers(): Promise<void> {
  const natural = await benchCorpus('natural');
  const templated = await benchCorpus('templated');
  const split = (lines: string[]) => [lines.slice(0, lines.indexOf('')), lines.slice(lines.indexOf('') + 1)];
  const [naturalRows, naturalBuilds] = split(natural);
  const [templatedRows, templatedBuilds] = split(templated);
  console.log(
    [
      '\n## Jaccard similarity lookup (default threshold): indexed search vs the original scan',
      '',
      'Latency per lookup in µs over the same queries (half near-duplicates of stored prompts, half fresh).',
      'The scan gets precomputed token sets; "identical" compares key and score of every scanned query.',
      '',
      '| corpus | prompts | indexed p50 | indexed p99 | scan p50 | scan p99 | speed-up (p50) | hits | identical |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...naturalRows!,
      ...templatedRows!,
      '',
      '## Token index build (lazy, on first lookup) and memory',
      '',
      'RSS deltas after a forced GC; "corpus" is the prompts, keys and the array-backed index.',
      '',
      '| corpus | prompts | build ms | matcher estimate MiB | corpus RSS MiB | index RSS MiB | total RSS MiB |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...naturalBuilds!,
      ...templatedBuilds!,
    ].join('\n'),
  );
}
