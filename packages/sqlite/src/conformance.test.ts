import { join } from 'node:path';
import { entryIndexSuite } from '@tiercache/test-suite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteIndex, type SqliteIndex } from './index.js';
import { tempDir } from './test-support/temp-dir.js';

const dirs = new Map<SqliteIndex, () => void>();

// Both touch modes: coalesced (the default) and write-through.
for (const [name, touchFlushMs] of [
  ['sqlite', 50],
  ['sqlite, touches written through', 0],
] as const) {
  entryIndexSuite({
    test: { describe, it, expect, beforeEach, afterEach },
    name,
    create: () => {
      const dir = tempDir();
      const index = openSqliteIndex({ file: join(dir.path, 'cache.db'), touchFlushMs });
      dirs.set(index, dir.remove);
      return index;
    },
    share: (index) => openSqliteIndex({ file: (index as SqliteIndex).file, touchFlushMs }),
    destroy: (index) => {
      index.close?.();
      const sqliteIndex = index as SqliteIndex;
      dirs.get(sqliteIndex)?.();
      dirs.delete(sqliteIndex);
    },
  });
}
