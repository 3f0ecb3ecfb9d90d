import { describe, expect, it } from 'vitest';
import type { EntryIndex } from './contracts/entry-index.js';
import { isTiercacheError } from './errors.js';
import { exactMatcher } from './matcher.js';
import { createMemoryIndex } from './memory-index.js';
import { deriveKey } from './request.js';
import { failingIndex, otherPromptMatcher, PNG, recordEvents, text } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

const params = { model: 'flux' };
const stored = { type: 'image', prompt: 'a red car parked on a street', params };
const asked = { type: 'image', prompt: 'a yellow car parked on a street', params };
const bytes = (value: string) => new TextEncoder().encode(value);

describe('TieredCache.reject', () => {
  it('a rejected similar pairing is never served again; the entry still answers other requests', async () => {
    const index = createMemoryIndex();
    const cache = createTieredCache({
      tiers: [createMapTier()],
      index,
      matchers: [exactMatcher(), otherPromptMatcher('loose')],
    });
    const red = await cache.put(stored, bytes('red car'), PNG);
    const hit = await cache.get(asked);
    expect(hit).toMatchObject({ kind: 'similar', entry: { key: red.key } });
    expect(hit?.explanation?.matchedPrompt).toBe(stored.prompt);

    const result = await cache.reject(asked, hit!.entry);
    expect(result).toMatchObject({
      action: 'recorded',
      type: 'image',
      requestKey: deriveKey(asked).key,
      entryKey: red.key,
      isNew: true,
    });
    expect(result.entry?.prompt).toBe(stored.prompt);
    expect(await cache.get(asked)).toBeUndefined();
    // The same pairing again: nothing new; by key instead of entry works the same.
    expect((await cache.reject(asked, red.key)).isNew).toBe(false);

    // Only this pairing is refused: a third prompt is still answered by the red car.
    const other = { ...asked, prompt: 'a red car parked on a road' };
    expect((await cache.get(other))?.entry.key).toBe(red.key);
    expect((await cache.get(stored))?.kind).toBe('exact');
    expect((await cache.stats()).index.rejections).toBe(1);
  });

  it('after a rejection the next matcher answers, and getOrGenerate generates when none does', async () => {
    const cache = createTieredCache({
      tiers: [createMapTier()],
      matchers: [exactMatcher(), otherPromptMatcher('first'), otherPromptMatcher('second', 'canonical')],
    });
    const red = await cache.put(stored, bytes('red car'), PNG);
    await cache.reject(asked, red);
    // Both test matchers pick the same entry: the second one's answer is refused as well.
    let generated = 0;
    const result = await cache.getOrGenerate(asked, async () => {
      generated++;
      return { bytes: bytes('yellow car'), ...PNG };
    });
    expect(result.source).toBe('generated');
    expect(generated).toBe(1);
    expect((await cache.get(asked))?.kind).toBe('exact');
    expect(text((await cache.get(asked))!.bytes)).toBe('yellow car');
  });

  it('rejecting an exact hit deletes the entry and its blobs, so the next request regenerates', async () => {
    const tier = createMapTier();
    const index = createMemoryIndex();
    const cache = createTieredCache({ tiers: [tier], index });
    const seen = recordEvents(cache);
    const entry = await cache.put(stored, bytes('a glitchy render'), PNG);
    const result = await cache.reject(stored, entry);
    expect(result).toMatchObject({ action: 'deleted', entryKey: entry.key, isNew: true });
    expect(index.get('image', entry.key)).toBeUndefined();
    expect(tier.blobs.size).toBe(0);
    expect(seen.evict).toContainEqual({ type: 'image', key: entry.key, reason: 'rejected' });
    // Not recorded as a pairing: the regenerated entry (same key) is served normally.
    expect(index.stats().rejections).toBe(0);
    await cache.put(stored, bytes('a good render'), PNG);
    expect(text((await cache.get(stored))!.bytes)).toBe('a good render');
    expect((await cache.reject(stored, entry.key)).action).toBe('deleted');
    expect((await cache.reject(stored, entry.key)).isNew).toBe(false);
  });

  it('refuses a bad entry argument, an entry of another type, and an index without rejections', async () => {
    const cache = createTieredCache({ tiers: [createMapTier()] });
    const red = await cache.put(stored, bytes('red car'), PNG);
    const codeOf = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        return isTiercacheError(error) ? `${error.code} ${error.message}` : String(error);
      }
      return 'no error';
    };
    expect(await codeOf(() => cache.reject(asked, '../etc/passwd'))).toMatch(
      /^E_INVALID_REQUEST @tiercache\/core: reject entry "\.\.\/etc\/passwd" is invalid/,
    );
    expect(await codeOf(() => cache.reject(asked, null as unknown as string))).toMatch(
      /^E_INVALID_REQUEST .*reject entry null/,
    );
    expect(await codeOf(() => cache.reject({ ...asked, type: 'tts' }, red))).toMatch(
      /^E_INVALID_REQUEST .*reject entry\.type "image" is invalid; expected the request's type "tts"/,
    );
    expect(await codeOf(() => cache.reject({ ...asked, prompt: 42 as unknown as string }, red))).toMatch(
      /^E_INVALID_REQUEST/,
    );

    const memory = createMemoryIndex();
    const { reject: _r, isRejected: _i, ...plain } = memory;
    const limited = createTieredCache({ tiers: [createMapTier()], index: plain as EntryIndex });
    const entry = await limited.put(stored, bytes('red car'), PNG);
    expect(await codeOf(() => limited.reject(asked, entry))).toMatch(
      /^E_UNSUPPORTED @tiercache\/core: this cache's index cannot record rejections/,
    );
  });

  it('an index that fails to answer isRejected never serves the pairing, and reports the error', async () => {
    const failing = failingIndex(createMemoryIndex(), new Set(['isRejected']));
    const cache = createTieredCache({
      tiers: [createMapTier()],
      index: failing,
      matchers: [exactMatcher(), otherPromptMatcher('loose')],
    });
    const seen = recordEvents(cache);
    await cache.put(stored, bytes('red car'), PNG);
    expect(await cache.get(asked)).toBeUndefined();
    expect((await cache.get(stored))?.kind).toBe('exact');
    expect(seen.error.map((event) => event.operation)).toContain('isRejected');
  });
});
