import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex, type SqliteIndexOptions } from './index.js';

function failure(options: unknown): { code: string; field: unknown; message: string } | undefined {
  try {
    openSqliteIndex(options as SqliteIndexOptions).close();
  } catch (error) {
    if (!isTiercacheError(error)) throw error;
    return { code: error.code, field: error.context.option, message: error.message };
  }
  return undefined;
}

describe('option validation', () => {
  const file = '/nonexistent-never-created/cache.db';
  it.each([
    ['options', undefined, 'object'],
    ['file missing', {}, 'file'],
    ['file empty', { file: '  ' }, 'file'],
    ['synchronous', { file, synchronous: 'OFF' }, 'synchronous'],
    ['busyTimeoutMs negative', { file, busyTimeoutMs: -1 }, 'busyTimeoutMs'],
    ['busyTimeoutMs fractional', { file, busyTimeoutMs: 1.5 }, 'busyTimeoutMs'],
    ['walAutoCheckpointPages', { file, walAutoCheckpointPages: '1000' }, 'walAutoCheckpointPages'],
    ['checkpointEveryWrites', { file, checkpointEveryWrites: Number.NaN }, 'checkpointEveryWrites'],
    ['journalSizeLimitBytes', { file, journalSizeLimitBytes: -2 }, 'journalSizeLimitBytes'],
    ['readonly', { file, readonly: 'yes' }, 'readonly'],
    ['touchFlushMs negative', { file, touchFlushMs: -1 }, 'touchFlushMs'],
    ['touchFlushMs fractional', { file, touchFlushMs: 0.5 }, 'touchFlushMs'],
  ])('rejects %s with E_INVALID_OPTIONS naming it', (_name, options, field) => {
    const result = failure(options);
    expect(result?.code).toBe('E_INVALID_OPTIONS');
    expect(result?.field).toBe(field);
    expect(result?.message).toMatch(/^@tiercache\/sqlite: option /);
  });

  it('refuses an unknown option, suggesting the one meant', () => {
    const result = failure({ file, busyTimeout: 10 });
    expect(result?.code).toBe('E_INVALID_OPTIONS');
    expect(result?.field).toBe('busyTimeout');
    expect(result?.message).toBe(
      '@tiercache/sqlite: unknown option busyTimeout (did you mean busyTimeoutMs?)',
    );
  });
});
