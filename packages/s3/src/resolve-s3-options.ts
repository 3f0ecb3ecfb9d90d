import { TiercacheError } from '@tiercache/core';
import { errorsFor } from '@tiercache/core/kit';
import type { ResolvedS3TierOptions, S3TierOptions } from './s3-options.js';

const KNOWN = new Set([
  'bucket',
  'prefix',
  'client',
  'clientConfig',
  'name',
  'requestTimeoutMs',
  'uploadTimeoutMs',
  'closeTimeoutMs',
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
  'journalCompactionAgeMs',
  'journalCompactionThreshold',
  'signingKey',
  'conditionalWrites',
  'onWarning',
  'now',
]);

const BUCKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

function fail(option: string, value: unknown, expected: string): never {
  // A client or its configuration may carry credentials: their values are never echoed.
  throw errorsFor('@tiercache/s3').invalidOption(option, value, expected, {
    redactValue:
      option === 'clientConfig' ||
      option === 'client' ||
      option === 'signingKey' ||
      option.startsWith('clientConfig.'),
  });
}

function integer(options: S3TierOptions, option: keyof S3TierOptions, fallback: number, min: number): number {
  const value = options[option] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    fail(option, value, `an integer >= ${min}`);
  return value;
}

const MIN_SIGNING_KEY_BYTES = 16;

/** The signing key as bytes; a bad one is named without its value (it is a secret). */
function resolveSigningKey(key: unknown): Uint8Array | undefined {
  if (key === undefined) return undefined;
  const bytes =
    typeof key === 'string' ? Buffer.from(key, 'utf8') : key instanceof Uint8Array ? key : undefined;
  if (bytes === undefined || bytes.length < MIN_SIGNING_KEY_BYTES)
    fail('signingKey', key, `a string or Uint8Array of at least ${MIN_SIGNING_KEY_BYTES} bytes`);
  return Uint8Array.from(bytes);
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
  const { verifyDownloads = true, conditionalWrites = true } = options;
  if (typeof verifyDownloads !== 'boolean') fail('verifyDownloads', verifyDownloads, 'true or false');
  if (typeof conditionalWrites !== 'boolean') fail('conditionalWrites', conditionalWrites, 'true or false');
  const signingKey = resolveSigningKey(options.signingKey);
  const resolved: ResolvedS3TierOptions = {
    bucket,
    prefix,
    name,
    requestTimeoutMs: integer(options, 'requestTimeoutMs', 2000, 1),
    uploadTimeoutMs: integer(options, 'uploadTimeoutMs', 30_000, 1),
    closeTimeoutMs: integer(options, 'closeTimeoutMs', 10_000, 0),
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
    journalCompactionAgeMs: integer(options, 'journalCompactionAgeMs', 86_400_000, 0),
    journalCompactionThreshold: integer(options, 'journalCompactionThreshold', 1000, 0),
    signingKey,
    conditionalWrites,
    syncStatePath,
    onWarning,
    now: now ?? Date.now,
  };
  if (resolved.journalCompactionAgeMs < resolved.syncOverlapMs)
    fail('journalCompactionAgeMs', resolved.journalCompactionAgeMs, 'a value >= syncOverlapMs');
  if (resolved.retryMaxDelayMs < resolved.retryBaseDelayMs)
    fail('retryMaxDelayMs', resolved.retryMaxDelayMs, 'a value >= retryBaseDelayMs');
  return resolved;
}
