// The README's example must keep running as written: it is extracted and run as a script, twice
// on one machine (its disk folder kept): the first run generates, the second is served.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningPostgres, startPostgres } from '@tiercache/test-support/postgres-server';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

let server: RunningPostgres;
let dir: string;
beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'tiercache-pg-readme-'));
});
afterAll(async () => {
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

it('runs the README example: generated, then served after a restart', async () => {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const example = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  // Inside the package folder, so that its imports resolve like a user's would.
  const script = join(PACKAGE, `.readme-example-${process.pid}.mjs`);
  writeFileSync(script, example!);
  try {
    const env = { ...process.env, TIERCACHE_POSTGRES_URL: await server.createDatabase(), CACHE_DIR: dir };
    const first = await run(process.execPath, [script], { env });
    const second = await run(process.execPath, [script], { env });
    expect(first.stdout).toMatch(/^generated \{ tts: \{ entries: 1, uses: 1/);
    expect(second.stdout).toMatch(/^exact \{ tts: \{ entries: 1, uses: 2/);
  } finally {
    rmSync(script, { force: true });
  }
});
