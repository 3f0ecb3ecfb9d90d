import { deriveKey, type Entry, type EntryIndex } from '@tiercache/core';

export const { paramsHash } = deriveKey({ type: 'image', prompt: 'x', params: { model: 'bench' } });
export const keyOf = (i: number) => i.toString(16).padStart(64, '0');

/**
 * A lightweight EntryIndex over plain arrays: one partition, entries materialized on
 * `get`. Core's memory index would hold a full Entry object per prompt, which at 1M prompts
 * measures the index rather than the matcher.
 */
export function arrayIndex(prompts: string[]): EntryIndex {
  const partition = prompts.map((prompt, i) => ({ key: keyOf(i), prompt }));
  const entry = (i: number): Entry => ({
    type: 'image',
    key: keyOf(i),
    prompt: prompts[i]!,
    params: '{"model":"bench"}',
    paramsHash,
    contentHash: '0'.repeat(64),
    size: 1,
    mediaType: 'image/png',
    extension: 'png',
    metadata: {},
    createdAt: 0,
    lastUsedAt: 0,
    useCount: 1,
    expiresAt: null,
    generationCost: null,
    generationMs: null,
  });
  const unsupported = () => {
    throw new Error('not used by the benchmark');
  };
  return {
    get: (_type, key) => {
      const i = Number.parseInt(key, 16);
      return i < prompts.length && keyOf(i) === key ? entry(i) : undefined;
    },
    partition: (type, hash) => (type === 'image' && hash === paramsHash ? partition : []),
    revision: () => 0,
    subscribe: () => () => undefined,
    insert: unsupported,
    touch: unsupported,
    delete: unsupported,
    clear: unsupported,
    evictionCandidates: unsupported,
    stats: unsupported,
  };
}
