export { exactMatcher, type Match, type Matcher } from '@tiercache/core';
export {
  type EmbeddingMatcher,
  type EmbeddingMatcherOptions,
  type EmbedFunction,
  embeddingMatcher,
} from './embedding-matcher.js';
export { type HashedNgramEmbedderOptions, hashedNgramEmbedder } from './hashed-ngram-embedder.js';
export { type JaccardMatcher, type JaccardMatcherOptions, jaccardMatcher } from './jaccard-matcher.js';
export type { MatcherMemoryUsage } from './memory-usage.js';
export {
  type OpenAiEmbedder,
  type OpenAiEmbedderOptions,
  type OpenAiEmbedderStats,
  openAiEmbedder,
} from './openai-embedder.js';
export { DEFAULT_THRESHOLD, type TypeThreshold } from './thresholds.js';
export { jaccard, MAX_SHINGLE_SIZE, type TokenizeOptions, tokenize } from './tokenize.js';
