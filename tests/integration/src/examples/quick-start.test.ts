// The library walkthrough the root README points to must keep running as written.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../../../../examples/quick-start.mjs', import.meta.url));
const packages = new URL('../../../../packages/', import.meta.url);

describe('examples/quick-start.mjs', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tiercache-example-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('generates on the first run and serves everything from the cache on the second', async () => {
    const { stdout } = await run(process.execPath, [example], { cwd: folder });
    const [first, second] = stdout.split('Run 2:');
    expect(first).toMatch(/hits 2 \(similar 1\), misses 4/);
    expect(first).toMatch(/similar hit \(memory\) score 0\.89/);
    expect(second).toMatch(/hits 6 \(similar 1\), misses 0, hit rate 100%/);
    expect(second).toMatch(/exact hit \(disk\)/);
  });

  it('imports only Node built-ins and published @tiercache packages', async () => {
    const source = await readFile(example, 'utf8');
    const imported = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1] ?? '');
    expect(imported.length).toBeGreaterThan(0);
    for (const specifier of imported.filter((name) => !name.startsWith('node:'))) {
      expect(specifier).toMatch(/^@tiercache\/[a-z0-9-]+$/);
      const folder = specifier.slice('@tiercache/'.length);
      const manifest = JSON.parse(await readFile(new URL(`${folder}/package.json`, packages), 'utf8'));
      expect({ specifier, private: manifest.private ?? false }).toEqual({ specifier, private: false });
    }
  });
});
