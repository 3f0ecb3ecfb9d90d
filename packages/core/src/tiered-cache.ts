import { validateCacheOptions } from './cache-options.js';
import { collectStats } from './cache-stats.js';
import type { CacheHit, Destination, FileHit, TieredCache, TieredCacheOptions } from './cache-types.js';
import type { AssetRequest, RequestKey } from './contracts/request.js';
import { resolveOwnedPaths, validateDestination, writeDestination } from './destination.js';
import { assertDestination, assertGenerator, resolveDestination } from './entry-builder.js';
import { removeEntry } from './entry-removal.js';
import { coreErrors } from './error-factories.js';
import { CacheEventEmitter } from './events.js';
import { createGeneration } from './generation.js';
import { asTiercacheError } from './guard.js';
import { connectLogger } from './log-failures.js';
import { createMatchRunner } from './match-runner.js';
import { exactMatcher, withExplanation } from './matcher.js';
import { createMemoryIndex } from './memory-index.js';
import { pruneEntries } from './prune.js';
import { createLookup } from './read-path.js';
import { rejectPairing } from './reject.js';
import { assertAssetType, deriveKey } from './request.js';
import { SessionCounters } from './session-counters.js';
import { TierAccess } from './tier-access.js';

/** Composes an index, matchers and blob tiers into one cache. See `TieredCacheOptions`. */
export function createTieredCache(options: TieredCacheOptions): TieredCache {
  validateCacheOptions(options);
  const index = options.index ?? createMemoryIndex();
  const matchers = options.matchers ?? [exactMatcher()];
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? null;
  const events = new CacheEventEmitter();
  const tiers = new TierAccess(
    [...options.tiers],
    (tier) => options.tierTimeouts?.[tier.name] ?? options.tierTimeoutMs ?? 5000,
    events,
    options.zeroCopyHits === true,
  );
  const session = new SessionCounters();
  if (options.logger) connectLogger(options.logger, options.tiers, events);
  let closed = false;
  // Tiers and the index keep their files where they were opened: resolved once.
  let owned: Promise<string[]> | undefined;
  const ownedPaths = () => {
    owned ??= resolveOwnedPaths([...options.tiers, index]);
    return owned;
  };
  /** A destination path, checked before anything is read, generated or written there. */
  const checkedDestination = async (path: unknown) => validateDestination(path, await ownedPaths());

  function assertOpen(): void {
    if (closed) throw coreErrors.closed('this cache has been closed');
  }

  /** Runs an index call; a failing index is reported and answers `fallback`. */
  function indexCall<T>(operation: string, run: () => T, fallback: T): T {
    try {
      return run();
    } catch (error) {
      events.emit('error', {
        operation,
        error: asTiercacheError(error, 'E_INDEX_UNAVAILABLE', { operation }),
      });
      return fallback;
    }
  }

  const findMatch = createMatchRunner({ matchers, index, tiers, events, indexCall, now });

  const lookup = createLookup({ index, tiers, events, session, indexCall, now, findMatch });

  function getBytes(request: RequestKey): Promise<CacheHit | undefined> {
    return lookup(
      request,
      (entry) => tiers.read(entry),
      (found) => ({
        kind: found.kind,
        score: found.score,
        ...withExplanation(found),
        entry: found.entry,
        bytes: found.value,
        tier: found.tier,
      }),
    );
  }

  function lookupFile(request: RequestKey, destination: Destination): Promise<FileHit | undefined> {
    return lookup(
      request,
      async (entry) => tiers.deliver(entry, await checkedDestination(resolveDestination(destination, entry))),
      (found) => ({
        kind: found.kind,
        score: found.score,
        ...withExplanation(found),
        entry: found.entry,
        path: found.value,
        tier: found.tier,
      }),
    );
  }

  const generation = createGeneration({
    index,
    tiers,
    events,
    session,
    indexCall,
    now,
    ttlMs,
    claimMs: options.claimMs ?? 120_000,
    lookup: getBytes,
  });

  return {
    index,
    tiers: tiers.tiers,
    async get(request: AssetRequest) {
      assertOpen();
      return getBytes(deriveKey(request));
    },
    async getFile(request, destination) {
      assertOpen();
      const key = deriveKey(request);
      assertDestination(destination);
      const checked = typeof destination === 'string' ? await checkedDestination(destination) : destination;
      return lookupFile(key, checked);
    },
    async put(request, bytes, info) {
      assertOpen();
      return (await generation.store(deriveKey(request), bytes, info)).entry;
    },
    async getOrGenerate(request, generate) {
      assertOpen();
      const key = deriveKey(request);
      assertGenerator(generate);
      return generation.shareGeneration(key, generate, true);
    },
    async getOrGenerateFile(request, destination, generate) {
      assertOpen();
      const key = deriveKey(request);
      assertDestination(destination);
      assertGenerator(generate);
      // A bad path fails now, before a generation is paid for; a path the caller picks from
      // the entry can only be checked once the entry is known.
      if (typeof destination === 'string') destination = await checkedDestination(destination);
      if (!generation.inflight(key)) {
        const hit = await lookupFile(key, destination);
        if (hit)
          return {
            source: hit.kind,
            score: hit.score,
            ...withExplanation(hit),
            entry: hit.entry,
            path: hit.path,
            tier: hit.tier,
            cached: true,
          };
      }
      // This caller just missed, so a generation it leads skips a second lookup.
      const result = await generation.shareGeneration(key, generate, false);
      const destPath = await checkedDestination(resolveDestination(destination, result.entry));
      await writeDestination(destPath, result.bytes);
      return {
        source: result.source,
        score: result.score,
        ...withExplanation(result),
        entry: result.entry,
        path: destPath,
        tier: result.tier,
        cached: result.cached,
      };
    },
    async delete(request) {
      assertOpen();
      const { type, key } = deriveKey(request);
      const entry = indexCall('get', () => index.get(type, key), undefined);
      if (!entry) return false;
      const removed = await removeEntry({ index, tiers, indexCall }, entry);
      if (removed) events.emit('evict', { type, key, reason: 'deleted' });
      return removed;
    },
    async reject(request, entry) {
      assertOpen();
      return rejectPairing({ index, tiers, events, now }, deriveKey(request), entry);
    },
    async clear(type) {
      assertOpen();
      if (type !== undefined) assertAssetType(type);
      const removed = indexCall('clear', () => index.clear(type), 0);
      await tiers.clearAll(type);
      return removed;
    },
    async prune(pruneOptions = {}) {
      assertOpen();
      return pruneEntries({ index, tiers, events, indexCall }, { now: now(), ...pruneOptions });
    },
    stats: () => collectStats({ index, tiers, session, indexCall }),
    ownedPaths,
    on: (name, listener) => events.on(name, listener),
    idle: () => tiers.idle(),
    async close() {
      if (closed) return;
      closed = true;
      await generation.idle();
      await tiers.idle();
      for (const tier of tiers.tiers) await tiers.call(tier, 'close', async () => tier.close?.());
      indexCall('close', () => index.close?.(), undefined);
    },
  };
}
