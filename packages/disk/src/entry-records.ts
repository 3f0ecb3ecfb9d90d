import { readdir, readFile } from 'node:fs/promises';
import type { Entry, EntryRef } from '@tiercache/core';
import { validateEntry } from '@tiercache/core/kit';
import { writeIfAbsent } from './atomic-file.js';
import { isMissing, unavailable } from './disk-layout.js';

/** `<key>.json`: the names of entry records (core's key pattern). */
const RECORD_FILE = /^([A-Za-z0-9_-]{1,128})\.json$/;

/**
 * Writes the entry's record unless one exists for its key (first record wins, like the index).
 * The record is complete or absent (see `writeIfAbsent`).
 */
export async function writeRecord(path: string, entry: Entry, fsync: boolean): Promise<void> {
  try {
    await writeIfAbsent(path, entry.key, `${JSON.stringify(entry)}\n`, { fsync, mode: 0o644 });
  } catch (error) {
    throw unavailable('write', path, error);
  }
}

/** The record at `path` if it is a well-formed entry of `ref`; `undefined` otherwise. */
export async function readRecord(path: string, ref: EntryRef): Promise<Entry | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw unavailable('read', path, error);
  }
  try {
    const entry = JSON.parse(text) as Entry;
    validateEntry(entry);
    return entry.type === ref.type && entry.key === ref.key ? entry : undefined;
  } catch {
    return undefined; // damaged or foreign: never vouched for
  }
}

/** Keys with a record in one type's record folder. */
export async function recordKeys(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if (isMissing(error)) return [];
    throw unavailable('list', folder, error);
  }
  const keys: string[] = [];
  for (const name of names) {
    const match = RECORD_FILE.exec(name);
    if (match) keys.push(match[1]!);
  }
  return keys;
}
