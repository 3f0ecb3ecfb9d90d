import type { ClientBase } from 'pg';
import { incompatibleSchema } from './postgres-errors.js';
import { MIGRATION_LOCK, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

async function schemaVersion(client: ClientBase): Promise<number | undefined> {
  const table = await client.query<{ name: string | null }>(
    "SELECT to_regclass('tiercache_schema')::text AS name",
  );
  if (table.rows[0]?.name == null) return undefined;
  const row = await client.query<{ version: number }>('SELECT version FROM tiercache_schema');
  return row.rows[0]?.version ?? 0;
}

/**
 * Checks the database's schema, creating or upgrading it when `migrate` is on. Machines that
 * start together serialize on an advisory lock: one migrates, the others then find it done.
 * Never touches a schema newer than this code.
 */
export async function prepareSchema(
  client: ClientBase,
  connectionString: string,
  migrate: boolean,
): Promise<void> {
  if (!migrate) {
    const version = await schemaVersion(client);
    if (version === undefined)
      throw incompatibleSchema(
        connectionString,
        'it has no tiercache schema (table tiercache_schema is missing); open it once with migrate: true',
        'migrate',
      );
    assertKnown(version, connectionString);
    if (version < SCHEMA_VERSION)
      throw incompatibleSchema(
        connectionString,
        `its schema is version ${version}, this code needs ${SCHEMA_VERSION}; open it once with migrate: true`,
        'migrate',
      );
    return;
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    let version = await schemaVersion(client);
    if (version === undefined) {
      await client.query('CREATE TABLE tiercache_schema (version integer NOT NULL)');
      await client.query('INSERT INTO tiercache_schema (version) VALUES (0)');
      version = 0;
    }
    assertKnown(version, connectionString);
    for (let next = version; next < SCHEMA_VERSION; next++) {
      for (const statement of MIGRATIONS[next]!) await client.query(statement);
    }
    await client.query('UPDATE tiercache_schema SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function assertKnown(version: number, connectionString: string): void {
  if (version > SCHEMA_VERSION)
    throw incompatibleSchema(
      connectionString,
      `its schema is version ${version}, newer than this code (${SCHEMA_VERSION}); upgrade @tiercache/postgres. The database was left untouched`,
      'connectionString',
    );
}
