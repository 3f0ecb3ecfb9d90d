// The suites run against core's own memory index, exact matcher and the in-test Map tier, so a
// change to either the suites or the reference implementations is checked here first.
import { type BlobRef, type BlobTier, createMemoryIndex, exactMatcher } from '@tiercache/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMapTier, type MapTier, mapBlobId } from '../../core/src/test-support/map-tier.js';
import { assertExpect } from './assert-expect.js';
import { blobTierSuite } from './blob-tier-suite.js';
import { entryIndexSuite } from './entry-index-suite.js';
import { matcherSuite } from './matcher-suite.js';

const test = { describe, it, expect, beforeEach, afterEach };

entryIndexSuite({
  test,
  name: 'core memory index',
  create: () => createMemoryIndex(),
  off: {
    claims: 'one process: nothing to claim against',
    sharing: 'held in process memory: there is no second handle',
  },
});
// An index without the optional rejection methods is conformant when it says so.
entryIndexSuite({
  test,
  name: 'core memory index without rejections',
  create: () => {
    const { reject: _reject, isRejected: _isRejected, ...rest } = createMemoryIndex();
    return rest;
  },
  off: {
    rejections: 'built without reject and isRejected',
    claims: 'one process: nothing to claim against',
    sharing: 'held in process memory: there is no second handle',
  },
});
/** Flips a bit of a blob the map tier holds, behind its back. */
async function corrupt(tier: BlobTier, ref: BlobRef): Promise<void> {
  const bytes = (tier as MapTier).blobs.get(mapBlobId(ref))!;
  bytes[0] = (bytes[0] ?? 0) ^ 1;
}
const noRecords = {
  contract: 'an in-test tier, written for no particular version',
  'delete-entry': 'keeps no per-entry records',
  entries: 'keeps no per-entry records',
  describe: 'not shared between machines',
};
blobTierSuite({
  test,
  name: 'in-test map tier (verified by the cache)',
  create: () => createMapTier('map', 'by-cache'),
  corrupt,
  off: { materialize: 'created without materialize', ...noRecords },
});
blobTierSuite({
  test,
  name: 'in-test map tier (verifies its own reads, materializes)',
  create: () => createMapTier('map', 'by-tier', { materialize: true }),
  corrupt,
  off: noRecords,
});
matcherSuite({
  test,
  name: 'core exact matcher',
  create: () => exactMatcher(),
  kinds: ['exact'],
  prompts: {
    type: 'image',
    stored: 'a calm lake at sunrise',
    requested: '  a calm lake   at sunrise ',
    unrelated: 'a calm lake at sunset',
  },
});

// The same suite with the runner-independent assertions node:test users pass.
matcherSuite({
  test: { ...test, expect: assertExpect },
  name: 'core exact matcher, asserted with node:assert',
  create: () => exactMatcher(),
  kinds: ['exact'],
  prompts: {
    type: 'image',
    stored: 'a calm lake at sunrise',
    requested: 'a calm lake at sunrise ',
    unrelated: 'a calm lake at sunset',
  },
});
