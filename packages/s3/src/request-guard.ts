import { setTimeout as sleep } from 'node:timers/promises';
import { isTiercacheError, type TiercacheError } from '@tiercache/core';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Redact } from './credential-redaction.js';
import { s3Errors, tierReadOnly } from './s3-errors.js';
import type { S3TierEventEmitter } from './s3-events.js';
import type { ResolvedS3TierOptions } from './s3-options.js';

type FailureKind = 'timeout' | 'network' | 'server' | 'forbidden' | 'client' | 'closed';

interface Classified {
  kind: FailureKind;
  /** Short, credential-free description: `HTTP 503 SlowDown`, `ECONNRESET`, `timed out`. */
  reason: string;
  status: number | undefined;
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** True for the error `run` throws when the open breaker skipped the operation (nothing was sent). */
export function isSkipped(error: unknown): boolean {
  return isTiercacheError(error) && error.context.skipped === true;
}

/** 404 / NoSuchKey / NotFound: an answer ("absent"), not a failure. */
export function isNotFound(error: unknown): boolean {
  const name = (error as SdkErrorShape | undefined)?.name;
  return statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

function classify(error: unknown, timedOut: boolean, closed: boolean): Classified {
  if (closed) return { kind: 'closed', reason: 'the tier was closed', status: undefined };
  if (timedOut) return { kind: 'timeout', reason: 'timed out', status: undefined };
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const status = statusOf(error);
  // Only the error's name and status are kept: SDK errors carry request details (canonical
  // request, headers) that may include a session token.
  if (status === undefined) {
    const code = typeof shape.code === 'string' ? shape.code : name;
    return { kind: 'network', reason: code, status };
  }
  const reason = `HTTP ${status} ${name}`;
  if (status >= 500 || status === 429 || status === 408) return { kind: 'server', reason, status };
  if (status === 403) return { kind: 'forbidden', reason, status };
  return { kind: 'client', reason, status };
}

/**
 * An attempt's deadline on a ref'd timer. `AbortSignal.timeout` is unref'd: a one-shot script
 * whose only pending work is a request to an unreachable bucket would exit (code 13) before
 * the request settles, instead of falling back to generating.
 */
function refDeadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** The errors a guarded request ends with, by code. */
const GUARD_ERRORS = {
  E_TIER_TIMEOUT: s3Errors.tierTimeout,
  E_CLOSED: s3Errors.closed,
  E_TIER_READ_ONLY: tierReadOnly,
  E_TIER_UNAVAILABLE: s3Errors.tierUnavailable,
} as const;
type GuardCode = keyof typeof GUARD_ERRORS;

const RETRYABLE = new Set<FailureKind>(['timeout', 'network', 'server']);

export interface GuardContext {
  options: ResolvedS3TierOptions;
  breaker: CircuitBreaker;
  events: S3TierEventEmitter;
  redact: Redact;
  /** Aborted by `close()`: in-flight requests and backoff waits stop at once. */
  closeSignal: AbortSignal;
  /** A write was refused with 403. */
  onForbiddenWrite: () => void;
}

export interface RunOptions {
  timeoutMs: number;
  /** A PUT or DELETE: a 403 answer switches the tier to read-only. */
  write?: boolean;
  /** Object key, for messages. */
  objectKey?: string;
}

/**
 * Every request of the tier goes through `run`: the breaker decides whether it is sent, each
 * attempt has its own deadline (an AbortSignal the SDK and the body reader obey), transient
 * failures are retried with jittered exponential backoff, and what finally fails becomes a
 * credential-free `TiercacheError`.
 */
export class RequestGuard {
  operations = 0;
  retries = 0;
  failures = 0;
  timeouts = 0;
  /** The message of the last operation that failed for good (credential-free), for warnings. */
  lastFailure: string | undefined;

  constructor(private readonly context: GuardContext) {}

  async run<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>, run: RunOptions): Promise<T> {
    const { options, breaker, closeSignal } = this.context;
    if (closeSignal.aborted) throw this.#error('E_CLOSED', operation, 'the tier was closed', run);
    if (!breaker.tryAcquire()) {
      throw this.#error(
        'E_TIER_UNAVAILABLE',
        operation,
        'circuit breaker open, tier skipped',
        run,
        undefined,
        true,
      );
    }
    this.operations++;
    for (let attemptNumber = 1; ; attemptNumber++) {
      const deadline = refDeadline(run.timeoutMs);
      try {
        const result = await attempt(AbortSignal.any([deadline.signal, closeSignal]));
        breaker.recordSuccess();
        return result;
      } catch (error) {
        if (isTiercacheError(error)) {
          breaker.recordSuccess(); // raised by our own checks on an answer the store gave
          throw error;
        }
        const failure = classify(error, deadline.signal.aborted, closeSignal.aborted);
        const canRetry = RETRYABLE.has(failure.kind) && attemptNumber <= options.maxRetries;
        if (canRetry) {
          const delayMs = this.#backoff(attemptNumber);
          this.retries++;
          this.context.events.emit('retry', {
            operation,
            attempt: attemptNumber,
            reason: this.context.redact(failure.reason),
            delayMs,
          });
          // A ref'd wait: a caller awaiting this request keeps the process alive until it settles.
          const stopped = await sleep(delayMs, true, { signal: closeSignal }).catch(() => false);
          if (!stopped) throw this.#error('E_CLOSED', operation, 'the tier was closed', run);
          continue;
        }
        throw this.#fail(operation, failure, attemptNumber, run);
      } finally {
        deadline.clear();
      }
    }
  }

  #fail(operation: string, failure: Classified, attempts: number, run: RunOptions): TiercacheError {
    const { breaker, events } = this.context;
    if (RETRYABLE.has(failure.kind)) {
      breaker.recordFailure();
      this.failures++;
      if (failure.kind === 'timeout') this.timeouts++;
    } else if (failure.kind !== 'closed') {
      breaker.recordSuccess(); // the store answered: it is reachable
    }
    if (failure.kind === 'forbidden' && run.write) this.context.onForbiddenWrite();
    const code =
      failure.kind === 'timeout'
        ? 'E_TIER_TIMEOUT'
        : failure.kind === 'closed'
          ? 'E_CLOSED'
          : failure.kind === 'forbidden' && run.write
            ? 'E_TIER_READ_ONLY'
            : 'E_TIER_UNAVAILABLE';
    const reason =
      failure.kind === 'timeout'
        ? `no answer within ${run.timeoutMs} ms`
        : `${failure.reason} after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    const error = this.#error(code, operation, reason, run, failure.status);
    if (failure.kind !== 'closed') this.lastFailure = error.message;
    events.emit('failure', { operation, code, reason: error.message });
    return error;
  }

  #backoff(attempt: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.context.options;
    const ceiling = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** attempt);
    return Math.round(Math.random() * ceiling);
  }

  #error(
    code: GuardCode,
    operation: string,
    reason: string,
    run: RunOptions,
    status?: number,
    skipped?: boolean,
  ): TiercacheError {
    const { options, redact } = this.context;
    const target = run.objectKey ? ` of ${run.objectKey}` : '';
    return GUARD_ERRORS[code](redact(`${operation}${target} in bucket ${options.bucket} failed: ${reason}`), {
      context: {
        tier: options.name,
        operation,
        ...(run.objectKey ? { objectKey: redact(run.objectKey) } : {}),
        ...(status === undefined ? {} : { status }),
        ...(skipped ? { skipped: true } : {}),
      },
    });
  }
}
