import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { inject } from 'vitest';

// The s3rver of the whole test run, started by the root `s3` project's global setup.
declare module 'vitest' {
  export interface ProvidedContext {
    s3: { endpoint: string; port: number; region: string; accessKeyId: string; secretAccessKey: string };
  }
}

export const BUCKET = 'media-service-tests';

/** The environment of a machine on the shared profile, on its own prefix of the test bucket. */
export function sharedEnv(prefix: string): Record<string, string> {
  const s3 = inject('s3');
  return {
    TIERCACHE_PROFILE: 'shared',
    TIERCACHE_S3_BUCKET: BUCKET,
    TIERCACHE_S3_PREFIX: prefix,
    TIERCACHE_S3_ENDPOINT: s3.endpoint,
    TIERCACHE_S3_REGION: s3.region,
    TIERCACHE_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
}

export const freshPrefix = () => `media-${randomBytes(6).toString('hex')}/`;

/**
 * Creates the test bucket. s3rver accepts an unsigned CreateBucket, which spares the app a
 * direct dependency on the AWS SDK just for tests.
 */
export async function ensureBucket(): Promise<void> {
  const response = await fetch(`${inject('s3').endpoint}/${BUCKET}`, { method: 'PUT' });
  if (!response.ok && response.status !== 409)
    throw new Error(`CreateBucket ${BUCKET}: HTTP ${response.status} ${await response.text()}`);
}

/** A port on 127.0.0.1 that refuses connections: bound once, then released. */
export function refusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The shared profile pointed at a bucket endpoint that refuses connections (fake credentials). */
export async function unreachableS3Env(): Promise<Record<string, string>> {
  return {
    TIERCACHE_PROFILE: 'shared',
    TIERCACHE_S3_BUCKET: 'media',
    TIERCACHE_S3_ENDPOINT: `http://127.0.0.1:${await refusedPort()}`,
    TIERCACHE_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
}
