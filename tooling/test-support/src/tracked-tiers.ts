import { afterAll, afterEach, beforeAll } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { ensureBucket, rawClient, server, type TestTierOptions } from './s3-bucket.js';

interface Closable {
  close(): Promise<void>;
}

/**
 * For a test file: makes sure the shared bucket exists, and closes every tier (or machine) a
 * test opened through `tier`/`track` after that test. `createTier` makes a tier on the shared
 * bucket (say `testTier`, which binds `createS3Tier` to `testTierOptions`).
 */
export function trackTiers<Tier extends Closable>(createTier: (options: TestTierOptions) => Tier) {
  const open: Closable[] = [];
  beforeAll(() => ensureBucket(rawClient()));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()));
  });
  return {
    tier(options: TestTierOptions): Tier {
      const created = createTier(options);
      open.push(created);
      return created;
    },
    track<T extends Closable>(item: T): T {
      open.push(item);
      return item;
    },
  };
}

/**
 * For a test file: a fault proxy in front of the run's s3rver, started once, reset to pass
 * everything after each test and closed at the end. `proxy()` is the running proxy.
 */
export function useFaultProxy(): () => FaultProxy {
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: server().port });
  });
  afterEach(() => {
    if (!proxy) return;
    proxy.mode = 'pass';
    proxy.only = undefined;
    proxy.honourIfNoneMatch = false;
  });
  afterAll(() => proxy?.close());
  return () => proxy!;
}
