import {
  type AssetRequest,
  createMemoryIndex,
  createTieredCache,
  type JsonObject,
  normalizePrompt,
} from '@tiercache/core';
import { canonicalJson } from '@tiercache/core/kit';
import { createMemoryTier } from '@tiercache/memory';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { createCache } from 'cache-manager';
import { LRUCache } from 'lru-cache';
import { compare } from './harness.js';

// A few hundred distinct, realistic requests: narration lines for several channels and
// voices, and image prompts with a house style; every one is stored, every lookup hits.
const TOPICS = [
  'black holes',
  'sourdough',
  'the Roman roads',
  'tidal pools',
  'chess openings',
  'bees',
  'volcanoes',
  'jazz',
];
const LINES = [
  'Welcome back to the channel! Today we look at {t}.',
  'Did you know? Most people get {t} completely wrong.',
  'Here are three facts about {t} you will not forget.',
  'Subscribe for more stories about {t}.',
  'That is all for {t}. See you tomorrow!',
];
const VOICES = [
  { engine: 'espeak-ng', voice: { name: 'en-us', pitch: 50, speed: 165 }, format: 'wav' },
  { engine: 'piper', voice: { name: 'en_GB-alba', speed: 1 }, format: 'wav' },
  { engine: 'elevenlabs', voice: { name: 'Rachel', stability: 0.5 }, format: 'mp3' },
];
const SUBJECTS = [
  'a calm lake',
  'a lighthouse',
  'a mountain village',
  'a desert road',
  'a koi pond',
  'an old library',
];
const MOMENTS = ['at sunrise', 'at dusk', 'in the rain', 'under the northern lights'];
const STYLES = [
  'cinematic, golden light, 4k',
  'watercolor, soft pastel palette',
  'studio ghibli style, detailed',
];
const MODELS = [
  { model: 'flux-schnell', width: 1024, height: 1024, steps: 4, negative_prompt: 'text, watermark' },
  { model: 'sdxl', width: 1344, height: 768, steps: 30, negative_prompt: 'blurry, lowres' },
];
/**
 * Blob sizes per run: 1 KB isolates the cache machinery; the second run uses typical media
 * (a few seconds of speech, a compressed 1-megapixel image), where TieredCache pays a copy
 * per hit that the peers, which hand out their stored object, do not.
 */
const SIZES = [
  { tts: 1024, image: 1024 },
  { tts: 48 * 1024, image: 160 * 1024 },
];

function buildRequests(): AssetRequest[] {
  const requests: AssetRequest[] = [];
  for (const [i, topic] of TOPICS.entries())
    for (const line of LINES)
      requests.push({ type: 'tts', prompt: line.replace('{t}', topic), params: VOICES[i % VOICES.length]! });
  for (const subject of SUBJECTS)
    for (const moment of MOMENTS)
      for (const [s, style] of STYLES.entries())
        requests.push({ type: 'image', prompt: `${subject} ${moment}, ${style}`, params: MODELS[s % 2]! });
  // The same requests with a different seed: a new partition each, as seeds do in practice.
  return [...requests, ...requests.map((r) => ({ ...r, params: { ...r.params, seed: 7 } }))];
}

/** What a peer would key on: the request in canonical form (sorted params, normalized prompt). */
function canonical(request: AssetRequest): AssetRequest {
  const params = JSON.parse(canonicalJson(request.params ?? {})) as JsonObject;
  return { type: request.type, prompt: normalizePrompt(request.prompt), params };
}

export async function benchL1Hit(): Promise<void> {
  for (const size of SIZES) await benchAtSize(size.tts, size.image);
}

async function benchAtSize(ttsBytes: number, imageBytes: number): Promise<void> {
  const requests = buildRequests().map(canonical);
  const blobs = requests.map((r, i) =>
    new Uint8Array(r.type === 'tts' ? ttsBytes : imageBytes).fill(i & 255),
  );
  const peerKey = (request: AssetRequest) => JSON.stringify(request);
  const n = requests.length;

  const lru = new LRUCache<string, Uint8Array>({ maxSize: 1024 ** 3, sizeCalculation: (v) => v.length });
  const cache = createTieredCache({
    tiers: [createMemoryTier({ maxBytes: 1024 ** 3 })],
    index: createMemoryIndex(),
  });
  // The opt-in zero-copy delivery: hits hand out the memory tier's (content-addressed,
  // never rewritten) bytes, read-only, as the peers hand out their stored objects.
  const zeroCopy = createTieredCache({
    tiers: [createMemoryTier({ maxBytes: 1024 ** 3 })],
    index: createMemoryIndex(),
    zeroCopyHits: true,
  });
  // serialize: false keeps values by reference (bentocache cannot size them then: maxItems).
  const bento = new BentoCache({
    default: 'memory',
    stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000, serialize: false })) },
  });
  // Its default Keyv Map store with serialization switched off: the fastest in-memory setup
  // (keyv is not a dependency of ours, so the default store is adjusted rather than built).
  const manager = createCache();
  for (const store of manager.stores) {
    store.serialize = undefined;
    store.deserialize = undefined;
  }

  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let e = 0;
  await compare(
    `L1 exact hit, ${n} distinct requests (tts ${ttsBytes / 1024} KB, image ${imageBytes / 1024} KB blobs)`,
    [
      {
        name: 'lru-cache get (JSON key, shared reference)',
        setup: () => {
          for (const [i, r] of requests.entries()) lru.set(peerKey(r), blobs[i]!);
        },
        run: () => lru.get(peerKey(requests[a++ % n]!)),
      },
      {
        name: 'TieredCache.get (memory tier, memory index; private copy)',
        setup: async () => {
          for (const [i, r] of requests.entries())
            await cache.put(r, blobs[i]!, { mediaType: 'application/octet-stream', extension: 'bin' });
        },
        run: () => cache.get(requests[b++ % n]!),
      },
      {
        name: 'TieredCache.get (memory tier, memory index; zeroCopyHits: read-only bytes)',
        setup: async () => {
          for (const [i, r] of requests.entries())
            await zeroCopy.put(r, blobs[i]!, { mediaType: 'application/octet-stream', extension: 'bin' });
        },
        run: () => zeroCopy.get(requests[e++ % n]!),
      },
      {
        name: 'bentocache get (memory driver, serialize: false)',
        setup: async () => {
          for (const [i, r] of requests.entries()) await bento.set({ key: peerKey(r), value: blobs[i]! });
        },
        run: () => bento.get({ key: peerKey(requests[c++ % n]!) }),
      },
      {
        name: 'cache-manager 7 get (Keyv Map store, no serialization)',
        setup: async () => {
          for (const [i, r] of requests.entries()) await manager.set(peerKey(r), blobs[i]!);
        },
        run: () => manager.get(peerKey(requests[d++ % n]!)),
      },
    ],
    { batch: 200, samples: 100, warmup: 10 },
  );
  // Every contender must have answered with bytes, or the table measures misses.
  const probe = requests[0]!;
  const answers = [
    lru.get(peerKey(probe)),
    (await cache.get(probe))?.bytes,
    (await zeroCopy.get(probe))?.bytes,
    await bento.get<Uint8Array>({ key: peerKey(probe) }),
    await manager.get<Uint8Array>(peerKey(probe)),
  ];
  if (answers.some((bytes) => bytes?.length !== blobs[0]!.length))
    throw new Error('l1-hit: a contender missed');
  await cache.close();
  await zeroCopy.close();
  await bento.disconnect();
  await manager.disconnect();
}
