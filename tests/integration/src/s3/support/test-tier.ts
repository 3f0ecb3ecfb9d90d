import { createS3Tier, type S3Tier } from '@tiercache/s3';
import { type TestTierOptions, testTierOptions } from '@tiercache/test-support/s3-bucket';

/** A tier of the built `@tiercache/s3` on the shared test bucket (see `testTierOptions`). */
export function testTier(options: TestTierOptions, warningsToCacheLogger = false): S3Tier {
  return createS3Tier(testTierOptions(options, warningsToCacheLogger));
}
