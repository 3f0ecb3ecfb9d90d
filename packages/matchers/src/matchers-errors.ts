import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories (core's codes and its own); every message starts with the package name. */
export const matchersErrors = errorsFor('@tiercache/matchers', {
  invalidEmbedding: 'E_INVALID_EMBEDDING',
  embeddingsHttp: 'E_EMBEDDINGS_HTTP',
  embeddingsTimeout: 'E_EMBEDDINGS_TIMEOUT',
  embeddingsUnavailable: 'E_EMBEDDINGS_UNAVAILABLE',
  embeddingsResponse: 'E_EMBEDDINGS_RESPONSE',
});

/** The factories of the embeddings API's failures. */
export type EmbeddingsFailure =
  | 'embeddingsHttp'
  | 'embeddingsTimeout'
  | 'embeddingsUnavailable'
  | 'embeddingsResponse';
