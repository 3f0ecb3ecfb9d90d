import { exactMatcher } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { canonicalMatcher } from './canonical-matcher.js';
import { guardedMatcher } from './guarded-matcher.js';
import { loadProbeSet, type ProbeOutcome, runProbe, scoreProbe } from './test-support/probe-set.js';

const pairs = loadProbeSet();
const describePair = ({ pair, served }: ProbeOutcome) =>
  `${pair.type}/${pair.category}: ${JSON.stringify(pair.stored)} → ${JSON.stringify(pair.request)} (${served ?? 'miss'})`;

describe('the labeled probe set', () => {
  it('has at least 300 pairs of both labels, for speech and images, in every category', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300);
    for (const type of ['image', 'tts'] as const) {
      const ofType = pairs.filter((pair) => pair.type === type);
      const categories = new Set(ofType.map((pair) => pair.category));
      for (const category of [
        'harmless',
        'negation',
        'order',
        'numbers',
        'colours',
        'counts',
        'style',
        'symbols',
        'long',
      ])
        expect(categories, `${type} ${category}`).toContain(category);
      expect(ofType.filter((pair) => pair.expect === 'hit').length).toBeGreaterThan(30);
      expect(ofType.filter((pair) => pair.expect === 'miss').length).toBeGreaterThan(80);
    }
  });

  it('speech, default policy (canonical): no wrong hit, at least 80% of harmless variants served', async () => {
    const outcomes = await runProbe(
      pairs.filter((pair) => pair.type === 'tts'),
      () => [exactMatcher(), canonicalMatcher()],
    );
    const wrong = outcomes.filter((outcome) => outcome.pair.expect === 'miss' && outcome.served);
    expect(wrong.map(describePair)).toEqual([]);
    const harmless = scoreProbe(outcomes).get('harmless')!;
    expect(harmless.served / harmless.shouldHit).toBeGreaterThanOrEqual(0.8);
  });

  it('images, default policy (guarded): no wrong hit, at least 70% of harmless variants served', async () => {
    const outcomes = await runProbe(
      pairs.filter((pair) => pair.type === 'image'),
      () => [exactMatcher(), guardedMatcher()],
    );
    const wrong = outcomes.filter((outcome) => outcome.pair.expect === 'miss' && outcome.served);
    expect(wrong.map(describePair)).toEqual([]);
    const harmless = scoreProbe(outcomes).get('harmless')!;
    expect(harmless.served / harmless.shouldHit).toBeGreaterThanOrEqual(0.7);
  });
});
