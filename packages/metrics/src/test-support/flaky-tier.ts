import type { BlobTier } from '@tiercache/core';
import { createMemoryTier } from '@tiercache/memory';

/** A real memory tier whose `get` can be made to throw or to never answer. */
export interface FlakyTier extends BlobTier {
  fault: 'throw' | 'hang' | undefined;
}

export function createFlakyTier(name: string): FlakyTier {
  const inner = createMemoryTier({ name, maxBytes: 16 * 1024 * 1024 });
  const tier: FlakyTier = {
    ...inner,
    name,
    fault: undefined,
    async get(ref) {
      if (tier.fault === 'throw') throw new Error(`${name}: get failed`);
      if (tier.fault === 'hang') return new Promise<never>(() => undefined);
      return inner.get(ref);
    },
  };
  return tier;
}
