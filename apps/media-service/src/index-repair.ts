import { createDiskTier } from '@tiercache/disk';
import { diagnoseSqliteIndex, type IndexRecoveryReport, recoverSqliteIndex } from '@tiercache/sqlite';
import type { ServiceConfig } from './config.js';
import { MediaServiceError } from './errors.js';
import { indexFileIn } from './storage/sqlite-index.js';

/** Where the local and shared profiles keep their index. */
export const indexFileOf = (config: ServiceConfig) => indexFileIn(config.cacheDir);

/**
 * Before `cache verify` opens the index: a damaged one stops a read-only verify with a message
 * that says how to recover, and with `repair` is moved aside and rebuilt from what the disk
 * tier can vouch for (`BlobTier.entries`). Resolves `undefined` when the index is healthy.
 */
export async function repairDamagedIndex(
  config: ServiceConfig,
  repair: boolean,
): Promise<IndexRecoveryReport | undefined> {
  const file = indexFileOf(config);
  let damage: string | undefined;
  try {
    damage = diagnoseSqliteIndex(file);
  } catch (error) {
    // Not damage (a full disk, a lock): a read-only verify may still read the index.
    if (repair) throw error;
    return undefined;
  }
  if (damage === undefined) return undefined;
  if (!repair)
    throw new MediaServiceError(
      'E_INDEX_DAMAGED',
      `the index ${file} is damaged (${damage.split('\n')[0]}); run \`media-service cache verify --repair\` to keep it aside and rebuild it from the cached files`,
      { context: { file } },
    );
  // A tier of its own: the profile's storage opens the index too, and that is what is broken.
  return recoverSqliteIndex({ file, tiers: [createDiskTier({ dir: config.cacheDir })] });
}

/** The lines `cache verify --repair` prints about a rebuilt index. */
export function describeRecovery(report: IndexRecoveryReport): string[] {
  const lost =
    report.lost === null
      ? 'the damaged file was too broken to list what it held'
      : `${report.lost} entries lost`;
  return [
    `index was damaged (${report.damage?.split('\n')[0] ?? 'forced'}): kept as ${report.keptAs}`,
    `  rebuilt: ${report.recovered} entries recovered from ${report.sources.length > 0 ? report.sources.join(', ') : 'no tier (none can list its entries)'}, ${report.rejected} malformed records skipped; ${lost}`,
    ...report.lostSample.slice(0, 5).map((id) => `  lost: ${id}`),
    ...report.failedSources.map((failure) => `  could not list: ${failure}`),
  ];
}
