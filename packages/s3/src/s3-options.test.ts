import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { resolveS3TierOptions, type S3TierOptions } from './s3-options.js';

function optionError(options: unknown): unknown {
  try {
    resolveS3TierOptions(options as S3TierOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('S3 tier options', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveS3TierOptions({ bucket: 'media-cache' });
    expect(resolved).toMatchObject({
      bucket: 'media-cache',
      prefix: '',
      name: 's3',
      requestTimeoutMs: 2000,
      uploadTimeoutMs: 30_000,
      maxRetries: 2,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 1000,
      breakerThreshold: 5,
      breakerCooldownMs: 30_000,
      queueCapacity: 128,
      queueMaxBytes: 128 * 1024 * 1024,
      uploadConcurrency: 4,
      syncOverlapMs: 300_000,
      syncStatePath: undefined,
    });
  });

  it.each([
    ['bucket', { bucket: '' }],
    ['bucket', { bucket: 'a/b' }],
    ['prefix', { bucket: 'b1', prefix: 'cache' }],
    ['prefix', { bucket: 'b1', prefix: '../x/' }],
    ['prefix', { bucket: 'b1', prefix: '/abs/' }],
    ['name', { bucket: 'b1', name: '' }],
    ['client', { bucket: 'b1', client: {}, clientConfig: {} }],
    ['client', { bucket: 'b1', client: { send: 1 } }],
    ['requestTimeoutMs', { bucket: 'b1', requestTimeoutMs: 0 }],
    ['maxRetries', { bucket: 'b1', maxRetries: -1 }],
    ['maxRetries', { bucket: 'b1', maxRetries: 1.5 }],
    ['breakerThreshold', { bucket: 'b1', breakerThreshold: 0 }],
    ['queueCapacity', { bucket: 'b1', queueCapacity: Number.NaN }],
    ['retryMaxDelayMs', { bucket: 'b1', retryBaseDelayMs: 100, retryMaxDelayMs: 10 }],
    ['syncStatePath', { bucket: 'b1', syncStatePath: '' }],
    ['onWarning', { bucket: 'b1', onWarning: 'console' }],
    ['colour', { bucket: 'b1', colour: 'blue' }],
  ])('rejects a bad %s with E_INVALID_OPTIONS naming it', (option, options) => {
    const error = optionError(options);
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^@tiercache/s3: .*${option}`));
    expect((error as { context: { option: string } }).context.option).toBe(option);
  });

  it('suggests the option meant, and never echoes a secret-bearing value', () => {
    const unknown = optionError({ bucket: 'b1', requestTimeout: 500 });
    expect((unknown as Error).message).toBe(
      '@tiercache/s3: unknown option requestTimeout (did you mean requestTimeoutMs?)',
    );
    const key = optionError({ bucket: 'b1', signingKey: 'short-secret' });
    expect(isTiercacheError(key, 'E_INVALID_OPTIONS')).toBe(true);
    expect((key as Error).message).not.toContain('short-secret');
    expect(JSON.stringify((key as { context: unknown }).context)).not.toContain('short-secret');
  });
});
