import * as crypto from 'node:crypto';
import { type RememberedParams, rememberParams } from './canonical-cache.js';
import type { AssetRequest, RequestKey } from './contracts/request.js';
import { coreErrors } from './error-factories.js';
import { describeValue } from './errors.js';

/**
 * Part of the hashed material. Raising it retires every existing key at once, which is
 * what a change to normalization must do.
 */
export const KEY_SCHEMA_VERSION = 1;
/** Longest accepted prompt, in UTF-16 code units, after normalization. */
export const MAX_PROMPT_LENGTH = 16_384;
/** Longest accepted asset type name. */
export const MAX_TYPE_LENGTH = 32;

const TYPE_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const WHITESPACE_RUN = /\s+/g;
// Printable ASCII words separated by single spaces: already NFC and already collapsed.
const ALREADY_NORMAL = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** Throws `E_INVALID_REQUEST` unless `type` is a short lowercase folder-safe name. */
export function assertAssetType(type: unknown): asserts type is string {
  if (
    typeof type !== 'string' ||
    type.length === 0 ||
    type.length > MAX_TYPE_LENGTH ||
    !TYPE_PATTERN.test(type)
  ) {
    throw coreErrors.invalidRequest(
      `asset type ${describeValue(type)} is invalid; use 1-${MAX_TYPE_LENGTH} characters of a-z, 0-9, '_' or '-', starting with a letter or digit`,
      {
        context: { field: 'type', value: typeof type === 'string' ? type.slice(0, 64) : describeValue(type) },
      },
    );
  }
}

/** Unicode NFC, trimmed, every run of whitespace collapsed to one space. */
export function normalizePrompt(prompt: string): string {
  if (ALREADY_NORMAL.test(prompt)) return prompt;
  return prompt.normalize('NFC').trim().replace(WHITESPACE_RUN, ' ');
}

// `crypto.hash` (Node >= 20.12) is a one-shot digest about 2.5x cheaper than createHash.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string | Uint8Array) => string }).hash;
function sha256Hex(data: string | Uint8Array): string {
  return oneShotHash ? oneShotHash('sha256', data) : crypto.createHash('sha256').update(data).digest('hex');
}

// Few distinct params sets exist in practice (a handful of voices and models), so their
// partition hash is remembered per type; the bound keeps a stream of unique seeds from
// growing it without limit.
const PARTITION_MEMO_LIMIT = 1024;
const partitionMemo = new Map<string, Map<string, string>>();
function partitionHash(type: string, canonicalParams: string): string {
  let byParams = partitionMemo.get(type);
  if (byParams === undefined) {
    byParams = new Map();
    partitionMemo.set(type, byParams);
  }
  let hash = byParams.get(canonicalParams);
  if (hash === undefined) {
    if (byParams.size >= PARTITION_MEMO_LIMIT) byParams.clear();
    // NUL cannot occur in a type or in canonical JSON, so the fields cannot run into each other.
    hash = sha256Hex(`tiercache/v${KEY_SCHEMA_VERSION}\u0000${type}\u0000${canonicalParams}`);
    byParams.set(canonicalParams, hash);
  }
  return hash;
}

// A reused params object (a voice config) keeps its partition hash beside its canonical
// text, so neither is recomputed while its content is unchanged.
function paramsHashOf(type: string, params: RememberedParams): string {
  if (params.partition?.type === type) return params.partition.hash;
  const hash = partitionHash(type, params.json);
  params.partition = { type, hash };
  return hash;
}

/** Validates a request and derives its key and partition. Throws `E_INVALID_REQUEST`. */
export function deriveKey(request: AssetRequest): RequestKey {
  if (typeof request !== 'object' || request === null) {
    throw coreErrors.invalidRequest(`request must be an object (got ${describeValue(request)})`, {
      context: { field: 'request' },
    });
  }
  const { type, prompt: rawPrompt, params } = request;
  assertAssetType(type);
  if (typeof rawPrompt !== 'string') {
    throw coreErrors.invalidRequest(`prompt must be a string (got ${describeValue(rawPrompt)})`, {
      context: { field: 'prompt' },
    });
  }
  const prompt = normalizePrompt(rawPrompt);
  if (prompt.length === 0) {
    throw coreErrors.invalidRequest('prompt is empty after trimming whitespace', {
      context: { field: 'prompt' },
    });
  }
  if (prompt.length > MAX_PROMPT_LENGTH) {
    throw coreErrors.invalidRequest(
      `prompt is ${prompt.length} characters long; the limit is ${MAX_PROMPT_LENGTH}`,
      { context: { field: 'prompt', length: prompt.length, limit: MAX_PROMPT_LENGTH } },
    );
  }
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw coreErrors.invalidRequest(`params must be a plain object (got ${describeValue(params)})`, {
      context: { field: 'params' },
    });
  }
  const remembered = params === undefined ? undefined : rememberParams(params);
  const canonicalParams = remembered === undefined ? '{}' : remembered.json;
  // The partition hash already binds schema version, type and params; the key adds the prompt.
  const paramsHash =
    remembered === undefined ? partitionHash(type, canonicalParams) : paramsHashOf(type, remembered);
  return { type, key: sha256Hex(`${paramsHash}\u0000${prompt}`), paramsHash, prompt, canonicalParams };
}

/** SHA-256 (hex) of content bytes, as stored in `Entry.contentHash`. */
export function hashContent(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}
