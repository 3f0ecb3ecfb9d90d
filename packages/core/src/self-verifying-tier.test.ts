import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadVerification } from './contracts/blob-tier.js';
import { PNG, recordEvents, text } from './test-support/fixtures.js';
import { createMapTier } from './test-support/map-tier.js';
import { createTieredCache } from './tiered-cache.js';

const lake = { type: 'image', prompt: 'a calm lake at sunrise', params: { model: 'flux' } };
const encode = (value: string) => new TextEncoder().encode(value);

/** A self-verifying upper tier over a verifying lower one, both holding `pixels` for `lake`. */
async function twoTiers(upperVerification: ReadVerification) {
  const upper = createMapTier('upper', upperVerification);
  const lower = createMapTier('lower', 'by-cache');
  const cache = createTieredCache({ tiers: [upper, lower] });
  const seen = recordEvents(cache);
  const entry = await cache.put(lake, encode('pixels'), PNG);
  const [id] = upper.blobs.keys();
  return { upper, lower, cache, seen, entry, id: id! };
}

describe("tiers that verify their own reads (readVerification: 'by-tier')", () => {
  it("passes the entry's content hash to get, for bytes and for files", async () => {
    const tier = createMapTier('map', 'by-tier');
    expect(tier.readVerification).toBe('by-tier');
    const cache = createTieredCache({ tiers: [tier] });
    const entry = await cache.put(lake, encode('pixels'), PNG);
    expect(text((await cache.get(lake))!.bytes)).toBe('pixels');
    const folder = await mkdtemp(join(tmpdir(), 'tiercache-core-'));
    try {
      const hit = await cache.getFile(lake, join(folder, 'out.png'));
      expect(hit?.tier).toBe('map');
      expect(await readFile(join(folder, 'out.png'), 'utf8')).toBe('pixels');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expect(tier.expectedHashes).toEqual([entry.contentHash, entry.contentHash]);
  });

  it('a tier without the capability is unchanged: it is not declared and core catches its wrong bytes', async () => {
    const { upper, cache, seen, entry, id } = await twoTiers('by-cache');
    expect(upper.readVerification).toBe('by-cache');
    upper.blobs.set(id, encode('pixelz'));
    const hit = await cache.get(lake);
    expect(hit?.tier).toBe('lower');
    expect(text(hit!.bytes)).toBe('pixels');
    expect(seen.error.map((event) => event.error.code)).toEqual(['E_CORRUPT_BLOB']);
    expect(seen.evict).toContainEqual({ type: 'image', key: entry.key, reason: 'corrupt', tier: 'upper' });
  });

  it('when the tier finds a mismatch it answers undefined, and core reads on and backfills it', async () => {
    const { upper, cache, seen, id } = await twoTiers('by-tier');
    upper.blobs.set(id, encode('pixelz'));
    const hit = await cache.get(lake);
    expect(hit?.tier).toBe('lower');
    expect(text(hit!.bytes)).toBe('pixels');
    // Reporting the mismatch is the tier's business; for core it was a plain miss.
    expect(seen.error).toEqual([]);
    await cache.idle();
    expect(text(upper.blobs.get(id)!)).toBe('pixels');
    expect((await cache.get(lake))?.tier).toBe('upper');
  });

  it('core trusts what such a tier returns: bytes of the right size are not hashed again', async () => {
    // The contract makes the tier responsible for its bytes. One that breaks it (returns
    // unverified bytes) shows that core no longer hashes them: the wrong copy is served.
    const { upper, cache, seen, id } = await twoTiers('by-tier');
    upper.faults.skipOwnCheck = true;
    upper.blobs.set(id, encode('pixelz'));
    const hit = await cache.get(lake);
    expect(hit?.tier).toBe('upper');
    expect(text(hit!.bytes)).toBe('pixelz');
    expect(seen.error).toEqual([]);
  });

  it('core still checks the size of what such a tier returns', async () => {
    const { upper, cache, seen, entry, id } = await twoTiers('by-tier');
    upper.faults.skipOwnCheck = true;
    upper.blobs.set(id, encode('pix'));
    const hit = await cache.get(lake);
    expect(hit?.tier).toBe('lower');
    expect(text(hit!.bytes)).toBe('pixels');
    expect(seen.error.map((event) => event.error.code)).toEqual(['E_CORRUPT_BLOB']);
    expect(seen.evict).toContainEqual({ type: 'image', key: entry.key, reason: 'corrupt', tier: 'upper' });
    expect(upper.calls).toContain('delete');
    await cache.idle();
    expect(text(upper.blobs.get(id)!)).toBe('pixels');
  });
});
