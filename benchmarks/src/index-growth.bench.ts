import { FormPartition } from '../../packages/matchers/src/form-partition.js';
import { FormRules } from '../../packages/matchers/src/prompt-forms.js';
import { DEFAULT_JACCARD_THRESHOLD } from '../../packages/matchers/src/thresholds.js';
import { TokenIndex } from '../../packages/matchers/src/token-index.js';
import { ENGLISH } from '../../packages/matchers/src/word-lists.js';
import { keyOf } from './array-index.js';
import { makeCorpus } from './prompt-corpus.js';

// The longest pause while a matcher's partition grows one insert at a time (what a server
// sees as requests store new entries): the guarded matcher's form tables against the Jaccard
// token index, on the same prompts. A pause is one insert's wall time, so on this shared
// machine it includes whatever else ran then (GC, other processes).

const SIZE = Number(process.env.GROWTH_BENCH_SIZE ?? 1_000_000);

function grow(insert: (key: string, prompt: string) => void, prompts: string[]): string {
  const times = new Float64Array(prompts.length);
  const start = performance.now();
  for (let i = 0; i < prompts.length; i++) {
    const before = performance.now();
    insert(keyOf(i), prompts[i]!);
    times[i] = performance.now() - before;
  }
  const total = performance.now() - start;
  let longestAt = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! > times[longestAt]!) longestAt = i;
  const over = times.filter((t) => t > 50).length;
  const sorted = Float64Array.from(times).sort();
  const p999 = sorted[Math.floor(0.999 * sorted.length)]!;
  return `${Math.round(total)} | ${((1000 * total) / prompts.length).toFixed(1)} | ${(1000 * p999).toFixed(0)} | ${times[longestAt]!.toFixed(0)} (insert ${longestAt.toLocaleString('en-US')}) | ${over}`;
}

export async function benchIndexGrowth(): Promise<void> {
  const rows: string[] = [];
  for (const kind of ['natural', 'templated'] as const) {
    const { prompts } = makeCorpus(kind, SIZE, 1, SIZE + 3);
    const forms = new FormPartition(new FormRules(ENGLISH), 'image', true);
    rows.push(
      `| ${kind} | guarded (form tables) | ${grow((key, prompt) => forms.insert(key, prompt), prompts)} |`,
    );
    const tokens = new TokenIndex(1, DEFAULT_JACCARD_THRESHOLD);
    rows.push(
      `| ${kind} | jaccard, default threshold (token index) | ${grow((key, prompt) => tokens.insert(key, prompt), prompts)} |`,
    );
  }
  console.log(
    [
      `\n## Growing a partition to ${SIZE.toLocaleString('en-US')} prompts, one insert at a time`,
      '',
      '| corpus | matcher | total ms | µs per insert | p99.9 µs | longest insert ms | inserts over 50 ms |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  );
}
