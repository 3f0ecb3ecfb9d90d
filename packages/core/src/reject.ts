import { KEY_PATTERN } from './blob-ref.js';
import type { RejectResult } from './cache-types.js';
import type { Entry } from './contracts/entry.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { RequestKey } from './contracts/request.js';
import { coreErrors } from './error-factories.js';
import { describeValue } from './errors.js';
import type { CacheEventEmitter } from './events.js';
import { asTiercacheError } from './guard.js';
import type { TierAccess } from './tier-access.js';

interface RejectContext {
  index: EntryIndex;
  tiers: TierAccess;
  events: CacheEventEmitter;
  now: () => number;
}

function invalid(field: string, value: unknown, expected: string): never {
  throw coreErrors.invalidRequest(
    `reject ${field} ${describeValue(value)} is invalid; expected ${expected}`,
    { context: { field, value: describeValue(value) } },
  );
}

/** The key of the rejected entry, from an entry of the request's type or a bare key. */
function entryKeyOf(request: RequestKey, entry: Entry | string): string {
  if (typeof entry === 'string') {
    if (!KEY_PATTERN.test(entry)) invalid('entry', entry, 'an entry or an entry key');
    return entry;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.key !== 'string') {
    invalid('entry', entry, 'an entry or an entry key');
  }
  if (entry.type !== request.type) {
    invalid('entry.type', entry.type, `the request's type ${JSON.stringify(request.type)}`);
  }
  if (!KEY_PATTERN.test(entry.key)) invalid('entry.key', entry.key, 'an entry key');
  return entry.key;
}

/** Index calls of a reject are the caller's explicit request: their failures are thrown, not hidden. */
function indexCall<T>(operation: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw asTiercacheError(error, 'E_INDEX_UNAVAILABLE', { operation });
  }
}

/**
 * `TieredCache.reject`. A pairing of two different keys (a canonical or similar hit) is recorded
 * in the index, so no process sharing it serves that entry to that request again; the entry
 * stays for the requests it does fit. The request's own entry (an exact hit) cannot be paired
 * away, since its regeneration would get the same key: it is deleted instead (index row, then
 * blobs), so the next request generates it anew.
 */
export async function rejectPairing(
  context: RejectContext,
  request: RequestKey,
  entry: Entry | string,
): Promise<RejectResult> {
  const { index, tiers, events, now } = context;
  const entryKey = entryKeyOf(request, entry);
  const pairing = { type: request.type, requestKey: request.key, entryKey };
  if (entryKey === request.key) {
    const stored = indexCall('get', () => index.get(request.type, entryKey));
    const removed = stored !== undefined && indexCall('delete', () => index.delete(request.type, entryKey));
    // Its blob goes only if no other entry shares the content (see `removeEntry`).
    if (stored && removed)
      await tiers.removeEntry(
        stored,
        indexCall('blobReferences', () => index.blobReferences?.(stored) ?? 1) === 0,
      );
    if (removed) events.emit('evict', { type: request.type, key: entryKey, reason: 'rejected' });
    return { action: 'deleted', ...pairing, entry: stored ?? null, isNew: removed };
  }
  if (typeof index.reject !== 'function' || typeof index.isRejected !== 'function') {
    throw coreErrors.unsupported(
      "this cache's index cannot record rejections (it has no reject/isRejected methods)",
      { context: { operation: 'reject' } },
    );
  }
  const record = index.reject.bind(index);
  const isNew = indexCall('reject', () => record(request.type, request.key, entryKey, now()));
  const stored = indexCall('get', () => index.get(request.type, entryKey)) ?? null;
  return { action: 'recorded', ...pairing, entry: stored, isNew };
}
