import type { IndexStats } from '@tiercache/core';
import type pg from 'pg';
import { COUNT_REJECTIONS, STATS_BY_TYPE } from './shared-statements.js';

/** Farm-wide statistics computed by the server; rejects when it cannot answer. */
export async function readSharedStats(pool: pg.Pool): Promise<IndexStats> {
  const [{ rows }, counted] = await Promise.all([
    pool.query<{
      asset_type: string;
      entries: number;
      uses: number;
      bytes: number;
    }>(STATS_BY_TYPE),
    pool.query<{ rejections: number }>(COUNT_REJECTIONS),
  ]);
  const stats: IndexStats = {
    entries: 0,
    bytes: 0,
    byType: {},
    rejections: counted.rows[0]?.rejections ?? 0,
  };
  for (const row of rows) {
    const { asset_type, ...figures } = row;
    stats.byType[asset_type] = figures;
    stats.entries += figures.entries;
    stats.bytes += figures.bytes;
  }
  return stats;
}
