import { type EntryRow, rowToEntry } from '@tiercache/core/kit';
import type pg from 'pg';
import { withClient } from './checked-out-client.js';
import type { Replica } from './replica.js';
import { SELECT_ENTRY, TAKE_CLAIM } from './shared-statements.js';

/** Who asks for a generation claim and for how long. */
export interface ClaimRequest {
  type: string;
  key: string;
  owner: string;
  machineId: string;
  claimMs: number;
}

/**
 * Takes the farm-wide claim on a key in one transaction: false when another machine holds it or
 * already stored the entry (which the replica then adopts). Rejects when the server fails.
 */
export async function takeSharedClaim(
  pool: pg.Pool,
  replica: Replica,
  request: ClaimRequest,
): Promise<boolean> {
  const { type, key, owner, machineId, claimMs } = request;
  return await withClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      const taken = await client.query(TAKE_CLAIM, [type, key, owner, machineId, claimMs]);
      const existing =
        taken.rowCount === 1 ? await client.query<EntryRow>(SELECT_ENTRY, [type, key]) : undefined;
      if (taken.rowCount !== 1 || existing?.rows[0]) {
        await client.query('ROLLBACK');
        if (existing?.rows[0]) replica.adopt(rowToEntry(existing.rows[0]));
        return false;
      }
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
