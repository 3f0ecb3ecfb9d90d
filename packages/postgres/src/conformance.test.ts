import { entryIndexSuite } from '@tiercache/test-suite';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresIndex } from './index.js';
import { type RunningPostgres, startPostgres } from './test-support/postgres-server.js';

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
entryIndexSuite('postgres', {
  create: async () => openPostgresIndex({ connectionString: await server.createDatabase(), migrate: true }),
  destroy: (index) => index.close?.(),
});
