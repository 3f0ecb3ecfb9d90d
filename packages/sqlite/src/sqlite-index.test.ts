import { join } from 'node:path';
import { isTiercacheError } from '@tiercache/core';
import type { IndexChange } from '@tiercache/core/contracts';
import { blobPath } from '@tiercache/core/kit';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex, SCHEMA_VERSION } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';

const scratch = useDatabaseFile({ name: join('nested', 'folder', 'cache.db') });

const T0 = 1_700_000_000_000;

describe('openSqliteIndex', () => {
  it('creates the folder, uses WAL and records the schema version', () => {
    const index = openSqliteIndex({ file: scratch.file });
    index.close();
    const db = new Database(scratch.file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).toEqual(
      expect.arrayContaining(['cache_entries_partition', 'cache_entries_lru', 'cache_entries_expiry']),
    );
    db.close();
  });

  it('keeps everything across a reopen, with the content-addressed blob path', () => {
    const first = openSqliteIndex({ file: scratch.file, synchronous: 'FULL' });
    const entry = sampleEntry(sampleBytes(64), {
      type: 'tts',
      extension: 'wav',
      metadata: { voice: 'bella' },
    });
    first.insert(entry);
    first.touch(entry.type, entry.key, T0 + 5);
    const revision = first.revision();
    first.close();
    const second = openSqliteIndex({ file: scratch.file });
    expect(second.get(entry.type, entry.key)).toEqual({ ...entry, useCount: 2, lastUsedAt: T0 + 5 });
    expect(second.revision()).toBe(revision);
    second.close();
    const db = new Database(scratch.file, { readonly: true });
    expect(db.prepare('SELECT file_path FROM cache_entries').pluck().get()).toBe(blobPath(entry));
    db.close();
  });

  it('touch never moves last use backwards and refuses a time that is not a number', () => {
    const index = openSqliteIndex({ file: scratch.file });
    const entry = sampleEntry(sampleBytes(10), { lastUsedAt: T0 + 100 });
    index.insert(entry);
    expect(index.touch(entry.type, entry.key, T0)).toMatchObject({ useCount: 2, lastUsedAt: T0 + 100 });
    expect(() => index.touch(entry.type, entry.key, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_REQUEST' }),
    );
    expect(index.get(entry.type, entry.key)?.useCount).toBe(2);
    index.close();
  });

  it('stats also report the database and WAL sizes', () => {
    const index = openSqliteIndex({ file: scratch.file });
    expect(index.stats()).toMatchObject({ entries: 0, bytes: 0, byType: {} });
    for (let i = 1; i <= 3; i++) index.insert(sampleEntry(sampleBytes(i * 10, i), { type: 'tts' }));
    const stats = index.stats();
    expect(stats.byType.tts).toEqual({
      entries: 3,
      uses: 3,
      bytes: 60,
      contentBytes: 60,
    });
    expect(stats.databaseBytes).toBeGreaterThan(0);
    expect(stats.walBytes).toBeGreaterThan(0);
    index.close();
  });

  it('sums the uses of every entry of a type', () => {
    const index = openSqliteIndex({ file: scratch.file });
    const entries = [1, 2, 3].map((seed) => sampleEntry(sampleBytes(10, seed)));
    for (const entry of entries) index.insert(entry);
    index.touch(entries[0]!.type, entries[0]!.key, T0);
    expect(index.stats().byType.image).toMatchObject({ entries: 3, uses: 4 });
    index.close();
  });
});

describe('two connections to one file', () => {
  it('first writer wins and each sees the other’s changes through revision()', () => {
    const a = openSqliteIndex({ file: scratch.file });
    const b = openSqliteIndex({ file: scratch.file });
    const seenByB: IndexChange['kind'][] = [];
    b.subscribe((change) => seenByB.push(change.kind));
    const first = sampleEntry(sampleBytes(10, 1));
    const second = sampleEntry(sampleBytes(20, 2), { key: first.key, prompt: 'late' });
    const before = b.revision();
    expect(a.insert(first)).toEqual(first);
    expect(b.revision()).not.toBe(before);
    expect(b.insert(second)).toEqual(first);
    expect(seenByB).toEqual([]);
    const afterInsert = a.revision();
    b.clear('image');
    expect(a.revision()).not.toBe(afterInsert);
    expect(a.get(first.type, first.key)).toBeUndefined();
    expect(seenByB).toEqual(['clear']);
    a.close();
    b.close();
  });
});

describe('eviction order in SQL', () => {
  it('matches compareForEviction, ties broken by creation then key', () => {
    const index = openSqliteIndex({ file: scratch.file });
    const make = (seed: number, fields: Parameters<typeof sampleEntry>[1]) =>
      sampleEntry(sampleBytes(10, seed), { createdAt: T0, lastUsedAt: T0, ...fields });
    const entries = [
      make(1, { key: 'b'.repeat(64) }),
      make(2, { key: 'a'.repeat(64) }),
      make(3, { key: 'c'.repeat(64), createdAt: T0 - 1 }),
      make(4, { key: 'd'.repeat(64), expiresAt: T0 + 20, lastUsedAt: T0 + 50 }),
      make(5, { key: 'e'.repeat(64), expiresAt: T0 + 10, lastUsedAt: T0 + 60 }),
      make(6, { key: 'f'.repeat(64), expiresAt: T0 + 10, lastUsedAt: T0 + 40 }),
      make(7, { key: '0'.repeat(64), expiresAt: T0 + 1000 }),
    ];
    for (const entry of entries) index.insert(entry);
    const keys = index.evictionCandidates({ now: T0 + 100, limit: 100 }).map((entry) => entry.key[0]);
    expect(keys).toEqual(['f', 'e', 'd', 'c', '0', 'a', 'b']);
    expect(index.evictionCandidates({ now: T0 + 100, limit: 2 }).map((entry) => entry.key[0])).toEqual([
      'f',
      'e',
    ]);
    expect(index.evictionCandidates({ now: T0 + 100, limit: 4 }).map((entry) => entry.key[0])).toEqual([
      'f',
      'e',
      'd',
      'c',
    ]);
    expect(index.evictionCandidates({ now: T0, limit: 0 })).toEqual([]);
    index.close();
  });
});

describe('lifecycle and health', () => {
  it('integrityCheck and quick_check report a healthy file', () => {
    const index = openSqliteIndex({ file: scratch.file });
    index.insert(sampleEntry(sampleBytes(10)));
    expect(index.integrityCheck()).toEqual({ ok: true, problems: [] });
    expect(index.integrityCheck({ quick: true })).toEqual({ ok: true, problems: [] });
    index.close();
  });

  it('throws E_CLOSED after close(), which is idempotent', () => {
    const index = openSqliteIndex({ file: scratch.file });
    index.close();
    index.close();
    let error: unknown;
    try {
      index.get('image', 'a'.repeat(64));
    } catch (caught) {
      error = caught;
    }
    expect(isTiercacheError(error, 'E_CLOSED')).toBe(true);
  });

  it('a lock held past busyTimeoutMs is E_INDEX_UNAVAILABLE, never a raw SQLITE_BUSY', () => {
    const index = openSqliteIndex({ file: scratch.file, busyTimeoutMs: 0 });
    const other = new Database(scratch.file);
    other.prepare('BEGIN IMMEDIATE').run();
    const entry = sampleEntry(sampleBytes(10));
    expect(() => index.insert(entry)).toThrow(
      expect.objectContaining({
        code: 'E_INDEX_UNAVAILABLE',
        context: expect.objectContaining({ operation: 'insert', sqliteCode: 'SQLITE_BUSY' }),
      }),
    );
    other.prepare('ROLLBACK').run();
    other.close();
    expect(index.insert(entry)).toEqual(entry);
    index.close();
  });

  it('validates the entry before touching the database', () => {
    const index = openSqliteIndex({ file: scratch.file });
    const revision = index.revision();
    expect(() => index.insert(sampleEntry(sampleBytes(10), { contentHash: 'nope' }))).toThrow(
      expect.objectContaining({ code: 'E_INVALID_ENTRY' }),
    );
    expect(index.revision()).toBe(revision);
    index.close();
  });
});
