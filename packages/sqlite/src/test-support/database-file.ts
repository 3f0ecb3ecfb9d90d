import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openSqliteIndex, type SqliteIndex, type SqliteIndexOptions } from '../index.js';
import { tempDir } from './temp-dir.js';

export interface DatabaseFile {
  /** The database path of the running test. */
  readonly file: string;
  /** Its temp folder. */
  readonly dir: string;
  /** Opens an index on `file`; it is closed after the test. */
  open(options?: Omit<SqliteIndexOptions, 'file'>): SqliteIndex;
}

/**
 * A fresh database path for each test of the file (or describe block) that calls this: a new
 * temp folder per test, removed after it, once the indexes opened through `open` are closed.
 * `ignoreCloseErrors` is for tests that leave a write failing on purpose.
 */
export function useDatabaseFile(
  settings: { name?: string; prefix?: string; ignoreCloseErrors?: boolean } = {},
): DatabaseFile {
  let dir: ReturnType<typeof tempDir> | undefined;
  let file = '';
  const opened: SqliteIndex[] = [];
  beforeEach(() => {
    dir = tempDir(settings.prefix);
    file = join(dir.path, settings.name ?? 'cache.db');
  });
  afterEach(() => {
    try {
      for (const index of opened.splice(0)) {
        try {
          index.close();
        } catch (error) {
          if (!settings.ignoreCloseErrors) throw error;
        }
      }
    } finally {
      dir?.remove();
    }
  });
  return {
    get file() {
      return file;
    },
    get dir() {
      if (dir === undefined) throw new Error('useDatabaseFile: no test is running');
      return dir.path;
    },
    open(options = {}) {
      const index = openSqliteIndex({ file, ...options });
      opened.push(index);
      return index;
    },
  };
}
