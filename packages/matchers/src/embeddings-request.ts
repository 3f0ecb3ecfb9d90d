import type { TiercacheError } from '@tiercache/core';
import { type MatchersErrorCode, matchersError } from './matchers-errors.js';

/** What one `POST <baseURL>/embeddings` needs; resolved and validated by `openAiEmbedder`. */
export interface EmbeddingsEndpoint {
  /** `<baseURL>/embeddings` */
  url: string;
  model: string;
  apiKey: string | undefined;
  dimensions: number | undefined;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/** Counters of the HTTP side, for `OpenAiEmbedder.stats()`. */
export interface RequestCounters {
  requests: number;
  retries: number;
}

const REDACTED = '[redacted]';
const MAX_BODY_IN_MESSAGE = 200;

/** The text with every occurrence of the key replaced: servers echo keys back in error bodies. */
function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.split(apiKey).join(REDACTED) : text;
}

function failure(
  endpoint: EmbeddingsEndpoint,
  code: MatchersErrorCode,
  reason: string,
  context: Record<string, unknown> = {},
): TiercacheError {
  // Redacted before it is cut short, so a cut can never leave part of the key behind.
  const message = redact(
    `embeddings request to ${endpoint.url} (model ${JSON.stringify(endpoint.model)}) ${reason}`,
    endpoint.apiKey,
  );
  return matchersError(code, message, { context: { url: endpoint.url, ...context } });
}

const retryable = (status: number) => status === 429 || status === 408 || status >= 500;

/** `Retry-After` in ms (seconds or an HTTP date), when the server sent one. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function backoff(endpoint: EmbeddingsEndpoint, attempt: number, response?: Response): number {
  const told = response ? retryAfterMs(response) : undefined;
  // Full jitter: concurrent callers that failed together do not retry together.
  const wanted = told ?? endpoint.retryDelayMs * 2 ** attempt * (0.5 + Math.random() / 2);
  return Math.min(wanted, endpoint.maxRetryDelayMs);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function bodySnippet(response: Response, apiKey: string | undefined): Promise<string> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    return '';
  }
  const clean = redact(text, apiKey).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_BODY_IN_MESSAGE ? `${clean.slice(0, MAX_BODY_IN_MESSAGE)}...` : clean;
}

/** The vectors of an OpenAI-style answer, in input order; anything else is `E_EMBEDDINGS_RESPONSE`. */
function parseVectors(endpoint: EmbeddingsEndpoint, body: unknown, count: number): number[][] {
  const bad = (what: string) => failure(endpoint, 'E_EMBEDDINGS_RESPONSE', `returned ${what}`);
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw bad('no data array');
  if (data.length !== count) throw bad(`${data.length} embeddings for ${count} inputs`);
  const vectors = new Array<number[] | undefined>(count);
  data.forEach((item: unknown, position) => {
    const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
    const at = index === undefined ? position : index;
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at >= count || vectors[at]) {
      throw bad(`an embedding with index ${String(at)}`);
    }
    if (!Array.isArray(embedding) || embedding.length === 0) {
      throw bad(`a non-array embedding at index ${at} (base64 answers are not supported)`);
    }
    vectors[at] = embedding as number[];
  });
  return vectors as number[][];
}

/**
 * One batch: `POST {model, input: texts}`, each attempt bounded by `timeoutMs`, retried with
 * exponential backoff (or the server's `Retry-After`) after 429, 408, 5xx, a timeout or a
 * network failure. Never puts the API key into an error.
 */
export async function requestEmbeddings(
  endpoint: EmbeddingsEndpoint,
  texts: readonly string[],
  counters: RequestCounters,
): Promise<number[][]> {
  const body = JSON.stringify({
    model: endpoint.model,
    input: texts,
    ...(endpoint.dimensions === undefined ? {} : { dimensions: endpoint.dimensions }),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  for (let attempt = 0; ; attempt++) {
    counters.requests++;
    const last = attempt >= endpoint.maxRetries;
    let response: Response;
    try {
      response = await fetch(endpoint.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(endpoint.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      if (!last) {
        counters.retries++;
        await sleep(backoff(endpoint, attempt));
        continue;
      }
      if (timedOut) {
        throw failure(endpoint, 'E_EMBEDDINGS_TIMEOUT', `took longer than ${endpoint.timeoutMs} ms`, {
          attempts: attempt + 1,
        });
      }
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw failure(endpoint, 'E_EMBEDDINGS_UNAVAILABLE', `failed: ${reason}`, { attempts: attempt + 1 });
    }
    if (response.ok) {
      let parsed: unknown;
      try {
        parsed = await response.json();
      } catch {
        throw failure(endpoint, 'E_EMBEDDINGS_RESPONSE', 'returned a body that is not JSON');
      }
      return parseVectors(endpoint, parsed, texts.length);
    }
    if (retryable(response.status) && !last) {
      await response.body?.cancel().catch(() => undefined);
      counters.retries++;
      await sleep(backoff(endpoint, attempt, response));
      continue;
    }
    const snippet = await bodySnippet(response, endpoint.apiKey);
    throw failure(
      endpoint,
      'E_EMBEDDINGS_HTTP',
      `failed with HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
      { status: response.status, attempts: attempt + 1 },
    );
  }
}
