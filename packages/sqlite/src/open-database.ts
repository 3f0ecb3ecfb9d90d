import { mkdirSync } from 'node:fs';
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
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs });
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
