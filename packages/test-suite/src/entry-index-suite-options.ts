import type { EntryIndex } from '@tiercache/core';
import type { BehaviourGroup } from './behaviour-groups.js';
import type { TestRunner } from './test-runner.js';

/** The groups of `entryIndexSuite`, in order; a caller may switch any off (with a reason). */
export const ENTRY_INDEX_GROUPS = [
  'contract',
  'entries',
  'touch',
  'stats',
  'eviction',
  'partition',
  'delete',
  'changes',
  'blob-references',
  'rejections',
  'claims',
  'sharing',
] as const;

export type EntryIndexGroupName = (typeof ENTRY_INDEX_GROUPS)[number];

export type EntryIndexGroup = BehaviourGroup<EntryIndex>;

export interface EntryIndexSuiteOptions {
  /** Your runner's `{ describe, it, expect, beforeEach, afterEach }` (vitest, jest, bun). */
  test: TestRunner;
  /** Shown in every title: `EntryIndex conformance: <name>`. */
  name: string;
  /** Creates a fresh, empty index for each test. */
  create: () => EntryIndex | Promise<EntryIndex>;
  /** Releases what `create` made. @default calls `index.close()` when present */
  destroy?: (index: EntryIndex) => void | Promise<void>;
  /**
   * Opens a second handle on the storage of `index`, as another process would (the suite
   * closes it), for the `sharing` group.
   * @default none: the `sharing` group fails until it is given or the group switched off
   */
  share?: (index: EntryIndex) => EntryIndex;
  /**
   * Groups to switch off, each with the reason shown in its title. A group for an optional
   * member (`blob-references`, `rejections`, `claims`) must be switched off when the index
   * lacks the member; the suite then checks that it truly does.
   * @default {} (every group runs)
   */
  off?: Partial<Record<EntryIndexGroupName, string>>;
}
