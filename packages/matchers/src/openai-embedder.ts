import { checkOptions, describeValue } from '@tiercache/core/kit';
import { type EmbeddingsEndpoint, type RequestCounters, requestEmbeddings } from './embeddings-request.js';
import { matchersErrors } from './matchers-errors.js';

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

interface ResolvedOptions {
  endpoint: EmbeddingsEndpoint;
  maxBatchSize: number;
  cacheSize: number;
}

function resolveOptions(options: OpenAiEmbedderOptions): ResolvedOptions {
  // Unknown options are named without their value: a misspelt apiKey would hold the key.
  const check = checkOptions<OpenAiEmbedderOptions>(matchersErrors.packageName, options, {
    known: [
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
    ],
  });
  // Checked first: a key in the wrong place must not be echoed by a later message.
  const apiKey = check.string('apiKey', {
    optional: true,
    maxLength: 4096,
    test: (key) => !/\s/.test(key),
    expected: 'a non-empty token without spaces',
    redactValue: true,
  });
  const { baseURL } = options;
  const url = typeof baseURL === 'string' && URL.canParse(baseURL) ? new URL(baseURL) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const shown = apiKey && typeof baseURL === 'string' && baseURL.includes(apiKey);
    throw check.errors.invalidOption('baseURL', baseURL, 'an http(s) URL such as https://api.openai.com/v1', {
      redactValue: Boolean(shown),
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw check.errors.invalidOption(
      'baseURL',
      baseURL,
      'a URL without credentials, query or fragment (put the key in apiKey)',
      { redactValue: true },
    );
  }
  const model = check.string('model', { test: (name) => name.trim().length > 0, expected: 'a model name' });
  const integer = (name: keyof OpenAiEmbedderOptions & string, min: number, max: number, fallback: number) =>
    check.integer(name, { min, max, default: fallback });
  return {
    endpoint: {
      url: `${url.href.replace(/\/+$/, '')}/embeddings`,
      model,
      apiKey,
      dimensions: check.integer('dimensions', { min: 1, max: 65_536, optional: true }),
      timeoutMs: integer('timeoutMs', 1, 600_000, 10_000),
      maxRetries: integer('maxRetries', 0, 10, 3),
      retryDelayMs: integer('retryDelayMs', 0, 60_000, 500),
      maxRetryDelayMs: integer('maxRetryDelayMs', 0, 600_000, 10_000),
    },
    maxBatchSize: integer('maxBatchSize', 1, 2048, 64),
    cacheSize: integer('cacheSize', 0, 10_000_000, 4096),
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
  const { endpoint, maxBatchSize, cacheSize } = resolveOptions(options);
  const cache = new VectorCache(cacheSize);
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
        matchersErrors.invalidRequest(
          `embeddings text ${describeValue(text)} is invalid; expected a non-empty string`,
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
