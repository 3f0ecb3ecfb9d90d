import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, readSchemaState, type SchemaState } from './migrations.js';
import { SCHEMA_VERSION } from './schema.js';
import { incompatibleError, unavailable } from './sqlite-errors.js';
import type { ResolvedSqliteIndexOptions } from './sqlite-index-options.js';

type Connection = Database.Database;

function assertUsable(file: string, state: SchemaState, readonly: boolean): void {
  if (state.kind === 'foreign')
    throw incompatibleError(file, `it is not a tiercache index (${state.reason})`);
  if (state.kind === 'versioned' && state.version > SCHEMA_VERSION) {
    throw incompatibleError(
      file,
      `its schema version ${state.version} is newer than this @tiercache/sqlite knows (${SCHEMA_VERSION}); upgrade the package`,
    );
  }
  if (readonly && !(state.kind === 'versioned' && state.version === SCHEMA_VERSION)) {
    throw incompatibleError(
      file,
      `opened read-only, but its schema needs a migration to version ${SCHEMA_VERSION}; open it once read-write`,
    );
  }
}

// A read-only connection to a WAL database still needs its `-shm` file, which a full disk cannot
// hold (SQLITE_IOERR_SHMSIZE) and a read-only folder cannot create.
const SNAPSHOT_WORTHY = /^SQLITE_(IOERR|FULL|CANTOPEN|READONLY)/;

/**
 * Read-only, in place; when that is impossible for lack of space or permission and no
 * write-ahead log is pending, a snapshot of the file in memory: `cache verify` must work on a
 * full disk. The snapshot's header is switched from WAL to rollback mode (in the copy only), as
 * SQLite keeps no WAL in memory.
 */
function openReadonly(file: string, timeout: number): Connection {
  let db: Connection | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout });
    // SQLite maps the shared-memory file on the first read, not at open.
    db.pragma('schema_version');
    return db;
  } catch (error) {
    db?.close();
    const code = error instanceof Database.SqliteError ? error.code : '';
    if (!SNAPSHOT_WORTHY.test(code) || pendingWal(file)) throw error;
    const image = readFileSync(file);
    if (image.length > 19 && image[18] === 2) {
      image[18] = 1;
      image[19] = 1;
    }
    return new Database(image, { readonly: true });
  }
}

function pendingWal(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Opens and prepares the connection. Everything that could refuse the file runs before the
 * first write: switching to WAL rewrites the header, so a newer or foreign file must be
 * refused while still untouched.
 */
export function openDatabase(options: ResolvedSqliteIndexOptions, now: number): Connection {
  const { file, readonly } = options;
  let db: Connection | undefined;
  try {
    if (!readonly) mkdirSync(dirname(file), { recursive: true });
    db = readonly
      ? openReadonly(file, options.busyTimeoutMs)
      : new Database(file, { timeout: options.busyTimeoutMs });
    assertUsable(file, readSchemaState(db), readonly);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`journal_size_limit = ${options.journalSizeLimitBytes}`);
      db.pragma(`wal_autocheckpoint = ${options.walAutoCheckpointPages}`);
      const connection = db;
      // Re-read inside the write lock: another process may have migrated meanwhile.
      connection
        .transaction(() => {
          const state = readSchemaState(connection);
          assertUsable(file, state, false);
          migrate(connection, state, now);
        })
        .immediate();
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    return db;
  } catch (error) {
    db?.close();
    throw unavailable(file, 'open', error);
  }
}
