import { type TestTierOptions, testTierOptions } from '@tiercache/test-support/s3-bucket';
import { createS3Tier, type S3Tier } from '../index.js';

/**
 * A tier from this package's sources on the shared test bucket (see `testTierOptions`), so the
 * package's own tests run against `src/`, not the built `dist/`.
 */
export function testTier(options: TestTierOptions, warningsToCacheLogger = false): S3Tier {
  return createS3Tier(testTierOptions(options, warningsToCacheLogger));
}
