import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './test-support/run-cli.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-s3-down-');

/** A port on 127.0.0.1 that refuses connections: bound once, then released. */
function refusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the shared profile with an unreachable bucket (built CLI, a one-shot process)', () => {
  it('generate finishes by generating, prints one warning naming the tier and the cause, exits 0', async () => {
    const port = await refusedPort();
    const run = await runCli(dir.path, ['generate', '--channel', 'tiny_science', '--count', '1', '--json'], {
      TIERCACHE_PROFILE: 'shared',
      TIERCACHE_S3_BUCKET: 'media',
      TIERCACHE_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      TIERCACHE_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
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
