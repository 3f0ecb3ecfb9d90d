import { join } from 'node:path';
import type { S3Tier } from '@tiercache/s3';
import { accept, flag, fromEnv, httpUrl, isString, text } from '../setting-schemas.js';
import type { TierPart } from './storage-part.js';

/** Where the shared and farm profiles keep their L3 tier. */
export interface S3Settings {
  bucket: string;
  /** `''` or ending in `/`. */
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Taken from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`; absent: the SDK's default chain. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

/** Where the shared profile keeps its sync cursor: beside `cache.db`, which it describes. */
export const syncStatePath = (cacheDir: string) => join(cacheDir, 's3-sync.json');

const bucketName = accept(
  'an S3 bucket name (3-63 of a-z 0-9 . -)',
  (value): value is string => isString(value) && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value),
);

const keyPrefix = accept(
  'a key prefix without a leading "/" or "."/".." segments',
  (value): value is string =>
    isString(value) &&
    !value.startsWith('/') &&
    !value.split('/').some((part) => part === '.' || part === '..'),
);

type S3Module = typeof import('@tiercache/s3');

/** L3: a bucket machines share. The AWS SDK is loaded only by the profiles that use it. */
export const s3Tier: TierPart<'s3', S3Settings, S3Module, S3Tier> = {
  kind: 'tier',
  name: 's3',
  settings: [
    {
      path: 's3.bucket',
      env: 'TIERCACHE_S3_BUCKET',
      schema: bucketName,
      parseEnv: fromEnv.string,
      defaultText: '(required by shared and farm)',
      description: 'bucket the shared and farm profiles store in; it must exist',
    },
    {
      path: 's3.prefix',
      env: 'TIERCACHE_S3_PREFIX',
      schema: keyPrefix,
      parseEnv: fromEnv.string,
      default: '',
      defaultText: "'' (a '/' is appended when missing)",
      description: 'key prefix inside the bucket; machines sharing a cache use the same bucket and prefix',
    },
    {
      path: 's3.endpoint',
      env: 'TIERCACHE_S3_ENDPOINT',
      schema: httpUrl,
      parseEnv: fromEnv.string,
      defaultText: '(AWS)',
      description: 'S3-compatible endpoint (MinIO, R2, s3rver)',
    },
    {
      path: 's3.region',
      env: 'TIERCACHE_S3_REGION',
      schema: text('a region'),
      parseEnv: fromEnv.string,
      defaultText: '$AWS_REGION or us-east-1',
      description: 'bucket region',
    },
    {
      path: 's3.forcePathStyle',
      env: 'TIERCACHE_S3_FORCE_PATH_STYLE',
      schema: flag,
      parseEnv: fromEnv.boolean,
      default: false,
      description: 'path-style URLs (most S3-compatible servers need true)',
    },
  ],
  resolve(read) {
    const bucket = read.value<string>('s3.bucket');
    if (bucket === undefined)
      return read.fail(
        's3.bucket',
        `required by the ${read.profile} profile (or s3.bucket in the config file)`,
      );
    let prefix = read.value<string>('s3.prefix') ?? '';
    if (prefix !== '' && !prefix.endsWith('/')) prefix = `${prefix}/`;
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = read.env;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
      read.fail(missing, 'required when the other AWS key variable is set');
    }
    const sessionToken = read.env.AWS_SESSION_TOKEN;
    return {
      bucket,
      prefix,
      endpoint: read.value<string>('s3.endpoint'),
      region: read.value<string>('s3.region') ?? read.env.AWS_REGION ?? 'us-east-1',
      forcePathStyle: read.value<boolean>('s3.forcePathStyle') ?? false,
      credentials:
        accessKeyId && secretAccessKey
          ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
          : undefined,
    };
  },
  // The AWS SDK takes longer to load than most CLI commands take to run.
  load: () => import('@tiercache/s3'),
  create: (s3, context, module) =>
    module.createS3Tier({
      bucket: s3.bucket,
      prefix: s3.prefix,
      clientConfig: {
        region: s3.region,
        forcePathStyle: s3.forcePathStyle,
        ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
        ...(s3.credentials ? { credentials: s3.credentials } : {}),
      },
      syncStatePath: syncStatePath(context.cacheDir),
      onWarning: (warning) => context.onWarning({ ...warning, tier: 's3' }),
    }),
  flush: async (tier) => {
    await tier.flush();
  },
};
