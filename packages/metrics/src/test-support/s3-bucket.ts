import { randomBytes } from 'node:crypto';
import { createS3Tier, type S3Tier } from '@tiercache/s3';
import { inject } from 'vitest';

// The s3rver of the whole test run, started by the root `s3` project's global setup.
declare module 'vitest' {
  export interface ProvidedContext {
    s3: { endpoint: string; port: number; region: string; accessKeyId: string; secretAccessKey: string };
  }
}

const BUCKET = 'metrics-tests';

/** A real S3 tier on its own prefix of the test server's bucket (created here, unsigned). */
export async function testS3Tier(): Promise<S3Tier> {
  const s3 = inject('s3');
  const response = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'PUT' });
  if (!response.ok && response.status !== 409)
    throw new Error(`CreateBucket ${BUCKET}: HTTP ${response.status}`);
  return createS3Tier({
    bucket: BUCKET,
    prefix: `metrics-${randomBytes(6).toString('hex')}/`,
    clientConfig: {
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    },
  });
}
