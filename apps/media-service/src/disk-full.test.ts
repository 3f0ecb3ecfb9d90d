import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { useTempDir } from './test-support/temp-dir.js';
import { fillUp, mountTmpfs } from './test-support/tmpfs.js';

const dir = useTempDir('media-service-disk-full-');

async function tree(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((item) => item.isFile())
    .map((item) => join(item.parentPath, item.name));
}

describe('a full disk (a 2 MiB tmpfs)', () => {
  let disk: { unmount: () => void } | undefined;
  let full: string;
  beforeEach(() => {
    full = join(dir.path, 'full');
    disk = mountTmpfs(full);
  });
  afterEach(() => {
    disk?.unmount();
    disk = undefined;
  });

  it('output on a full disk: generation goes on and is cached, one line with path and code, exit 3', async () => {
    fillUp(full);
    const env = { TIERCACHE_CACHE_DIR: join(dir.path, 'cache'), TIERCACHE_OUTPUT_DIR: join(full, 'out') };
    const run = await runCli(dir.path, ['generate', '--channel', 'tiny_science', '--count', '2'], env);
    expect(run.code).toBe(3);
    const errors = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('warning: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^media-service: \d+ of \d+ output files could not be written \(ENOSPC\), first .*\/full\/out\/tiny_science\/video-1\/\S+; what was generated is cached/,
    );
    const stats = await runCli(dir.path, ['cache', 'stats', '--json'], env);
    expect((JSON.parse(stats.stdout) as { index: { entries: number } }).index.entries).toBeGreaterThan(0);
    // Nothing half-written was left where the caller's files go.
    expect((await tree(full)).filter((path) => !path.endsWith('filler'))).toEqual([]);
    const verify = await runCli(dir.path, ['cache', 'verify'], env);
    expect(verify.code).toBe(0);
  });

  it('cache on a full disk: every file is still delivered, exit 0, no temporary file left', async () => {
    const env = { TIERCACHE_CACHE_DIR: join(full, 'cache'), TIERCACHE_OUTPUT_DIR: join(dir.path, 'out') };
    // The index exists first (as on a machine whose disk filled up over time).
    expect((await runCli(dir.path, ['cache', 'stats'], env)).code).toBe(0);
    fillUp(full);
    const run = await runCli(
      dir.path,
      ['generate', '--channel', 'tiny_science', '--count', '2', '--json'],
      env,
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { requests: number; generated: number };
    expect(summary.requests).toBeGreaterThan(0);
    expect(summary.generated).toBeGreaterThan(0);
    expect(run.stderr).toMatch(
      /^warning: the local cache in .* cannot be opened \(.*\); this run goes on with the memory cache only\n/,
    );
    const delivered = (await tree(join(dir.path, 'out'))).filter((path) => !path.endsWith('manifest.json'));
    // Every asset and both videos (encoded, then delivered through the memory cache).
    expect(delivered.filter((path) => !path.endsWith('video.mp4'))).toHaveLength(summary.requests);
    expect(delivered.filter((path) => path.endsWith('video.mp4'))).toHaveLength(2);
    expect((await tree(full)).filter((path) => /\.tmp$|\.tmp-/.test(path))).toEqual([]);
    // A read-only verify works on the full disk (the index is read from a snapshot).
    const verify = await runCli(dir.path, ['cache', 'verify'], env);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^verified \d+ entries: \d+ good, 0 corrupt/);
  });
});
