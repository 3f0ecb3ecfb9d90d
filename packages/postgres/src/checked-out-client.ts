import type pg from 'pg';

/**
 * Runs `work` on a client of the pool. While a client is checked out the pool no longer
 * listens for its errors, and node-postgres emits a server shutdown on an idle client as an
 * 'error' event: without this listener it would end the process. The failure still reaches
 * `work` through its next query.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  let broken: unknown;
  try {
    return await work(client);
  } catch (error) {
    broken = error;
    throw error;
  } finally {
    client.off('error', ignore);
    // A client whose query failed may be dead: the pool discards it instead of reusing it.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
