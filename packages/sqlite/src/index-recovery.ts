import { existsSync, renameSync } from 'node:fs';
import { type BlobTier, type Entry, isTiercacheError } from '@tiercache/core';
import { validateEntry } from '@tiercache/core/kit';
import Database from 'better-sqlite3';
import { sqliteCodeOf } from './sqlite-errors.js';
import { openSqliteIndex } from './sqlite-index.js';

/** What `recoverSqliteIndex` needs. */
export interface IndexRecoveryOptions {
  /** The index file (`cache.db`). */
  file: string;
  /**
   * Tiers to refill a fresh index from: those with `entries()` (per-entry records they can
   * vouch for) are asked, in order; the first record of a key wins, as in the index.
   * @default []
   */
  tiers?: readonly BlobTier[];
  /**
   * Recover even when the file looks healthy (it is still moved aside and kept).
   * @default false
   */
  force?: boolean;
  /**
   * Clock for the name of the kept file.
   * @default Date.now
   */
  now?: () => number;
}

/** What a recovery did; `status: 'healthy'` means nothing was touched. */
export interface IndexRecoveryReport {
  status: 'healthy' | 'recovered';
  /** Why the index was judged damaged (the SQLite error or the integrity check's first problem). */
  damage: string | null;
  /** Where the damaged file now is (with its `-wal`/`-shm` beside it, same suffix). */
  keptAs: string | null;
  /** Entries written into the fresh index, from the tiers' records. */
  recovered: number;
  /** Records the tiers offered that were malformed and skipped. */
  rejected: number;
  /** Tiers asked for their records (those with `entries()`). */
  sources: string[];
  /** Tiers whose listing failed part-way, with the reason. */
  failedSources: string[];
  /**
   * Entries the damaged index still listed that no tier could vouch for; `null` when the damaged
   * file was too broken to list its keys.
   */
  lost: number | null;
  /** Up to 20 of those, as `type/key`. */
  lostSample: string[];
}

const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** SQLite's codes for damaged pages and for a file that is no database at all. */
function isDamage(error: unknown): boolean {
  const code = isTiercacheError(error) ? error.context.sqliteCode : sqliteCodeOf(error);
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * Why the index file is damaged, or `undefined` when it opens and passes a quick integrity
 * check. Failures that are not damage (a full disk, a lock held too long, no permission) are
 * thrown as they are: moving a healthy index aside because the disk is full would lose it.
 */
export function diagnoseSqliteIndex(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const index = openSqliteIndex({ file });
    try {
      const report = index.integrityCheck({ quick: true, maxProblems: 1 });
      if (!report.ok) return report.problems[0] ?? 'integrity check failed';
      // A damaged page may hide from quick_check's structure walk but not from a full read.
      index.stats();
      return undefined;
    } finally {
      index.close();
    }
  } catch (error) {
    if (!isDamage(error)) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

/** The `type/key` pairs a damaged file still yields, or `null` when none can be read at all. */
function salvageKeys(file: string): Set<string> | null {
  let db: Database.Database | undefined;
  const keys = new Set<string>();
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db
      .prepare<[], { asset_type: string; prompt_hash: string }>(
        'SELECT asset_type, prompt_hash FROM cache_entries',
      )
      .iterate();
    try {
      for (const row of rows) keys.add(`${row.asset_type}/${row.prompt_hash}`);
    } catch {
      // Rows before the damaged page were read: a partial list is still worth reporting.
      return keys.size > 0 ? keys : null;
    }
    return keys;
  } catch {
    return keys.size > 0 ? keys : null;
  } finally {
    db?.close();
  }
}

/**
 * Recovers a damaged SQLite index: the damaged file (and its `-wal`/`-shm`) is moved aside and
 * kept for inspection as `<file>.damaged-<time>`, a fresh index is created in its place and
 * refilled from the per-entry records the tiers can vouch for (`BlobTier.entries`), and the
 * report says what was recovered and what was lost. A healthy index is left alone unless
 * `force`. No other process may use the index meanwhile.
 */
export async function recoverSqliteIndex(options: IndexRecoveryOptions): Promise<IndexRecoveryReport> {
  const { file, tiers = [], force = false, now = Date.now } = options;
  const damage = diagnoseSqliteIndex(file) ?? null;
  const sources = tiers.filter((tier) => typeof tier.entries === 'function').map((tier) => tier.name);
  const report: IndexRecoveryReport = {
    status: 'healthy',
    damage,
    keptAs: null,
    recovered: 0,
    rejected: 0,
    sources,
    failedSources: [],
    lost: null,
    lostSample: [],
  };
  if (damage === null && !force) return report;
  const known = existsSync(file) ? salvageKeys(file) : new Set<string>();
  if (existsSync(file)) {
    const keptAs = `${file}.damaged-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, keptAs);
    for (const suffix of SIDE_FILES)
      if (existsSync(file + suffix)) renameSync(file + suffix, keptAs + suffix);
    report.keptAs = keptAs;
  }
  const index = openSqliteIndex({ file });
  try {
    for (const tier of tiers) {
      if (!tier.entries) continue;
      try {
        for await (const entry of tier.entries()) {
          if (!isSound(entry)) report.rejected++;
          else if (index.get(entry.type, entry.key) === undefined) {
            index.insert(entry);
            report.recovered++;
          }
        }
      } catch (error) {
        // A tier that fails half-way still contributed what it listed; the rest is reported lost.
        report.failedSources.push(`${tier.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (known) {
      const lost = [...known].filter((id) => {
        const slash = id.indexOf('/');
        return index.get(id.slice(0, slash), id.slice(slash + 1)) === undefined;
      });
      report.lost = lost.length;
      report.lostSample = lost.slice(0, 20);
    }
  } finally {
    index.close();
  }
  report.status = 'recovered';
  return report;
}

function isSound(entry: Entry): boolean {
  try {
    validateEntry(entry);
    return true;
  } catch {
    return false;
  }
}
