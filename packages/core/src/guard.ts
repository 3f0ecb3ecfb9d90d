import { coreErrors } from './error-factories.js';
import { isTiercacheError, TiercacheError } from './errors.js';

interface Deadline {
  at: number;
  expire: () => void;
}

// Tier calls are frequent and almost always fast: one shared sweep timer instead of a
// setTimeout/clearTimeout pair per call keeps the L1 hit path cheap. Deadlines are therefore
// honoured within SWEEP_MS. The timer is deliberately NOT unref'd: it runs only while a tier
// call is pending, and that call must keep the process alive until it settles or its deadline
// passes. A tier that waits on nothing but unref'd timers (a retry backoff, a breaker) would
// otherwise let Node exit mid-call with code 13, before the caller's generation even ran.
const SWEEP_MS = 10;
const deadlines = new Set<Deadline>();
let sweeper: ReturnType<typeof setTimeout> | undefined;

function sweep(): void {
  sweeper = undefined;
  const now = performance.now();
  for (const deadline of deadlines) {
    if (deadline.at <= now) {
      deadlines.delete(deadline);
      deadline.expire();
    }
  }
  if (deadlines.size > 0) arm();
}

function arm(): void {
  sweeper = setTimeout(sweep, SWEEP_MS);
}

/**
 * Settles like `promise`, or rejects with `E_TIER_TIMEOUT` when it has not settled within
 * `ms` (give or take the sweep interval).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: { tier: string; operation: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline: Deadline = {
      at: performance.now() + ms,
      expire: () =>
        reject(
          coreErrors.tierTimeout(`tier "${what.tier}" did not finish ${what.operation} within ${ms} ms`, {
            context: { ...what, timeoutMs: ms },
          }),
        ),
    };
    deadlines.add(deadline);
    if (sweeper === undefined) arm();
    promise.then(
      (value) => {
        if (deadlines.delete(deadline)) resolve(value);
      },
      (error: unknown) => {
        if (deadlines.delete(deadline)) reject(error);
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
  return new TiercacheError(
    code,
    `${coreErrors.packageName}: ${where} failed during ${what.operation}: ${reason}`,
    {
      context: { ...what },
      cause: error,
    },
  );
}
