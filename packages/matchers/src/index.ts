export { exactMatcher, type Match, type Matcher } from '@tiercache/core';
export {
  type CanonicalMatcher,
  type CanonicalMatcherOptions,
  canonicalMatcher,
} from './canonical-matcher.js';
export {
  type EmbeddingMatcher,
  type EmbeddingMatcherOptions,
  type EmbedFunction,
  embeddingMatcher,
} from './embedding-matcher.js';
export type { FormMatcher } from './form-matcher.js';
export {
  type GuardVerdict,
  type SimilarityGuard,
  type SimilarityGuardOptions,
  similarityGuard,
} from './guard.js';
export { type GuardedMatcher, type GuardedMatcherOptions, guardedMatcher } from './guarded-matcher.js';
export { type HashedNgramEmbedderOptions, hashedNgramEmbedder } from './hashed-ngram-embedder.js';
export { type JaccardMatcher, type JaccardMatcherOptions, jaccardMatcher } from './jaccard-matcher.js';
export type { MatcherMemoryUsage } from './memory-usage.js';
export {
  type OpenAiEmbedder,
  type OpenAiEmbedderOptions,
  type OpenAiEmbedderStats,
  openAiEmbedder,
} from './openai-embedder.js';
export { type FormKind, MAX_FORM_LENGTH, type PromptForms } from './prompt-forms.js';
export { DEFAULT_EMBEDDING_THRESHOLD, DEFAULT_JACCARD_THRESHOLD, type TypeThreshold } from './thresholds.js';
export { jaccard, MAX_SHINGLE_SIZE, type TokenizeOptions, tokenize } from './tokenize.js';
export type { FormOptions, WordListOverrides } from './word-list-options.js';
export { ENGLISH, WORD_LISTS, type WordLists } from './word-lists.js';
