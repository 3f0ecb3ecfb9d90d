import { type AssetRequest, deriveKey, type Entry, type EntryIndex } from '@tiercache/core';
import type { IndexChange } from '@tiercache/core/contracts';
import { tokenSet } from '../tokenize.js';

/** A valid index entry for a request, as core's put would build it. */
export function entryFor(request: AssetRequest, at = 1_700_000_000_000): Entry {
  const key = deriveKey(request);
  return {
    type: key.type,
    key: key.key,
    prompt: key.prompt,
    params: key.canonicalParams,
    paramsHash: key.paramsHash,
    contentHash: '0'.repeat(64),
    size: 1,
    mediaType: 'image/png',
    extension: 'png',
    metadata: {},
    createdAt: at,
    lastUsedAt: at,
    useCount: 1,
    expiresAt: null,
    generationCost: null,
    generationMs: null,
  };
}

/**
 * The original design: tokenize every stored prompt of the partition and keep the best
 * Jaccard score at or above the threshold; ties to the smallest key, the request's own
 * key skipped, prompts without tokens never similar.
 */
export function bruteForce(
  index: EntryIndex,
  request: AssetRequest,
  threshold: number,
  shingleSize = 1,
): { key: string; score: number } | undefined {
  const { type, paramsHash, key: ownKey, prompt } = deriveKey(request);
  const query = tokenSet(prompt, shingleSize);
  let best: { key: string; score: number } | undefined;
  for (const stored of index.partition(type, paramsHash)) {
    if (stored.key === ownKey) continue;
    const tokens = tokenSet(stored.prompt, shingleSize);
    let shared = 0;
    for (const token of query) if (tokens.has(token)) shared++;
    const union = query.size + tokens.size - shared;
    const score = union === 0 ? 0 : shared / union;
    if (score === 0 || score < threshold) continue;
    if (!best || score > best.score || (score === best.score && stored.key < best.key)) {
      best = { key: stored.key, score };
    }
  }
  return best;
}

/**
 * Another process's view: the same storage, but changes made through `writer` are never
 * announced to subscribers of the returned index; only its revision moves.
 */
export function silentView(inner: EntryIndex): EntryIndex {
  return {
    ...inner,
    get: (type, key) => inner.get(type, key),
    partition: (type, paramsHash) => inner.partition(type, paramsHash),
    revision: () => inner.revision(),
    subscribe: (_listener: (change: IndexChange) => void) => () => undefined,
  };
}
