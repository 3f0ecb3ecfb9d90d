export { type BlobTierSuiteOptions, blobTierSuite } from './blob-tier-suite.js';
export { type EntryIndexSuiteOptions, entryIndexSuite } from './entry-index-suite.js';
export { HOSTILE_REFS, sampleBytes, sampleEntry, uniqueKey } from './fixtures.js';
