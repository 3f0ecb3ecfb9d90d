import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import type { BreakerState } from './s3-events.js';

function breaker() {
  let now = 1000;
  const states: BreakerState[] = [];
  const instance = new CircuitBreaker({
    threshold: 3,
    cooldownMs: 500,
    now: () => now,
    onChange: (state) => states.push(state),
  });
  return { instance, states, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('opens after N consecutive failures, skips for the cooldown, then lets one probe through', () => {
    const { instance, states, advance } = breaker();
    instance.recordFailure();
    instance.recordFailure();
    instance.recordSuccess(); // not consecutive any more
    for (let i = 0; i < 3; i++) instance.recordFailure();
    expect(instance.state).toBe('open');
    expect(instance.tryAcquire()).toBe(false);
    expect(instance.waitMs()).toBe(500);
    advance(500);
    expect(instance.tryAcquire()).toBe(true); // the probe
    expect(instance.state).toBe('half-open');
    expect(instance.tryAcquire()).toBe(false); // only one
    instance.recordSuccess();
    expect(instance.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(instance.skipped).toBe(2);
  });

  it('a failed probe opens it for another cooldown', () => {
    const { instance, advance } = breaker();
    for (let i = 0; i < 3; i++) instance.recordFailure();
    advance(600);
    expect(instance.tryAcquire()).toBe(true);
    instance.recordFailure();
    expect(instance.state).toBe('open');
    expect(instance.opened).toBe(2);
    expect(instance.tryAcquire()).toBe(false);
  });
});
