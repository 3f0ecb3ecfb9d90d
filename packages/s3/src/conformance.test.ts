import { PutObjectCommand } from '@aws-sdk/client-s3';
import { blobPath } from '@tiercache/core/kit';
import { blobTierSuite } from '@tiercache/test-suite';
import { BUCKET, ensureBucket, freshPrefix, rawClient, readObject } from '@tiercache/test-support/s3-bucket';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { S3Tier } from './index.js';
import { testTier } from './test-support/test-tier.js';

const raw = rawClient();
const prefixes = new WeakMap<object, string>();

beforeAll(async () => {
  await ensureBucket(raw);
});

// Each test gets its own prefix: the bucket is shared by every test file of the run.
blobTierSuite({
  test: { describe, it, expect, beforeEach, afterEach },
  name: 's3',
  create: () => {
    const prefix = freshPrefix('suite');
    const tier = testTier({ prefix });
    prefixes.set(tier, prefix);
    return tier;
  },
  settle: async (tier) => {
    await (tier as S3Tier).flush();
  },
  // Another writer replaces the object with other bytes of the same size.
  corrupt: async (tier, ref) => {
    const key = `${prefixes.get(tier)}${blobPath(ref)}`;
    const bytes = (await readObject(raw, key))!;
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  },
  off: {
    materialize: 'a remote bucket: files come from the disk tier in front of it',
    usage: 'a bucket is not listed on every call to measure it',
  },
});
