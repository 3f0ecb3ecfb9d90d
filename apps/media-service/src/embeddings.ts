import type { EmbeddingMatcher } from '@tiercache/matchers';
import { embeddingMatcher, openAiEmbedder } from '@tiercache/matchers';
import type { MediaPolicies, SimilarityPolicy } from '@tiercache/media';
import type { ServiceConfig } from './config.js';

/** The similarity policy of each type, and the embedding matcher among them (to close it). */
export interface ConfiguredPolicies {
  policies: Required<MediaPolicies>;
  embeddings: EmbeddingMatcher | undefined;
}

/**
 * `config.similarity` as it is, unless `config.embeddings` is set: then each type whose policy
 * allows similar hits (guarded, jaccard) is answered by one embedding matcher, at
 * `embeddings.threshold` (a cosine), every hit passing the guard. Exact-only and canonical types
 * keep their policy, so canonical speech (the default) stays off the server.
 */
export function configuredPolicies(config: ServiceConfig): ConfiguredPolicies {
  const { similarity } = config;
  const settings = config.embeddings;
  const similar = (policy: SimilarityPolicy) => policy !== 'exact-only' && policy !== 'canonical';
  if (!settings || (!similar(similarity.tts) && !similar(similarity.image))) {
    return { policies: similarity, embeddings: undefined };
  }
  const embeddings = embeddingMatcher({
    embed: openAiEmbedder({
      baseURL: settings.url,
      model: settings.model,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    }),
    name: 'embeddings',
    threshold: settings.threshold,
  });
  return {
    policies: {
      tts: similar(similarity.tts) ? embeddings : similarity.tts,
      image: similar(similarity.image) ? embeddings : similarity.image,
    },
    embeddings,
  };
}
