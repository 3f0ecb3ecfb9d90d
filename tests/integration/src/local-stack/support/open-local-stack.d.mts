import type { TieredCache, TieredCacheOptions } from '@tiercache/core';

export function openLocalStack(dir: string, options?: Partial<TieredCacheOptions>): TieredCache;
