import { createMemoryIndex, deriveKey, isTiercacheError, type TiercacheError } from '@tiercache/core';
import { type EmbeddingsServer, startEmbeddingsServer } from '@tiercache/test-support/embeddings-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddingMatcher } from './embedding-matcher.js';
import { hashedNgramEmbedder } from './hashed-ngram-embedder.js';
import { openAiEmbedder } from './openai-embedder.js';
import { entryFor } from './test-support/entries.js';

const KEY = 'sk-test-0123456789abcdef';
const FAST_RETRIES = { retryDelayMs: 1, maxRetryDelayMs: 5 };

async function failureOf(promise: Promise<unknown>): Promise<TiercacheError> {
  try {
    await promise;
  } catch (error) {
    if (isTiercacheError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('openAiEmbedder against a local OpenAI-compatible server', () => {
  let server: EmbeddingsServer;
  beforeEach(async () => {
    server = await startEmbeddingsServer();
  });
  afterEach(() => server.close());

  it("returns the server's vectors in input order, and sends the key as a bearer token", async () => {
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'test-embed', apiKey: KEY });
    const [lake, city] = await Promise.all([embed('a calm lake'), embed('a neon city')]);
    const reference = hashedNgramEmbedder({ dimensions: 64 });
    expect(Array.from(lake)).toEqual(Array.from(reference('a calm lake')));
    expect(Array.from(city)).toEqual(Array.from(reference('a neon city')));
    expect(server.authorizations).toEqual([`Bearer ${KEY}`]);
  });

  it('coalesces the calls of one tick into one request, bounded by maxBatchSize', async () => {
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', maxBatchSize: 4 });
    const texts = Array.from({ length: 10 }, (_, i) => `prompt number ${i}`);
    await Promise.all(texts.map((text) => embed(text)));
    expect(server.requests.map((inputs) => inputs.length)).toEqual([4, 4, 2]);
    expect(server.requests.flat().sort()).toEqual([...texts].sort());
    expect(embed.stats()).toMatchObject({ requests: 3, embedded: 10, retries: 0 });
  });

  it('embeds a text once: cached vectors and requests under way are shared', async () => {
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', cacheSize: 2 });
    await Promise.all([embed('a'), embed('a'), embed('b')]);
    expect(server.requests).toEqual([['a', 'b']]);
    await embed('a');
    expect(server.requests).toHaveLength(1);
    await embed('c'); // the cache holds 2: 'b' (least recently used) goes
    await embed('b');
    expect(server.requests).toEqual([['a', 'b'], ['c'], ['b']]);
    expect(embed.stats()).toMatchObject({ cacheHits: 2, cached: 2, embedded: 4 });
  });

  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    server.plan({ status: 429, retryAfter: '0' }, { status: 503 }, { status: 500 });
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', ...FAST_RETRIES });
    expect((await embed('a calm lake')).length).toBe(64);
    expect(server.requests).toHaveLength(4);
    expect(embed.stats()).toMatchObject({ requests: 4, retries: 3 });
  });

  it('gives up after maxRetries with E_EMBEDDINGS_HTTP and the status', async () => {
    server.plan({ status: 502 }, { status: 502 }, { status: 502 });
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', maxRetries: 2, ...FAST_RETRIES });
    const error = await failureOf(embed('a calm lake'));
    expect(error.code).toBe('E_EMBEDDINGS_HTTP');
    expect(error.context).toMatchObject({ status: 502, attempts: 3 });
    expect(error.message).toMatch(
      /^@tiercache\/matchers: embeddings request to http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings \(model "m"\) failed with HTTP 502: .*planned 502/,
    );
    // A failed text is not cached: the next call asks again.
    expect((await embed('a calm lake')).length).toBe(64);
  });

  it('does not retry a 400, and never prints the API key, not even when the server echoes it', async () => {
    const guarded = await startEmbeddingsServer({ apiKey: 'sk-real-key-000000000000' });
    try {
      const embed = openAiEmbedder({ baseURL: guarded.baseURL, model: 'm', apiKey: KEY, ...FAST_RETRIES });
      const error = await failureOf(embed('a calm lake'));
      expect(error.code).toBe('E_EMBEDDINGS_HTTP');
      expect(error.context.status).toBe(401);
      expect(guarded.requests).toHaveLength(1);
      expect(error.message).toContain('Invalid API key provided: Bearer [redacted]');
      const printed = `${error.message} ${JSON.stringify(error.context)} ${error.stack}`;
      expect(printed).not.toContain(KEY);
    } finally {
      await guarded.close();
    }
    server.plan({ status: 400, body: `{"error":"input too long for key ${KEY}"}` });
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', apiKey: KEY, ...FAST_RETRIES });
    const error = await failureOf(embed('x'));
    expect(error.message).toMatch(/HTTP 400: \{"error":"input too long for key \[redacted\]"\}$/);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a slow answer after timeoutMs, retries it, and reports E_EMBEDDINGS_TIMEOUT at the end', async () => {
    server.plan({ delayMs: 400 });
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', timeoutMs: 50, ...FAST_RETRIES });
    expect((await embed('slow then fine')).length).toBe(64);
    expect(embed.stats()).toMatchObject({ requests: 2, retries: 1 });

    server.plan({ delayMs: 400 }, { delayMs: 400 });
    const impatient = openAiEmbedder({
      baseURL: server.baseURL,
      model: 'm',
      timeoutMs: 50,
      maxRetries: 1,
      ...FAST_RETRIES,
    });
    const error = await failureOf(impatient('always slow'));
    expect(error.code).toBe('E_EMBEDDINGS_TIMEOUT');
    expect(error.message).toMatch(/took longer than 50 ms$/);
  });

  it('refuses answers that are not embeddings with E_EMBEDDINGS_RESPONSE', async () => {
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm', cacheSize: 0 });
    for (const [body, reason] of [
      ['not json', /not JSON/],
      ['{"data": "nope"}', /no data array/],
      ['{"data": []}', /0 embeddings for 1 inputs/],
      ['{"data": [{"index": 5, "embedding": [1]}]}', /an embedding with index 5/],
      ['{"data": [{"index": 0, "embedding": "AAAA"}]}', /non-array embedding at index 0/],
    ] as const) {
      server.plan({ malformed: body });
      const error = await failureOf(embed('a'));
      expect(error.code, body).toBe('E_EMBEDDINGS_RESPONSE');
      expect(error.message, body).toMatch(reason);
    }
  });

  it('a server that is not there: E_EMBEDDINGS_UNAVAILABLE after the retries', async () => {
    const gone = server.baseURL;
    await server.close();
    const embed = openAiEmbedder({ baseURL: gone, model: 'm', maxRetries: 1, ...FAST_RETRIES });
    const error = await failureOf(embed('a'));
    expect(error.code).toBe('E_EMBEDDINGS_UNAVAILABLE');
    expect(error.message).toMatch(/failed: ECONNREFUSED$/);
    server = await startEmbeddingsServer();
  });

  it('plugs into embeddingMatcher: similar prompts match through the HTTP embedder', async () => {
    const embed = openAiEmbedder({ baseURL: server.baseURL, model: 'm' });
    const matcher = embeddingMatcher({ embed, threshold: 0.8 });
    const index = createMemoryIndex();
    const image = (prompt: string) => ({ type: 'image', prompt, params: { model: 'flux' } });
    index.insert(entryFor(image('a calm lake at sunrise, 4k')));
    index.insert(entryFor(image('neon city street at night')));
    const match = await matcher.find(deriveKey(image('calm lake at sunrise 4k')), index);
    // The guard sees the same request written differently: a canonical hit.
    expect(match).toMatchObject({ kind: 'canonical', entry: { prompt: 'a calm lake at sunrise, 4k' } });
    // Both stored prompts went in one request; the query in another.
    expect(server.requests.map((inputs) => inputs.length).sort()).toEqual([1, 2]);
    matcher.close();
  });
});

describe('openAiEmbedder options', () => {
  it('refuses bad options at construction, naming the option and never showing the key', () => {
    const base = { baseURL: 'http://127.0.0.1:1/v1', model: 'm' };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ model: 'm' }, /option baseURL undefined is invalid; expected an http\(s\) URL/],
      [{ ...base, baseURL: 'ftp://x/v1' }, /option baseURL "ftp:\/\/x\/v1" is invalid/],
      [
        { ...base, baseURL: `https://user:${KEY}@api.example/v1` },
        /option baseURL is invalid; expected a URL without credentials/,
      ],
      [{ ...base, baseURL: `https://api.example/v1?key=${KEY}` }, /option baseURL is invalid/],
      [{ ...base, model: '' }, /option model "" is invalid; expected a model name/],
      [{ ...base, apiKey: `${KEY} ` }, /option apiKey is invalid; expected a non-empty token without spaces/],
      [{ ...base, apikey: KEY }, /unknown option apikey \(did you mean apiKey\?\)$/],
      [{ ...base, timeoutMs: 0 }, /option timeoutMs 0 is invalid; expected an integer from 1 to 600,000/],
      [{ ...base, maxBatchSize: 1.5 }, /option maxBatchSize 1.5 is invalid/],
      [{ ...base, maxRetries: -1 }, /option maxRetries -1 is invalid/],
      [{ ...base, cacheSize: Number.NaN }, /option cacheSize NaN is invalid/],
      [{ ...base, dimensions: 0 }, /option dimensions 0 is invalid/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        openAiEmbedder(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(isTiercacheError(error, 'E_INVALID_OPTIONS'), JSON.stringify(options)).toBe(true);
      expect((error as Error).message).toMatch(/^@tiercache\/matchers: /);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(KEY);
    }
  });

  it('refuses an empty or non-string text with E_INVALID_REQUEST, sending nothing', async () => {
    const embed = openAiEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'm' });
    expect((await failureOf(embed(''))).code).toBe('E_INVALID_REQUEST');
    expect((await failureOf(embed(42 as unknown as string))).message).toMatch(
      /embeddings text 42 is invalid/,
    );
    expect(embed.stats().requests).toBe(0);
  });
});

describe('the README example', () => {
  it('runs as written, with the stand-in server as the base URL', async () => {
    const server = await startEmbeddingsServer();
    try {
      // From the README, with baseURL pointing at the stand-in (EMBEDDINGS_API_KEY is unset here):
      const embed = openAiEmbedder({
        baseURL: server.baseURL,
        model: 'nomic-embed-text',
        apiKey: process.env.EMBEDDINGS_API_KEY,
      });
      const matcher = embeddingMatcher({ embed, threshold: 0.9, thresholds: { tts: 'exact-only' } });
      const index = createMemoryIndex();
      const image = (prompt: string) => ({ type: 'image', prompt, params: {} });
      index.insert(entryFor(image('a calm lake at sunrise, cinematic, 4k')));
      const match = await matcher.find(deriveKey(image('a calm lake at sunrise, cinematic 4k')), index);
      expect(match?.entry.prompt).toBe('a calm lake at sunrise, cinematic, 4k');
      const tts = { type: 'tts', prompt: 'a calm lake at sunrise, cinematic, 4k', params: {} };
      expect(await matcher.find(deriveKey(tts), index)).toBeUndefined();
      matcher.close();
    } finally {
      await server.close();
    }
  });
});
