import { invalidOption } from './invalid-option.js';

/** A similarity threshold in (0, 1], or `'exact-only'`: that type never gets a similar hit. */
export type TypeThreshold = number | 'exact-only';

/** The threshold of `jaccardMatcher` (and media's `'jaccard'` policy) unless told otherwise, as in the original system. */
export const DEFAULT_JACCARD_THRESHOLD = 0.85;

/**
 * The cosine threshold of `embeddingMatcher` unless told otherwise. The same figure as the
 * Jaccard default today, but a different measure: tune it per embedding model.
 */
export const DEFAULT_EMBEDDING_THRESHOLD = DEFAULT_JACCARD_THRESHOLD;

// 0 is refused: at 0 every prompt would be similar to every other one, which is never
// what a cache wants and would defeat the prefix filter's pigeonhole argument.
function assertThreshold(field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    invalidOption(field, value, 'a number greater than 0 and at most 1');
  }
}

/** Validates `threshold` and `thresholds` once; returns the per-type lookup. */
export function resolveThresholds(
  threshold: unknown,
  thresholds: unknown,
  defaultThreshold: number,
): (type: string) => number | 'exact-only' {
  const fallback = threshold ?? defaultThreshold;
  assertThreshold('threshold', fallback);
  const perType = new Map<string, TypeThreshold>();
  if (thresholds !== undefined) {
    if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) {
      invalidOption('thresholds', thresholds, "an object mapping asset types to a threshold or 'exact-only'");
    }
    for (const [type, value] of Object.entries(thresholds)) {
      if (value !== 'exact-only') assertThreshold(`thresholds.${type}`, value);
      perType.set(type, value as TypeThreshold);
    }
  }
  return (type) => perType.get(type) ?? fallback;
}
