import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashedNgramEmbedder } from '@tiercache/matchers';

/** What the next request gets instead of vectors (each planned answer is used once, in order). */
export type PlannedAnswer =
  | { status: number; body?: string; retryAfter?: string }
  | { delayMs: number }
  | { malformed: string };

export interface EmbeddingsServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  /** Every request's inputs, in arrival order (refused and failed ones included). */
  requests: string[][];
  /** Authorization headers seen, in arrival order. */
  authorizations: (string | undefined)[];
  /** Queues answers for the next requests. */
  plan(...answers: PlannedAnswer[]): void;
  close(): Promise<void>;
}

export interface EmbeddingsServerOptions {
  /** When set, requests without `Bearer <key>` get a 401 whose body echoes what they sent and the key. */
  apiKey?: string;
  /** Vector length. @default 64 */
  dimensions?: number;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * A local stand-in for an OpenAI-compatible embeddings server (node:http on 127.0.0.1):
 * deterministic vectors (hashed character n-grams, so similar texts are close), request
 * counting, and planned failures: an HTTP status, a slow answer, a malformed body.
 */
export async function startEmbeddingsServer(
  options: EmbeddingsServerOptions = {},
): Promise<EmbeddingsServer> {
  const vectorOf = hashedNgramEmbedder({ dimensions: options.dimensions ?? 64 });
  const planned: PlannedAnswer[] = [];
  const requests: string[][] = [];
  const authorizations: (string | undefined)[] = [];

  const server = createServer(async (request, response) => {
    const text = await readBody(request);
    authorizations.push(request.headers.authorization);
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      json(response, 404, { error: { message: `no route ${request.method} ${request.url}` } });
      return;
    }
    let body: { model?: unknown; input?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      json(response, 400, { error: { message: 'body is not JSON' } });
      return;
    }
    const input = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    requests.push(input);
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      // Some servers do this: the error repeats the credentials it was given, and the real key.
      json(response, 401, {
        error: {
          message: `Invalid API key provided: ${request.headers.authorization ?? '(none)'}; expected ${options.apiKey}`,
        },
      });
      return;
    }
    const answer = planned.shift();
    if (answer && 'delayMs' in answer) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    else if (answer && 'status' in answer) {
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter }),
      });
      response.end(answer.body ?? JSON.stringify({ error: { message: `planned ${answer.status}` } }));
      return;
    } else if (answer && 'malformed' in answer) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(answer.malformed);
      return;
    }
    if (response.destroyed) return;
    json(response, 200, {
      object: 'list',
      model: body.model,
      // Reversed on purpose: clients must order by `index`, not by position.
      data: input
        .map((item, index) => ({ object: 'embedding', index, embedding: Array.from(vectorOf(item)) }))
        .reverse(),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    authorizations,
    plan: (...answers) => void planned.push(...answers),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
