import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTieredCache, isTiercacheError } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';
import { fillUp, mountTmpfs } from '../test-support/tmpfs.js';
import { assetFor, payloadFor, requestFor, sameBytes } from './payload.mjs';
import type { ReliabilityRow } from './table.js';

/**
 * A cache whose disk (a 2 MiB tmpfs) fills up: generations go on and are served, the tiers that
 * cannot write report it, a caller's file that cannot be written is a typed error with nothing
 * half-written left, and no temporary file remains.
 */
export async function diskFullCases(dir: string, count = 24): Promise<ReliabilityRow> {
  const full = join(dir, 'full');
  const disk = mountTmpfs(full);
  const row: ReliabilityRow = {
    family: 'disk full (2 MiB tmpfs)',
    cases: 0,
    wrongBytes: 0,
    callerErrors: 0,
    leftovers: 0,
    notes: '',
  };
  try {
    const cacheDir = join(full, 'cache');
    const cache = createTieredCache({
      index: openSqliteIndex({ file: join(cacheDir, 'cache.db') }),
      tiers: [createMemoryTier({ maxBytes: 1024 * 1024 }), createDiskTier({ dir: cacheDir })],
    });
    let tierErrors = 0;
    cache.on('error', () => void tierErrors++);
    // Room for a few blobs only: the rest of the run happens on a full disk.
    fillUp(full, 96 * 1024);
    for (let i = 0; i < count; i++) {
      row.cases++;
      try {
        const result = await cache.getOrGenerate(requestFor(i), async () => assetFor(i));
        if (!sameBytes(result.bytes, payloadFor(i))) row.wrongBytes++;
      } catch {
        row.callerErrors++;
      }
    }
    let typed = 0;
    for (let i = 0; i < 4; i++) {
      row.cases++;
      const dest = join(full, `delivered-${i}.wav`);
      try {
        await cache.getOrGenerateFile(requestFor(100 + i), dest, async () => assetFor(100 + i));
        // It fit: then it must be whole.
      } catch (error) {
        if (isTiercacheError(error, 'E_DESTINATION_UNWRITABLE') && error.context.errorCode === 'ENOSPC')
          typed++;
        else row.callerErrors++;
      }
    }
    await cache.close();
    const files = (await readdir(full, { recursive: true, withFileTypes: true })).filter((item) =>
      item.isFile(),
    );
    row.leftovers += files.filter((item) => /\.tmp$/.test(item.name)).length;
    // A caller's file is whole or absent, never half-written.
    for (const item of files.filter((file) => /^delivered-\d+\.wav$/.test(file.name))) {
      const i = 100 + Number(/\d+/.exec(item.name)?.[0]);
      if (!sameBytes(new Uint8Array(await readFile(join(item.parentPath, item.name))), payloadFor(i)))
        row.leftovers++;
    }
    row.notes = `${tierErrors} tier/index write failures reported as events; ${typed} undeliverable files refused as E_DESTINATION_UNWRITABLE (ENOSPC)`;
  } finally {
    disk.unmount();
  }
  return row;
}
