import type { ServiceConfig } from '../config.js';
import { MediaServiceError } from '../errors.js';
import type { ImageEngine, TtsEngine } from './engine-types.js';
import { createSystemEspeakEngine, detectSystemEspeak } from './espeak.js';
import { createLocalRenderer } from './local-renderer.js';
import { createText2wavEngine } from './text2wav.js';
import { createTogetherEngine } from './together.js';

/** `auto` prefers the system binary (faster, native) and falls back to the WASM build. */
export async function selectTtsEngine(choice: ServiceConfig['tts']['backend']): Promise<TtsEngine> {
  if (choice === 'text2wav') return createText2wavEngine();
  if (choice === 'system' || (await detectSystemEspeak()) !== undefined) return createSystemEspeakEngine();
  return createText2wavEngine();
}

/** `auto` uses Together.ai when a key is set, the local renderer otherwise. */
export function selectImageEngine(config: Pick<ServiceConfig, 'image' | 'together'>): ImageEngine {
  const { engine } = config.image;
  const { apiKey, baseUrl, model, timeoutMs } = config.together;
  if (engine === 'local' || (engine === 'auto' && !apiKey)) return createLocalRenderer();
  if (!apiKey)
    throw new MediaServiceError(
      'E_CONFIG',
      'TOGETHER_API_KEY: required when TIERCACHE_IMAGE_ENGINE is together',
      {
        context: { setting: 'together.apiKey' },
      },
    );
  return createTogetherEngine({ apiKey, baseUrl, model, timeoutMs });
}
