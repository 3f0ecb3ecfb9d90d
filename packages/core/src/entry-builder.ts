import { isPositive } from './cache-options.js';
import type { Destination, PutInfo } from './cache-types.js';
import type { Entry } from './contracts/entry.js';
import type { RequestKey } from './contracts/request.js';
import { validateEntry } from './entry-validation.js';
import { coreErrors } from './error-factories.js';
import { describeValue, TiercacheError } from './errors.js';
import { canonicalJson } from './json.js';
import { hashContent } from './request.js';

function invalidInfo(field: string, value: unknown, expected: string): never {
  throw coreErrors.invalidRequest(`info.${field} ${describeValue(value)} is invalid; expected ${expected}`, {
    context: { field },
  });
}

/** The entry for freshly generated content; info is validated and named in errors. */
export function buildEntry(
  request: RequestKey,
  bytes: Uint8Array,
  info: PutInfo,
  clock: { at: number; ttlMs: number | null },
): Entry {
  if (typeof info !== 'object' || info === null) {
    throw coreErrors.invalidRequest(`put info must be an object (got ${describeValue(info)})`, {
      context: { field: 'info' },
    });
  }
  const { at } = clock;
  // A negative or zero TTL would write an entry that is already expired; NaN one that never is.
  if (info.ttlMs !== undefined && info.ttlMs !== null && !isPositive(info.ttlMs))
    invalidInfo('ttlMs', info.ttlMs, 'a positive number of ms, or null for no expiry');
  if (info.extension === '') invalidInfo('extension', info.extension, '1-16 lowercase letters or digits');
  const ttl = info.ttlMs === undefined ? clock.ttlMs : info.ttlMs;
  const metadata = info.metadata ?? {};
  canonicalJson(metadata); // rejects metadata that is not plain JSON
  const entry: Entry = {
    type: request.type,
    key: request.key,
    prompt: request.prompt,
    params: request.canonicalParams,
    paramsHash: request.paramsHash,
    contentHash: hashContent(bytes),
    size: bytes.length,
    mediaType: info.mediaType,
    extension: info.extension,
    metadata,
    createdAt: at,
    lastUsedAt: at,
    useCount: 1,
    expiresAt: ttl === null ? null : at + ttl,
    generationCost: info.generationCost ?? null,
    generationMs: info.generationMs ?? null,
  };
  try {
    validateEntry(entry);
  } catch (error) {
    const field = error instanceof TiercacheError ? String(error.context.field) : 'info';
    throw new TiercacheError('E_INVALID_REQUEST', (error as Error).message.replace('entry.', 'info.'), {
      context: { field },
      cause: error,
    });
  }
  return entry;
}

/** Refuses what must never be cached: non-bytes and empty output. */
export function assertContent(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) {
    throw coreErrors.invalidRequest(`content must be a Uint8Array (got ${describeValue(bytes)})`, {
      context: { field: 'bytes' },
    });
  }
  if (bytes.length === 0) {
    throw coreErrors.emptyContent(
      'refusing to cache empty content (0 bytes); a generator that returns nothing has failed',
      { context: { field: 'bytes' } },
    );
  }
}

/** Stores content; `inserted` false means another writer's entry won or storing failed. */

/** `getOrGenerate*` need a function to call on a miss. */
export function assertGenerator(generate: unknown): void {
  if (typeof generate !== 'function') {
    throw coreErrors.invalidRequest(`generate must be a function (got ${describeValue(generate)})`, {
      context: { field: 'generate' },
    });
  }
}

function invalidDestination(destination: unknown): TiercacheError {
  return coreErrors.invalidDestination(
    `destination must be a file path or a function of the entry returning one (got ${describeValue(destination)})`,
    { context: { field: 'destination' } },
  );
}

/** Files are delivered to a caller-chosen path (or a function choosing one); checked early. */
export function assertDestination(destination: unknown): void {
  if (typeof destination === 'function') return;
  if (typeof destination !== 'string' || destination.length === 0) throw invalidDestination(destination);
}

/** The path for `entry`: the destination itself, or what the caller's function picks. */
export function resolveDestination(destination: Destination, entry: Entry): string {
  const path: unknown = typeof destination === 'string' ? destination : destination(entry);
  if (typeof path !== 'string' || path.length === 0) throw invalidDestination(path);
  return path;
}
