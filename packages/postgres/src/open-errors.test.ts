import { isTiercacheError } from '@tiercache/core';
import { PASSWORD, type RunningPostgres, startPostgres } from '@tiercache/test-support/postgres-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresIndex, type PostgresIndexOptions, SCHEMA_VERSION } from './index.js';

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.destroy();
});

async function openError(options: PostgresIndexOptions): Promise<Error & { code: string }> {
  const index = await openPostgresIndex(options).then(
    (opened) => opened,
    (error: Error & { code: string }) => error,
  );
  if (!(index instanceof Error)) {
    await index.close();
    throw new Error('expected the open to fail');
  }
  return index;
}

describe('bad settings are typed errors that name the setting and never show the password', () => {
  it.each([
    ['not a URL', 'localhost:5432/db'],
    ['another scheme', 'mysql://user:pg-secret@127.0.0.1/db'],
    ['no database', 'postgres://user:pg-secret@127.0.0.1:5432'],
    ['empty', ''],
  ])('refuses a connection string that is %s', async (_, connectionString) => {
    const error = await openError({ connectionString });
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect(error.message).toMatch(/^@tiercache\/postgres: option connectionString /);
    expect(error.message).not.toContain('pg-secret');
  });

  it('refuses other bad options by name', async () => {
    const connectionString = server.url('postgres');
    for (const [option, value] of [
      ['poolSize', 0],
      ['statementTimeoutMs', -1],
      ['migrate', 'yes'],
      ['onError', 'log'],
    ] as const) {
      const error = await openError({ connectionString, [option]: value } as PostgresIndexOptions);
      expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
      expect(error.message).toContain(`option ${option} `);
    }
  });

  it('refuses an unknown option, suggesting the one meant', async () => {
    const error = await openError({ connectionString: server.url('postgres'), poolsize: 2 } as never);
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect(error.message).toBe('@tiercache/postgres: unknown option poolsize (did you mean poolSize?)');
  });

  it('reports refused credentials without the password', async () => {
    const wrong = 'definitely-wrong-password-1234';
    const error = await openError({ connectionString: server.url('postgres', wrong), migrate: true });
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect(error.message).toMatch(/option connectionString .*refused the credentials \(28P01\)/);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(wrong);
  });

  it('reports an unreachable server as E_INDEX_UNAVAILABLE without the password', async () => {
    const error = await openError({
      connectionString: `postgres://tiercache:${PASSWORD}@127.0.0.1:1/postgres`,
      connectTimeoutMs: 500,
    });
    expect(isTiercacheError(error, 'E_INDEX_UNAVAILABLE')).toBe(true);
    expect(error.message).toContain(
      'option connectionString (postgres://tiercache:***@127.0.0.1:1/postgres)',
    );
    expect(error.message).not.toContain(PASSWORD);
  });

  it('reports a database that does not exist', async () => {
    const error = await openError({ connectionString: server.url('no_such_database') });
    expect(isTiercacheError(error, 'E_INVALID_OPTIONS')).toBe(true);
    expect(error.message).toMatch(/database does not exist/);
  });

  it('refuses a database without the schema unless migrate is on, and leaves it untouched', async () => {
    const connectionString = await server.createDatabase();
    const error = await openError({ connectionString });
    expect(isTiercacheError(error, 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect(error.message).toMatch(/no tiercache schema.*migrate: true/);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const tables = await client.query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    const index = await openPostgresIndex({ connectionString, migrate: true });
    await index.close();
    // Once migrated, opening without migrate works.
    await (await openPostgresIndex({ connectionString })).close();
  });

  it('refuses a schema newer than this code, with or without migrate, and leaves it untouched', async () => {
    const connectionString = await server.createDatabase();
    await (await openPostgresIndex({ connectionString, migrate: true })).close();
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query('UPDATE tiercache_schema SET version = $1', [SCHEMA_VERSION + 1]);
      for (const migrate of [false, true]) {
        const error = await openError({ connectionString, migrate });
        expect(isTiercacheError(error, 'E_INDEX_INCOMPATIBLE')).toBe(true);
        expect(error.message).toContain(`schema is version ${SCHEMA_VERSION + 1}, newer than this code`);
      }
      expect((await client.query('SELECT version FROM tiercache_schema')).rows[0].version).toBe(
        SCHEMA_VERSION + 1,
      );
    } finally {
      await client.end();
    }
  });

  it('lets machines that start together migrate one fresh database once', async () => {
    const connectionString = await server.createDatabase();
    const indexes = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresIndex({ connectionString, migrate: true })),
    );
    await Promise.all(indexes.map((index) => index.close()));
  });
});
