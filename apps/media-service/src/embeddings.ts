import type { Matcher } from '@tiercache/core';
import { embeddingMatcher, openAiEmbedder } from '@tiercache/matchers';
import type { ServiceConfig } from './config.js';

/**
 * The embedding matcher `config.embeddings` asks for, or `undefined` (media builds its Jaccard
 * matcher from `config.similarity`). A type whose similarity policy is exact-only stays
 * exact-only; the others are similar at `embeddings.threshold` (a cosine, not a Jaccard score).
 */
export function configuredMatcher(config: ServiceConfig): Matcher | undefined {
  const settings = config.embeddings;
  if (!settings) return undefined;
  const embed = openAiEmbedder({
    baseURL: settings.url,
    model: settings.model,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  });
  const threshold = (policy: ServiceConfig['similarity']['tts']) =>
    policy === 'exact-only' ? policy : settings.threshold;
  return embeddingMatcher({
    embed,
    name: 'embeddings',
    thresholds: { tts: threshold(config.similarity.tts), image: threshold(config.similarity.image) },
  });
}
