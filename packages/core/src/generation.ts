import type { CacheParts } from './cache-parts.js';
import type { CacheHit, CacheResult, GeneratedAsset, PutInfo } from './cache-types.js';
import type { Entry } from './contracts/entry.js';
import type { RequestKey } from './contracts/request.js';
import { assertContent, buildEntry } from './entry-builder.js';
import { coreErrors } from './error-factories.js';
import { describeValue } from './errors.js';
import { claimOrWait, releaseClaim } from './generation-claim.js';
import { asTiercacheError } from './guard.js';
import { withExplanation } from './matcher.js';

interface GenerationContext extends CacheParts {
  ttlMs: number | null;
  claimMs: number;
  /** The cache's read path, for a generation that looks up first. */
  lookup: (request: RequestKey) => Promise<CacheHit | undefined>;
}

/**
 * The write side of the cache: storing content (blobs before the index row, first writer
 * wins) and generating it once per key, shared by callers in this process and, through index
 * claims, by processes sharing the index.
 */
export function createGeneration(context: GenerationContext) {
  const { index, tiers, events, session, indexCall, now, ttlMs, claimMs, lookup } = context;
  const inflight = new Map<string, Promise<CacheResult>>();

  /** Joins the generation of this key already running in this process, or leads one. */
  async function shareGeneration(
    key: RequestKey,
    generate: () => Promise<GeneratedAsset>,
    lookupFirst: boolean,
  ): Promise<CacheResult> {
    const id = `${key.type}/${key.key}`;
    const running = inflight.get(id);
    if (running) {
      const result = await running;
      session.recordCoalesced(result.entry);
      return result;
    }
    const work = generateAndStore(key, generate, lookupFirst).finally(() => inflight.delete(id));
    inflight.set(id, work);
    return work;
  }

  async function store(
    request: RequestKey,
    bytes: Uint8Array,
    info: PutInfo,
  ): Promise<{ entry: Entry; cached: boolean; mine: Entry }> {
    assertContent(bytes);
    const entry = buildEntry(request, bytes, info, { at: now(), ttlMs });
    const existing = indexCall('get', () => index.get(entry.type, entry.key), undefined);
    if (existing) return { entry: existing, cached: true, mine: entry };
    const written = await tiers.writeAll(entry, bytes);
    if (written.length === 0) return { entry, cached: false, mine: entry };
    let stored: Entry | undefined;
    try {
      stored = index.insert(entry);
    } catch (error) {
      events.emit('error', {
        operation: 'insert',
        error: asTiercacheError(error, 'E_INDEX_UNAVAILABLE', { operation: 'insert' }),
      });
      return { entry, cached: false, mine: entry };
    }
    events.emit('store', {
      entry: stored,
      tiers: written,
      inserted: stored.contentHash === entry.contentHash && stored.createdAt === entry.createdAt,
    });
    // Another writer's entry may have won: then `bytes` are garbage in the tiers until prune/verify.
    return { entry: stored, cached: true, mine: entry };
  }

  async function generateAndStore(
    request: RequestKey,
    generate: () => Promise<GeneratedAsset>,
    lookupFirst: boolean,
  ): Promise<CacheResult> {
    const hit = lookupFirst ? await lookup(request) : undefined;
    if (hit)
      return {
        source: hit.kind,
        score: hit.score,
        ...withExplanation(hit),
        entry: hit.entry,
        bytes: hit.bytes,
        tier: hit.tier,
        cached: true,
      };
    let served: CacheResult | undefined;
    const claim = await claimOrWait(
      {
        index,
        indexCall,
        now,
        claimMs,
        serve: async (entry) => {
          const found = await tiers.read(entry);
          // An entry whose blob no tier holds would refuse every claim while it lasts: drop it,
          // so that the next claim is granted and the key is generated again.
          if (found === 'missing') indexCall('delete', () => index.delete(entry.type, entry.key), false);
          if (typeof found !== 'object') return false;
          const touched =
            indexCall('touch', () => index.touch(entry.type, entry.key, now()), undefined) ?? entry;
          // Another process paid for this generation: like a caller sharing one in-process.
          session.recordCoalesced(touched);
          served = {
            source: 'exact',
            score: 1,
            entry: touched,
            bytes: found.value,
            tier: found.tier,
            cached: true,
          };
          return true;
        },
      },
      request,
    );
    if (claim === 'served' && served) return served;
    try {
      return await generateNow(request, generate);
    } finally {
      if (claim === 'claimed') releaseClaim({ index, indexCall }, request);
    }
  }

  async function generateNow(
    request: RequestKey,
    generate: () => Promise<GeneratedAsset>,
  ): Promise<CacheResult> {
    const started = performance.now();
    const asset = await generate();
    if (typeof asset !== 'object' || asset === null) {
      throw coreErrors.invalidRequest(
        `the generator must resolve to {bytes, mediaType, extension} (got ${describeValue(asset)})`,
        { context: { field: 'generate' } },
      );
    }
    const { bytes, ...info } = asset;
    assertContent(bytes);
    const generationMs = info.generationMs ?? Math.round(performance.now() - started);
    const { entry, cached, mine } = await store(request, bytes, { ...info, generationMs });
    if (entry.contentHash === mine.contentHash)
      return { source: 'generated', score: 0, entry, bytes, tier: null, cached };
    // Another writer stored this key first with other bytes (a generator without a seed): the
    // index keeps its entry, so this caller gets that entry's bytes, as every later hit will.
    const found = await tiers.read(entry);
    if (typeof found === 'object')
      return { source: 'generated', score: 0, entry, bytes: found.value, tier: found.tier, cached: true };
    // Its bytes cannot be read now: this caller keeps its own bytes with its own (unstored) entry.
    return { source: 'generated', score: 0, entry: mine, bytes, tier: null, cached: false };
  }

  return {
    store,
    shareGeneration,
    inflight: (key: RequestKey) => inflight.has(`${key.type}/${key.key}`),
    idle: () => Promise.allSettled([...inflight.values()]),
  };
}
