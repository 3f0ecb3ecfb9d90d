import { resolve } from 'node:path';
import type { Entry } from '@tiercache/core';
import { CONTRACT_VERSION } from '@tiercache/core/contracts';
import { type EntryRow, entryToRow, IndexChangeFeed, rowToEntry, validateEntry } from '@tiercache/core/kit';
import { checkpointNow, createCheckpointPolicy, walSize } from './checkpoint-policy.js';
import { createGenerationClaims } from './generation-claims.js';
import { openDatabase } from './open-database.js';
import { assertFiniteTime, closedError, readonlyError, unavailable } from './sqlite-errors.js';
import { resolveSqliteIndexOptions, type SqliteIndexOptions } from './sqlite-index-options.js';
import type { SqliteIndex, SqliteIndexStats } from './sqlite-index-types.js';
import { prepareStatements } from './statements.js';
import { createTouchBuffer } from './touch-buffer.js';

export type {
  IntegrityCheckOptions,
  IntegrityReport,
  SqliteIndex,
  SqliteIndexStats,
} from './sqlite-index-types.js';

// Pending touches of more entries than this are flushed at once, bounding memory and the
// length of the flush transaction (a few ms at most).
const MAX_PENDING_TOUCHES = 4096;

/**
 * Opens (creating or migrating when needed) the SQLite index at `options.file`.
 * Throws `E_INVALID_OPTIONS`, `E_INDEX_INCOMPATIBLE` or `E_INDEX_UNAVAILABLE`.
 */
export function openSqliteIndex(options: SqliteIndexOptions): SqliteIndex {
  const resolved = resolveSqliteIndexOptions(options);
  const { file, readonly, busyTimeoutMs } = resolved;
  const db = openDatabase(resolved, Date.now());
  let statements: ReturnType<typeof prepareStatements>;
  try {
    statements = prepareStatements(db);
  } catch (error) {
    db.close();
    throw unavailable(file, 'open', error);
  }
  const s = statements;
  const feed = new IndexChangeFeed();
  const policy = createCheckpointPolicy(db, {
    file,
    everyWrites: resolved.checkpointEveryWrites,
    walLimitBytes: resolved.journalSizeLimitBytes,
    busyTimeoutMs,
  });

  const claims = createGenerationClaims(db);
  const touches = createTouchBuffer(db, s.addUses, {
    flushMs: resolved.touchFlushMs,
    afterWrite: () => policy.afterWrite(),
  });

  /** Writes pending touches first, so what `operation` reads or removes has exact counts. */
  function flushTouches(operation: string): void {
    if (touches.size > 0) run(operation, () => touches.flush());
  }

  /** A row as an entry, with this instance's pending uses added. */
  function toEntry(row: EntryRow): Entry {
    const entry = rowToEntry(row);
    const pending = touches.pendingFor(entry.type, entry.key);
    if (pending) {
      entry.useCount += pending.uses;
      entry.lastUsedAt = Math.max(entry.lastUsedAt, pending.at);
    }
    return entry;
  }

  function guard(operation: string, writes: boolean): void {
    if (!db.open) throw closedError(file, operation);
    if (writes && readonly) throw readonlyError(file, operation);
  }

  function run<T>(operation: string, body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw unavailable(file, operation, error);
    }
  }

  // BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads first
  // could fail with SQLITE_BUSY_SNAPSHOT instead of waiting for busy_timeout.
  function write<T>(operation: string, body: () => T): T {
    guard(operation, true);
    const result = run(operation, () => db.transaction(body).immediate());
    policy.afterWrite();
    return result;
  }

  const insertEntry = db.transaction((entry: Entry) => {
    const inserted = s.insert.run(entryToRow(entry)).changes === 1;
    const revision = inserted ? (s.bumpRevision.get() ?? 0) : 0;
    const row = s.get.get(entry.type, entry.key);
    return { inserted, row, revision };
  });

  return {
    contractVersion: CONTRACT_VERSION,
    file,
    // The database and the files SQLite keeps beside it: no delivered file may replace them.
    ownedPaths: () => ['', '-wal', '-shm', '-journal'].map((suffix) => resolve(file + suffix)),
    get(type, key) {
      guard('get', false);
      const row = run('get', () => s.get.get(type, key));
      return row ? toEntry(row) : undefined;
    },
    insert(candidate) {
      validateEntry(candidate);
      guard('insert', true);
      const { inserted, row, revision } = run('insert', () => insertEntry.immediate(candidate));
      policy.afterWrite();
      if (!row) throw unavailable(file, 'insert', new Error('the entry vanished right after its insert'));
      // Uses still pending for this key belonged to a row another process has since deleted.
      if (inserted) touches.drop(candidate.type, candidate.key);
      if (inserted) feed.emit({ kind: 'insert', entry: rowToEntry(row), revision });
      return toEntry(row);
    },
    touch(type, key, at) {
      guard('touch', true);
      assertFiniteTime('touch', at);
      if (resolved.touchFlushMs === 0) {
        const row = run('touch', () => s.touch.get(at, type, key));
        policy.afterWrite();
        return row ? rowToEntry(row) : undefined;
      }
      const row = run('touch', () => s.get.get(type, key));
      if (!row) return undefined;
      touches.add(type, key, at);
      const entry = toEntry(row);
      if (touches.size >= MAX_PENDING_TOUCHES) {
        try {
          touches.flush();
        } catch {
          // This use is recorded; it stays pending with the rest and the timer tries again.
        }
      }
      return entry;
    },
    delete(type, key) {
      guard('delete', true);
      flushTouches('delete');
      const removed = write('delete', () => {
        const row = s.remove.get(type, key);
        return row ? { row, revision: s.bumpRevision.get() ?? 0 } : undefined;
      });
      if (removed) {
        feed.emit({
          kind: 'delete',
          type,
          key,
          paramsHash: removed.row.params_hash,
          revision: removed.revision,
        });
      }
      return removed !== undefined;
    },
    clear(type) {
      guard('clear', true);
      flushTouches('clear');
      const { changes, revision } = write('clear', () => {
        const { changes } = type === undefined ? s.clearAll.run() : s.clearType.run(type);
        return { changes, revision: changes > 0 ? (s.bumpRevision.get() ?? 0) : (s.revision.get() ?? 0) };
      });
      feed.emit({ kind: 'clear', type, revision });
      return changes;
    },
    partition(type, paramsHash) {
      guard('partition', false);
      return run('partition', () => s.partition.all(type, paramsHash));
    },
    evictionCandidates({ now, limit }) {
      guard('evictionCandidates', false);
      const wanted = Number.isNaN(limit) ? 0 : Math.max(0, Math.floor(limit));
      if (wanted === 0) return [];
      flushTouches('evictionCandidates');
      const sqlLimit = Number.isFinite(wanted) ? wanted : -1;
      // One read transaction, so both scans see the same snapshot.
      const rows = run('evictionCandidates', () =>
        db.transaction(() => {
          const expired = s.expired.all(now, sqlLimit);
          if (expired.length >= wanted) return expired;
          const rest = sqlLimit === -1 ? -1 : wanted - expired.length;
          return expired.concat(s.leastRecentlyUsed.all(now, rest));
        })(),
      );
      return rows.map(rowToEntry);
    },
    stats() {
      guard('stats', false);
      flushTouches('stats');
      const totals = run('stats', () => s.typeTotals.all());
      const stats: SqliteIndexStats = {
        entries: 0,
        bytes: 0,
        contentBytes: 0,
        byType: {},
        rejections: run('stats', () => s.rejections.get() ?? 0),
        databaseBytes: run('stats', () => pageBytes()),
        walBytes: walSize(file),
      };
      for (const row of totals) {
        stats.byType[row.asset_type] = {
          entries: row.count,
          uses: row.total_uses,
          bytes: row.bytes,
          contentBytes: row.content_bytes,
        };
        stats.entries += row.count;
        stats.bytes += row.bytes;
        stats.contentBytes = (stats.contentBytes ?? 0) + row.content_bytes;
      }
      return stats;
    },
    blobReferences(ref) {
      guard('blobReferences', false);
      return run('blobReferences', () => s.blobReferences.get(ref.type, ref.contentHash, ref.extension) ?? 0);
    },
    reject(type, requestKey, entryKey, at) {
      guard('reject', true);
      assertFiniteTime('reject', at);
      const added = run('reject', () => s.reject.run(type, requestKey, entryKey, at).changes === 1);
      policy.afterWrite();
      return added;
    },
    isRejected(type, requestKey, entryKey) {
      guard('isRejected', false);
      return run('isRejected', () => s.isRejected.get(type, requestKey, entryKey) === 1);
    },
    revision() {
      guard('revision', false);
      return run('revision', () => s.revision.get() ?? 0);
    },
    subscribe: (listener) => feed.subscribe(listener),
    integrityCheck({ quick = false, maxProblems = 100 } = {}) {
      guard('integrityCheck', false);
      const limit = Number.isSafeInteger(maxProblems) && maxProblems > 0 ? maxProblems : 100;
      const lines = run('integrityCheck', () =>
        db
          .prepare<[], string>(`PRAGMA ${quick ? 'quick_check' : 'integrity_check'}(${limit})`)
          .pluck()
          .all(),
      );
      const problems = lines.filter((line) => line !== 'ok');
      return { ok: problems.length === 0, problems };
    },
    checkpoint(mode = 'TRUNCATE') {
      guard('checkpoint', false);
      return run('checkpoint', () => checkpointNow(db, mode, busyTimeoutMs));
    },
    flushTouches() {
      guard('flushTouches', false);
      flushTouches('flushTouches');
    },
    claimGeneration(type, key, { now, claimMs }) {
      guard('claimGeneration', true);
      return run('claimGeneration', () => claims.claim(type, key, now, claimMs));
    },
    releaseGeneration(type, key) {
      guard('releaseGeneration', true);
      run('releaseGeneration', () => claims.release(type, key));
    },
    close() {
      if (!db.open) return;
      try {
        flushTouches('close');
        if (!readonly) claims.releaseAll();
      } finally {
        touches.dispose();
        db.close();
      }
    },
  };

  function pageBytes(): number {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }
}
