import { checkOptions, type OptionChecker } from '@tiercache/core/kit';
import type { ResolvedS3TierOptions, S3TierOptions } from './s3-options.js';

const KNOWN: (keyof S3TierOptions)[] = [
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
];

const BUCKET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;
const MIN_SIGNING_KEY_BYTES = 16;

type Check = OptionChecker<S3TierOptions>;

function resolvePrefix(check: Check): string {
  const prefix = check.string('prefix', {
    minLength: 0,
    maxLength: 512,
    default: '',
    test: (value) => value === '' || value.endsWith('/'),
    expected: "'' or a key prefix ending in '/'",
  });
  if (prefix.startsWith('/') || prefix.split('/').some((part) => part === '.' || part === '..'))
    throw check.errors.invalidOption('prefix', prefix, "a prefix without a leading '/' or '.'/'..' segments");
  return prefix;
}

/** A client or its configuration may carry credentials: their values are never echoed. */
function checkClient(check: Check, options: S3TierOptions): void {
  const { client, clientConfig } = options;
  const invalid = (option: 'client' | 'clientConfig', expected: string) =>
    check.errors.invalidOption(option, undefined, expected, { redactValue: true });
  if (client !== undefined && clientConfig !== undefined)
    throw invalid('client', 'either client or clientConfig, not both');
  if (
    client !== undefined &&
    (typeof client !== 'object' || client === null || typeof client.send !== 'function')
  )
    throw invalid('client', 'an S3Client');
  if (clientConfig !== undefined && (typeof clientConfig !== 'object' || clientConfig === null))
    throw invalid('clientConfig', 'an S3ClientConfig object');
}

/** The signing key as bytes; a bad one is named without its value (it is a secret). */
function resolveSigningKey(check: Check, key: unknown): Uint8Array | undefined {
  if (key === undefined) return undefined;
  const bytes =
    typeof key === 'string' ? Buffer.from(key, 'utf8') : key instanceof Uint8Array ? key : undefined;
  if (bytes === undefined || bytes.length < MIN_SIGNING_KEY_BYTES)
    throw check.errors.invalidOption(
      'signingKey',
      undefined,
      `a string or Uint8Array of at least ${MIN_SIGNING_KEY_BYTES} bytes`,
      { redactValue: true },
    );
  return Uint8Array.from(bytes);
}

/** Throws `E_INVALID_OPTIONS` naming the first bad option; returns options with defaults filled in. */
export function resolveS3TierOptions(options: S3TierOptions): ResolvedS3TierOptions {
  const check = checkOptions<S3TierOptions>('@tiercache/s3', options, {
    known: KNOWN,
    expected: 'an object with bucket',
  });
  const bucket = check.string('bucket', {
    maxLength: 255,
    test: (value) => BUCKET_PATTERN.test(value),
    expected: 'a bucket name',
  });
  const prefix = resolvePrefix(check);
  const name = check.string('name', { maxLength: 64, default: 's3' });
  checkClient(check, options);
  const integer = (option: keyof S3TierOptions & string, fallback: number, min: number) =>
    check.integer(option, { min, default: fallback });
  const resolved: ResolvedS3TierOptions = {
    bucket,
    prefix,
    name,
    requestTimeoutMs: integer('requestTimeoutMs', 2000, 1),
    uploadTimeoutMs: integer('uploadTimeoutMs', 30_000, 1),
    closeTimeoutMs: integer('closeTimeoutMs', 10_000, 0),
    maxRetries: integer('maxRetries', 2, 0),
    retryBaseDelayMs: integer('retryBaseDelayMs', 50, 0),
    retryMaxDelayMs: integer('retryMaxDelayMs', 1000, 0),
    verifyDownloads: check.boolean('verifyDownloads', { default: true }),
    breakerThreshold: integer('breakerThreshold', 5, 1),
    breakerCooldownMs: integer('breakerCooldownMs', 30_000, 0),
    queueCapacity: integer('queueCapacity', 128, 1),
    queueMaxBytes: integer('queueMaxBytes', 128 * 1024 * 1024, 1),
    uploadConcurrency: integer('uploadConcurrency', 4, 1),
    syncOverlapMs: integer('syncOverlapMs', 300_000, 0),
    journalCompactionAgeMs: integer('journalCompactionAgeMs', 86_400_000, 0),
    journalCompactionThreshold: integer('journalCompactionThreshold', 1000, 0),
    signingKey: resolveSigningKey(check, options.signingKey),
    conditionalWrites: check.boolean('conditionalWrites', { default: true }),
    syncStatePath: check.string('syncStatePath', {
      maxLength: 4096,
      optional: true,
      expected: 'a file path',
    }),
    onWarning: check.function<NonNullable<S3TierOptions['onWarning']>>('onWarning', { optional: true }),
    now: check.function<() => number>('now', { default: Date.now }),
  };
  if (resolved.journalCompactionAgeMs < resolved.syncOverlapMs)
    throw check.errors.invalidOption(
      'journalCompactionAgeMs',
      resolved.journalCompactionAgeMs,
      'a value >= syncOverlapMs',
    );
  if (resolved.retryMaxDelayMs < resolved.retryBaseDelayMs)
    throw check.errors.invalidOption(
      'retryMaxDelayMs',
      resolved.retryMaxDelayMs,
      'a value >= retryBaseDelayMs',
    );
  return resolved;
}
