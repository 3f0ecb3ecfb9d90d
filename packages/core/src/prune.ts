import type { IndexCall } from './cache-parts.js';
import type { PruneOptions, PruneResult } from './cache-types.js';
import type { EntryIndex } from './contracts/entry-index.js';
import { removeEntry } from './entry-removal.js';
import { coreErrors } from './error-factories.js';
import type { CacheEventEmitter } from './events.js';
import type { TierAccess } from './tier-access.js';

const BATCH = 256;

interface PruneContext {
  index: EntryIndex;
  tiers: TierAccess;
  events: CacheEventEmitter;
  indexCall: IndexCall;
}

function assertLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw coreErrors.invalidOption(`prune.${name}`, value, 'an integer >= 0');
  }
}

/**
 * Removes expired entries, then least recently used ones until the limits hold (see
 * `removeEntry`: a blob goes only with the last entry that references it). Limits count the
 * indexed bytes, as the user sees them, not the deduplicated bytes on storage.
 */
export async function pruneEntries(
  context: PruneContext,
  options: PruneOptions & { now: number },
): Promise<PruneResult> {
  const { index, tiers, events, indexCall } = context;
  assertLimit('maxBytes', options.maxBytes);
  assertLimit('maxEntries', options.maxEntries);
  const result: PruneResult = { expired: 0, evicted: 0, bytesFreed: 0 };
  const totals = indexCall('stats', () => index.stats(), undefined);
  if (!totals) return result;
  let bytes = totals.bytes;
  let entries = totals.entries;
  const overLimit = () =>
    (options.maxBytes !== undefined && bytes > options.maxBytes) ||
    (options.maxEntries !== undefined && entries > options.maxEntries);

  for (;;) {
    const batch = indexCall(
      'evictionCandidates',
      () => index.evictionCandidates({ now: options.now, limit: BATCH }),
      [],
    );
    let progressed = false;
    for (const entry of batch) {
      const expired = entry.expiresAt !== null && entry.expiresAt <= options.now;
      if (!expired && !overLimit()) return result;
      if (!(await removeEntry({ index, tiers, indexCall }, entry))) continue;
      progressed = true;
      bytes -= entry.size;
      entries -= 1;
      result.bytesFreed += entry.size;
      if (expired) result.expired++;
      else result.evicted++;
      events.emit('evict', { type: entry.type, key: entry.key, reason: expired ? 'expired' : 'lru' });
    }
    if (!progressed || batch.length < BATCH) return result;
  }
}
