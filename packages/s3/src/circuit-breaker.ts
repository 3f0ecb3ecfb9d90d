import type { BreakerState } from './s3-events.js';

export interface CircuitBreakerOptions {
  threshold: number;
  cooldownMs: number;
  now: () => number;
  onChange: (state: BreakerState, consecutiveFailures: number) => void;
}

/**
 * Closed: everything goes through; `threshold` consecutive failures open it. Open: everything
 * is refused until `cooldownMs` has passed. Then exactly one probe goes through (half-open);
 * its success closes the breaker, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  opened = 0;
  skipped = 0;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): BreakerState {
    return this.#state;
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Ms until a probe may go through; 0 when a request may go now. */
  waitMs(): number {
    if (this.#state === 'closed') return 0;
    if (this.#state === 'half-open') return this.#probing ? Math.max(1, this.options.cooldownMs) : 0;
    return Math.max(0, this.#openedAt + this.options.cooldownMs - this.options.now());
  }

  /** Asks to send one operation. `false`: skip the tier (counted). */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open' && this.waitMs() === 0) this.#set('half-open');
    if (this.#state === 'half-open' && !this.#probing) {
      this.#probing = true;
      return true;
    }
    this.skipped++;
    return false;
  }

  /** The operation got an answer from the store (success, or an answer such as 404 or 403). */
  recordSuccess(): void {
    this.#probing = false;
    this.#failures = 0;
    if (this.#state !== 'closed') this.#set('closed');
  }

  /** The operation failed for good: network, timeout, 5xx after its retries. */
  recordFailure(): void {
    this.#probing = false;
    this.#failures++;
    if (
      this.#state === 'half-open' ||
      (this.#state === 'closed' && this.#failures >= this.options.threshold)
    ) {
      this.#openedAt = this.options.now();
      this.opened++;
      this.#set('open');
    }
  }

  #set(state: BreakerState): void {
    this.#state = state;
    this.options.onChange(state, this.#failures);
  }
}
