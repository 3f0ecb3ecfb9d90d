import type { EntryIndex, Match, Matcher, RequestKey } from '@tiercache/core';
import { wordDifferences } from './explain-differences.js';
import { IndexMirror, mirroredMatcherMembers } from './index-mirror.js';
import { refuseUnknownOptions } from './invalid-option.js';
import type { MatcherMemoryUsage } from './memory-usage.js';
import { DEFAULT_JACCARD_THRESHOLD, resolveThresholds, type TypeThreshold } from './thresholds.js';
import { TokenIndex } from './token-index.js';
import { assertShingleSize, tokenSet } from './tokenize.js';

export interface JaccardMatcherOptions {
  /**
   * Lowest Jaccard similarity that counts as a similar hit, for types not listed in
   * `thresholds`. A number greater than 0 and at most 1.
   * @default DEFAULT_JACCARD_THRESHOLD
   */
  threshold?: number;
  /**
   * Per asset type: its own threshold, or `'exact-only'` so that type never gets a similar
   * hit (recommended for `tts`: a similar text is different spoken words).
   * @default {}
   */
  thresholds?: Readonly<Record<string, TypeThreshold>>;
  /**
   * Words per shingle (see `tokenize`). 1 compares word sets as the original system did;
   * 2 also compares word order.
   * @default 1
   */
  shingleSize?: number;
  /**
   * The matcher's name, as core reports it in `match:<name>` errors.
   * @default 'jaccard'
   */
  name?: string;
}

export interface JaccardMatcher extends Matcher {
  /** Synchronous: the token index is in memory. */
  find(request: RequestKey, index: EntryIndex): Match | undefined;
  /** What the token indexes hold. */
  memoryUsage(): MatcherMemoryUsage;
  /** Unsubscribes from the indexes it followed and frees its structures. */
  close(): void;
}

// Bounds the retries when the index lost entries the matcher still held (another process
// deleted them): each retry forgets one such entry.
const MAX_STALE_RETRIES = 16;

/**
 * Similar-prompt matcher: the stored prompt of the same (type, params) partition with the
 * highest Jaccard similarity over token sets, at or above the threshold; ties go to the
 * smallest key. Exact search over an inverted token index with size and prefix filtering:
 * the answer is always the one a scan of the whole partition would give.
 */
export function jaccardMatcher(options: JaccardMatcherOptions = {}): JaccardMatcher {
  refuseUnknownOptions<JaccardMatcherOptions>(options, ['threshold', 'thresholds', 'shingleSize', 'name']);
  const thresholdFor = resolveThresholds(options.threshold, options.thresholds, DEFAULT_JACCARD_THRESHOLD);
  const shingleSize = options.shingleSize ?? 1;
  assertShingleSize(shingleSize);
  const name = options.name ?? 'jaccard';
  // A partition belongs to one type, so its index is built for that type's threshold
  // (exact-only types never search, so never build one).
  const mirror = new IndexMirror((type) => {
    const threshold = thresholdFor(type);
    return new TokenIndex(shingleSize, threshold === 'exact-only' ? 1 : threshold);
  });

  function find(request: RequestKey, index: EntryIndex): Match | undefined {
    const threshold = thresholdFor(request.type);
    if (threshold === 'exact-only') return undefined;
    const query = tokenSet(request.prompt, shingleSize);
    if (query.size === 0) return undefined;
    for (let attempt = 0; attempt <= MAX_STALE_RETRIES; attempt++) {
      const tokens = mirror.partition(index, request.type, request.paramsHash);
      const best = tokens.search(query, request.key);
      if (!best) return undefined;
      const match = mirror.confirm(index, request, best);
      if (match) {
        const differences = wordDifferences(request.prompt, match.entry.prompt, 'jaccard');
        return {
          ...match,
          explanation: {
            matcher: name,
            policy: 'jaccard',
            requestedPrompt: request.prompt,
            matchedPrompt: match.entry.prompt,
            differences,
          },
        };
      }
    }
    return undefined;
  }

  return { name, find, ...mirroredMatcherMembers(mirror) };
}
