import { existsSync, writeFileSync } from 'node:fs';
import { isTiercacheError } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';
import { sha256File } from './test-support/temp-dir.js';

const scratch = useDatabaseFile();

function openError(options: Parameters<typeof openSqliteIndex>[0]): unknown {
  try {
    openSqliteIndex(options).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('files the index refuses, untouched', () => {
  it('a file that is not a SQLite database: E_INDEX_UNAVAILABLE', () => {
    writeFileSync(scratch.file, 'these are not the pages you are looking for\n'.repeat(200));
    const before = sha256File(scratch.file);
    const error = openError({ file: scratch.file });
    expect(isTiercacheError(error, 'E_INDEX_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^@tiercache\/sqlite: open failed on .*not a database/);
    expect((error as { context: { sqliteCode?: string } }).context.sqliteCode).toBe('SQLITE_NOTADB');
    expect(sha256File(scratch.file)).toBe(before);
    expect(existsSync(`${scratch.file}-wal`)).toBe(false);
  });

  it('a schema version newer than the code knows: E_INDEX_INCOMPATIBLE', () => {
    const db = new Database(scratch.file);
    db.exec('CREATE TABLE cache_entries (asset_type TEXT, prompt_hash TEXT, future_column BLOB)');
    db.pragma('user_version = 99');
    db.close();
    const before = sha256File(scratch.file);
    const error = openError({ file: scratch.file });
    expect(isTiercacheError(error, 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toMatch(/schema version 99 is newer/);
    expect(sha256File(scratch.file)).toBe(before);
    expect(existsSync(`${scratch.file}-wal`)).toBe(false);
    expect(isTiercacheError(openError({ file: scratch.file, readonly: true }), 'E_INDEX_INCOMPATIBLE')).toBe(
      true,
    );
    expect(sha256File(scratch.file)).toBe(before);
  });

  it("another application's cache_entries table: E_INDEX_INCOMPATIBLE", () => {
    const db = new Database(scratch.file);
    db.exec('CREATE TABLE cache_entries (url TEXT PRIMARY KEY, body BLOB)');
    db.close();
    const before = sha256File(scratch.file);
    const error = openError({ file: scratch.file });
    expect(isTiercacheError(error, 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toMatch(/lacks asset_type, prompt_hash/);
    expect(sha256File(scratch.file)).toBe(before);
  });
});

describe('readonly mode', () => {
  it('reads what a writer stored and refuses writes with E_INDEX_READONLY', () => {
    const writer = openSqliteIndex({ file: scratch.file });
    const entry = sampleEntry(sampleBytes(10));
    writer.insert(entry);
    const reader = openSqliteIndex({ file: scratch.file, readonly: true });
    expect(reader.get(entry.type, entry.key)).toEqual(entry);
    expect(reader.stats().entries).toBe(1);
    const writes = [
      () => reader.insert(sampleEntry(sampleBytes(10, 2))),
      () => reader.touch(entry.type, entry.key, 1),
      () => reader.delete(entry.type, entry.key),
      () => reader.clear(),
    ];
    for (const attempt of writes) {
      expect(() => attempt()).toThrow(expect.objectContaining({ code: 'E_INDEX_READONLY' }));
    }
    const before = reader.revision();
    writer.delete(entry.type, entry.key);
    expect(reader.revision()).not.toBe(before);
    expect(reader.get(entry.type, entry.key)).toBeUndefined();
    reader.close();
    writer.close();
  });

  it('needs an existing file', () => {
    const error = openError({ file: scratch.file, readonly: true });
    expect(isTiercacheError(error, 'E_INDEX_UNAVAILABLE')).toBe(true);
    expect(existsSync(scratch.file)).toBe(false);
  });
});
