import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BlobTier, createTieredCache, type TieredCache } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { openSqliteIndex, recoverSqliteIndex } from '@tiercache/sqlite';
import { assetFor, payloadFor, requestFor, sameBytes } from './payload.mjs';
import type { ReliabilityRow } from './table.js';

type Damage = 'bit flip' | 'truncation' | 'deletion';
const DAMAGES: Damage[] = ['bit flip', 'truncation', 'deletion'];

async function blobFiles(dir: string): Promise<string[]> {
  const items = await readdir(dir, { recursive: true, withFileTypes: true });
  return items
    .filter((item) => item.isFile() && item.name.endsWith('.wav'))
    .map((item) => join(item.parentPath, item.name))
    .sort();
}

async function damage(path: string, kind: Damage): Promise<void> {
  if (kind === 'deletion') return rm(path);
  if (kind === 'truncation') return truncate(path, Math.floor(statSync(path).size / 2));
  const bytes = await readFile(path);
  bytes[Math.floor(bytes.length / 3)]! ^= 0x10;
  await writeFile(path, bytes);
}

/** Reads every key through `cache`: wrong bytes and caller errors, and where the bytes came from. */
async function readAll(cache: TieredCache, count: number, row: ReliabilityRow) {
  const sources = { healed: 0, regenerated: 0, served: 0 };
  for (let i = 0; i < count; i++) {
    try {
      const result = await cache.getOrGenerate(requestFor(i), async () => assetFor(i));
      if (!sameBytes(result.bytes, payloadFor(i))) row.wrongBytes++;
      if (result.source === 'generated') sources.regenerated++;
      else if (result.tier === 'lower') sources.healed++;
      else sources.served++;
    } catch {
      row.callerErrors++;
    }
  }
  await cache.idle();
  return sources;
}

/**
 * Damaged storage: bit flips, truncations and deletions of stored blobs in the upper disk tier
 * (a lower disk tier stands for the shared bucket), blobs damaged in both tiers, then a damaged
 * index recovered from the tiers. Every read must be the key's bytes: served intact, healed from
 * the lower tier, or regenerated.
 */
export async function corruptionCases(dir: string, count = 36): Promise<ReliabilityRow> {
  const upperDir = join(dir, 'upper');
  const lowerDir = join(dir, 'lower');
  const indexFile = join(dir, 'index', 'cache.db');
  const tiers = (): BlobTier[] => [
    createDiskTier({ dir: upperDir }),
    createDiskTier({ dir: lowerDir, name: 'lower' }),
  ];
  const row: ReliabilityRow = {
    family: 'corruption (blobs, index)',
    cases: 0,
    wrongBytes: 0,
    callerErrors: 0,
    leftovers: 0,
    notes: '',
  };
  let cache = createTieredCache({ index: openSqliteIndex({ file: indexFile }), tiers: tiers() });
  await readAll(cache, count, row);
  // Damage: three quarters of the upper copies (flip, truncate, delete); every sixth in both tiers.
  const upper = await blobFiles(upperDir);
  const lower = await blobFiles(lowerDir);
  for (const [n, path] of upper.entries()) {
    if (n % 4 === 3) continue; // a quarter stays intact
    await damage(path, DAMAGES[n % DAMAGES.length]!);
    row.cases++;
    if (n % 6 === 0 && lower[n]) {
      await damage(lower[n]!, DAMAGES[(n + 1) % DAMAGES.length]!);
      row.cases++;
    }
  }
  const afterBlobs = await readAll(cache, count, row);
  await cache.close();

  // The index: every page after the first overwritten, then `verify --repair`'s recovery.
  const size = statSync(indexFile).size;
  const fd = openSync(indexFile, 'r+');
  writeSync(fd, Buffer.alloc(Math.max(0, size - 4096), 0x5a), 0, Math.max(0, size - 4096), 4096);
  closeSync(fd);
  row.cases++;
  const recovery = await recoverSqliteIndex({ file: indexFile, tiers: tiers() });
  cache = createTieredCache({ index: openSqliteIndex({ file: indexFile }), tiers: tiers() });
  const afterIndex = await readAll(cache, count, row);
  await cache.close();
  row.notes =
    `blobs: ${afterBlobs.served} intact, ${afterBlobs.healed} healed from the lower tier, ${afterBlobs.regenerated} regenerated; ` +
    `index: ${recovery.status}, ${recovery.recovered} recovered from records, ${afterIndex.regenerated} regenerated`;
  return row;
}
