import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

interface ClaimRow {
  owner: string;
  pid: number;
  expires_at: number;
}

/** Whether a process still runs on this machine (the index file is local, so its owner is too). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Generation claims for processes sharing one index file: the first to claim a key generates
 * it; the others wait for its entry. A claim ends when released, when it expires, or when the
 * process that made it is gone (a crashed worker never blocks the others for long).
 */
export function createGenerationClaims(db: Database) {
  const owner = randomUUID();
  const select = db.prepare<[string, string], ClaimRow>(
    'SELECT owner, pid, expires_at FROM generation_claims WHERE asset_type = ? AND prompt_hash = ?',
  );
  const upsert = db.prepare<[string, string, string, number, number]>(
    `INSERT INTO generation_claims (asset_type, prompt_hash, owner, pid, expires_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (asset_type, prompt_hash) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, expires_at = excluded.expires_at`,
  );
  const remove = db.prepare<[string, string, string]>(
    'DELETE FROM generation_claims WHERE asset_type = ? AND prompt_hash = ? AND owner = ?',
  );
  const removeAll = db.prepare<[string]>('DELETE FROM generation_claims WHERE owner = ?');
  const stored = db
    .prepare<[string, string], number>('SELECT 1 FROM cache_entries WHERE asset_type = ? AND prompt_hash = ?')
    .pluck();

  // IMMEDIATE: the write lock is taken before reading, so no process can insert the entry or
  // claim the key between these checks and the claim itself.
  const claim = db.transaction((type: string, key: string, now: number, ttlMs: number): boolean => {
    // Whoever generated it has stored it already: nothing left to claim (the caller reads it).
    if (stored.get(type, key) !== undefined) return false;
    const held = select.get(type, key);
    if (held && held.owner !== owner && held.expires_at > now && processAlive(held.pid)) return false;
    upsert.run(type, key, owner, process.pid, now + ttlMs);
    return true;
  });

  return {
    /** Claims `(type, key)` for `ttlMs`; false once the entry exists or while another live claim holds it. */
    claim: (type: string, key: string, now: number, ttlMs: number): boolean =>
      claim.immediate(type, key, now, ttlMs),
    release: (type: string, key: string): void => {
      remove.run(type, key, owner);
    },
    releaseAll: (): void => {
      removeAll.run(owner);
    },
  };
}
