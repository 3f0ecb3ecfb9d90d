import { isTiercacheError, TiercacheError } from './errors.js';

/** Rejects with `E_TIER_TIMEOUT` when `promise` has not settled within `ms`. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: { tier: string; operation: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new TiercacheError(
          'E_TIER_TIMEOUT',
          `@tiercache/core: tier "${what.tier}" did not finish ${what.operation} within ${ms} ms`,
          { context: { ...what, timeoutMs: ms } },
        ),
      );
    }, ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Wraps anything thrown by a tier or index as a `TiercacheError` with the given code. */
export function asTiercacheError(
  error: unknown,
  code: 'E_TIER_UNAVAILABLE' | 'E_INDEX_UNAVAILABLE',
  what: { tier?: string; operation: string },
): TiercacheError {
  if (isTiercacheError(error)) return error;
  const where = what.tier ? `tier "${what.tier}"` : 'the entry index';
  const reason = error instanceof Error ? error.message : String(error);
  return new TiercacheError(code, `@tiercache/core: ${where} failed during ${what.operation}: ${reason}`, {
    context: { ...what },
    cause: error,
  });
}
