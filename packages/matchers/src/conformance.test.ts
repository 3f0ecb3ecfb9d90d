// Every matcher of the package against the shared matcher contract (`matcherSuite`), with a
// pair of prompts each must pair and one it must not.
import { matcherSuite } from '@tiercache/test-suite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalMatcher } from './canonical-matcher.js';
import { embeddingMatcher } from './embedding-matcher.js';
import { guardedMatcher } from './guarded-matcher.js';
import { hashedNgramEmbedder } from './hashed-ngram-embedder.js';
import { jaccardMatcher } from './jaccard-matcher.js';

const test = { describe, it, expect, beforeEach, afterEach };
const lake = 'a calm lake at sunrise, golden light, 4k';

matcherSuite({
  test,
  name: 'canonical',
  create: () => canonicalMatcher(),
  kinds: ['canonical'],
  prompts: {
    type: 'tts',
    stored: 'Take 2 tablets every 4 hours.',
    requested: 'take two tablets every four hours',
    unrelated: 'Take four tablets every two hours.',
  },
});

matcherSuite({
  test,
  name: 'guarded',
  create: () => guardedMatcher(),
  kinds: ['canonical', 'similar'],
  prompts: {
    type: 'image',
    stored: 'a calm lake at sunrise',
    requested: 'image of a calm lake at sunrise, highly detailed, 4k',
    unrelated: 'a calm lake at sunset',
  },
});

matcherSuite({
  test,
  name: 'jaccard',
  create: () => jaccardMatcher(),
  kinds: ['similar'],
  prompts: {
    type: 'image',
    stored: lake,
    requested: 'A calm lake at sunrise: golden light (4K)!',
    unrelated: 'a red car parked in the rain at night',
  },
});

matcherSuite({
  test,
  name: 'embedding (hashed n-grams)',
  create: () => embeddingMatcher({ embed: hashedNgramEmbedder(), threshold: 0.8 }),
  kinds: ['similar'],
  prompts: {
    type: 'image',
    stored: lake,
    requested: 'calm lake at sunrise, golden light, highly detailed',
    unrelated: 'calm lake at sunset, golden light, 4k',
  },
});
