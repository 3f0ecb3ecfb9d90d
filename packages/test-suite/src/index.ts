export { assertExpect } from './assert-expect.js';
export type { BehaviourGroup, Check } from './behaviour-groups.js';
export { blobTierSuite } from './blob-tier-suite.js';
export type { BlobTierGroupName, BlobTierSuiteOptions } from './blob-tier-suite-options.js';
export { entryIndexSuite } from './entry-index-suite.js';
export type { EntryIndexGroupName, EntryIndexSuiteOptions } from './entry-index-suite-options.js';
export { HOSTILE_REFS, sampleBytes, sampleEntry, uniqueKey } from './fixtures.js';
export { matcherSuite } from './matcher-suite.js';
export type {
  MatcherGroupName,
  MatcherSubject,
  MatcherSuiteOptions,
  MatchingPrompts,
} from './matcher-suite-options.js';
export type { Assertion, Expect, TestRunner } from './test-runner.js';
