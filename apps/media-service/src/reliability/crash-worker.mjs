// One writer of a crash round: opens the embedded stack (memory + SQLite + disk) on a shared
// folder and reads, generates, delivers and deletes random keys until it is killed with SIGKILL.
// Every served byte is checked at once; a mismatch is written synchronously, so even a write
// just before the kill is reported.
import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';
import { assetFor, KEY_SPACE, payloadFor, requestFor, sameBytes } from './payload.mjs';

const [dir, outDir, seedText] = process.argv.slice(2);
let seed = Number(seedText) || 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const cache = createTieredCache({
  index: openSqliteIndex({ file: join(dir, 'cache.db') }),
  tiers: [createMemoryTier({ maxBytes: 4 * 1024 * 1024 }), createDiskTier({ dir })],
});
const report = (line) => writeSync(1, `${line}\n`);
let operations = 0;
for (;;) {
  const i = Math.floor(random() * KEY_SPACE);
  const roll = random();
  try {
    if (roll < 0.6) {
      const result = await cache.getOrGenerate(requestFor(i), async () => assetFor(i));
      if (!sameBytes(result.bytes, payloadFor(i))) report(`wrong ${i} ${result.source}`);
    } else if (roll < 0.9) {
      const path = join(outDir, `${process.pid}-${operations}.wav`);
      const hit = await cache.getFile(requestFor(i), path);
      if (hit && !sameBytes(new Uint8Array(await readFile(path)), payloadFor(i))) report(`wrong-file ${i}`);
    } else {
      await cache.delete(requestFor(i));
    }
  } catch (error) {
    report(`error ${error?.code ?? 'unknown'} ${String(error?.message).split('\n')[0]}`);
  }
  if (++operations % 10 === 0) report(`ops ${operations}`);
}
