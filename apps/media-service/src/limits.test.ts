// Entry TTL and size limits as settings, end to end with the built CLI: an entry expires, a
// limit evicts, and a prune with no limit at all is refused.
import { describe, expect, it } from 'vitest';
import type { GenerateSummary } from './generate-summary.js';
import { runCli } from './test-support/run-cli.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-limits-');
const generate = async (env: Record<string, string> = {}) => {
  const run = await runCli(
    dir.path,
    ['generate', '--channel', 'momentum_mindset', '--count', '1', '--json'],
    env,
  );
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as GenerateSummary;
};
const entries = async () => {
  const run = await runCli(dir.path, ['cache', 'stats', '--json']);
  return (JSON.parse(run.stdout) as { index: { entries: number } }).index.entries;
};

describe('TIERCACHE_TTL_MS', () => {
  it('an entry past its time to live is generated again; one stored without it is served', async () => {
    const first = await generate({ TIERCACHE_TTL_MS: '1' });
    expect(first.generated).toBeGreaterThan(0);
    // Run by another process: the millisecond of life each entry had is long gone.
    const again = await generate({ TIERCACHE_TTL_MS: '1' });
    expect(again).toMatchObject({ generated: first.generated, exact: first.exact });
    // The time to live is the entry's, given when it was stored: these too expired.
    const renewed = await generate();
    expect(renewed.generated).toBe(first.generated);
    const kept = await generate();
    expect(kept.generated).toBe(0);
  });

  it('is validated like every setting', async () => {
    const run = await runCli(dir.path, ['cache', 'stats'], { TIERCACHE_TTL_MS: '-5' });
    expect(run).toMatchObject({
      code: 1,
      stderr: 'media-service: TIERCACHE_TTL_MS: expected a whole number from 1 to 9007199254740991, got -5\n',
    });
  });
});

describe('prune limits', () => {
  it('TIERCACHE_PRUNE_MAX_ENTRIES evicts down to the limit; --max-entries overrides it', async () => {
    await generate();
    const stored = await entries();
    expect(stored).toBeGreaterThan(3);
    const pruned = await runCli(dir.path, ['cache', 'prune'], { TIERCACHE_PRUNE_MAX_ENTRIES: '3' });
    expect(pruned.stdout).toMatch(
      new RegExp(
        `pruned 0 expired and ${stored - 3} least recently used entries .*; 3 entries, \\d+ bytes left \\(limit 3 entries\\)`,
      ),
    );
    expect(await entries()).toBe(3);
    await runCli(dir.path, ['cache', 'prune', '--max-entries', '1'], { TIERCACHE_PRUNE_MAX_ENTRIES: '3' });
    expect(await entries()).toBe(1);
  });

  it('a prune without any limit is refused', async () => {
    const run = await runCli(dir.path, ['cache', 'prune']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cache prune: give --max-bytes or --max-entries/);
  });
});
