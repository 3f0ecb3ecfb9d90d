import type { JsonObject } from './json.js';

/**
 * What a caller asks for. `params` holds every setting that changes the output
 * (engine, voice, model, size, seed...): two requests with different params never share
 * an entry, not even as a similar hit.
 */
export interface AssetRequest {
  /** Short lowercase name, safe as a folder name: `tts`, `image`. */
  type: string;
  /** The text to speak or the image prompt. */
  prompt: string;
  params?: JsonObject;
}

/** A validated request with its keys, as every tier, index and matcher sees it. */
export interface RequestKey {
  type: string;
  /** SHA-256 (hex) over `paramsHash` and the normalized prompt. */
  key: string;
  /** SHA-256 (hex) over key schema version, type and canonical params: the similarity partition. */
  paramsHash: string;
  /** The prompt after NFC, trim and whitespace collapsing. */
  prompt: string;
  /** Canonical JSON of params (sorted keys); `{}` when none were given. */
  canonicalParams: string;
}
