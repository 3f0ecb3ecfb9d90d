import type { Matcher } from '@tiercache/core';
import { embeddingMatcher, openAiEmbedder } from '@tiercache/matchers';
import type { ServiceConfig } from './config.js';

/**
 * The embedding matcher `config.embeddings` asks for, or `undefined` (media builds its matchers
 * from `config.similarity`). A type whose policy is exact-only or canonical stays exact-only;
 * the others are similar at `embeddings.threshold` (a cosine), every hit passing the guard.
 */
export function configuredMatcher(config: ServiceConfig): Matcher | undefined {
  const settings = config.embeddings;
  if (!settings) return undefined;
  const embed = openAiEmbedder({
    baseURL: settings.url,
    model: settings.model,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  });
  // Only policies that allow similar hits use the embeddings: canonical speech (the default)
  // stays off the server.
  const threshold = (policy: ServiceConfig['similarity']['tts']) =>
    policy === 'exact-only' || policy === 'canonical' ? 'exact-only' : settings.threshold;
  return embeddingMatcher({
    embed,
    name: 'embeddings',
    thresholds: { tts: threshold(config.similarity.tts), image: threshold(config.similarity.image) },
  });
}
