// The suites run against core's own memory index and the in-test Map tier, so a change to
// either the suites or the reference implementations is checked here first.
import { createMemoryIndex } from '@tiercache/core';
import { createMapTier } from '../../core/src/test-support/map-tier.js';
import { blobTierSuite } from './blob-tier-suite.js';
import { entryIndexSuite } from './entry-index-suite.js';

entryIndexSuite('core memory index', { create: () => createMemoryIndex() });
// An index without the optional rejection methods is conformant when it says so.
entryIndexSuite('core memory index without rejections', {
  create: () => {
    const { reject: _reject, isRejected: _isRejected, ...rest } = createMemoryIndex();
    return rest;
  },
  rejections: false,
});
blobTierSuite('in-test map tier', { create: () => createMapTier('map', 'by-cache') });
