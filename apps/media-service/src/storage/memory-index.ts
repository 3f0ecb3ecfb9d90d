import { createMemoryIndex } from '@tiercache/core';
import type { IndexPart } from './storage-part.js';

/** Core's in-memory index: gone when the process ends. */
export const memoryIndex: IndexPart<'memory-index', undefined> = {
  kind: 'index',
  name: 'memory-index',
  settings: [],
  resolve: () => undefined,
  openLocal: () => createMemoryIndex(),
};
