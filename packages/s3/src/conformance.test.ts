import { blobTierSuite } from '@tiercache/test-suite';
import { beforeAll } from 'vitest';
import { ensureBucket, freshPrefix, rawClient, testTier } from './test-support/test-bucket.js';

beforeAll(async () => {
  await ensureBucket(rawClient());
});

// Each test gets its own prefix: the bucket is shared by every test file of the run.
blobTierSuite('s3', { create: () => testTier({ prefix: freshPrefix('suite') }) });
