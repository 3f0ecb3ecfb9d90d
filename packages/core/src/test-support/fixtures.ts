import type { GeneratedAsset, TieredCache } from '../cache-types.js';
import type { EntryIndex } from '../contracts/entry-index.js';
import type { Matcher } from '../contracts/matcher.js';
import type { CacheEvents } from '../events.js';

/** An image request the cache tests share. */
export const LAKE = {
  type: 'image',
  prompt: 'a calm lake at sunrise, 4k',
  params: { model: 'flux', size: '1024x1024' },
};

export const PNG = { mediaType: 'image/png', extension: 'png' } as const;

export function asset(text: string, extra: Partial<GeneratedAsset> = {}): GeneratedAsset {
  return { bytes: new TextEncoder().encode(text), ...PNG, ...extra };
}

export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Collects every event of a cache, by name, for assertions. */
export function recordEvents(cache: TieredCache) {
  const seen: { [E in keyof CacheEvents]: CacheEvents[E][] } = {
    hit: [],
    miss: [],
    store: [],
    evict: [],
    error: [],
  };
  for (const name of Object.keys(seen) as (keyof CacheEvents)[]) {
    cache.on(name, (event) => (seen[name] as unknown[]).push(event));
  }
  return seen;
}

/** Wraps an index so that chosen methods throw. */
export function failingIndex(inner: EntryIndex, failing: Set<keyof EntryIndex>): EntryIndex {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (failing.has(property as keyof EntryIndex)) throw new Error(`index ${String(property)} is broken`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * A matcher that answers every request with the first other prompt of its partition (score
 * 0.9, with an explanation): whatever the index lets through is served, so tests see exactly
 * what the cache itself refuses.
 */
export function otherPromptMatcher(
  name = 'every-other-prompt',
  kind: 'similar' | 'canonical' = 'similar',
): Matcher {
  return {
    name,
    find(request, index) {
      const other = index.partition(request.type, request.paramsHash).find((p) => p.key !== request.key);
      const entry = other && index.get(request.type, other.key);
      if (!entry) return undefined;
      const explanation = {
        matcher: name,
        policy: 'test',
        requestedPrompt: request.prompt,
        matchedPrompt: entry.prompt,
        differences: [],
      };
      return { entry, kind, score: 0.9, explanation };
    },
  };
}
