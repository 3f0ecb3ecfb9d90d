import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { useTempDir as useSharedTempDir } from '@tiercache/test-support/temp-dir';

/** A fresh folder per test, removed afterwards. Read `.path` inside tests and hooks. */
export const useTempDir = (prefix = 'media-service-'): { readonly path: string } => useSharedTempDir(prefix);

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Every file under `dir` (relative path → SHA-256 of its bytes), to prove nothing changed. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (folder: string) => {
    for (const item of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, item.name);
      if (item.isDirectory()) await walk(path);
      else
        files[relative(dir, path)] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  await walk(dir);
  return files;
}

/**
 * Blob files of one type in the cache (`<cacheDir>/<type>/<2 hex>/<hash>.<ext>`), as paths
 * relative to the type folder; empty when there are none. Entry records are not blobs.
 */
export async function blobFiles(cacheDir: string, type: string): Promise<string[]> {
  const folders = await readdir(join(cacheDir, type)).catch(() => []);
  const files: string[] = [];
  for (const folder of folders.filter((name) => /^[0-9a-f]{2}$/.test(name)))
    for (const name of await readdir(join(cacheDir, type, folder))) files.push(`${folder}/${name}`);
  return files.sort();
}

export const isRiffWave = (bytes: Uint8Array) =>
  Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' &&
  Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WAVE';

export const isPng = (bytes: Uint8Array) =>
  Buffer.from(bytes.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
