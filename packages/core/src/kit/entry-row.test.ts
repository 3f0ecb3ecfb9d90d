import { describe, expect, it } from 'vitest';
import type { Entry } from '../contracts/entry.js';
import { ENTRY_ROW_COLUMNS, entryToRow, rowToEntry } from './entry-row.js';

const entry: Entry = {
  type: 'tts',
  key: 'a'.repeat(64),
  prompt: 'Hello there',
  params: '{"voice":"bella"}',
  paramsHash: 'b'.repeat(64),
  contentHash: 'c'.repeat(64),
  size: 1234,
  mediaType: 'audio/wav',
  extension: 'wav',
  metadata: { voice: 'bella', tags: ['a', 'b'] },
  createdAt: 1_700_000_000_000,
  lastUsedAt: 1_700_000_000_500,
  useCount: 3,
  expiresAt: null,
  generationCost: 0.002,
  generationMs: 850,
};

describe('the cache_entries row of an entry', () => {
  it('round-trips every field, with the content-addressed file path', () => {
    const row = entryToRow(entry);
    expect(Object.keys(row)).toEqual([...ENTRY_ROW_COLUMNS]);
    expect(row.file_path).toBe(`tts/cc/${'c'.repeat(64)}.wav`);
    expect(rowToEntry(row)).toEqual(entry);
  });

  it('reads integer columns a driver returned as text, and gives each read its own metadata', () => {
    const row = { ...entryToRow({ ...entry, expiresAt: 1_800_000_000_000 }) } as Record<string, unknown>;
    for (const column of ['size', 'created_at', 'last_used_at', 'use_count', 'expires_at'])
      row[column] = String(row[column]);
    const first = rowToEntry(row as never);
    expect(first).toMatchObject({ size: 1234, useCount: 3, expiresAt: 1_800_000_000_000 });
    expect(rowToEntry(row as never).metadata).not.toBe(first.metadata);
  });
});
