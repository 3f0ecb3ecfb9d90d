// Opens the embedded default stack (memory + SQLite index + disk) on a folder. Shared by the
// integration test and the child process it starts, so both open the cache the same way.
import { join } from 'node:path';
import { createTieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';

export function openLocalStack(dir, options = {}) {
  return createTieredCache({
    index: openSqliteIndex({ file: join(dir, 'cache.db') }),
    tiers: [createMemoryTier({ maxBytes: 16 * 1024 * 1024 }), createDiskTier({ dir })],
    ...options,
  });
}

// Run as a script: `node open-local-stack.mjs <dir> <request JSON>` prints what a new process sees.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [dir, requestJson] = process.argv.slice(2);
  const cache = openLocalStack(dir);
  const hit = await cache.get(JSON.parse(requestJson));
  await cache.close();
  process.stdout.write(
    JSON.stringify(hit ? { kind: hit.kind, tier: hit.tier, text: Buffer.from(hit.bytes).toString() } : null),
  );
}
