import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex, SCHEMA_VERSION } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';

const T0 = 1_700_000_000_000;
const KEY = 'a'.repeat(64);

describe('generation claims between instances sharing one file', () => {
  const scratch = useDatabaseFile();
  const index = () => scratch.open();

  it('lets one instance claim a key; the other waits until it is released', () => {
    const first = index();
    const second = index();
    expect(first.claimGeneration('tts', KEY, { now: T0, claimMs: 1000 })).toBe(true);
    expect(first.claimGeneration('tts', KEY, { now: T0 + 1, claimMs: 1000 })).toBe(true);
    expect(second.claimGeneration('tts', KEY, { now: T0 + 2, claimMs: 1000 })).toBe(false);
    expect(second.claimGeneration('image', KEY, { now: T0 + 2, claimMs: 1000 })).toBe(true);
    second.releaseGeneration('tts', KEY); // not its claim: nothing changes
    expect(second.claimGeneration('tts', KEY, { now: T0 + 3, claimMs: 1000 })).toBe(false);
    first.releaseGeneration('tts', KEY);
    expect(second.claimGeneration('tts', KEY, { now: T0 + 4, claimMs: 1000 })).toBe(true);
  });

  it('takes over an expired claim', () => {
    const first = index();
    const second = index();
    first.claimGeneration('tts', KEY, { now: T0, claimMs: 1000 });
    expect(second.claimGeneration('tts', KEY, { now: T0 + 999, claimMs: 1000 })).toBe(false);
    expect(second.claimGeneration('tts', KEY, { now: T0 + 1000, claimMs: 1000 })).toBe(true);
  });

  it('takes over a claim whose process has exited', () => {
    index().close(); // creates the schema
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(gone.stdout.toString());
    const db = new Database(scratch.file);
    db.prepare('INSERT INTO generation_claims VALUES (?, ?, ?, ?, ?)').run(
      'tts',
      KEY,
      'crashed-worker',
      deadPid,
      T0 + 60_000,
    );
    db.close();
    expect(index().claimGeneration('tts', KEY, { now: T0, claimMs: 1000 })).toBe(true);
  });

  it('releases every claim of an instance when it closes', () => {
    const first = openSqliteIndex({ file: scratch.file });
    first.claimGeneration('tts', KEY, { now: T0, claimMs: 60_000 });
    first.close();
    expect(index().claimGeneration('tts', KEY, { now: T0, claimMs: 1000 })).toBe(true);
  });

  it('migrates a version 1 file by adding the claims table, keeping its entries', () => {
    index().close();
    const db = new Database(scratch.file);
    // A version 1 file has neither the claims table nor the later rejections table.
    db.exec('DROP TABLE generation_claims');
    db.exec('DROP TABLE match_rejections');
    db.pragma('user_version = 1');
    db.close();
    const reopened = index();
    expect(reopened.claimGeneration('tts', KEY, { now: T0, claimMs: 1000 })).toBe(true);
    const check = new Database(scratch.file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });
});
