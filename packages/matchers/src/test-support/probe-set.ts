import { readFileSync } from 'node:fs';
import { createMemoryIndex, deriveKey, type Matcher, type MatchKind } from '@tiercache/core';
import { entryFor } from './entries.js';

/** One labeled pair: should `request` be served the entry stored for `stored`? */
export interface ProbePair {
  type: 'image' | 'tts';
  category: string;
  /** `hit`: the same output written differently; `miss`: a different picture or spoken text. */
  expect: 'hit' | 'miss';
  stored: string;
  request: string;
}

export interface ProbeOutcome {
  pair: ProbePair;
  /** How the request was served from the stored entry, or `undefined` for a miss. */
  served: MatchKind | undefined;
}

/** The project's labeled probe set (`packages/matchers/probe-set/pairs.json`). */
export function loadProbeSet(): ProbePair[] {
  const file = new URL('../../probe-set/pairs.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { pairs: ProbePair[] }).pairs;
}

const PARAMS = { image: { model: 'probe' }, tts: { engine: 'probe', voice: 'probe' } };

/**
 * Stores each pair's `stored` prompt alone in a fresh index and asks `matchers` (in order, as
 * the cache runs them) for its `request`.
 */
export async function runProbe(
  pairs: readonly ProbePair[],
  matchers: () => readonly Matcher[],
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const pair of pairs) {
    const index = createMemoryIndex();
    index.insert(entryFor({ type: pair.type, prompt: pair.stored, params: PARAMS[pair.type] }));
    const request = deriveKey({ type: pair.type, prompt: pair.request, params: PARAMS[pair.type] });
    let served: MatchKind | undefined;
    for (const matcher of matchers()) {
      const match = await matcher.find(request, index);
      if (match) {
        served = match.kind;
        break;
      }
    }
    outcomes.push({ pair, served });
  }
  return outcomes;
}

export interface ProbeScore {
  /** Pairs labeled `miss` that were served: wrong hits. */
  wrongHits: number;
  mustMiss: number;
  /** Pairs labeled `hit` that were served. */
  served: number;
  shouldHit: number;
}

/** Wrong hits and recall per category, plus `all`. */
export function scoreProbe(outcomes: readonly ProbeOutcome[]): Map<string, ProbeScore> {
  const scores = new Map<string, ProbeScore>();
  const bump = (category: string, outcome: ProbeOutcome) => {
    const score = scores.get(category) ?? { wrongHits: 0, mustMiss: 0, served: 0, shouldHit: 0 };
    if (outcome.pair.expect === 'miss') {
      score.mustMiss++;
      if (outcome.served) score.wrongHits++;
    } else {
      score.shouldHit++;
      if (outcome.served) score.served++;
    }
    scores.set(category, score);
  };
  for (const outcome of outcomes) {
    bump(outcome.pair.category, outcome);
    bump('all', outcome);
  }
  return scores;
}
