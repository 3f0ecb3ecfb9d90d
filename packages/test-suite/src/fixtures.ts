import { type BlobRef, type Entry, hashContent } from '@tiercache/core';

let counter = 0;

/** A distinct valid key (64 hex characters) for each call. */
export function uniqueKey(): string {
  counter++;
  return `${process.pid.toString(16)}${Date.now().toString(16)}${counter.toString(16)}`
    .padStart(64, '0')
    .slice(-64);
}

/** Deterministic pseudo-random bytes (no two sizes or seeds alike). */
export function sampleBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** A complete, valid entry for `bytes`; any field can be overridden. */
export function sampleEntry(bytes: Uint8Array, overrides: Partial<Entry> = {}): Entry {
  const at = overrides.createdAt ?? 1_700_000_000_000;
  return {
    type: 'image',
    key: uniqueKey(),
    prompt: 'a calm lake at sunrise',
    params: '{}',
    paramsHash: 'p'.repeat(64),
    contentHash: hashContent(bytes),
    size: bytes.length,
    mediaType: 'application/octet-stream',
    extension: 'bin',
    metadata: {},
    createdAt: at,
    lastUsedAt: at,
    useCount: 1,
    expiresAt: null,
    generationCost: null,
    generationMs: null,
    ...overrides,
  };
}

/** Refs a tier must refuse: each tries to leave the tier's namespace. */
export const HOSTILE_REFS: readonly BlobRef[] = [
  { type: '../x', contentHash: 'a'.repeat(64), extension: 'bin' },
  { type: 'a/b', contentHash: 'a'.repeat(64), extension: 'bin' },
  { type: 'image', contentHash: '../../etc/passwd', extension: 'bin' },
  { type: 'image', contentHash: 'a/b', extension: 'bin' },
  { type: 'image', contentHash: '', extension: 'bin' },
  { type: 'image', contentHash: `../${'a'.repeat(61)}`, extension: 'bin' },
  { type: 'image', contentHash: 'A'.repeat(64), extension: 'bin' },
  { type: 'image', contentHash: 'a'.repeat(64), extension: '../x' },
  { type: 'image', contentHash: 'a'.repeat(64), extension: 'b/c' },
];
