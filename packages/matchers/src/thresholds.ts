import { invalidOption } from './invalid-option.js';

/** A similarity threshold in (0, 1], or `'exact-only'`: that type never gets a similar hit. */
export type TypeThreshold = number | 'exact-only';

/** The threshold every similarity matcher uses unless told otherwise, as in the original system. */
export const DEFAULT_THRESHOLD = 0.85;

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
): (type: string) => number | 'exact-only' {
  const fallback = threshold ?? DEFAULT_THRESHOLD;
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
