import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTieredCache, exactMatcher, hashContent, type TieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { jaccardMatcher } from '@tiercache/matchers';
import { openSqliteIndex, type SqliteIndex } from '@tiercache/sqlite';
import type { S3Tier, S3TierOptions } from '../index.js';
import { testTier } from './test-bucket.js';

/** One machine of a render farm: its own folder, SQLite index and disk tier, plus the shared bucket. */
export interface Machine {
  dir: string;
  index: SqliteIndex;
  s3: S3Tier;
  cache: TieredCache;
  /** Every blob file on the local disk holds the content its name promises. */
  localBlobsIntact(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startMachine(options: Partial<S3TierOptions> & { prefix: string }): Promise<Machine> {
  const dir = await mkdtemp(join(tmpdir(), 'tiercache-machine-'));
  const index = openSqliteIndex({ file: join(dir, 'cache.db') });
  const disk = createDiskTier({ dir });
  const s3 = testTier(options);
  const cache = createTieredCache({
    tiers: [disk, s3],
    index,
    matchers: [exactMatcher(), jaccardMatcher()],
  });
  return {
    dir,
    index,
    s3,
    cache,
    async localBlobsIntact() {
      // `<dir>/<type>/<2 hex>/<sha256>.<ext>`: every blob file must hold the content it is named by.
      for (const type of await readdir(dir, { withFileTypes: true })) {
        if (!type.isDirectory()) continue;
        for (const fan of await readdir(join(dir, type.name), { withFileTypes: true })) {
          if (!fan.isDirectory() || !/^[0-9a-f]{2}$/.test(fan.name)) continue;
          for (const name of await readdir(join(dir, type.name, fan.name))) {
            const hash = /^([0-9a-f]{64})(\.[a-z0-9]+)?$/.exec(name)?.[1];
            if (hash === undefined) continue; // temporary files of the disk tier
            const bytes = new Uint8Array(await readFile(join(dir, type.name, fan.name, name)));
            if (hashContent(bytes) !== hash) return false;
          }
        }
      }
      return true;
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
