import type { TiercacheError } from '@tiercache/core';
import { type RunningPostgres, startPostgres } from '@tiercache/test-support/postgres-server';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openPostgresIndex, type PostgresIndex, type PostgresIndexOptions } from '../index.js';

/** Machines of one farm in one test process, on a throwaway cluster. */
export interface TestFarm {
  readonly server: RunningPostgres;
  /** The database of the current test (`fresh`). */
  readonly url: string;
  /** Every failure the machines reported; emptied after each test. */
  readonly errors: TiercacheError[];
  /** A new empty database for the machines opened after it. */
  fresh(): Promise<void>;
  /** One machine of the farm: its own index instance (own pool, feed and replica); closed after the test. */
  machine(options?: Partial<PostgresIndexOptions>): Promise<PostgresIndex>;
}

/** Starts the cluster for the calling test file (its hooks) and opens machines with short retries. */
export function useTestFarm(defaults: Partial<PostgresIndexOptions> = {}): TestFarm {
  let server: RunningPostgres | undefined;
  let url = '';
  const opened: PostgresIndex[] = [];
  const errors: TiercacheError[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((index) => index.close()));
    errors.length = 0;
  });
  const running = () => {
    if (!server) throw new Error('the test farm has no server outside its tests');
    return server;
  };
  return {
    get server() {
      return running();
    },
    get url() {
      return url;
    },
    errors,
    async fresh() {
      url = await running().createDatabase();
    },
    async machine(options = {}) {
      const index = await openPostgresIndex({
        connectionString: url,
        migrate: true,
        retryDelayMs: 20,
        maxRetryDelayMs: 200,
        onError: (error) => errors.push(error),
        ...defaults,
        ...options,
      });
      opened.push(index);
      return index;
    },
  };
}
