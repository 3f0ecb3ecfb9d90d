import {
  type AssetRequest,
  type JsonObject,
  type JsonValue,
  MAX_PROMPT_LENGTH,
  normalizePrompt,
} from '@tiercache/core';
import { canonicalJson } from '@tiercache/core/kit';
import { invalidRequest, isPlainObject, isPositiveInteger } from './invalid.js';
import type { ImageRequest, TtsRequest } from './media-types.js';

function assertObject(kind: string, request: unknown): asserts request is Record<string, unknown> {
  if (!isPlainObject(request)) invalidRequest(`${kind} request`, request, 'a plain object');
}

function assertText(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') invalidRequest(field, value, 'a string');
  const length = normalizePrompt(value).length;
  if (length === 0) invalidRequest(field, value, 'text that is not empty or only whitespace');
  if (length > MAX_PROMPT_LENGTH) invalidRequest(field, value, `at most ${MAX_PROMPT_LENGTH} characters`);
}

function assertName(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim().length === 0)
    invalidRequest(field, value, 'a non-empty string');
}

/**
 * Copies the settings that are present into params, each checked to be plain JSON so the
 * error names the request field rather than core's `params` path.
 */
function collectParams(kind: string, request: Record<string, unknown>, promptField: string): JsonObject {
  const params: JsonObject = {};
  for (const [field, value] of Object.entries(request)) {
    if (field === promptField || value === undefined) continue;
    try {
      canonicalJson(value);
    } catch (error) {
      invalidRequest(`${kind}.${field}`, value, 'plain JSON (no functions, class instances or NaN)', error);
    }
    params[field] = value as JsonValue;
  }
  return params;
}

/**
 * The cache request of a TTS call: the text is the prompt; engine, voice, speed, format and
 * every other setting are params, so any of them changing is a different entry.
 * Throws `E_INVALID_REQUEST` naming the bad field.
 */
export function ttsKey(request: TtsRequest): AssetRequest {
  assertObject('tts', request);
  assertText('tts.text', request.text);
  assertName('tts.engine', request.engine);
  if (request.voice === undefined)
    invalidRequest('tts.voice', request.voice, 'a voice name or JSON voice settings');
  const { speed, format } = request;
  if (speed !== undefined && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) {
    invalidRequest('tts.speed', speed, 'a positive number');
  }
  if (format !== undefined) assertName('tts.format', format);
  return { type: 'tts', prompt: request.text, params: collectParams('tts', request, 'text') };
}

/**
 * The cache request of an image call: prompt, and as params the negative prompt, model,
 * size, steps, seed and every other setting. A blank negative prompt counts as none, as in
 * the original system; whitespace inside it is normalized like the prompt's.
 * Throws `E_INVALID_REQUEST` naming the bad field.
 */
export function imageKey(request: ImageRequest): AssetRequest {
  assertObject('image', request);
  assertText('image.prompt', request.prompt);
  const { negativePrompt, model, width, height, steps, seed } = request;
  if (negativePrompt !== undefined && typeof negativePrompt !== 'string') {
    invalidRequest('image.negativePrompt', negativePrompt, 'a string');
  }
  if (model !== undefined) assertName('image.model', model);
  for (const [field, value] of [
    ['width', width],
    ['height', height],
    ['steps', steps],
  ] as const) {
    if (value !== undefined && !isPositiveInteger(value))
      invalidRequest(`image.${field}`, value, 'a positive integer');
  }
  if (seed !== undefined && !(typeof seed === 'number' && Number.isSafeInteger(seed))) {
    invalidRequest('image.seed', seed, 'an integer');
  }
  const negative = negativePrompt === undefined ? '' : normalizePrompt(negativePrompt);
  const params = collectParams('image', { ...request, negativePrompt: negative || undefined }, 'prompt');
  return { type: 'image', prompt: request.prompt, params };
}
