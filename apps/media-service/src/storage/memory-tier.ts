import { createMemoryTier } from '@tiercache/memory';
import { fromEnv, wholeNumber } from '../setting-schemas.js';
import type { TierPart } from './storage-part.js';

export interface MemoryTierSettings {
  maxBytes: number;
  maxEntries: number | undefined;
}

/** L1: this process's memory, bounded in bytes (and optionally in entries). */
export const memoryTier: TierPart<'memory', MemoryTierSettings> = {
  kind: 'tier',
  name: 'memory',
  settings: [
    {
      path: 'memoryMaxBytes',
      env: 'TIERCACHE_MEMORY_MAX_BYTES',
      schema: wholeNumber(1),
      parseEnv: fromEnv.number,
      default: 256 * 1024 * 1024,
      description: 'byte budget of the memory L1 tier (256 MiB by default)',
    },
    {
      path: 'memoryMaxEntries',
      env: 'TIERCACHE_MEMORY_MAX_ENTRIES',
      schema: wholeNumber(1),
      parseEnv: fromEnv.number,
      defaultText: '(no limit: bytes only)',
      description: 'most blobs the memory L1 tier keeps; the least recently used leave first',
    },
  ],
  resolve: (read) => ({
    maxBytes: read.value<number>('memoryMaxBytes') ?? 0,
    maxEntries: read.value<number>('memoryMaxEntries'),
  }),
  create: (settings) =>
    createMemoryTier({
      maxBytes: settings.maxBytes,
      ...(settings.maxEntries === undefined ? {} : { maxEntries: settings.maxEntries }),
    }),
};
