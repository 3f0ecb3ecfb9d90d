import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { unreachableS3Env } from './test-support/s3.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-s3-down-');

describe('the shared profile with an unreachable bucket (built CLI, a one-shot process)', () => {
  it('generate finishes by generating, prints one warning naming the tier and the cause, exits 0', async () => {
    const run = await runCli(
      dir.path,
      ['generate', '--channel', 'tiny_science', '--count', '1', '--json'],
      await unreachableS3Env(),
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { requests: number; generated: number; folder: string };
    expect(summary.generated).toBeGreaterThan(0);
    const files = (await readdir(join(summary.folder, 'video-1'))).filter(
      (name) => name !== 'manifest.json' && name !== 'video.mp4',
    );
    expect(files).toHaveLength(summary.requests);
    const lines = run.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: .*s3.*(ECONNREFUSED|refused|unavailable)/i);
    expect(run.stderr).not.toContain('wJalrXUtnFEMI');
  });
});
