import type { Logger } from '@tiercache/core';
import type { ImageRequest, PricingTable } from '@tiercache/media';
import type { ServiceConfig } from './config.js';
import type { ImageEngine, TtsEngine } from './engines/engine-types.js';
import type { StorageWarning } from './storage/storage-part.js';

/** How a line is spoken. */
export interface VoiceSettings {
  /**
   * eSpeak NG voice: a language, optionally with a variant (`en-us+f3`).
   * @default 'en-us'
   */
  voice?: string | undefined;
  /**
   * Words per minute, 80 to 450.
   * @default 165
   */
  speed?: number | undefined;
  /**
   * Pitch, 0 to 99.
   * @default 50
   */
  pitch?: number | undefined;
}

/**
 * How an image is drawn: the fields of media's `ImageRequest` besides the prompt, all cache key
 * material. The app's defaults: `model` the engine's (`TIERCACHE_TOGETHER_MODEL`, or
 * `local-renderer/v1`), `width` 640, `height` 360, `steps` 4 (Together.ai only: the local
 * renderer has none).
 */
export type ImageSettings = Pick<
  ImageRequest,
  'negativePrompt' | 'model' | 'width' | 'height' | 'steps' | 'seed'
>;

export type { DeliveryOptions } from '@tiercache/media';

/** One line of a warm list: what `generateTts`/`generateImage` would be asked. */
export type WarmListItem =
  | ({ kind: 'tts'; text: string } & VoiceSettings)
  | ({ kind: 'image'; prompt: string } & ImageSettings);

export interface MediaServiceOptions {
  config: ServiceConfig;
  /** @default eSpeak NG as `config.tts.backend` chooses */
  ttsEngine?: TtsEngine;
  /** @default Together.ai with a key, else the local renderer (`config.image.engine`) */
  imageEngine?: ImageEngine;
  /** Prices merged over `@tiercache/media`'s list prices. @default {} */
  pricing?: Partial<PricingTable>;
  /** Receives storage warnings, the S3 tier's included (the CLI prints them on stderr). @default ignored */
  onWarning?: (warning: StorageWarning) => void;
  /**
   * The cache's logger (`TieredCacheOptions.logger`): tier, index and matcher failures, with codes.
   * @default silent
   */
  logger?: Logger;
  /**
   * Storage that cannot be opened (a full disk, a locked index) becomes one warning and the
   * memory profile for this run, instead of an error (see `ProfileStorageOptions`).
   * @default false
   */
  fallbackToMemory?: boolean;
  /**
   * The service will only read the cache (`cache verify` without `--repair`): an index that
   * cannot be opened for writing, e.g. on a full disk, is read read-only (see `ProfileStorageOptions`).
   * @default false
   */
  readsOnly?: boolean;
}
