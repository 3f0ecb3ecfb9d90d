import { describeValue } from '@tiercache/core/kit';
import { matchersError } from './matchers-errors.js';

/**
 * Checks an embedder's output and returns it as a unit-length Float32Array, or `undefined`
 * for the zero vector (a text the embedder could not place: it never matches).
 */
export function unitVector(value: unknown, dimensions: number | undefined): Float32Array | undefined {
  if (!(value instanceof Float32Array) && !Array.isArray(value)) {
    throw matchersError(
      'E_INVALID_EMBEDDING',
      `embed must return an array of numbers or a Float32Array (got ${describeValue(value)})`,
    );
  }
  if (value.length === 0 || (dimensions !== undefined && value.length !== dimensions)) {
    throw matchersError(
      'E_INVALID_EMBEDDING',
      `embed returned ${value.length} dimensions; expected ${dimensions ?? 'at least 1'}`,
      { context: { dimensions: value.length, expected: dimensions } },
    );
  }
  const out = new Float32Array(value.length);
  let norm = 0;
  for (let i = 0; i < value.length; i++) {
    const x = value[i] as unknown;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw matchersError(
        'E_INVALID_EMBEDDING',
        `embed returned ${describeValue(x)} at position ${i}; expected finite numbers`,
        { context: { position: i } },
      );
    }
    out[i] = x;
    norm += x * x;
  }
  if (norm === 0) return undefined;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/** Cosine similarity of two unit vectors, clamped to [-1, 1] against rounding. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return Math.max(-1, Math.min(1, dot));
}
