import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteIndex } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';

const T0 = 1_700_000_000_000;

// A test that leaves a flush failing has already checked what it wanted when its index closes.
const scratch = useDatabaseFile({ ignoreCloseErrors: true });
const openIndex = (options: { touchFlushMs?: number; busyTimeoutMs?: number } = {}) => scratch.open(options);

afterEach(() => {
  vi.useRealTimers();
});

const entryAt = (seed: number, lastUsedAt = T0) =>
  sampleEntry(sampleBytes(16, seed), { createdAt: T0, lastUsedAt });

describe('coalesced touches (touchFlushMs > 0)', () => {
  it('touch and get include pending uses; other connections see them once flushed', () => {
    const index = openIndex();
    const other = openIndex({ touchFlushMs: 0 });
    const entry = entryAt(1);
    index.insert(entry);
    index.touch(entry.type, entry.key, T0 + 3);
    index.touch(entry.type, entry.key, T0 + 1); // last use never moves backwards
    expect(index.touch(entry.type, entry.key, T0 + 2)).toMatchObject({ useCount: 4, lastUsedAt: T0 + 3 });
    expect(index.get(entry.type, entry.key)).toMatchObject({ useCount: 4, lastUsedAt: T0 + 3 });
    expect(index.insert(entry)).toMatchObject({ useCount: 4 });
    expect(other.get(entry.type, entry.key)).toMatchObject({ useCount: 1, lastUsedAt: T0 });
    index.flushTouches();
    expect(other.get(entry.type, entry.key)).toMatchObject({ useCount: 4, lastUsedAt: T0 + 3 });
    expect(index.get(entry.type, entry.key)).toMatchObject({ useCount: 4, lastUsedAt: T0 + 3 });
  });

  it('writes pending uses before stats, evictionCandidates, delete and clear', () => {
    const index = openIndex();
    const other = openIndex({ touchFlushMs: 0 });
    const [a, b, c] = [entryAt(1, T0), entryAt(2, T0 + 10), entryAt(3, T0 + 20)];
    for (const entry of [a, b, c]) index.insert(entry);
    const usesSeenElsewhere = () => other.stats().byType.image?.uses;

    index.touch(a.type, a.key, T0 + 30);
    expect(index.stats().byType.image?.uses).toBe(4);
    expect(usesSeenElsewhere()).toBe(4);

    index.touch(b.type, b.key, T0 + 40);
    // b was least recently used in the file; its pending use makes a the oldest.
    const order = index.evictionCandidates({ now: T0, limit: 3 }).map((entry) => entry.key);
    expect(order).toEqual([c.key, a.key, b.key]);
    expect(usesSeenElsewhere()).toBe(5);

    index.touch(a.type, a.key, T0 + 50);
    expect(index.delete(c.type, c.key)).toBe(true);
    expect(other.get(a.type, a.key)?.useCount).toBe(3);

    index.touch(b.type, b.key, T0 + 60);
    expect(index.clear('tts')).toBe(0);
    expect(other.get(b.type, b.key)?.useCount).toBe(3);
  });

  it('close writes pending uses: a reopened file has exact counts', () => {
    const index = openSqliteIndex({ file: scratch.file });
    const entries = [entryAt(1), entryAt(2), entryAt(3)];
    for (const entry of entries) index.insert(entry);
    entries.forEach((entry, i) => {
      for (let n = 0; n <= i; n++) index.touch(entry.type, entry.key, T0 + n);
    });
    index.close();
    const reopened = openIndex();
    expect(entries.map((entry) => reopened.get(entry.type, entry.key)?.useCount)).toEqual([2, 3, 4]);
  });

  it('the timer writes pending uses after touchFlushMs', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const index = openIndex({ touchFlushMs: 50 });
    const other = openIndex({ touchFlushMs: 0 });
    const entry = entryAt(1);
    index.insert(entry);
    index.touch(entry.type, entry.key, T0 + 1);
    vi.advanceTimersByTime(49);
    expect(other.get(entry.type, entry.key)?.useCount).toBe(1);
    vi.advanceTimersByTime(1);
    expect(other.get(entry.type, entry.key)?.useCount).toBe(2);
  });

  it('a flush that cannot take the lock keeps the uses: the timer retries, close reports it and closes', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const index = openIndex({ touchFlushMs: 50, busyTimeoutMs: 0 });
    const entry = entryAt(1);
    index.insert(entry);
    const blocker = new Database(scratch.file);
    try {
      blocker.exec('BEGIN IMMEDIATE');
      expect(index.touch(entry.type, entry.key, T0 + 1)?.useCount).toBe(2);
      vi.advanceTimersByTime(50); // fails quietly: no uncaught error from the timer
      blocker.exec('COMMIT');
      const count = blocker.prepare<[], number>('SELECT use_count FROM cache_entries').pluck();
      expect(count.get()).toBe(1);
      vi.advanceTimersByTime(50);
      expect(count.get()).toBe(2);

      index.touch(entry.type, entry.key, T0 + 2);
      blocker.exec('BEGIN IMMEDIATE');
      expect(() => index.close()).toThrow(expect.objectContaining({ code: 'E_INDEX_UNAVAILABLE' }));
      expect(() => index.get(entry.type, entry.key)).toThrow(expect.objectContaining({ code: 'E_CLOSED' }));
      index.close(); // idempotent
      blocker.exec('COMMIT');
      expect(count.get()).toBe(2);
    } finally {
      blocker.close();
    }
  });

  it('a key inserted again after another connection deleted it does not inherit pending uses', () => {
    const index = openIndex();
    const other = openIndex({ touchFlushMs: 0 });
    const entry = entryAt(1);
    index.insert(entry);
    index.touch(entry.type, entry.key, T0 + 1);
    index.touch(entry.type, entry.key, T0 + 2);
    expect(other.delete(entry.type, entry.key)).toBe(true);
    expect(index.insert(entry)).toMatchObject({ useCount: 1, lastUsedAt: T0 });
    index.flushTouches();
    expect(other.get(entry.type, entry.key)).toMatchObject({ useCount: 1, lastUsedAt: T0 });
  });

  it('touch of an absent entry records nothing', () => {
    const index = openIndex();
    expect(index.touch('image', 'f'.repeat(64), T0)).toBeUndefined();
    index.close();
  });
});
