import type { EntryIndex, Match, MatchDifference, Matcher, RequestKey } from '@tiercache/core';
import { EmbeddingPartition, type EmbeddingSpace, type EmbedFunction } from './embedding-partition.js';
import { wordDifferences } from './explain-differences.js';
import { type SimilarityGuard, similarityGuard } from './guard.js';
import { IndexMirror, mirroredMatcherMembers } from './index-mirror.js';
import { invalidOption, refuseUnknownOptions } from './invalid-option.js';
import type { MatcherMemoryUsage } from './memory-usage.js';
import { DEFAULT_EMBEDDING_THRESHOLD, resolveThresholds, type TypeThreshold } from './thresholds.js';
import { unitVector } from './vector.js';

export type { EmbedFunction };

export interface EmbeddingMatcherOptions {
  /**
   * Text → vector. Any model: `hashedNgramEmbedder()` offline, transformers.js, or an HTTP
   * embeddings API. Every call must return the same number of dimensions. Required.
   */
  embed: EmbedFunction;
  /**
   * Lowest cosine similarity that counts as a similar hit, for types not listed in
   * `thresholds`. A number greater than 0 and at most 1; tune it per model.
   * @default DEFAULT_EMBEDDING_THRESHOLD
   */
  threshold?: number;
  /**
   * Per asset type: its own threshold, or `'exact-only'` (never a similar hit).
   * @default {}
   */
  thresholds?: Readonly<Record<string, TypeThreshold>>;
  /**
   * The guard every hit must pass (see `similarityGuard`): a close vector is not the same
   * picture or sentence. `false` serves the nearest vector unguarded: only for experiments,
   * a hashed n-gram embedder serves most different prompts that way.
   * @default similarityGuard()
   */
  guard?: SimilarityGuard | false;
  /**
   * The matcher's name, as core reports it in `match:<name>` errors.
   * @default 'embedding'
   */
  name?: string;
}

export interface EmbeddingMatcher extends Matcher {
  find(request: RequestKey, index: EntryIndex): Promise<Match | undefined>;
  /** What the cached embeddings hold. */
  memoryUsage(): MatcherMemoryUsage;
  /** Unsubscribes from the indexes it followed and frees its embeddings. */
  close(): void;
}

// The request that just missed is usually put right after: remembering recent query
// vectors saves embedding the same prompt again when its entry arrives.
const RECENT_QUERIES = 64;
const MAX_STALE_RETRIES = 16;
// Nearest entries the guard may examine per lookup: beyond them, a hit is too unlikely to
// be worth reading more entries from the index.
const GUARDED_CANDIDATES = 8;

/**
 * Similar-prompt matcher over embeddings: the entry of the same (type, params) partition
 * with the highest cosine similarity to the request's prompt, at or above the threshold;
 * ties go to the smallest key. Embeddings are computed once per entry and kept in memory;
 * the search is a scan of the partition's vectors.
 */
export function embeddingMatcher(options: EmbeddingMatcherOptions): EmbeddingMatcher {
  refuseUnknownOptions<EmbeddingMatcherOptions>(options, [
    'embed',
    'threshold',
    'thresholds',
    'guard',
    'name',
  ]);
  const { embed } = options;
  if (typeof embed !== 'function') invalidOption('embed', embed, 'a function text => vector');
  const thresholdFor = resolveThresholds(options.threshold, options.thresholds, DEFAULT_EMBEDDING_THRESHOLD);
  const name = options.name ?? 'embedding';
  const guard = options.guard === undefined ? similarityGuard() : options.guard;
  if (guard !== false && (typeof guard !== 'object' || guard === null || typeof guard.check !== 'function')) {
    invalidOption('guard', guard, 'a similarityGuard() or false');
  }
  const recent = new Map<string, Float32Array | undefined>();

  const space: EmbeddingSpace = {
    dimensions: undefined,
    async embed(text) {
      if (recent.has(text)) return recent.get(text);
      const raw = await embed(text);
      const vector = unitVector(raw, space.dimensions);
      space.dimensions ??= (raw as { length: number }).length;
      return vector;
    },
  };
  const mirror = new IndexMirror(() => new EmbeddingPartition(space));

  async function queryVector(prompt: string): Promise<Float32Array | undefined> {
    const vector = await space.embed(prompt);
    recent.delete(prompt);
    recent.set(prompt, vector);
    if (recent.size > RECENT_QUERIES) recent.delete(recent.keys().next().value as string);
    return vector;
  }

  async function find(request: RequestKey, index: EntryIndex): Promise<Match | undefined> {
    const threshold = thresholdFor(request.type);
    if (threshold === 'exact-only') return undefined;
    const query = await queryVector(request.prompt);
    if (!query) return undefined;
    for (let attempt = 0; attempt <= MAX_STALE_RETRIES; attempt++) {
      const partition = mirror.partition(index, request.type, request.paramsHash);
      await partition.catchUp();
      const candidates = partition.search(query, threshold, request.key, guard ? GUARDED_CANDIDATES : 1);
      if (candidates.length === 0) return undefined;
      let stale = false;
      for (const best of candidates) {
        const match = mirror.confirm(index, request, best);
        if (!match) {
          stale = true;
          continue;
        }
        if (!guard) {
          const differences = wordDifferences(request.prompt, match.entry.prompt, 'unguarded');
          return {
            ...match,
            explanation: explanation(request, match.entry.prompt, 'embedding', differences),
          };
        }
        const verdict = guard.check(request.type, request.prompt, match.entry.prompt);
        if (!verdict.allowed) continue;
        return {
          ...match,
          kind: verdict.kind,
          explanation: explanation(request, match.entry.prompt, 'embedding+guard', verdict.differences),
        };
      }
      if (!stale) return undefined;
    }
    return undefined;
  }

  function explanation(
    request: RequestKey,
    matchedPrompt: string,
    policy: string,
    differences: MatchDifference[],
  ) {
    return { matcher: name, policy, requestedPrompt: request.prompt, matchedPrompt, differences };
  }

  return { name, find, ...mirroredMatcherMembers(mirror) };
}
