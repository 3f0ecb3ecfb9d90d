import type { PruneResult, Savings } from '@tiercache/core';
import type { DiskVerifyResult } from '@tiercache/disk';
import type { EmbeddingMatcher } from '@tiercache/matchers';
import {
  createMediaCache,
  type DeliveryOptions,
  type ImageRequest,
  type MediaCache,
  type MediaResult,
  type MediaStats,
  type TtsRequest,
  type WarmItem,
  type WarmOptions,
  type WarmReport,
} from '@tiercache/media';
import type { SyncResult } from '@tiercache/s3';
import type { IndexRecoveryReport } from '@tiercache/sqlite';
import type { ServiceConfig } from './config.js';
import { configuredPolicies } from './embeddings.js';
import type { GeneratedMedia, ImageEngine, TtsEngine } from './engines/engine-types.js';
import { selectImageEngine, selectTtsEngine } from './engines/select-engines.js';
import { MediaServiceError } from './errors.js';
import { imageJob, speechJob } from './generation-jobs.js';
import { repairDamagedIndex } from './index-repair.js';
import { keepingProcessAlive } from './keep-alive.js';
import type {
  ImageSettings,
  MediaServiceOptions,
  VoiceSettings,
  WarmListItem,
} from './media-service-options.js';
import { openProfileStorage, type ProfileStorage } from './storage/profile-storage.js';

/**
 * Narration and images for a content pipeline, generated through tiercache: an exact or similar
 * hit is delivered as the caller's own copy, a miss is generated once and stored. Built from a
 * `ServiceConfig` (see `loadConfig`), one storage profile per environment.
 */
export class MediaService {
  readonly config: ServiceConfig;
  readonly ttsEngine: TtsEngine;
  readonly imageEngine: ImageEngine;
  readonly media: MediaCache;
  readonly #storage: ProfileStorage;
  readonly #embeddings: EmbeddingMatcher | undefined;

  private constructor(
    options: Required<
      Omit<MediaServiceOptions, 'pricing' | 'onWarning' | 'logger' | 'fallbackToMemory' | 'readsOnly'>
    > &
      MediaServiceOptions,
    storage: ProfileStorage,
  ) {
    this.config = options.config;
    this.ttsEngine = options.ttsEngine;
    this.imageEngine = options.imageEngine;
    this.#storage = storage;
    const { policies, embeddings } = configuredPolicies(options.config);
    this.#embeddings = embeddings;
    this.media = createMediaCache({
      storage: () => this.#storage.open(),
      outputDir: options.config.outputDir,
      enabled: options.config.enableCache,
      policies,
      ...(options.pricing ? { pricing: options.pricing } : {}),
      cacheOptions: {
        ttlMs: options.config.ttlMs,
        ...(options.logger ? { logger: options.logger } : {}),
      },
    });
  }

  /**
   * Picks the engines (probing for `espeak-ng`) and composes the service. Opens no storage yet,
   * except the farm profile's PostgreSQL index, whose replica loads from the server (a bad URL,
   * refused credentials or an unreachable server reject here, with the password never shown).
   */
  static async create(options: MediaServiceOptions): Promise<MediaService> {
    const ttsEngine = options.ttsEngine ?? (await selectTtsEngine(options.config.tts.backend));
    const imageEngine = options.imageEngine ?? selectImageEngine(options.config);
    const storage = await openProfileStorage(options.config, {
      fallbackToMemory: options.fallbackToMemory === true,
      readsOnly: options.readsOnly === true,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    return new MediaService({ ...options, ttsEngine, imageEngine }, storage);
  }

  /** The cache request of a narration line: text plus everything that changes the audio. */
  ttsRequest(text: string, settings: VoiceSettings = {}): TtsRequest {
    return speechJob(this.ttsEngine, text, settings).request;
  }

  /** The cache request of an image: prompt plus everything that changes the picture. */
  imageRequest(prompt: string, settings: ImageSettings = {}): ImageRequest {
    return imageJob(this.imageEngine, prompt, settings).request;
  }

  /** A narration clip as a new WAV file (a new `fileId` every call, hit or not). */
  generateTts(
    text: string,
    settings: VoiceSettings = {},
    options: DeliveryOptions = {},
  ): Promise<MediaResult> {
    const job = speechJob(this.ttsEngine, text, settings);
    return this.media.tts(job.request, job.generate, options);
  }

  /** An image as a new file (PNG from the local renderer; whatever Together.ai returns). */
  generateImage(
    prompt: string,
    settings: ImageSettings = {},
    options: DeliveryOptions = {},
  ): Promise<MediaResult> {
    const job = imageJob(this.imageEngine, prompt, settings);
    return this.media.image(job.request, job.generate, options);
  }

  /** Pre-generates a list of known lines and prompts. */
  warm(items: WarmListItem[], options: WarmOptions = {}): Promise<WarmReport> {
    // `warm` hands each generator the request object it was given: that finds the item's job.
    const jobs = new WeakMap<object, () => Promise<GeneratedMedia>>();
    const requests: WarmItem[] = items.map((item) => {
      if (item.kind === 'tts') {
        const { kind: _, text, ...voice } = item;
        const job = speechJob(this.ttsEngine, text, voice);
        jobs.set(job.request, job.generate);
        return { kind: 'tts', request: job.request };
      }
      const { kind: _, prompt, ...settings } = item;
      const job = imageJob(this.imageEngine, prompt, settings);
      jobs.set(job.request, job.generate);
      return { kind: 'image', request: job.request };
    });
    const generate = (request: object) => {
      const found = jobs.get(request);
      if (!found)
        throw new MediaServiceError('E_USAGE', 'warm: asked to generate a request it was not given');
      return found();
    };
    return this.media.warm(
      requests,
      { tts: generate, image: generate },
      {
        concurrency: this.config.concurrency,
        ...options,
      },
    );
  }

  /** This session's figures, the index's, and what the cache saved (generations, time, cost). */
  stats(): Promise<MediaStats> {
    return this.media.stats();
  }

  /** What the cache saved in this process: generations avoided, their time and cost. */
  async savings(): Promise<Savings> {
    const { generations, generationMs, generationCost } = (await this.media.stats()).saved;
    return { generations, generationMs, generationCost };
  }

  #cache() {
    const cache = this.media.open();
    if (!cache)
      throw new MediaServiceError('E_USAGE', 'the cache is disabled (TIERCACHE_ENABLE_CACHE=false)');
    return cache;
  }

  /** Removes the entries (index rows and files) of one type, or all. */
  async clearCache(type?: string): Promise<number> {
    return this.#cache().clear(type);
  }

  /** Expired entries first, then least recently used, until the cache is within the limits. */
  async pruneCache(limits: { maxBytes?: number; maxEntries?: number }): Promise<PruneResult> {
    return this.#cache().prune(limits);
  }

  /**
   * Hashes every cached file against its index entry; with `repair`, drops what is bad. A damaged
   * index stops a plain verify (`E_INDEX_DAMAGED`); with `repair` it is first kept aside and
   * rebuilt from the disk tier's records (see `recovery` in the result).
   */
  async verifyCache(
    repair = false,
  ): Promise<DiskVerifyResult & { entries: number; recovery: IndexRecoveryReport | undefined }> {
    if (this.config.profile === 'memory')
      throw new MediaServiceError('E_USAGE', 'cache verify needs files: the memory profile keeps none');
    // Only before the storage is opened: an index this process holds open is not moved aside.
    const recovery = this.#storage.opened() ? undefined : await repairDamagedIndex(this.config, repair);
    const cache = this.#cache();
    const disk = this.#storage.opened()?.disk;
    if (!disk) throw new MediaServiceError('E_USAGE', 'cache verify found no disk tier');
    const entries = cache.index.evictionCandidates({
      now: Date.now(),
      limit: cache.index.stats().entries,
    });
    const result = await disk.verify({
      // An index that cannot count references never lets verify call a blob an orphan.
      references: (ref) => cache.index.blobReferences?.(ref) ?? 1,
      expected: entries,
      repair,
      ...(repair ? { onMissing: (entry) => void cache.index.delete(entry.type, entry.key) } : {}),
    });
    return { ...result, entries: entries.length, recovery };
  }

  /** Copies the entries other machines stored in the shared bucket into the local index. */
  async syncShared(): Promise<SyncResult> {
    if (this.config.profile !== 'shared')
      throw new MediaServiceError(
        'E_USAGE',
        `cache sync needs the shared profile (the profile is ${this.config.profile})`,
      );
    const cache = this.#cache();
    const s3 = this.#storage.opened()?.s3;
    if (!s3) throw new MediaServiceError('E_USAGE', 'cache sync found no S3 tier');
    return keepingProcessAlive(s3.sync(cache.index));
  }

  /** Waits for uploads and backfills, then closes the storage. */
  async close(): Promise<void> {
    await keepingProcessAlive(this.#storage.flush());
    await this.media.close();
    this.#embeddings?.close();
    // A shared index sends its last writes before the process may end.
    await this.#storage.close();
  }
}
