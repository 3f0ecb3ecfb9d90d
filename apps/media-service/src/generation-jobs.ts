import type { ImageRequest as CachedImageRequest, TtsRequest } from '@tiercache/media';
import type {
  GeneratedMedia,
  ImageEngine,
  ImageRequest,
  SpeechRequest,
  TtsEngine,
} from './engines/engine-types.js';
import type { ImageSettings, VoiceSettings } from './media-service-options.js';
import { checkVoice, DEFAULT_IMAGE, DEFAULT_VOICE } from './request-settings.js';

/**
 * A cache request and the generation that answers it, built from the same resolved settings:
 * defaults are applied once, and the engine is never handed settings read back from the key.
 */
export interface GenerationJob<Request> {
  request: Request;
  generate: () => Promise<GeneratedMedia>;
}

/** A narration line: the key holds text plus everything that changes the audio. */
export function speechJob(
  engine: TtsEngine,
  text: string,
  settings: VoiceSettings = {},
): GenerationJob<TtsRequest> {
  const speech: SpeechRequest = {
    text,
    voice: settings.voice ?? DEFAULT_VOICE.voice,
    speed: settings.speed ?? DEFAULT_VOICE.speed,
    pitch: settings.pitch ?? DEFAULT_VOICE.pitch,
  };
  checkVoice(speech);
  return {
    request: {
      text,
      engine: engine.engine,
      backend: engine.backend,
      voice: { name: speech.voice, pitch: speech.pitch },
      speed: speech.speed,
      format: 'wav',
    },
    generate: () => engine.synthesize(speech),
  };
}

/** An image: the key holds the prompt plus everything that changes the picture. */
export function imageJob(
  engine: ImageEngine,
  prompt: string,
  settings: ImageSettings = {},
): GenerationJob<CachedImageRequest> {
  const image: ImageRequest = {
    prompt,
    negativePrompt: settings.negativePrompt || undefined,
    model: settings.model ?? engine.defaultModel,
    width: settings.width ?? DEFAULT_IMAGE.width,
    height: settings.height ?? DEFAULT_IMAGE.height,
    steps: settings.steps ?? DEFAULT_IMAGE.steps,
    seed: settings.seed,
  };
  // Keys hold only what changes the output: the local renderer has no diffusion steps.
  const local = engine.engine === 'local-renderer';
  return {
    request: {
      prompt,
      engine: engine.engine,
      model: image.model,
      width: image.width,
      height: image.height,
      ...(local ? {} : { steps: image.steps }),
      ...(image.negativePrompt ? { negativePrompt: image.negativePrompt } : {}),
      ...(image.seed === undefined ? {} : { seed: image.seed }),
    },
    generate: () => engine.render(image),
  };
}
