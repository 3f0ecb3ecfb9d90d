import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { invalidOption, TiercacheError } from '@tiercache/core';
import type { S3TierWarning } from './s3-events.js';

/** Options of `createS3Tier`. Validated once, at construction. */
export interface S3TierOptions {
  /** The bucket; it must exist. Several machines share it by using the same bucket and prefix. */
  bucket: string;
  /**
   * Key prefix of everything this tier writes: `''` or a string ending in `/` (`cache/prod/`).
   * @default ''
   */
  prefix?: string;
  /**
   * A ready client. The tier retries and times out requests itself, so give it `maxAttempts: 1`.
   * The tier never destroys a client it did not create. Exclusive with `clientConfig`.
   * @default undefined (a client built from `clientConfig`)
   */
  client?: S3Client;
  /**
   * Passed to `new S3Client(...)`: `region`, `endpoint`, `forcePathStyle`, `credentials`...
   * Without credentials the default AWS chain applies (environment, profile, instance role).
   * The tier adds `maxAttempts: 1` and checksums `WHEN_REQUIRED` unless you set them.
   * @default {}
   */
  clientConfig?: S3ClientConfig;
  /**
   * Tier name, unique within one cache; used in stats and events.
   * @default 's3'
   */
  name?: string;
  /**
   * Longest one read, metadata, list or delete request may take (headers and body), in ms.
   * @default 2000
   */
  requestTimeoutMs?: number;
  /**
   * Longest one blob upload request may take, in ms.
   * @default 30000
   */
  uploadTimeoutMs?: number;
  /**
   * Retries after a failed attempt (network error, timeout, HTTP 5xx, 429), so at most
   * `maxRetries + 1` attempts. 4xx answers are never retried.
   * @default 2
   */
  maxRetries?: number;
  /**
   * Backoff before retry `n` (from 1) is a random delay in `[0, min(retryMaxDelayMs, retryBaseDelayMs * 2^n)]`.
   * @default 50
   */
  retryBaseDelayMs?: number;
  /**
   * Cap of one backoff delay, in ms.
   * @default 1000
   */
  retryMaxDelayMs?: number;
  /**
   * Hash every download while it streams in and compare it with the hash the reader expects
   * (core passes the entry's, so the tier declares `verifiesOwnReads` and core does not hash the
   * bytes again) or, without one, with the SHA-256 recorded in the object's metadata. Turning it
   * off moves that one SHA-256 pass per hit (about 1.2 ms per 2 MB) to core, which then catches a
   * bad copy and removes it through `delete`; it saves nothing when the tier serves `TieredCache`.
   * @default true
   */
  verifyDownloads?: boolean;
  /**
   * Consecutive failed operations (after their retries) that open the circuit breaker.
   * @default 5
   */
  breakerThreshold?: number;
  /**
   * How long an open breaker skips the tier (operations fail at once with `E_TIER_UNAVAILABLE`)
   * before one probe operation is let through, in ms.
   * @default 30000
   */
  breakerCooldownMs?: number;
  /**
   * Uploads waiting or running at most; beyond it new uploads are dropped and counted.
   * @default 128
   */
  queueCapacity?: number;
  /**
   * Bytes held by waiting or running uploads at most; beyond it new uploads are dropped.
   * @default 134217728 (128 MiB)
   */
  queueMaxBytes?: number;
  /**
   * Uploads running at the same time.
   * @default 4
   */
  uploadConcurrency?: number;
  /**
   * How far back (ms) each `sync` re-reads the journal before its cursor, so entries written
   * by machines whose clock runs behind are still found.
   * @default 300000 (5 minutes)
   */
  syncOverlapMs?: number;
  /**
   * File that keeps the sync cursor between runs (CLI, restarts); written atomically. Keep one
   * per local index; delete it when you delete the index. Without it the cursor lives in memory.
   * @default undefined
   */
  syncStatePath?: string;
  /**
   * Receives the tier's warnings (read-only switch, queue full, corrupt object removed). They
   * never contain credentials.
   * @default the logger of the cache the tier joins (`TieredCacheOptions.logger`, handed over
   * through `setLogger`), as `logger.warn({ code, tier }, message)`; silent without one
   */
  onWarning?: (warning: S3TierWarning) => void;
  /**
   * Clock in ms, used for journal names and the breaker.
   * @default Date.now
   */
  now?: () => number;
}

export interface ResolvedS3TierOptions {
  bucket: string;
  prefix: string;
  name: string;
  requestTimeoutMs: number;
  uploadTimeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  verifyDownloads: boolean;
  breakerThreshold: number;
  breakerCooldownMs: number;
  queueCapacity: number;
  queueMaxBytes: number;
  uploadConcurrency: number;
  syncOverlapMs: number;
  syncStatePath: string | undefined;
  onWarning: ((warning: S3TierWarning) => void) | undefined;
  now: () => number;
}

const KNOWN = new Set([
  'bucket',
  'prefix',
  'client',
  'clientConfig',
  'name',
  'requestTimeoutMs',
  'uploadTimeoutMs',
  'maxRetries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'verifyDownloads',
  'breakerThreshold',
  'breakerCooldownMs',
  'queueCapacity',
  'queueMaxBytes',
  'uploadConcurrency',
  'syncOverlapMs',
  'syncStatePath',
  'onWarning',
  'now',
]);

const BUCKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

function fail(option: string, value: unknown, expected: string): never {
  // A client or its configuration may carry credentials: their values are never echoed.
  throw invalidOption('@tiercache/s3', option, value, expected, {
    redactValue: option === 'clientConfig' || option === 'client' || option.startsWith('clientConfig.'),
  });
}

function integer(options: S3TierOptions, option: keyof S3TierOptions, fallback: number, min: number): number {
  const value = options[option] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    fail(option, value, `an integer >= ${min}`);
  return value;
}

/** Throws `E_INVALID_OPTIONS` naming the first bad option; returns options with defaults filled in. */
export function resolveS3TierOptions(options: S3TierOptions): ResolvedS3TierOptions {
  if (typeof options !== 'object' || options === null) fail('options', options, 'an object with bucket');
  for (const option of Object.keys(options)) {
    if (!KNOWN.has(option)) {
      throw new TiercacheError('E_INVALID_OPTIONS', `@tiercache/s3: unknown option ${option}`, {
        context: { option },
      });
    }
  }
  const { bucket, prefix = '', name = 's3', client, clientConfig, syncStatePath, onWarning, now } = options;
  if (typeof bucket !== 'string' || !BUCKET_PATTERN.test(bucket)) fail('bucket', bucket, 'a bucket name');
  if (typeof prefix !== 'string' || prefix.length > 512 || (prefix !== '' && !prefix.endsWith('/')))
    fail('prefix', prefix, "'' or a key prefix ending in '/'");
  if (prefix.startsWith('/') || prefix.split('/').some((part) => part === '.' || part === '..'))
    fail('prefix', prefix, "a prefix without a leading '/' or '.'/'..' segments");
  if (typeof name !== 'string' || name.length === 0 || name.length > 64)
    fail('name', name, 'a non-empty string of at most 64 characters');
  if (client !== undefined && clientConfig !== undefined)
    fail('client', client, 'either client or clientConfig, not both');
  if (
    client !== undefined &&
    (typeof client !== 'object' || client === null || typeof client.send !== 'function')
  )
    fail('client', client, 'an S3Client');
  if (clientConfig !== undefined && (typeof clientConfig !== 'object' || clientConfig === null))
    fail('clientConfig', clientConfig, 'an S3ClientConfig object');
  if (syncStatePath !== undefined && (typeof syncStatePath !== 'string' || syncStatePath.length === 0))
    fail('syncStatePath', syncStatePath, 'a file path');
  if (onWarning !== undefined && typeof onWarning !== 'function') fail('onWarning', onWarning, 'a function');
  if (now !== undefined && typeof now !== 'function') fail('now', now, 'a function');
  const { verifyDownloads = true } = options;
  if (typeof verifyDownloads !== 'boolean') fail('verifyDownloads', verifyDownloads, 'true or false');
  const resolved: ResolvedS3TierOptions = {
    bucket,
    prefix,
    name,
    requestTimeoutMs: integer(options, 'requestTimeoutMs', 2000, 1),
    uploadTimeoutMs: integer(options, 'uploadTimeoutMs', 30_000, 1),
    maxRetries: integer(options, 'maxRetries', 2, 0),
    retryBaseDelayMs: integer(options, 'retryBaseDelayMs', 50, 0),
    retryMaxDelayMs: integer(options, 'retryMaxDelayMs', 1000, 0),
    verifyDownloads,
    breakerThreshold: integer(options, 'breakerThreshold', 5, 1),
    breakerCooldownMs: integer(options, 'breakerCooldownMs', 30_000, 0),
    queueCapacity: integer(options, 'queueCapacity', 128, 1),
    queueMaxBytes: integer(options, 'queueMaxBytes', 128 * 1024 * 1024, 1),
    uploadConcurrency: integer(options, 'uploadConcurrency', 4, 1),
    syncOverlapMs: integer(options, 'syncOverlapMs', 300_000, 0),
    syncStatePath,
    onWarning,
    now: now ?? Date.now,
  };
  if (resolved.retryMaxDelayMs < resolved.retryBaseDelayMs)
    fail('retryMaxDelayMs', resolved.retryMaxDelayMs, 'a value >= retryBaseDelayMs');
  return resolved;
}
