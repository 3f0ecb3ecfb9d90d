import { createHash, randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hashContent } from '@tiercache/core';
import { isMissing, TEMP_FILE } from './disk-layout.js';

// One random prefix per process plus a counter: unique across processes sharing the folder,
// without paying for randomBytes on every write.
const PROCESS_TOKEN = randomBytes(5).toString('hex');
let counter = 0;

/** `.<name>.<token>.tmp` beside `path`; matches `TEMP_FILE` when `name` is a blob key. */
export function tempPathFor(path: string, name = basename(path)): string {
  counter = (counter + 1) % 0xffffffff;
  return join(dirname(path), `.${name}.${PROCESS_TOKEN}${counter.toString(16).padStart(8, '0')}.tmp`);
}

export interface WrittenFile {
  /** Stats of the file as written, read through its handle before it became visible. */
  stats: BigIntStats;
}

/**
 * Writes `bytes` to a new temporary file beside `path` (same folder, so same filesystem),
 * optionally flushed, creating the folder when missing. A failure removes it.
 */
export async function writeTemp(
  path: string,
  tempName: string,
  bytes: Uint8Array | string,
  options: { fsync: boolean; mode: number },
): Promise<{ temp: string; stats: BigIntStats }> {
  const temp = tempPathFor(path, tempName);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'wx', options.mode);
  } catch (error) {
    if (!isMissing(error)) throw error;
    // The folder is new, or someone removed it since.
    await mkdir(dirname(path), { recursive: true });
    handle = await open(temp, 'wx', options.mode);
  }
  try {
    try {
      await handle.writeFile(bytes);
      if (options.fsync) await handle.sync();
      return { temp, stats: await handle.stat({ bigint: true }) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes `bytes` to `path` so that no reader ever sees a partial file: a temporary file
 * (`writeTemp`), then renamed over the target. A failure removes the temporary file.
 */
export async function writeAtomic(
  path: string,
  tempName: string,
  bytes: Uint8Array,
  options: { fsync: boolean; mode: number },
): Promise<WrittenFile> {
  const { temp, stats } = await writeTemp(path, tempName, bytes, options);
  try {
    await rename(temp, path);
    if (options.fsync) await syncFolder(dirname(path));
    return { stats };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Like `writeAtomic`, but never replaces: the temporary file is linked into place, which fails
 * when `path` exists. Resolves false when another writer was first (its file is kept).
 */
export async function writeIfAbsent(
  path: string,
  tempName: string,
  bytes: Uint8Array | string,
  options: { fsync: boolean; mode: number },
): Promise<boolean> {
  const { temp } = await writeTemp(path, tempName, bytes, options);
  try {
    await link(temp, path);
    if (options.fsync) await syncFolder(dirname(path));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Makes a rename durable: the folder entry itself must reach the disk. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a folder; the file itself was flushed.
  } finally {
    await handle.close();
  }
}

/** Removes temporary files older than `maxAgeMs` from one folder; returns how many went. */
export async function removeStaleTemps(folder: string, names: string[], maxAgeMs: number): Promise<number> {
  let removed = 0;
  const cutoff = Date.now() - maxAgeMs;
  for (const name of names) {
    if (!TEMP_FILE.test(name)) continue;
    const path = join(folder, name);
    try {
      const stats = await stat(path);
      if (stats.mtimeMs > cutoff) continue;
      await rm(path);
      removed++;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return removed;
}

// Above this a file is hashed in chunks, so verifying a big video does not hold it in memory.
const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;

/** SHA-256 (hex) of a file, the same digest as core's `hashContent`. */
export async function hashFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= WHOLE_FILE_LIMIT) return hashContent(await handle.readFile());
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false }))
      hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
