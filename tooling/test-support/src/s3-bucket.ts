import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3TierOptions } from '@tiercache/s3';
import { inject } from 'vitest';
import type { S3ServerInfo } from './s3-server.js';

export const BUCKET = 'tiercache-tests';

/** The shared s3rver of the run (started by the global setup). */
export function server(): S3ServerInfo {
  const info = inject('s3');
  if (!info)
    throw new Error('no S3 test server in this run: add the test file to `needsS3` in vitest.config.ts');
  return info;
}

export function clientConfig(info: S3ServerInfo = server(), endpoint = info.endpoint) {
  return {
    region: info.region,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
  };
}

/** A plain SDK client on the test server, for looking at the bucket behind the tier's back. */
export function rawClient(info: S3ServerInfo = server()): S3Client {
  return new S3Client({ ...clientConfig(info), maxAttempts: 1 });
}

export async function ensureBucket(client: S3Client, bucket = BUCKET): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: unknown) => {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  });
}

/** A prefix no other test uses, so tests never see each other's objects. */
export function freshPrefix(label = 't'): string {
  return `${label}-${randomBytes(6).toString('hex')}/`;
}

/** What a test gives for a tier on the shared bucket: its own prefix, and anything to override. */
export type TestTierOptions = Partial<S3TierOptions> & { prefix: string };

/**
 * The options of a tier on the shared test bucket, with quiet warnings and small, test-friendly
 * timeouts. With `warningsToCacheLogger` there is no `onWarning`: the tier's warnings go to its
 * cache's logger. The caller passes them to its own `createS3Tier` (the sources in
 * `packages/s3`'s own tests, the built package everywhere else).
 */
export function testTierOptions(options: TestTierOptions, warningsToCacheLogger = false): S3TierOptions {
  return {
    bucket: BUCKET,
    clientConfig: clientConfig(),
    ...(warningsToCacheLogger ? {} : { onWarning: () => undefined }),
    requestTimeoutMs: 2000,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    ...options,
  };
}

export async function readObject(
  client: S3Client,
  key: string,
  bucket = BUCKET,
): Promise<Uint8Array | undefined> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? await out.Body.transformToByteArray() : undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function headMetadata(client: S3Client, key: string, bucket = BUCKET) {
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { metadata: out.Metadata ?? {}, contentType: out.ContentType };
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return undefined;
    throw error;
  }
}
