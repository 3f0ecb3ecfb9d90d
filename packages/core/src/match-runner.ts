import type { IndexCall } from './cache-parts.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { Match, Matcher } from './contracts/matcher.js';
import type { RequestKey } from './contracts/request.js';
import { validateEntry } from './entry-validation.js';
import type { CacheEventEmitter } from './events.js';
import { asTiercacheError } from './guard.js';
import type { TierAccess } from './tier-access.js';

/** A match; `remote` when it was just learned from a shared tier's `describe`. */
export type RunnerMatch = Match & { remote?: boolean };

interface MatchRunnerContext {
  matchers: readonly Matcher[];
  index: EntryIndex;
  tiers: TierAccess;
  events: CacheEventEmitter;
  indexCall: IndexCall;
  now: () => number;
}

/**
 * Step 1 of the read path: matchers in order, answers outside the request's partition
 * ignored, and an exact key stored by another machine preferred over a local similar match.
 */
export function createMatchRunner(
  context: MatchRunnerContext,
): (request: RequestKey, askRemote: boolean) => RunnerMatch | undefined | Promise<RunnerMatch | undefined> {
  const { matchers, index, tiers, events, indexCall, now } = context;
  const inPartition = (match: Match, request: RequestKey) =>
    match.entry.type === request.type && match.entry.paramsHash === request.paramsHash;
  const isRejected = index.isRejected?.bind(index);
  // Only pairings of two different keys can be rejected (see `TieredCache.reject`). When the
  // index cannot answer, the answer is not served: a rejected hit must never come back.
  const rejected = (match: Match, request: RequestKey) =>
    isRejected !== undefined &&
    match.entry.key !== request.key &&
    indexCall('isRejected', () => isRejected(request.type, request.key, match.entry.key), true);

  // The hot path, an exact hit from a synchronous first matcher, returns without a promise.
  return function findMatch(
    request: RequestKey,
    askRemote: boolean,
  ): RunnerMatch | undefined | Promise<RunnerMatch | undefined> {
    let first: ReturnType<Matcher['find']> | Error;
    try {
      first = matchers[0]!.find(request, index);
    } catch (error) {
      first = error instanceof Error ? error : new Error(String(error));
    }
    if (first && !(first instanceof Promise) && !(first instanceof Error) && first.kind === 'exact') {
      if (inPartition(first, request) && !rejected(first, request)) return first;
    }
    return search(request, first, askRemote);
  };

  async function search(
    request: RequestKey,
    first: ReturnType<Matcher['find']> | Error,
    askRemote: boolean,
  ): Promise<RunnerMatch | undefined> {
    let fallback: Match | undefined;
    for (const [i, matcher] of matchers.entries()) {
      let match: Match | undefined;
      try {
        const found = i === 0 ? first : matcher.find(request, index);
        if (found instanceof Error) throw found;
        match = found instanceof Promise ? await found : found;
      } catch (error) {
        const wrapped = asTiercacheError(error, 'E_INDEX_UNAVAILABLE', {
          operation: `match:${matcher.name}`,
        });
        events.emit('error', { operation: `match:${matcher.name}`, error: wrapped });
        continue;
      }
      if (!match || !inPartition(match, request) || rejected(match, request)) continue;
      if (match.kind === 'exact') return match;
      fallback ??= match;
      break;
    }
    if (!askRemote) return fallback;
    // A shared index or tier may hold the exact key (stored by another machine): better than similar.
    if (index.lookupShared) {
      const shared = await index.lookupShared(request.type, request.key).catch(() => undefined);
      if (shared && shared.paramsHash === request.paramsHash)
        return { entry: shared, kind: 'exact', score: 1, remote: true };
    }
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
        return { entry: stored, kind: 'exact', score: 1, remote: true };
      } catch (error) {
        events.emit('error', {
          operation: 'describe',
          error: asTiercacheError(error, 'E_TIER_UNAVAILABLE', { operation: 'describe' }),
        });
      }
    }
    return fallback;
  }
}
