import { inspect } from 'node:util';
import { createTieredCache } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { BUCKET, freshPrefix, server } from '@tiercache/test-support/s3-bucket';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './credential-redaction.js';
import { createS3Tier } from './s3-tier.js';

const ACCESS_KEY = 'AKIATIERCACHEFAKE0001';
const SECRET = 'tiercache-Secret/DoNotLeak+8c1f0b9e2d7a';
const TOKEN = 'tiercache-session-token-Zm9vYmFyYmF6cXV4';

function leaks(text: string): boolean {
  return [ACCESS_KEY, SECRET, TOKEN].some((secret) => text.includes(secret));
}

describe('credentials never leak', () => {
  it('into errors, events, warnings or core error events when the store refuses them', async () => {
    const texts: string[] = [];
    const record = (value: unknown) => texts.push(inspect(value, { depth: 10 }), JSON.stringify(value) ?? '');
    const info = server();
    const tier = createS3Tier({
      bucket: BUCKET,
      prefix: freshPrefix('creds'),
      clientConfig: {
        region: info.region,
        endpoint: info.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, sessionToken: TOKEN },
      },
      requestTimeoutMs: 2000,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 2,
      breakerThreshold: 2,
      onWarning: record,
    });
    for (const name of [
      'warning',
      'breaker',
      'retry',
      'failure',
      'drop',
      'upload',
      'corrupt',
      'sync',
    ] as const)
      tier.on(name, record);
    const cache = createTieredCache({ tiers: [tier] });
    cache.on('error', (event) => record({ message: event.error.message, event }));
    const bytes = sampleBytes(100);
    const entry = sampleEntry(bytes);
    for (const call of [
      () => tier.get(entry),
      () => tier.has(entry),
      () => tier.describe(entry.type, entry.key),
      () => tier.delete(entry),
      () => tier.clear(),
    ]) {
      const error = await call().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(Error);
      record(error);
      record((error as Error).message);
    }
    await tier.put(entry, bytes);
    await tier.flush();
    await cache.getOrGenerate({ type: 'tts', prompt: 'hello' }, async () => ({
      bytes: sampleBytes(50),
      mediaType: 'audio/wav',
      extension: 'wav',
    }));
    record(await tier.sync(cache.index));
    record(tier.stats());
    await cache.close();
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.join('\n')).toMatch(/HTTP 403/);
    expect(texts.filter(leaks)).toEqual([]);
  });

  it('redacts credential shapes in any text, known or not', () => {
    const redact = createRedactor({ credentials: { accessKeyId: 'MYKEYID1', secretAccessKey: 'my-secret' } });
    const text = redact(
      'MYKEYID1 my-secret AKIAABCDEFGHIJKLMNOP Credential=AKIA/2026/us-east-1 Signature=abc123 X-Amz-Security-Token=tok',
    );
    expect(text).not.toMatch(/MYKEYID1|my-secret|AKIAABCDEFGHIJKLMNOP|abc123|=tok/);
  });

  it('keeps credentials out of option errors', () => {
    let message = '';
    try {
      createS3Tier({
        bucket: BUCKET,
        client: {} as never,
        clientConfig: { credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } },
      });
    } catch (error) {
      message = inspect(error, { depth: 10 });
    }
    expect(message).toMatch(/E_INVALID_OPTIONS/);
    expect(leaks(message)).toBe(false);
  });
});
