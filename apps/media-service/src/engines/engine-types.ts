import type { JsonObject } from '@tiercache/core';

/** What an engine hands back: the bytes and how to store and name them. */
export interface GeneratedMedia {
  bytes: Uint8Array;
  mediaType: string;
  extension: string;
  /** Facts about this generation (backend, model, timings) kept with the cache entry. */
  metadata: JsonObject;
}

/** One narration clip as eSpeak NG understands it. */
export interface SpeechRequest {
  text: string;
  /** eSpeak NG voice: a language (`en-us`), optionally with a variant (`en-us+f3`). */
  voice: string;
  /** Words per minute. */
  speed: number;
  /** 0 to 99. */
  pitch: number;
}

export interface TtsEngine {
  /** The synthesizer family; part of every cache key. */
  readonly engine: 'espeak-ng';
  /**
   * The build that produces the audio (`espeak-ng@1.51`, `text2wav@0.0.14`); part of the cache
   * key, because two builds ship different dictionaries and can say the same text differently.
   */
  readonly backend: string;
  synthesize(request: SpeechRequest): Promise<GeneratedMedia & { mediaType: 'audio/wav'; extension: 'wav' }>;
}

export interface ImageRequest {
  prompt: string;
  negativePrompt?: string | undefined;
  model: string;
  width: number;
  height: number;
  steps: number;
  seed?: number | undefined;
}

export interface ImageEngine {
  /** `together` or `local-renderer`; part of the cache key (with the model). */
  readonly engine: string;
  /** Model used when a request names none. */
  readonly defaultModel: string;
  render(request: ImageRequest): Promise<GeneratedMedia>;
}
