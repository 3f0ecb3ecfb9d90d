import { deriveKey, isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import type { ImageRequest, TtsRequest } from './media-types.js';
import { imageKey, ttsKey } from './request-keys.js';

function requestError(run: () => unknown): { message: string; field: unknown } {
  try {
    run();
  } catch (error) {
    if (isTiercacheError(error, 'E_INVALID_REQUEST'))
      return { message: error.message, field: error.context.field };
    throw error;
  }
  throw new Error('expected E_INVALID_REQUEST');
}

const tts: TtsRequest = { text: 'Hello world', engine: 'espeak-ng', voice: 'en-us' };

describe('request keys', () => {
  it('TTS: the text is the prompt; engine, voice and every other setting are params', () => {
    expect(
      ttsKey({
        ...tts,
        voice: { name: 'bella', pitch: 1.1 },
        speed: 1.2,
        format: 'wav',
        language: 'en',
        extra: undefined,
      }),
    ).toEqual({
      type: 'tts',
      prompt: 'Hello world',
      params: {
        engine: 'espeak-ng',
        voice: { name: 'bella', pitch: 1.1 },
        speed: 1.2,
        format: 'wav',
        language: 'en',
      },
    });
  });

  it('image: prompt, and negative prompt, model, size, steps, seed and the rest as params', () => {
    const request: ImageRequest = {
      prompt: 'a red fox',
      negativePrompt: '  blurry,   text ',
      model: 'black-forest-labs/FLUX.1-schnell',
      width: 512,
      height: 768,
      steps: 4,
      seed: 42,
      style: 'house',
    };
    expect(imageKey(request).params).toEqual({
      negativePrompt: 'blurry, text',
      model: 'black-forest-labs/FLUX.1-schnell',
      width: 512,
      height: 768,
      steps: 4,
      seed: 42,
      style: 'house',
    });
  });

  it('a blank negative prompt or an undefined field is the same request as none', () => {
    const bare = deriveKey(imageKey({ prompt: 'a red fox' })).key;
    expect(deriveKey(imageKey({ prompt: 'a red fox', negativePrompt: '  ' })).key).toBe(bare);
    expect(deriveKey(imageKey({ prompt: 'a red fox', seed: undefined })).key).toBe(bare);
    expect(deriveKey(imageKey({ prompt: 'a red fox', seed: 1 })).key).not.toBe(bare);
  });

  it.each([
    [() => ttsKey({ ...tts, text: '' }), 'tts.text', '""'],
    [() => ttsKey({ ...tts, text: ' \n ' }), 'tts.text', '" \\n "'],
    [() => ttsKey({ ...tts, text: 7 as unknown as string }), 'tts.text', '7'],
    [() => ttsKey({ text: 'hi', voice: 'en' } as unknown as TtsRequest), 'tts.engine', 'undefined'],
    [() => ttsKey({ ...tts, engine: '' }), 'tts.engine', '""'],
    [() => ttsKey({ text: 'hi', engine: 'espeak-ng' } as TtsRequest), 'tts.voice', 'undefined'],
    [() => ttsKey({ ...tts, speed: 0 }), 'tts.speed', '0'],
    [() => ttsKey({ ...tts, voice: { born: new Date(0) } as unknown as string }), 'tts.voice', 'an object'],
    [() => ttsKey(null as unknown as TtsRequest), 'tts request', 'null'],
    [() => imageKey({ prompt: '' }), 'image.prompt', '""'],
    [() => imageKey({ prompt: 'fox', width: 0 }), 'image.width', '0'],
    [() => imageKey({ prompt: 'fox', height: 1.5 }), 'image.height', '1.5'],
    [() => imageKey({ prompt: 'fox', steps: '4' as unknown as number }), 'image.steps', '"4"'],
    [() => imageKey({ prompt: 'fox', seed: Number.NaN }), 'image.seed', 'NaN'],
    [() => imageKey({ prompt: 'fox', model: '' }), 'image.model', '""'],
    [() => imageKey({ prompt: 'fox', negativePrompt: 5 as unknown as string }), 'image.negativePrompt', '5'],
    [() => imageKey({ prompt: 'fox', hook: (() => 1) as unknown as string }), 'image.hook', 'a function'],
  ])('rejects a bad field, naming it and its value (%#)', (run, field, value) => {
    const error = requestError(run);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`@tiercache/media: ${field} ${value} is invalid`);
  });
});
