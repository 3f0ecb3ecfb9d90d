import type { CacheParts } from './cache-parts.js';
import type { Entry } from './contracts/entry.js';
import type { Match } from './contracts/matcher.js';
import type { RequestKey } from './contracts/request.js';
import { removeEntry } from './entry-removal.js';
import type { RunnerMatch } from './match-runner.js';
import { withExplanation } from './matcher.js';
import type { ReadOutcome } from './tier-access.js';

// Each round removes at least one stale entry; the cap only guards against a matcher that
// keeps answering with entries whose blobs are gone.
const MAX_LOOKUP_ROUNDS = 8;

/** What a lookup found: the match and the value its `read` produced. */
export type Found<T> = Pick<Match, 'kind' | 'score' | 'explanation'> & {
  entry: Entry;
  value: T;
  tier: string;
};

export interface ReadPathContext extends CacheParts {
  findMatch: (
    request: RequestKey,
    askRemote: boolean,
  ) => RunnerMatch | undefined | Promise<RunnerMatch | undefined>;
}

async function forget(
  { index, tiers, indexCall, events }: ReadPathContext,
  entry: Entry,
  reason: 'expired' | 'missing',
): Promise<void> {
  // An entry whose blob no tier holds has nothing left in the tiers to remove.
  const removed =
    reason === 'expired'
      ? await removeEntry({ index, tiers, indexCall }, entry)
      : indexCall('delete', () => index.delete(entry.type, entry.key), false);
  if (removed) events.emit('evict', { type: entry.type, key: entry.key, reason });
}

/**
 * The read path shared by `get` and `getFile`: matchers, expiry, then `read` through the
 * tiers; stale entries are dropped and the search goes on.
 */
export async function lookup<T, R>(
  context: ReadPathContext,

  request: RequestKey,
  read: (entry: Entry) => Promise<ReadOutcome<T>>,
  build: (found: Found<T>) => R,
): Promise<R | undefined> {
  const { index, events, session, indexCall, now, findMatch } = context;
  // Timing is only for listeners; the hit path skips the clock when nobody listens.
  const timed = events.listens('hit') || events.listens('miss');
  const started = timed ? performance.now() : 0;
  // A shared tier is asked at most once per lookup: its answer does not change meanwhile.
  let askRemote = true;
  for (let round = 0; round < MAX_LOOKUP_ROUNDS; round++) {
    const pending = findMatch(request, askRemote);
    const match = pending instanceof Promise ? await pending : pending;
    if (!match) break;
    const { entry } = match;
    if (entry.expiresAt !== null && entry.expiresAt <= now()) {
      await forget(context, entry, 'expired');
      continue;
    }
    const found = await read(entry);
    if (match.remote) askRemote = false;
    if (found === 'unavailable' || found === 'missing') {
      // An entry only just learned from a shared tier that cannot be served now is not kept:
      // a generation that follows must be able to record its own entry.
      if (found === 'missing' || match.remote) await forget(context, entry, 'missing');
      if (found === 'unavailable') break;
      continue;
    }
    const touched = indexCall('touch', () => index.touch(entry.type, entry.key, now()), undefined) ?? entry;
    session.recordHit(match.kind, touched);
    if (timed) {
      events.emit('hit', {
        type: request.type,
        key: request.key,
        kind: match.kind,
        score: match.score,
        ...withExplanation(match),
        tier: found.tier,
        entry: touched,
        durationMs: performance.now() - started,
      });
    }
    return build({
      kind: match.kind,
      score: match.score,
      ...withExplanation(match),
      entry: touched,
      value: found.value,
      tier: found.tier,
    });
  }
  session.recordMiss();
  if (timed)
    events.emit('miss', { type: request.type, key: request.key, durationMs: performance.now() - started });
  return undefined;
}

/** The read path bound to one cache, as `get`, `getFile` and generation use it. */
export function createLookup(context: ReadPathContext) {
  return <T, R>(
    request: RequestKey,
    read: (entry: Entry) => Promise<ReadOutcome<T>>,
    build: (found: Found<T>) => R,
  ): Promise<R | undefined> => lookup(context, request, read, build);
}
