import type { BigIntStats, Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { assertAssetType, assertBlobRef, type BlobRef, blobPath, TiercacheError } from '@tiercache/core';

/** `<key>.<ext>` or `<key>`: the names of blob files (core's key and extension patterns). */
const BLOB_FILE = /^([A-Za-z0-9_-]{1,128})(?:\.([a-z0-9]{1,16}))?$/;
/** `.<key>.<token>.tmp`: a write in progress, or a leftover of one that crashed. */
export const TEMP_FILE = /^\.[A-Za-z0-9_-]{1,128}\.[0-9a-f]{8,40}\.tmp$/;

/** Parses a file name the tier owns as a blob; `undefined` for anything else. */
export function parseBlobFile(type: string, name: string): BlobRef | undefined {
  const match = BLOB_FILE.exec(name);
  if (!match) return undefined;
  return { type, key: match[1]!, extension: match[2] ?? '' };
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
  return new TiercacheError(
    'E_INVALID_REF',
    `@tiercache/disk: ${JSON.stringify(type)} is not an asset type`,
    {
      context: { field: 'type' },
      cause,
    },
  );
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
      throw new TiercacheError('E_INVALID_REF', `@tiercache/disk: blob ref resolves outside ${this.dir}`, {
        context: { type: ref.type, key: ref.key },
      });
    }
    return path;
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

  /** File names in one type folder (empty when the folder does not exist). */
  async files(type: string): Promise<string[]> {
    const folder = this.folderOf(type);
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

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A filesystem failure as a typed error; the path says where, the cause says why. */
export function unavailable(operation: string, path: string, cause: unknown): TiercacheError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TiercacheError(
    'E_TIER_UNAVAILABLE',
    `@tiercache/disk: could not ${operation} ${path}: ${reason}`,
    {
      context: { operation, path, errno: errorCode(cause) },
      cause,
    },
  );
}
