import type { EntryIndex } from './entry-index.js';
import { validateEntry } from './entry-validation.js';
import type { CacheEventEmitter } from './events.js';
import { asTiercacheError } from './guard.js';
import type { Match, Matcher } from './matcher.js';
import type { RequestKey } from './request.js';
import type { TierAccess } from './tier-access.js';

interface MatchRunnerContext {
  matchers: readonly Matcher[];
  index: EntryIndex;
  tiers: TierAccess;
  events: CacheEventEmitter;
  indexCall: <T>(operation: string, run: () => T, fallback: T) => T;
  now: () => number;
}

/**
 * Step 1 of the read path: matchers in order, answers outside the request's partition
 * ignored, and an exact key stored by another machine preferred over a local similar match.
 */
export function createMatchRunner(
  context: MatchRunnerContext,
): (request: RequestKey) => Promise<Match | undefined> {
  const { matchers, index, tiers, events, indexCall, now } = context;
  return async function findMatch(request: RequestKey): Promise<Match | undefined> {
    let fallback: Match | undefined;
    for (const matcher of matchers) {
      let match: Match | undefined;
      try {
        const found = matcher.find(request, index);
        // Synchronous matchers (exact) answer without a microtask hop on the hit path.
        match = found instanceof Promise ? await found : found;
      } catch (error) {
        const wrapped = asTiercacheError(error, 'E_INDEX_UNAVAILABLE', {
          operation: `match:${matcher.name}`,
        });
        events.emit('error', { operation: `match:${matcher.name}`, error: wrapped });
        continue;
      }
      if (!match) continue;
      if (match.entry.type !== request.type || match.entry.paramsHash !== request.paramsHash) continue;
      if (match.kind === 'exact') return match;
      fallback ??= match;
      break;
    }
    // A shared tier may hold the exact key (stored by another machine): better than similar.
    if (!tiers.canDescribe) return fallback;
    const remote = await tiers.describe(request.type, request.key);
    if (remote && remote.paramsHash === request.paramsHash) {
      try {
        validateEntry(remote);
        const stored = indexCall(
          'insert',
          () => index.insert({ ...remote, useCount: 1, lastUsedAt: now() }),
          remote,
        );
        return { entry: stored, kind: 'exact', score: 1 };
      } catch (error) {
        events.emit('error', {
          operation: 'describe',
          error: asTiercacheError(error, 'E_TIER_UNAVAILABLE', { operation: 'describe' }),
        });
      }
    }
    return fallback;
  };
}
