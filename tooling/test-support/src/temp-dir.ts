import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh folder per test, removed afterwards. Read `.path` inside tests and hooks. */
export function useTempDir(prefix = 'tiercache-disk-'): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(async () => {
    holder.path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(holder.path, { recursive: true, force: true });
  });
  return holder;
}

/** Flips one bit of a file in place, as a failing disk or a careless tool would. */
export async function flipByte(path: string, at = 0): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  await writeFile(path, bytes);
}
