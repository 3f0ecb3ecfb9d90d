import type { IndexCall } from './cache-parts.js';
import type { Entry } from './contracts/entry.js';
import type { EntryIndex } from './contracts/entry-index.js';
import type { RequestKey } from './contracts/request.js';

export interface ClaimContext {
  index: EntryIndex;
  indexCall: IndexCall;
  now: () => number;
  claimMs: number;
  /** Serves the entry another process stored meanwhile; undefined when it cannot be read. */
  serve: (entry: Entry) => Promise<boolean>;
}

const FIRST_POLL_MS = 20;
const LONGEST_POLL_MS = 250;

/**
 * Before paying for a generation: with an index shared by several processes, claim the key,
 * or wait for the process that holds the claim to store its entry. Resolves `claimed` when
 * this process should generate (and later release), `served` when another process's entry
 * was delivered instead, `unclaimed` when the index has no claims (or waiting ran out).
 */
export async function claimOrWait(
  context: ClaimContext,
  request: RequestKey,
): Promise<'claimed' | 'served' | 'unclaimed'> {
  const { index, indexCall, now, claimMs, serve } = context;
  const claimShared = index.claimSharedGeneration?.bind(index);
  const claim = index.claimGeneration?.bind(index);
  if (!claimShared && !claim) return 'unclaimed';
  // Real time, not the cache clock: a test clock that stands still must not wait forever.
  const deadline = performance.now() + claimMs;
  let delay = FIRST_POLL_MS;
  for (;;) {
    // A failing index answers "claimed": generating is always the safe fallback.
    const options = { now: now(), claimMs };
    const claimed = claimShared
      ? await claimShared(request.type, request.key, options).catch(() => true)
      : indexCall('claimGeneration', () => claim!(request.type, request.key, options), true);
    if (claimed) return 'claimed';
    // Refused: either another process holds the claim, or the entry exists already (claims
    // are granted only while it is missing), which is worth checking before waiting.
    const entry = indexCall('get', () => index.get(request.type, request.key), undefined);
    if (entry && (await serve(entry))) return 'served';
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, LONGEST_POLL_MS);
    if (performance.now() >= deadline) return 'unclaimed';
  }
}

/** Ends a claim made by `claimOrWait`. */
export function releaseClaim(context: Pick<ClaimContext, 'index' | 'indexCall'>, request: RequestKey): void {
  const { index, indexCall } = context;
  if (!index.releaseGeneration) return;
  const release = index.releaseGeneration.bind(index);
  indexCall('releaseGeneration', () => release(request.type, request.key), undefined);
}
