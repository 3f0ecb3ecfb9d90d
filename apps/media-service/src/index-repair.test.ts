import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-index-repair-');
const cacheDir = () => join(dir.path, 'media_local_storage', 'cache');

/** Overwrites every page after the first (the header and schema survive, the rows do not). */
function damageIndex(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const garbage = Buffer.alloc(size - 4096, 0x5a);
    writeSync(fd, garbage, 0, garbage.length, 4096);
  } finally {
    closeSync(fd);
  }
}

describe('media-service cache verify --repair on a malformed index (built CLI)', () => {
  it('a read-only verify says how to recover; --repair keeps the file, rebuilds the index and reports', async () => {
    const generate = await runCli(dir.path, [
      'generate',
      '--channel',
      'tiny_science',
      '--count',
      '1',
      '--json',
    ]);
    expect(generate.code).toBe(0);
    const requests = (JSON.parse(generate.stdout) as { requests: number }).requests;
    const index = join(cacheDir(), 'cache.db');
    damageIndex(index);

    const stats = await runCli(dir.path, ['cache', 'stats']);
    expect(stats.code).toBe(1);
    expect(stats.stderr).toMatch(
      /malformed.*; run `media-service cache verify --repair` to rebuild the index\n$/,
    );

    const verify = await runCli(dir.path, ['cache', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(
      /^media-service: the index .*cache\.db is damaged \(.*\); run `media-service cache verify --repair`/,
    );
    expect(verify.stderr.trim().split('\n')).toHaveLength(1);

    const repair = await runCli(dir.path, ['cache', 'verify', '--repair']);
    expect(repair.stderr).toBe('');
    expect(repair.code).toBe(0);
    expect(repair.stdout).toMatch(/^index was damaged \(.*\): kept as .*cache\.db\.damaged-/);
    const rebuilt =
      /rebuilt: (\d+) entries recovered from (.*), (\d+) malformed records skipped; (?:(\d+) entries lost|the damaged file was too broken)/.exec(
        repair.stdout,
      );
    expect(rebuilt).not.toBeNull();
    // Whatever the disk tier could vouch for came back; the rest is counted, never silently dropped.
    if (rebuilt?.[4] !== undefined)
      expect(Number(rebuilt[1]) + Number(rebuilt[4])).toBeLessThanOrEqual(requests);
    const kept = (await readdir(cacheDir())).filter((name) => name.startsWith('cache.db.damaged-'));
    expect(kept.length).toBeGreaterThan(0);

    const after = await runCli(dir.path, ['cache', 'stats', '--json']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as { index: { entries: number } }).index.entries).toBe(
      Number(rebuilt?.[1]),
    );
    const again = await runCli(dir.path, ['generate', '--channel', 'tiny_science', '--count', '1', '--json']);
    expect(again.code).toBe(0);
  });
});
