import { createRedactor, type Redact } from '@tiercache/core';
import { MediaServiceError } from '../errors.js';
import type { GeneratedMedia, ImageEngine, ImageRequest } from './engine-types.js';

/** Options of `createTogetherEngine`. */
export interface TogetherOptions {
  /** Together.ai API key (`TOGETHER_API_KEY`); sent as a bearer token, never logged. */
  apiKey: string;
  /**
   * API base URL, without the trailing `/images/generations`.
   * @default 'https://api.together.xyz/v1'
   */
  baseUrl?: string;
  /**
   * Model used when a request names none.
   * @default 'black-forest-labs/FLUX.1-schnell'
   */
  model?: string;
  /**
   * Longest one request may take, in ms.
   * @default 60000
   */
  timeoutMs?: number;
}

/** The JSON body of `POST /images/generations` for one image. */
export function buildTogetherBody(request: ImageRequest): Record<string, unknown> {
  return {
    model: request.model,
    prompt: request.prompt,
    width: request.width,
    height: request.height,
    steps: request.steps,
    n: 1,
    response_format: 'b64_json',
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.negativePrompt ? { negative_prompt: request.negativePrompt } : {}),
  };
}

const SIGNATURES: { mediaType: string; extension: string; test: (b: Uint8Array) => boolean }[] = [
  {
    mediaType: 'image/png',
    extension: 'png',
    test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  },
  { mediaType: 'image/jpeg', extension: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mediaType: 'image/webp',
    extension: 'webp',
    test: (b) =>
      Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' &&
      Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP',
  },
];

/** The image format of `bytes` from its signature, or `undefined` when it is none of PNG, JPEG, WebP. */
export function imageFormat(bytes: Uint8Array): { mediaType: string; extension: string } | undefined {
  const kind = SIGNATURES.find((signature) => signature.test(bytes));
  return kind ? { mediaType: kind.mediaType, extension: kind.extension } : undefined;
}

const unredacted: Redact = (text) => text;

function failure(
  message: string,
  context: Record<string, unknown> = {},
  cause?: unknown,
  redact: Redact = unredacted,
): MediaServiceError {
  return new MediaServiceError('E_ENGINE', redact(`Together.ai ${message}`), { context, cause });
}

/** Reads the first image of a `/images/generations` answer; the media type comes from its bytes. */
export function parseTogetherResponse(body: unknown): Omit<GeneratedMedia, 'metadata'> & { id?: string } {
  const data = (body as { data?: unknown } | null)?.data;
  const first = Array.isArray(data) ? (data[0] as { b64_json?: unknown } | undefined) : undefined;
  if (typeof first?.b64_json !== 'string' || first.b64_json.length === 0)
    throw failure('answered without data[0].b64_json');
  const bytes = new Uint8Array(Buffer.from(first.b64_json, 'base64'));
  const kind = imageFormat(bytes);
  if (!kind) throw failure(`answered with ${bytes.length} bytes that are not a PNG, JPEG or WebP image`);
  const id = (body as { id?: unknown }).id;
  return {
    bytes,
    mediaType: kind.mediaType,
    extension: kind.extension,
    ...(typeof id === 'string' ? { id } : {}),
  };
}

/** Images from the Together.ai images API (`POST /v1/images/generations`, base64 answers). */
export function createTogetherEngine(options: TogetherOptions): ImageEngine {
  if (typeof options.apiKey !== 'string' || options.apiKey.length === 0)
    throw new MediaServiceError('E_CONFIG', 'TOGETHER_API_KEY: required by the together image engine');
  const baseUrl = (options.baseUrl ?? 'https://api.together.xyz/v1').replace(/\/+$/, '');
  const defaultModel = options.model ?? 'black-forest-labs/FLUX.1-schnell';
  const timeoutMs = options.timeoutMs ?? 60_000;
  // The API may echo what it was sent (a 401 quoting the Authorization header): every message
  // built from its answers is redacted with the key before it leaves the engine.
  const redact = createRedactor([options.apiKey]);
  return {
    engine: 'together',
    defaultModel,
    async render(request) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/images/generations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(buildTogetherBody(request)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw failure(`request failed: ${(error as Error).message}`, { baseUrl }, error, redact);
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (!response.ok) {
        const detail = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
        throw failure(
          `answered HTTP ${response.status}: ${typeof detail === 'string' ? detail : text.slice(0, 200)}`,
          { status: response.status },
          undefined,
          redact,
        );
      }
      if (body === undefined) throw failure(`answered HTTP ${response.status} with a body that is not JSON`);
      const { id, ...image } = parseTogetherResponse(body);
      return {
        ...image,
        metadata: { engine: 'together', model: request.model, ...(id ? { requestId: id } : {}) },
      };
    },
  };
}
