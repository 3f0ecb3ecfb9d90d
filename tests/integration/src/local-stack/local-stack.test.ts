// The embedded default, composed through core: memory L1 + SQLite index + disk L2 on one folder.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AssetRequest, CacheEvents, TieredCache } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';
import { flipByte, useTempDir } from '@tiercache/test-support/temp-dir';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalStack } from './support/open-local-stack.mjs';

const run = promisify(execFile);
const stackScript = fileURLToPath(new URL('./support/open-local-stack.mjs', import.meta.url));
const narration: AssetRequest = {
  type: 'tts',
  prompt: 'Subscribe for more!',
  params: { engine: 'espeak-ng', voice: 'en-us' },
};
const wav = (text: string) => ({
  bytes: new TextEncoder().encode(text),
  mediaType: 'audio/wav',
  extension: 'wav',
});

describe('memory + SQLite + disk through TieredCache', () => {
  const dir = useTempDir('tiercache-stack-');
  const open: TieredCache[] = [];
  const stack = (options?: Parameters<typeof openLocalStack>[1]) => {
    const cache = openLocalStack(dir.path, options);
    open.push(cache);
    return cache;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
  });

  it('a new process opening the same folder gets exact hits from disk', async () => {
    const cache = stack();
    await cache.getOrGenerate(narration, async () => wav('RIFF narration'));
    await cache.close();
    const { stdout } = await run(process.execPath, [stackScript, dir.path, JSON.stringify(narration)]);
    expect(JSON.parse(stdout)).toEqual({ kind: 'exact', tier: 'disk', text: 'RIFF narration' });
    expect(await readdir(join(dir.path, 'tts'))).toHaveLength(2); // one fan-out folder, the records
  });

  it('several processes missing the same key generate it once and all get those bytes', async () => {
    const ledger = join(dir.path, 'generations.log');
    const worker = fileURLToPath(new URL('./support/generate-once-worker.mjs', import.meta.url));
    stack(); // creates the schema once, as a long-running service would have
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, [worker, dir.path, ledger, JSON.stringify(narration)]),
      ),
    );
    const results = outputs.map(({ stdout }) => JSON.parse(stdout) as { source: string; text: string });
    const generations = (await readFile(ledger, 'utf8')).trim().split('\n');
    expect(generations).toHaveLength(1);
    expect(new Set(results.map((result) => result.text))).toEqual(new Set([`clip by ${generations[0]}`]));
    expect(results.filter((result) => result.source === 'generated')).toHaveLength(1);
  });

  it('a disk hit backfills memory, and the next hit comes from memory', async () => {
    const { bytes, ...info } = wav('RIFF narration');
    await stack().put(narration, bytes, info);
    const fresh = stack();
    expect((await fresh.get(narration))?.tier).toBe('disk');
    await fresh.idle();
    expect((await fresh.get(narration))?.tier).toBe('memory');
    expect((await fresh.stats()).index.byType.tts?.uses).toBe(3);
  });

  it('a flipped byte on disk is detected, never served, and the entry is regenerated', async () => {
    const first = await stack().getOrGenerate(narration, async () => wav('RIFF narration'));
    const file = join(dir.path, blobPath(first.entry));
    await flipByte(file, 3);
    const cache = stack();
    const errors: CacheEvents['error'][] = [];
    cache.on('error', (event) => errors.push(event));
    let generations = 0;
    const result = await cache.getOrGenerate(narration, async () => {
      generations++;
      return wav('RIFF narration');
    });
    expect(result.source).toBe('generated');
    expect(new TextDecoder().decode(result.bytes)).toBe('RIFF narration');
    expect(generations).toBe(1);
    expect(errors.map((e) => e.error.code)).toContain('E_CORRUPT_BLOB');
    // The cache folder belongs to the cache: the caller's copy goes beside it.
    const delivered = `${dir.path}-delivered.wav`;
    try {
      expect((await cache.getFile(narration, delivered))?.tier).toMatch(/memory|disk/);
    } finally {
      await rm(delivered, { force: true });
    }
    expect((await stat(file)).size).toBe('RIFF narration'.length);
  });

  it('prune removes expired entries first, then least recently used, until under maxBytes', async () => {
    let clock = 1_000_000;
    const cache = stack({ now: () => clock });
    const put = (prompt: string, ttlMs: number | null = null) =>
      cache.put({ type: 'image', prompt }, new Uint8Array(1000).fill(prompt.length), {
        mediaType: 'image/png',
        extension: 'png',
        ttlMs,
      });
    const oldest = await put('oldest');
    clock += 10;
    const expiring = await put('expiring soon', 5);
    clock += 10;
    const middle = await put('middle one');
    clock += 10;
    const newest = await put('the newest');
    clock += 10;
    await cache.get({ type: 'image', prompt: 'oldest' });
    const evicted: string[] = [];
    cache.on('evict', (event) => evicted.push(`${event.reason}:${event.key}`));
    const result = await cache.prune({ maxBytes: 2000 });
    expect(result).toEqual({ expired: 1, evicted: 1, bytesFreed: 2000 });
    expect(evicted).toEqual([`expired:${expiring.key}`, `lru:${middle.key}`]);
    // 'middle one' and 'the newest' have identical bytes: the blob stays for the newest.
    expect(middle.contentHash).toBe(newest.contentHash);
    const files = await readdir(join(dir.path, 'image'), { recursive: true });
    expect(files.filter((name) => name.endsWith('.png')).sort()).toEqual(
      [blobPath(newest), blobPath(oldest)].map((path) => path.slice('image/'.length)).sort(),
    );
    expect(cache.index.stats().entries).toBe(2);
  });
});
