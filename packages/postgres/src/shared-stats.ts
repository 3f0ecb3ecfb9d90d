import type { IndexStats } from '@tiercache/core';
import type pg from 'pg';
import { COUNT_REJECTIONS, STATS_BY_TYPE } from './shared-statements.js';

/** Farm-wide statistics computed by the server; rejects when it cannot answer. */
export async function readSharedStats(pool: pg.Pool): Promise<IndexStats> {
  const [{ rows }, counted] = await Promise.all([
    pool.query<{
      asset_type: string;
      count: number;
      total_uses: number;
      avg_uses_per_entry: number;
      bytes: number;
    }>(STATS_BY_TYPE),
    pool.query<{ rejections: number }>(COUNT_REJECTIONS),
  ]);
  const stats: IndexStats = {
    total_entries: 0,
    total_bytes: 0,
    by_type: {},
    rejections: counted.rows[0]?.rejections ?? 0,
  };
  for (const row of rows) {
    const { asset_type, ...figures } = row;
    stats.by_type[asset_type] = figures;
    stats.total_entries += figures.count;
    stats.total_bytes += figures.bytes;
  }
  return stats;
}
