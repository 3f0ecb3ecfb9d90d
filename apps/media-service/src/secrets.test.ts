import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTogetherEngine } from './engines/together.js';
import { filesContaining, startEchoingApi } from './test-support/echo-server.js';
import { runCli } from './test-support/run-cli.js';
import { useTempDir } from './test-support/temp-dir.js';

const KEY = 'tgp_v1_THISISTHEKEY0123456789abcdefABCDEF';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const dir = useTempDir('media-service-secrets-');

describe('configured secrets never appear in output or files', () => {
  let api: Awaited<ReturnType<typeof startEchoingApi>>;
  beforeAll(async () => {
    api = await startEchoingApi();
  });
  afterAll(() => api.close());

  it('the Together engine redacts a key the API echoes back', async () => {
    const engine = createTogetherEngine({ apiKey: KEY, baseUrl: api.baseUrl });
    const error = await engine.render({ prompt: 'x', model: 'm', width: 8, height: 8, steps: 1 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^media-service: Together\.ai answered HTTP 401: Invalid API key provided: Bearer \[redacted\]/,
    );
    expect(`${error?.message} ${error?.stack} ${JSON.stringify(error)}`).not.toContain(KEY);
  });

  it('the CLI redacts its error line and its debug stack (TIERCACHE_DEBUG=1), and writes the key nowhere', async () => {
    const before = api.requests();
    const run = await runCli(dir.path, ['generate', '--channel', 'tiny_science', '--count', '1'], {
      TOGETHER_API_KEY: KEY,
      AWS_SECRET_ACCESS_KEY: AWS_SECRET,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      TIERCACHE_IMAGE_ENGINE: 'together',
      TIERCACHE_TOGETHER_BASE_URL: api.baseUrl,
      TIERCACHE_DEBUG: '1',
    });
    expect(api.requests()).toBeGreaterThan(before);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Together\.ai answered HTTP 401: .*\[redacted\]/);
    for (const secret of [KEY, AWS_SECRET, 'AKIAIOSFODNN7EXAMPLE']) {
      expect(run.stderr).not.toContain(secret);
      expect(run.stdout).not.toContain(secret);
    }
    expect(await filesContaining(dir.path, [KEY, AWS_SECRET])).toEqual([]);
  });
});
