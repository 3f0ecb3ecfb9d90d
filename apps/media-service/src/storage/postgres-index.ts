import { z } from 'zod';
import { flag, fromEnv, isString } from '../setting-schemas.js';
import type { IndexPart } from './storage-part.js';

/** Where the farm profile keeps its shared index. */
export interface PostgresSettings {
  /** Connection string; may hold a password: never print it. */
  url: string;
  migrate: boolean;
}

// Never echoes the value: a connection string may hold a password.
const postgresUrl = z.custom<string>(
  (value) => isString(value) && /^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+/.test(value) && URL.canParse(value),
  {
    error:
      'expected a postgres://user:password@host:port/database URL (value not shown: it may hold a password)',
  },
);

/** How often the same index failure is reported while it lasts. */
const WARNING_EVERY_MS = 60_000;

/**
 * One PostgreSQL index shared by every machine of a farm: claims make one machine generate a new
 * key, the change feed brings every machine's entries to the others' matchers. Opened before the
 * storage (its replica loads from the server). Runtime failures of the server become warnings,
 * at most one per kind a minute: the index serves from its replica meanwhile and recovers.
 */
export const postgresIndex: IndexPart<'postgres', PostgresSettings> = {
  kind: 'index',
  name: 'postgres',
  settings: [
    {
      path: 'postgres.url',
      env: 'TIERCACHE_POSTGRES_URL',
      schema: postgresUrl,
      parseEnv: fromEnv.string,
      defaultText: '(required by farm)',
      description:
        'PostgreSQL database the farm profile shares its index in (the password never appears in output)',
    },
    {
      path: 'postgres.migrate',
      env: 'TIERCACHE_POSTGRES_MIGRATE',
      schema: flag,
      parseEnv: fromEnv.boolean,
      default: true,
      description:
        'create or upgrade the farm index schema at start (machines serialize on an advisory lock)',
    },
  ],
  resolve(read) {
    const url = read.value<string>('postgres.url');
    if (url === undefined)
      return read.fail(
        'postgres.url',
        `required by the ${read.profile} profile (or postgres.url in the config file)`,
      );
    return { url, migrate: read.value<boolean>('postgres.migrate') ?? true };
  },
  async openShared(settings, context) {
    const { openPostgresIndex } = await import('@tiercache/postgres');
    const lastWarned = new Map<string, number>();
    const index = await openPostgresIndex({
      connectionString: settings.url,
      migrate: settings.migrate,
      // A worker started while the database is down generates on its own and joins when it is back.
      offlineStart: true,
      // Other machines may see an entry only once its blob reached the shared tiers.
      beforePublish: () => context.flushTiers(),
      onError: (error) => {
        const kind = `${error.context.operation}:${error.context.sqlState ?? ''}`;
        const now = Date.now();
        if (now - (lastWarned.get(kind) ?? 0) < WARNING_EVERY_MS) return;
        lastWarned.set(kind, now);
        context.onWarning({ code: error.code, message: error.message });
      },
    });
    return { index, close: () => index.close() };
  },
};
