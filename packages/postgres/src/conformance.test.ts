import { entryIndexSuite } from '@tiercache/test-suite';
import { type RunningPostgres, startPostgres } from '@tiercache/test-support/postgres-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresIndex } from './index.js';

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.destroy();
});

// The replica as the cache sees it: each test a fresh database. No `share`: the suite expects
// another handle to see a rejection synchronously, and a second machine sees it through the
// asynchronous change feed instead (rejections.test.ts).
entryIndexSuite({
  test: { describe, it, expect, beforeEach, afterEach },
  name: 'postgres',
  create: async () => openPostgresIndex({ connectionString: await server.createDatabase(), migrate: true }),
  destroy: (index) => index.close?.(),
  off: {
    'blob-references': 'the shared store counts no references: verify collects unreferenced blobs',
    sharing: 'a second machine sees changes through the asynchronous change feed (rejections.test.ts)',
  },
});
