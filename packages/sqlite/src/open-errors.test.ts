import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTiercacheError } from '@tiercache/core';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteIndex } from './index.js';
import { sha256File, tempDir } from './test-support/temp-dir.js';

let dir: ReturnType<typeof tempDir>;
let file: string;

beforeEach(() => {
  dir = tempDir();
  file = join(dir.path, 'cache.db');
});
afterEach(() => dir.remove());

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
    writeFileSync(file, 'these are not the pages you are looking for\n'.repeat(200));
    const before = sha256File(file);
    const error = openError({ file });
    expect(isTiercacheError(error, 'E_INDEX_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/^@tiercache\/sqlite: open failed on .*not a database/);
    expect((error as { context: { sqliteCode?: string } }).context.sqliteCode).toBe('SQLITE_NOTADB');
    expect(sha256File(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a schema version newer than the code knows: E_INDEX_INCOMPATIBLE', () => {
    const db = new Database(file);
    db.exec('CREATE TABLE cache_entries (asset_type TEXT, prompt_hash TEXT, future_column BLOB)');
    db.pragma('user_version = 99');
    db.close();
    const before = sha256File(file);
    const error = openError({ file });
    expect(isTiercacheError(error, 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toMatch(/schema version 99 is newer/);
    expect(sha256File(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(isTiercacheError(openError({ file, readonly: true }), 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect(sha256File(file)).toBe(before);
  });

  it("another application's cache_entries table: E_INDEX_INCOMPATIBLE", () => {
    const db = new Database(file);
    db.exec('CREATE TABLE cache_entries (url TEXT PRIMARY KEY, body BLOB)');
    db.close();
    const before = sha256File(file);
    const error = openError({ file });
    expect(isTiercacheError(error, 'E_INDEX_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toMatch(/lacks asset_type, prompt_hash/);
    expect(sha256File(file)).toBe(before);
  });
});

describe('readonly mode', () => {
  it('reads what a writer stored and refuses writes with E_INDEX_READONLY', () => {
    const writer = openSqliteIndex({ file });
    const entry = sampleEntry(sampleBytes(10));
    writer.insert(entry);
    const reader = openSqliteIndex({ file, readonly: true });
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
    const error = openError({ file, readonly: true });
    expect(isTiercacheError(error, 'E_INDEX_UNAVAILABLE')).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
