import { TiercacheError } from '@tiercache/core';
import { describeValue, errorsFor } from '@tiercache/core/kit';

const errors = errorsFor('@tiercache/matchers');

import { type EmbeddingsEndpoint, type RequestCounters, requestEmbeddings } from './embeddings-request.js';
import { invalidOption } from './invalid-option.js';

export interface OpenAiEmbedderOptions {
  /**
   * The API root, up to the version: `https://api.openai.com/v1`, `https://api.together.xyz/v1`,
   * `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8080/v1` (text-embeddings-inference),
   * vLLM's `/v1`. `/embeddings` is appended. Required; no credentials or query in it.
   */
  baseURL: string;
  /** The embedding model, as the server names it. Required. */
  model: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`; local servers need none. Never printed: it is
   * removed from every error, server answers included.
   * @default no authorization header
   */
  apiKey?: string | undefined;
  /**
   * Output size for models that can shorten their vectors (OpenAI `text-embedding-3-*`).
   * @default not sent: the model's own size
   */
  dimensions?: number;
  /**
   * Longest one HTTP attempt may take before it is aborted (and retried).
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Texts per request. Calls made within the same tick are sent together, in requests of at
   * most this many inputs.
   * @default 64
   */
  maxBatchSize?: number;
  /**
   * Further attempts after a 429, 408, 5xx, timeout or network failure.
   * @default 3
   */
  maxRetries?: number;
  /**
   * Delay before the first retry; doubled each time, with jitter. A `Retry-After` header wins.
   * @default 500
   */
  retryDelayMs?: number;
  /**
   * Longest wait between two attempts, whatever the backoff or `Retry-After` says.
   * @default 10000
   */
  maxRetryDelayMs?: number;
  /**
   * Vectors kept in memory (least recently used go first), so a text is embedded once.
   * 0 keeps none.
   * @default 4096
   */
  cacheSize?: number;
}

/** Counters of one embedder, since it was created. */
export interface OpenAiEmbedderStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  /** Texts sent to the server (each batch counts its inputs). */
  embedded: number;
  /** Calls answered from the vector cache or from a request already under way. */
  cacheHits: number;
  /** Vectors in the cache now. */
  cached: number;
}

/** An `EmbedFunction` for `embeddingMatcher` that asks an OpenAI-compatible embeddings API. */
export interface OpenAiEmbedder {
  (text: string): Promise<Float32Array>;
  stats(): OpenAiEmbedderStats;
}

const KNOWN = [
  'baseURL',
  'model',
  'apiKey',
  'dimensions',
  'timeoutMs',
  'maxBatchSize',
  'maxRetries',
  'retryDelayMs',
  'maxRetryDelayMs',
  'cacheSize',
];

function integer(
  options: OpenAiEmbedderOptions,
  name: keyof OpenAiEmbedderOptions,
  min: number,
  max: number,
) {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    invalidOption(name, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function resolveEndpoint(options: OpenAiEmbedderOptions): EmbeddingsEndpoint {
  if (typeof options !== 'object' || options === null) invalidOption('', options, 'an options object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      // A misspelt apiKey would hold the key: unknown values are never shown.
      throw errors.invalidOption(key, undefined, `a known option (${KNOWN.join(', ')})`, {
        redactValue: true,
      });
    }
  }
  const { baseURL, model, apiKey } = options;
  // Checked first: a key in the wrong place must not be echoed by a later message.
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey.length === 0 || /\s/.test(apiKey))) {
    throw errors.invalidOption('apiKey', apiKey, 'a non-empty token without spaces', {
      redactValue: true,
    });
  }
  const url = typeof baseURL === 'string' && URL.canParse(baseURL) ? new URL(baseURL) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const shown = apiKey && typeof baseURL === 'string' && baseURL.includes(apiKey);
    throw errors.invalidOption('baseURL', baseURL, 'an http(s) URL such as https://api.openai.com/v1', {
      redactValue: Boolean(shown),
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw errors.invalidOption(
      'baseURL',
      baseURL,
      'a URL without credentials, query or fragment (put the key in apiKey)',
      { redactValue: true },
    );
  }
  if (typeof model !== 'string' || model.trim().length === 0) invalidOption('model', model, 'a model name');
  const timeoutMs = integer(options, 'timeoutMs', 1, 600_000) ?? 10_000;
  return {
    url: `${url.href.replace(/\/+$/, '')}/embeddings`,
    model,
    apiKey,
    dimensions: integer(options, 'dimensions', 1, 65_536),
    timeoutMs,
    maxRetries: integer(options, 'maxRetries', 0, 10) ?? 3,
    retryDelayMs: integer(options, 'retryDelayMs', 0, 60_000) ?? 500,
    maxRetryDelayMs: integer(options, 'maxRetryDelayMs', 0, 600_000) ?? 10_000,
  };
}

/** A least-recently-used map of bounded size (`Map` keeps insertion order). */
class VectorCache {
  readonly #vectors = new Map<string, Float32Array>();
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#vectors.size;
  }

  get(text: string): Float32Array | undefined {
    const vector = this.#vectors.get(text);
    if (vector) {
      this.#vectors.delete(text);
      this.#vectors.set(text, vector);
    }
    return vector;
  }

  set(text: string, vector: Float32Array): void {
    if (this.capacity === 0) return;
    this.#vectors.delete(text);
    this.#vectors.set(text, vector);
    if (this.#vectors.size > this.capacity) this.#vectors.delete(this.#vectors.keys().next().value as string);
  }
}

interface Waiting {
  resolve: (vector: Float32Array) => void;
  reject: (error: unknown) => void;
}

/**
 * An embedder over the OpenAI-compatible `POST /v1/embeddings` API (OpenAI, Together.ai, Ollama,
 * text-embeddings-inference, vLLM), for `embeddingMatcher({ embed })`. Calls made within one
 * tick are coalesced into requests of up to `maxBatchSize` inputs; a text already cached or
 * already on its way is not sent again; each attempt has a timeout; 429 and 5xx answers are
 * retried with backoff. Failures are `TiercacheError`s: `E_EMBEDDINGS_HTTP` (with
 * `context.status`), `E_EMBEDDINGS_TIMEOUT`, `E_EMBEDDINGS_UNAVAILABLE`, `E_EMBEDDINGS_RESPONSE`;
 * the API key never appears in them.
 */
export function openAiEmbedder(options: OpenAiEmbedderOptions): OpenAiEmbedder {
  const endpoint = resolveEndpoint(options);
  const maxBatchSize = integer(options, 'maxBatchSize', 1, 2048) ?? 64;
  const cache = new VectorCache(integer(options, 'cacheSize', 0, 10_000_000) ?? 4096);
  const counters: RequestCounters = { requests: 0, retries: 0 };
  let embedded = 0;
  let cacheHits = 0;
  // Texts waiting for the next flush, each with its caller (later callers share `inFlight`).
  let queued = new Map<string, Waiting>();
  const inFlight = new Map<string, Promise<Float32Array>>();
  let flushScheduled = false;

  async function send(batch: Map<string, Waiting>): Promise<void> {
    const texts = [...batch.keys()];
    embedded += texts.length;
    try {
      const vectors = await requestEmbeddings(endpoint, texts, counters);
      texts.forEach((text, i) => {
        const vector = Float32Array.from(vectors[i] as number[]);
        cache.set(text, vector);
        batch.get(text)?.resolve(vector);
      });
    } catch (error) {
      for (const waiting of batch.values()) waiting.reject(error);
    } finally {
      for (const text of texts) inFlight.delete(text);
    }
  }

  function flush(): void {
    flushScheduled = false;
    const all = queued;
    queued = new Map();
    let batch = new Map<string, Waiting>();
    for (const [text, waiting] of all) {
      batch.set(text, waiting);
      if (batch.size === maxBatchSize) {
        void send(batch);
        batch = new Map();
      }
    }
    if (batch.size > 0) void send(batch);
  }

  const embed = ((text: string): Promise<Float32Array> => {
    if (typeof text !== 'string' || text.length === 0) {
      return Promise.reject(
        new TiercacheError(
          'E_INVALID_REQUEST',
          `@tiercache/matchers: embeddings text ${describeValue(text)} is invalid; expected a non-empty string`,
          { context: { field: 'text' } },
        ),
      );
    }
    const cached = cache.get(text);
    if (cached) {
      cacheHits++;
      return Promise.resolve(cached);
    }
    const pending = inFlight.get(text);
    if (pending) {
      cacheHits++;
      return pending;
    }
    const promise = new Promise<Float32Array>((resolve, reject) => {
      queued.set(text, { resolve, reject });
    });
    inFlight.set(text, promise);
    if (!flushScheduled) {
      flushScheduled = true;
      // setImmediate, not a microtask: callers that await something first still join the batch.
      setImmediate(flush);
    }
    return promise;
  }) as OpenAiEmbedder;
  embed.stats = () => ({
    requests: counters.requests,
    retries: counters.retries,
    embedded,
    cacheHits,
    cached: cache.size,
  });
  return embed;
}
