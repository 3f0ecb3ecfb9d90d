import { sqlStateOf } from './postgres-errors.js';

/** One write for the server; `run` is retried until it succeeds or fails for good. */
export interface WriteOperation {
  name: string;
  run: () => Promise<void>;
}

export interface WriteQueueOptions {
  retryDelayMs: number;
  maxRetryDelayMs: number;
  maxPending: number;
  /** A failure: `dropped` when the operation was given up (not retryable, or the queue overflowed). */
  onFailure: (operation: string, error: unknown, dropped: boolean) => void;
}

/**
 * True for failures that go away when the server comes back: no connection, a server shutting
 * down or overloaded, a timeout, a serialization conflict. Anything else (a bad value...) would
 * fail again the same way.
 */
export function isTransient(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state === undefined) return true;
  return /^(08|53|57|40)/.test(state);
}

/**
 * The writes of one machine, sent in order by a single worker: an entry reaches the server
 * before the claim that protected its generation is released, and a delete never overtakes the
 * insert it undoes. While the server is down the worker waits with a doubling delay; callers
 * never wait for it.
 */
export class WriteQueue {
  readonly #options: WriteQueueOptions;
  readonly #queue: WriteOperation[] = [];
  readonly #idle = new Set<() => void>();
  #running = false;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(options: WriteQueueOptions) {
    this.#options = options;
  }

  get pending(): number {
    return this.#queue.length;
  }

  enqueue(operation: WriteOperation): void {
    if (this.#closed) return;
    this.#queue.push(operation);
    if (this.#queue.length > this.#options.maxPending) {
      const dropped = this.#queue.splice(0, this.#queue.length - this.#options.maxPending);
      for (const old of dropped)
        this.#options.onFailure(old.name, new Error('too many writes waiting for the server'), true);
    }
    if (!this.#running) void this.#drain();
  }

  /** Skips the current backoff delay (the server is known to be back). */
  retryNow(): void {
    this.#wake?.();
  }

  /** Resolves true once every write enqueued so far reached the server, false after `timeoutMs`. */
  idle(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.#queue.length === 0 && !this.#running) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.#idle.delete(done);
        resolve(true);
      };
      this.#idle.add(done);
      if (Number.isFinite(timeoutMs))
        timer = setTimeout(() => {
          this.#idle.delete(done);
          resolve(false);
        }, timeoutMs);
    });
  }

  /** Stops sending; what is still queued is dropped. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#wake?.();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    let delay = this.#options.retryDelayMs;
    while (this.#queue.length > 0 && !this.#closed) {
      const operation = this.#queue[0]!;
      try {
        await operation.run();
        if (this.#queue[0] === operation) this.#queue.shift();
        delay = this.#options.retryDelayMs;
      } catch (error) {
        const retry = isTransient(error);
        this.#options.onFailure(operation.name, error, !retry);
        if (!retry) {
          if (this.#queue[0] === operation) this.#queue.shift();
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
        delay = Math.min(delay * 2, this.#options.maxRetryDelayMs);
      }
    }
    this.#running = false;
    for (const done of [...this.#idle]) done();
  }
}
