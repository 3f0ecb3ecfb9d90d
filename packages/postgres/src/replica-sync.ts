import { type EntryRow, rowToEntry } from '@tiercache/core/kit';
import type pg from 'pg';
import { withClient } from './checked-out-client.js';
import type { ChangeRow, RejectionRow, Replica } from './replica.js';
import {
  LAST_REVISION,
  PRUNED_THROUGH,
  SELECT_ALL_ENTRIES,
  SELECT_ALL_REJECTIONS,
  SELECT_CHANGES,
} from './shared-statements.js';

const CHANGE_BATCH = 1000;

/** Brings the local replica up to the server: a whole snapshot, then the change log after it. */
export class ReplicaSync {
  /** The last revision of the shared change log this machine has applied. */
  revision = 0;

  constructor(
    readonly replica: Replica,
    readonly pool: pg.Pool,
  ) {}

  /** The whole tables (entries, rejections) and the log's revision, from one snapshot. */
  async resync(): Promise<void> {
    await withClient(this.pool, async (client) => {
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const revision = await client.query<{ revision: number }>(LAST_REVISION);
        const rows = await client.query<EntryRow>(SELECT_ALL_ENTRIES);
        const rejections = await client.query<RejectionRow>(SELECT_ALL_REJECTIONS);
        await client.query('COMMIT');
        this.replica.load(rows.rows.map(rowToEntry), rejections.rows);
        this.revision = revision.rows[0]?.revision ?? 0;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async catchUp(): Promise<void> {
    for (;;) {
      const { rows } = await this.pool.query<ChangeRow>(SELECT_CHANGES, [this.revision, CHANGE_BATCH]);
      // Read after the changes: a prune that removed some of what this machine has not read
      // yet committed before them, so it shows here, and the whole table is read instead.
      const pruned = await this.pool.query<{ pruned_through: number }>(PRUNED_THROUGH);
      if ((pruned.rows[0]?.pruned_through ?? 0) > this.revision) {
        await this.resync();
        continue;
      }
      for (const change of rows) {
        this.replica.apply(change);
        this.revision = change.revision;
      }
      if (rows.length < CHANGE_BATCH) return;
    }
  }
}
