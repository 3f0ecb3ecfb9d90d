import type { EntryIndex } from '@tiercache/core';
import { registerGroups } from './behaviour-groups.js';
import { entryIndexCoreGroups } from './entry-index-core-groups.js';
import { entryIndexOptionalGroups } from './entry-index-optional-groups.js';
import { rejectionGroup } from './entry-index-rejections.js';
import type { EntryIndexSuiteOptions } from './entry-index-suite-options.js';

/**
 * The behaviour every `EntryIndex` must have, in named groups. Call it in a test file with
 * your runner: `entryIndexSuite({ test: { describe, it, expect, beforeEach, afterEach },
 * name: 'sqlite', create: () => openSqliteIndex({ file }) })`.
 */
export function entryIndexSuite(options: EntryIndexSuiteOptions): void {
  registerGroups<EntryIndex>(
    {
      test: options.test,
      title: `EntryIndex conformance: ${options.name}`,
      create: options.create,
      destroy: async (index) => {
        if (options.destroy) await options.destroy(index);
        else index.close?.();
      },
      off: options.off,
    },
    [...entryIndexCoreGroups(), rejectionGroup(), ...entryIndexOptionalGroups(options)],
  );
}
