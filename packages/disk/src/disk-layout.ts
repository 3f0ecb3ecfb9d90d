import type { BigIntStats, Dirent } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { BlobRef, EntryRef, TiercacheError } from '@tiercache/core';
import { assertAssetType, assertBlobRef, assertEntryRef, blobPath } from '@tiercache/core/kit';
import { diskErrors } from './disk-errors.js';

/** `<contentHash>.<ext>` or `<contentHash>`: the names of blob files (see core's `blobPath`). */
const BLOB_FILE = /^([0-9a-f]{64})(?:\.([a-z0-9]{1,16}))?$/;
/** The fan-out folders of a type folder: the first two hex digits of the content hash. */
const FAN_OUT_FOLDER = /^[0-9a-f]{2}$/;
/** The folder of entry records inside a type folder; never two hex digits, so never a fan-out folder. */
export const RECORDS_FOLDER = 'entries';
/** `<requestKey>.<ext>` in a type folder: a blob of the layout before content addressing. */
export const LEGACY_BLOB_FILE = /^[0-9a-f]{64}(?:\.([a-z0-9]{1,16}))?$/;
/** `.<name>.<token>.tmp`: a write in progress, or a leftover of one that crashed. */
export const TEMP_FILE = /^\.[A-Za-z0-9_-]{1,128}\.[0-9a-f]{8,40}\.tmp$/;

/** Parses a file name in a fan-out folder as a blob; `undefined` for anything else. */
export function parseBlobFile(type: string, folder: string, name: string): BlobRef | undefined {
  const match = BLOB_FILE.exec(name);
  if (!match || !match[1]!.startsWith(folder)) return undefined;
  return { type, contentHash: match[1]!, extension: match[2] ?? '' };
}

function isAssetType(name: string): boolean {
  try {
    assertAssetType(name);
    return true;
  } catch {
    return false;
  }
}

export function invalidType(type: unknown, cause: unknown): TiercacheError {
  return diskErrors.invalidRef(`${JSON.stringify(type)} is not an asset type`, {
    context: { field: 'type' },
    cause,
  });
}

/** Path arithmetic of one cache folder, with every path checked to stay inside it. */
export class DiskLayout {
  readonly #prefix: string;

  constructor(readonly dir: string) {
    this.#prefix = dir.endsWith(sep) ? dir : dir + sep;
  }

  /** The blob's file. `assertBlobRef` already refuses separators; this is the second lock. */
  fileOf(ref: BlobRef): string {
    assertBlobRef(ref);
    const path = resolve(this.dir, blobPath(ref));
    if (!path.startsWith(this.#prefix)) {
      throw diskErrors.invalidRef(`blob ref resolves outside ${this.dir}`, {
        context: { type: ref.type, contentHash: ref.contentHash },
      });
    }
    return path;
  }

  /** The entry's record: `<dir>/<type>/entries/<key>.json`. */
  recordOf(ref: EntryRef): string {
    assertEntryRef(ref);
    return join(this.dir, ref.type, RECORDS_FOLDER, `${ref.key}.json`);
  }

  recordFolderOf(type: string): string {
    return join(this.folderOf(type), RECORDS_FOLDER);
  }

  folderOf(type: string): string {
    try {
      assertAssetType(type);
    } catch (error) {
      throw invalidType(type, error);
    }
    return join(this.dir, type);
  }

  /** Folders named like asset types: the only folders the tier looks into. */
  async types(): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw unavailable('list', this.dir, error);
    }
    return entries.filter((e) => e.isDirectory() && isAssetType(e.name)).map((e) => e.name);
  }

  /** The fan-out folders (`<type>/<2 hex>`) of one type, as absolute paths, with their names. */
  async fanOutFolders(type: string): Promise<{ name: string; path: string }[]> {
    const folder = this.folderOf(type);
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw unavailable('list', folder, error);
    }
    return entries
      .filter((e) => e.isDirectory() && FAN_OUT_FOLDER.test(e.name))
      .map((e) => ({ name: e.name, path: join(folder, e.name) }));
  }

  /** Every blob file of one type, with its ref and absolute path. */
  async blobFiles(type: string): Promise<{ ref: BlobRef; path: string }[]> {
    const found: { ref: BlobRef; path: string }[] = [];
    for (const folder of await this.fanOutFolders(type)) {
      for (const name of await this.files(folder.path)) {
        const ref = parseBlobFile(type, folder.name, name);
        if (ref) found.push({ ref, path: join(folder.path, name) });
      }
    }
    return found;
  }

  /** File names in one folder (empty when the folder does not exist). */
  async files(folder: string): Promise<string[]> {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch (error) {
      if (isMissing(error)) return [];
      throw unavailable('list', folder, error);
    }
  }
}

/** What identifies one version of a file: a rewrite, replacement or touch changes it. */
export function fingerprint(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/** Removes a file; `false` when it was not there. */
export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw unavailable('delete', path, error);
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A filesystem failure as a typed error; the path says where, the cause says why. */
export function unavailable(operation: string, path: string, cause: unknown): TiercacheError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return diskErrors.tierUnavailable(`could not ${operation} ${path}: ${reason}`, {
    context: { operation, path, errno: errorCode(cause) },
    cause,
  });
}
