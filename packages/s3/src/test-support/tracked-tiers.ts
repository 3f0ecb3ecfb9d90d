import { type FaultProxy, startFaultProxy } from '@tiercache/test-support/fault-proxy';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { S3Tier } from '../s3-tier.js';
import { ensureBucket, rawClient, server, testTier } from './test-bucket.js';

interface Closable {
  close(): Promise<void>;
}

/**
 * For a test file: makes sure the shared bucket exists, and closes every tier (or machine) a
 * test opened through `tier`/`track` after that test.
 */
export function trackTiers() {
  const open: Closable[] = [];
  beforeAll(() => ensureBucket(rawClient()));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()));
  });
  return {
    tier(options: Parameters<typeof testTier>[0]): S3Tier {
      const created = testTier(options);
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
