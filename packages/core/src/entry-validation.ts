import { EXTENSION_PATTERN, KEY_PATTERN } from './blob-ref.js';
import type { Entry } from './contracts/entry.js';
import { coreErrors } from './error-factories.js';
import { describeValue } from './errors.js';
import { assertAssetType } from './request.js';

const HEX64 = /^[0-9a-f]{64}$/;

function bad(field: string, value: unknown, expected: string): never {
  throw coreErrors.invalidEntry(`entry.${field} ${describeValue(value)} is invalid; expected ${expected}`, {
    context: { field },
  });
}

const isTime = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isNullableNumber = (value: unknown) => value === null || isTime(value);

/** Throws `E_INVALID_ENTRY` for a malformed entry, before any index stores it. */
export function validateEntry(entry: Entry): void {
  if (typeof entry !== 'object' || entry === null) bad('', entry, 'an object');
  try {
    assertAssetType(entry.type);
  } catch {
    bad('type', entry.type, 'a valid asset type');
  }
  if (typeof entry.key !== 'string' || !KEY_PATTERN.test(entry.key)) bad('key', entry.key, 'a key');
  if (typeof entry.prompt !== 'string') bad('prompt', entry.prompt, 'a string');
  if (typeof entry.params !== 'string') bad('params', entry.params, 'canonical JSON text');
  if (typeof entry.paramsHash !== 'string' || entry.paramsHash.length === 0) {
    bad('paramsHash', entry.paramsHash, 'a hash');
  }
  if (typeof entry.contentHash !== 'string' || !HEX64.test(entry.contentHash)) {
    bad('contentHash', entry.contentHash, 'a SHA-256 hex digest');
  }
  if (!Number.isSafeInteger(entry.size) || entry.size <= 0) bad('size', entry.size, 'a positive integer');
  if (typeof entry.mediaType !== 'string' || !entry.mediaType.includes('/')) {
    bad('mediaType', entry.mediaType, 'a media type such as audio/wav');
  }
  if (typeof entry.extension !== 'string' || !EXTENSION_PATTERN.test(entry.extension)) {
    bad('extension', entry.extension, 'up to 16 lowercase letters or digits');
  }
  if (typeof entry.metadata !== 'object' || entry.metadata === null || Array.isArray(entry.metadata)) {
    bad('metadata', entry.metadata, 'a JSON object');
  }
  if (!isTime(entry.createdAt)) bad('createdAt', entry.createdAt, 'a time in ms');
  if (!isTime(entry.lastUsedAt)) bad('lastUsedAt', entry.lastUsedAt, 'a time in ms');
  if (!Number.isSafeInteger(entry.useCount) || entry.useCount < 0)
    bad('useCount', entry.useCount, 'an integer >= 0');
  if (!isNullableNumber(entry.expiresAt)) bad('expiresAt', entry.expiresAt, 'a time in ms or null');
  if (!isNullableNumber(entry.generationCost))
    bad('generationCost', entry.generationCost, 'a number >= 0 or null');
  if (!isNullableNumber(entry.generationMs)) bad('generationMs', entry.generationMs, 'a number >= 0 or null');
}
