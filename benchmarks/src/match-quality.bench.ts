import { exactMatcher, type Matcher } from '@tiercache/core';
import {
  canonicalMatcher,
  embeddingMatcher,
  guardedMatcher,
  hashedNgramEmbedder,
  jaccardMatcher,
} from '@tiercache/matchers';
import {
  loadProbeSet,
  type ProbePair,
  runProbe,
  scoreProbe,
} from '../../packages/matchers/src/test-support/probe-set.js';

// Match quality on the project's labeled probe set (packages/matchers/probe-set): for every
// policy, how many pairs that must miss were served (wrong hits) and how many harmless
// variants were served (recall), per category. Each pair is judged alone: the stored prompt
// is the only entry of its partition.

const CATEGORIES = ['negation', 'order', 'numbers', 'colours', 'counts', 'style', 'symbols', 'long'];

const POLICIES: { name: string; matchers: () => Matcher[] }[] = [
  { name: 'exact-only', matchers: () => [exactMatcher()] },
  { name: 'canonical', matchers: () => [exactMatcher(), canonicalMatcher()] },
  {
    name: 'guarded (speech opted in)',
    matchers: () => [exactMatcher(), guardedMatcher({ forms: { tts: 'speech', image: 'image' } })],
  },
  { name: 'jaccard (default threshold)', matchers: () => [exactMatcher(), jaccardMatcher()] },
  { name: 'jaccard 0.95', matchers: () => [exactMatcher(), jaccardMatcher({ threshold: 0.95 })] },
  {
    name: 'embedding (hashed n-grams, default threshold) + guard',
    matchers: () => [exactMatcher(), embeddingMatcher({ embed: hashedNgramEmbedder() })],
  },
  {
    name: 'embedding (hashed n-grams, default threshold), unguarded',
    matchers: () => [exactMatcher(), embeddingMatcher({ embed: hashedNgramEmbedder(), guard: false })],
  },
];

const ratio = (part: number, whole: number) => `${part}/${whole} (${Math.round((100 * part) / whole)} %)`;

async function table(type: ProbePair['type'], pairs: ProbePair[]): Promise<string[]> {
  const rows: string[] = [];
  for (const policy of POLICIES) {
    const scores = scoreProbe(await runProbe(pairs, policy.matchers));
    const all = scores.get('all')!;
    const harmless = scores.get('harmless')!;
    const cells = CATEGORIES.map((category) => {
      const score = scores.get(category);
      return score && score.mustMiss > 0 ? `${score.wrongHits}/${score.mustMiss}` : '—';
    });
    rows.push(
      `| ${type} | ${policy.name} | ${ratio(all.wrongHits, all.mustMiss)} | ${cells.join(' | ')} | ${ratio(harmless.served, harmless.shouldHit)} | ${ratio(all.served, all.shouldHit)} |`,
    );
  }
  return rows;
}

export async function benchMatchQuality(): Promise<void> {
  const pairs = loadProbeSet();
  const images = pairs.filter((pair) => pair.type === 'image');
  const speech = pairs.filter((pair) => pair.type === 'tts');
  console.log(
    [
      `\n## Match quality on the probe set (${images.length} image pairs, ${speech.length} speech pairs)`,
      '',
      'Wrong hits: pairs labeled "must miss" that the policy served, per category. Recall: pairs labeled',
      '"should hit" that it served (harmless variants, and long prompts with only a booster or case changed).',
      'Defaults: speech `canonical`, images `guarded`.',
      '',
      `| type | policy | wrong hits | ${CATEGORIES.join(' | ')} | harmless served | all should-hit served |`,
      `|---|---|---:|${CATEGORIES.map(() => '---:').join('|')}|---:|---:|`,
      ...(await table('image', images)),
      ...(await table('tts', speech)),
    ].join('\n'),
  );
}
