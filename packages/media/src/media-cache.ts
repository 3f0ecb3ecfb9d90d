import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AssetRequest, createTieredCache, type Entry, type TieredCache } from '@tiercache/core';
import { validateDestination, withExplanation } from '@tiercache/core/kit';
import { checkMedia, toAsset } from './generated-media.js';
import { invalidRequest, isPlainObject, mediaErrors } from './invalid.js';
import { buildMatchers } from './match-policies.js';
import { resolveMediaOptions } from './media-options.js';
import { toMediaStats } from './media-stats.js';
import type {
  DeliveryOptions,
  GeneratedMedia,
  MediaCache,
  MediaCacheOptions,
  MediaResult,
} from './media-types.js';
import { toOriginalStats } from './original-stats.js';
import { priceImage, priceTts } from './pricing.js';
import { imageKey, ttsKey } from './request-keys.js';
import { SavingsLedger } from './savings.js';
import { runWarm } from './warm.js';

type Kind = 'tts' | 'image';

function destinationOf(options: DeliveryOptions | undefined): string | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) invalidRequest('options', options, 'an object such as { destPath }');
  const { destPath } = options;
  if (destPath !== undefined && (typeof destPath !== 'string' || destPath.length === 0)) {
    invalidRequest('options.destPath', destPath, 'a file path');
  }
  return destPath;
}

/**
 * A TTS and image cache that hands every caller its own file. See `MediaCacheOptions`.
 * Storage is opened on first use; with `enabled: false` it is never opened.
 */
export function createMediaCache(options: MediaCacheOptions): MediaCache {
  const settings = resolveMediaOptions(options);
  const savings = new SavingsLedger();
  let cache: TieredCache | undefined;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw mediaErrors.closed('this media cache has been closed');
  }

  function open(): TieredCache | undefined {
    assertOpen();
    if (!settings.enabled || !settings.storage) return undefined;
    if (cache) return cache;
    const storage = settings.storage();
    if (!isPlainObject(storage) || !Array.isArray(storage.tiers)) {
      throw mediaErrors.invalidOptions('option storage must return { index?, tiers: BlobTier[] }', {
        context: { option: 'storage' },
      });
    }
    try {
      cache = createTieredCache({
        ...settings.cacheOptions,
        tiers: storage.tiers,
        ...(storage.index === undefined ? {} : { index: storage.index }),
        matchers: buildMatchers(settings.policies),
      });
    } catch (error) {
      // The factory already opened these; a bad option must not leave a database locked.
      storage.index?.close?.();
      for (const tier of storage.tiers) void tier.close?.().catch(() => undefined);
      throw error;
    }
    cache.on('hit', (event) => savings.record(event.entry));
    return cache;
  }

  async function stats() {
    assertOpen();
    const opened = open();
    return toMediaStats(opened ? await opened.stats() : undefined, savings.snapshot());
  }

  async function deliver<R>(
    kind: Kind,
    request: R,
    key: AssetRequest,
    generate: (request: R) => Promise<GeneratedMedia>,
    listPrice: number | undefined,
    options: DeliveryOptions | undefined,
  ): Promise<MediaResult> {
    if (typeof generate !== 'function') invalidRequest('generate', generate, `a ${kind} generator function`);
    const requested = destinationOf(options);
    const fileId = randomUUID();
    const opened = open();
    // Checked before anything is generated: no NUL byte, not a folder, nowhere inside the cache's
    // own files. A missing folder is created (documented on `destPath` and `outputDir`). Without
    // `destPath` the output folder is checked through the file's name-to-be.
    const destPath = await validateDestination(
      requested ?? join(settings.outputDir, fileId),
      opened ? await opened.ownedPaths() : [],
      '@tiercache/media',
      { createFolder: true },
    );
    if (!opened) {
      const media = checkMedia(kind, await generate(request));
      const path = requested === undefined ? `${destPath}.${media.extension}` : destPath;
      await writeFile(path, media.bytes);
      return { fileId, path, source: 'generated', entry: null, cached: false };
    }
    let generatedHere = false;
    // The file is named once the entry (and so its extension) is known.
    const destination =
      requested === undefined ? (entry: Entry) => `${destPath}.${entry.extension}` : destPath;
    const result = await opened.getOrGenerateFile(key, destination, async () => {
      generatedHere = true;
      return toAsset(checkMedia(kind, await generate(request)), listPrice);
    });
    // A caller that shared another caller's generation avoided one too; no hit event says so.
    if (result.source === 'generated' && !generatedHere) savings.record(result.entry);
    return {
      fileId,
      path: result.path,
      source: result.source,
      ...(result.source === 'similar' || result.source === 'canonical'
        ? { score: result.score, matchedPrompt: result.entry.prompt, ...withExplanation(result) }
        : {}),
      entry: result.cached ? result.entry : null,
      cached: result.cached,
    };
  }

  return {
    async tts(request, generate, deliveryOptions) {
      assertOpen();
      const key = ttsKey(request);
      return deliver('tts', request, key, generate, priceTts(settings.pricing, request), deliveryOptions);
    },
    async image(request, generate, deliveryOptions) {
      assertOpen();
      const key = imageKey(request);
      return deliver('image', request, key, generate, priceImage(settings.pricing, request), deliveryOptions);
    },
    async warm(items, generators, warmOptions) {
      assertOpen();
      return runWarm(
        { open, savings, pricing: settings.pricing, now: settings.cacheOptions.now ?? Date.now },
        items,
        generators,
        warmOptions,
      );
    },
    stats,
    async getCacheStats() {
      return toOriginalStats(await stats());
    },
    get cache() {
      return closed ? undefined : open();
    },
    open,
    async close() {
      if (closed) return;
      closed = true;
      await cache?.close();
    },
  };
}
