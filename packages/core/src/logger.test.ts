import { describe, expect, it } from 'vitest';
import type { BlobTier } from './contracts/blob-tier.js';
import type { LogFields, Logger } from './contracts/logger.js';
import { isTiercacheError } from './errors.js';
import { asset, text } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

function recordingLogger() {
  const lines: { level: keyof Logger; fields: LogFields; message: string }[] = [];
  const at = (level: keyof Logger) => (fields: LogFields, message: string) => {
    lines.push({ level, fields, message });
  };
  const logger: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  return { logger, lines };
}

const request = { type: 'tts', prompt: 'a logged request' };

describe('logger option', () => {
  it('logs each tier failure as a warning with its code, tier and operation', async () => {
    const { logger, lines } = recordingLogger();
    const fast = createMapTier('fast');
    const slow = createMapTier('slow');
    const cache = createTieredCache({ tiers: [fast, slow], logger });
    await cache.put(request, new TextEncoder().encode('bytes'), { mediaType: 'audio/wav', extension: 'wav' });
    fast.faults.throwOn.add('get');
    const hit = await cache.get(request);
    expect(hit && text(hit.bytes)).toBe('bytes');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      fields: { code: 'E_TIER_UNAVAILABLE', tier: 'fast', operation: 'get' },
    });
    expect(lines[0]!.message).toMatch(/^@tiercache\/core: tier "fast" failed during get/);
    await cache.close();
  });

  it('hands the logger to tiers that take one, and a throwing logger breaks nothing', async () => {
    const received: Logger[] = [];
    const throwing: Logger = {
      error: () => {
        throw new Error('logger down');
      },
      warn: () => {
        throw new Error('logger down');
      },
      info: () => undefined,
      debug: () => undefined,
    };
    const tier: BlobTier = { ...createMapTier('taker'), setLogger: (logger) => received.push(logger) };
    const failing = createMapTier('failing');
    failing.faults.throwOn.add('put');
    const cache = createTieredCache({ tiers: [tier, failing], logger: throwing });
    expect(received).toEqual([throwing]);
    const result = await cache.getOrGenerate(request, async () => asset('generated'));
    expect(text(result.bytes)).toBe('generated');
    await cache.close();
  });

  it('is silent by default and refuses an object that is not a logger', () => {
    const tier = createMapTier('plain');
    expect(() => createTieredCache({ tiers: [tier] })).not.toThrow();
    const bad = { warn: () => undefined } as unknown as Logger;
    try {
      createTieredCache({ tiers: [tier], logger: bad });
      expect.unreachable();
    } catch (error) {
      expect(isTiercacheError(error) && error.code).toBe('E_INVALID_OPTIONS');
      expect((error as Error).message).toMatch(/^@tiercache\/core: option logger\.error .*pino-compatible/);
    }
  });
});
