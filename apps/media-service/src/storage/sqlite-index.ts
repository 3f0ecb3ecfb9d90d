import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteIndex, type SqliteIndex } from '@tiercache/sqlite';
import type { IndexPart } from './storage-part.js';

/** The index file of a cache folder (the original system's name). */
export const indexFileIn = (cacheDir: string) => join(cacheDir, 'cache.db');

/** The profile's index; read-only when it cannot be opened for writing and only reads are coming. */
function openIndex(file: string, readsOnly: boolean): SqliteIndex {
  try {
    return openSqliteIndex({ file });
  } catch (error) {
    if (!readsOnly || !existsSync(file)) throw error;
    try {
      return openSqliteIndex({ file, readonly: true });
    } catch {
      throw error;
    }
  }
}

/** The SQLite index in `<cacheDir>/cache.db`: WAL, safe for several processes of one machine. */
export const sqliteIndex: IndexPart<'sqlite', undefined> = {
  kind: 'index',
  name: 'sqlite',
  settings: [],
  resolve: () => undefined,
  openLocal: (_settings, context) => openIndex(indexFileIn(context.cacheDir), context.readsOnly),
};
