import type { EntryIndex } from '@tiercache/core';
import { contractGroup, registerGroups } from './behaviour-groups.js';
import { entryIndexCoreGroups } from './entry-index-core-groups.js';
import { entryIndexOptionalGroups } from './entry-index-optional-groups.js';
import { rejectionGroup } from './entry-index-rejections.js';
import { ENTRY_INDEX_GROUPS, type EntryIndexSuiteOptions } from './entry-index-suite-options.js';
import { checkSuiteOptions } from './suite-options.js';

/**
 * The behaviour every `EntryIndex` must have, in named groups. Call it in a test file with
 * your runner: `entryIndexSuite({ test: { describe, it, expect, beforeEach, afterEach },
 * name: 'sqlite', create: () => openSqliteIndex({ file }) })`.
 */
export function entryIndexSuite(options: EntryIndexSuiteOptions): void {
  checkSuiteOptions<EntryIndexSuiteOptions>(
    options,
    ['test', 'name', 'create', 'destroy', 'share', 'off'],
    ['destroy', 'share'],
    ENTRY_INDEX_GROUPS,
  );
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
    [
      contractGroup<EntryIndex>((index) => index),
      ...entryIndexCoreGroups(),
      rejectionGroup(),
      ...entryIndexOptionalGroups(options),
    ],
  );
}
