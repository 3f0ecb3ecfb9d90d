import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTieredCache, exactMatcher, type Logger, type TieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { jaccardMatcher } from '@tiercache/matchers';
import type { S3Tier, S3TierOptions } from '@tiercache/s3';
import { openSqliteIndex, type SqliteIndex } from '@tiercache/sqlite';
import { testTier } from './test-tier.js';

/** One machine of a render farm: its own folder, SQLite index and disk tier, plus the shared bucket. */
export interface Machine {
  dir: string;
  index: SqliteIndex;
  s3: S3Tier;
  cache: TieredCache;
  /** Every blob file on the local disk must hold the content it is named by. */
  localBlobsIntact(): Promise<boolean>;
  close(): Promise<void>;
}

/** A machine on `options.prefix`; with `logger`, its cache's logger also receives the tier's warnings. */
export async function startMachine(
  options: Partial<S3TierOptions> & { prefix: string; logger?: Logger },
): Promise<Machine> {
  const { logger, ...tierOptions } = options;
  const dir = await mkdtemp(join(tmpdir(), 'tiercache-machine-'));
  const index = openSqliteIndex({ file: join(dir, 'cache.db') });
  const disk = createDiskTier({ dir });
  const s3 = testTier(tierOptions, logger !== undefined);
  const cache = createTieredCache({
    tiers: [disk, s3],
    index,
    ...(logger ? { logger } : {}),
    matchers: [exactMatcher(), jaccardMatcher()],
  });
  return {
    dir,
    index,
    s3,
    cache,
    /** Every local blob file holds the content it is named by. */
    async localBlobsIntact() {
      const report = await disk.verify({ references: () => 1 });
      return report.corrupt === 0;
    },
    async close() {
      await cache.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A generator that counts its calls and returns distinct bytes per prompt (and per `salt`). */
export function generator(size = 4096, salt = '') {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    for(prompt: string) {
      return async () => {
        calls++;
        const seed = Buffer.from(`${salt}:${prompt}`);
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i++) bytes[i] = (seed[i % seed.length]! + i * 31) & 0xff;
        return { bytes, mediaType: 'audio/wav', extension: 'wav' };
      };
    },
  };
}
