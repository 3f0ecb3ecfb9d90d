import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// A one-shot script is the only honest test: inside vitest, the runner's own handles keep the
// process alive, so an in-process test cannot see Node exit mid-call.
const CORE = pathToFileURL(new URL('../dist/index.js', import.meta.url).pathname).href;

/** A tier whose every call waits on an unref'd timer that never fires in time: no handle holds Node. */
const SCRIPT = `
import { createTieredCache } from ${JSON.stringify(CORE)};
const stall = () => new Promise((resolve) => { setTimeout(resolve, 3_600_000).unref(); });
const silent = {
  name: 'silent',
  readVerification: 'size-only',
  get: stall, put: stall, has: stall, delete: stall, clear: stall,
};
const cache = createTieredCache({ tiers: [silent], tierTimeoutMs: 100 });
const errors = [];
cache.on('error', (event) => errors.push(event.error.code));
const result = await cache.getOrGenerate(
  { type: 'tts', prompt: 'keep me alive' },
  async () => ({ bytes: new TextEncoder().encode('generated anyway'), mediaType: 'audio/wav', extension: 'wav' }),
);
console.log(JSON.stringify({ source: result.source, cached: result.cached, text: new TextDecoder().decode(result.bytes), errors }));
`;

function runNode(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code: unknown = error ? (error as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

describe('a pending cache call keeps the process alive', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a one-shot script whose only tier never answers still generates and exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiercache-keep-alive-'));
    const file = join(dir, 'one-shot.mjs');
    await writeFile(file, SCRIPT);
    const { code, stdout, stderr } = await runNode(file);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { source: string; cached: boolean; text: string; errors: string[] };
    expect(result).toMatchObject({ source: 'generated', cached: false, text: 'generated anyway' });
    expect(result.errors.every((code) => code === 'E_TIER_TIMEOUT')).toBe(true);
    expect(result.errors.length).toBeGreaterThan(0);
  });
});
