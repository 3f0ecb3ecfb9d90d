import { deriveKey, type RequestKey } from '@tiercache/core';
import { guardedMatcher } from '@tiercache/matchers';
import { prng } from '../../packages/matchers/src/test-support/prng.js';
import { arrayIndex } from './array-index.js';
import { makeCorpus } from './prompt-corpus.js';

// Guarded matching (the default for images: canonical forms, then the similarity guard) at
// the sizes of the Jaccard table, on the same corpora. Every lookup computes the request's
// forms and reads one or two hash tables; a candidate is confirmed by recomputing its forms.

const SIZES = process.env.MATCHERS_BENCH_SIZES?.split(',').map(Number) ?? [1_000, 10_000, 100_000, 1_000_000];
const QUERIES = 2_000;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const us = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * A quarter of each: a stored prompt in capitals with its tags reversed (a canonical hit), a
 * stored prompt with a quality booster added (a guarded similar hit), a near-duplicate with a
 * word changed (refused), a fresh prompt (a miss).
 */
function queriesFor(prompts: string[], nearDuplicates: string[], random: () => number): string[] {
  return nearDuplicates.map((nearDuplicate, i) => {
    const stored = prompts[Math.floor(random() * prompts.length)]!;
    if (i % 4 === 0) return stored.split(', ').reverse().join(', ').toUpperCase();
    if (i % 4 === 1) return `${stored}, highly detailed`;
    return nearDuplicate;
  });
}

async function benchCorpus(kind: 'natural' | 'templated'): Promise<{ rows: string[]; builds: string[] }> {
  const rows: string[] = [];
  const builds: string[] = [];
  for (const size of SIZES) {
    gc();
    const rssBefore = process.memoryUsage().rss;
    const corpus = makeCorpus(kind, size, QUERIES, size + (kind === 'natural' ? 1 : 2));
    const index = arrayIndex(corpus.prompts);
    const queries = queriesFor(corpus.prompts, corpus.queries, prng(size));
    const requests: RequestKey[] = queries.map((prompt) =>
      deriveKey({ type: 'image', prompt, params: { model: 'bench' } }),
    );
    gc();
    const rssCorpus = process.memoryUsage().rss;
    const matcher = guardedMatcher();
    const buildStart = performance.now();
    matcher.find(requests[0]!, index); // the first lookup builds the partition's form tables
    const buildMs = performance.now() - buildStart;
    gc();
    const rssBuilt = process.memoryUsage().rss;
    builds.push(
      `| ${kind} | ${size.toLocaleString('en-US')} | ${Math.round(buildMs)} | ${mb(matcher.memoryUsage().bytes)} | ${mb(rssCorpus - rssBefore)} | ${mb(rssBuilt - rssCorpus)} | ${mb(rssBuilt)} |`,
    );
    for (const request of requests.slice(0, 200)) matcher.find(request, index); // warm-up
    const kinds = { canonical: 0, similar: 0 };
    const times: number[] = [];
    for (const request of requests) {
      const start = process.hrtime.bigint();
      const match = matcher.find(request, index);
      times.push(Number(process.hrtime.bigint() - start) / 1000);
      if (match?.kind === 'canonical' || match?.kind === 'similar') kinds[match.kind]++;
    }
    times.sort((a, b) => a - b);
    rows.push(
      `| ${kind} | ${size.toLocaleString('en-US')} | ${us(quantile(times, 0.5))} | ${us(quantile(times, 0.99))} | ${us(times[times.length - 1]!)} | ${kinds.canonical} | ${kinds.similar} | ${requests.length - kinds.canonical - kinds.similar} |`,
    );
    matcher.close();
  }
  return { rows, builds };
}

export async function benchFormMatchers(): Promise<void> {
  const natural = await benchCorpus('natural');
  const templated = await benchCorpus('templated');
  console.log(
    [
      '\n## Guarded matching (canonical forms + similarity guard, the image default): lookup',
      '',
      `Latency per lookup in µs over ${QUERIES} queries: a quarter canonical variants of stored prompts, a quarter`,
      'with a booster added, a quarter near-duplicates with a word changed, a quarter fresh prompts.',
      '',
      '| corpus | prompts | p50 | p99 | max | canonical hits | similar hits | misses |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...natural.rows,
      ...templated.rows,
      '',
      '## Guarded matching: build (lazy, on first lookup) and memory',
      '',
      '| corpus | prompts | build ms | matcher estimate MiB | corpus RSS MiB | index RSS MiB | total RSS MiB |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...natural.builds,
      ...templated.builds,
    ].join('\n'),
  );
}
