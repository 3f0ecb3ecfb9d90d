import type { EntryIndex, Matcher, MatchKind } from '@tiercache/core';
import type { BehaviourGroup } from './behaviour-groups.js';
import type { TestRunner } from './test-runner.js';

/** The groups of `matcherSuite`, in order; a caller may switch any off (with a reason). */
export const MATCHER_GROUPS = ['contract', 'finds', 'isolation', 'rejections', 'index-changes'] as const;

export type MatcherGroupName = (typeof MATCHER_GROUPS)[number];

/** A fresh matcher and the index it reads, for one test. */
export interface MatcherSubject {
  matcher: Matcher;
  index: EntryIndex;
}

export type MatcherGroup = BehaviourGroup<MatcherSubject>;

/** Two prompts of one type that the matcher must pair: a stored one and a request for it. */
export interface MatchingPrompts {
  /** The asset type both are of (`image`, `tts`). */
  type: string;
  /** The prompt stored in the index. */
  stored: string;
  /** A request prompt the matcher must answer with the stored entry. */
  requested: string;
  /** A request prompt, of the same type and params, it must not answer with the stored entry. */
  unrelated: string;
}

export interface MatcherSuiteOptions {
  /** Your runner's `{ describe, it, expect, beforeEach, afterEach }` (vitest, jest, bun). */
  test: TestRunner;
  /** Shown in every title: `Matcher conformance: <name>`. */
  name: string;
  /** Creates a fresh matcher for each test. */
  create: () => Matcher | Promise<Matcher>;
  /** Creates the fresh, empty index the matcher reads in each test. @default core's `createMemoryIndex()` */
  createIndex?: () => EntryIndex | Promise<EntryIndex>;
  /** Releases what `create` and `createIndex` made. @default calls `index.close()` when present */
  destroy?: (subject: MatcherSubject) => void | Promise<void>;
  /** The kinds of match the matcher answers with; any other kind fails the suite. */
  kinds: readonly MatchKind[];
  /** The prompts the suite stores and asks for. */
  prompts: MatchingPrompts;
  /**
   * Groups to switch off, each with the reason shown in its title; the suite then checks that
   * the matcher truly fails at least one of the group's checks.
   * @default {} (every group runs)
   */
  off?: Partial<Record<MatcherGroupName, string>>;
}
