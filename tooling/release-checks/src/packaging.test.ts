// A new user's view of a release: every published package packed as it would be published,
// installed from the tarballs into an empty npm project (third-party dependencies from the
// registry), every README example type-checked as a strict consumer under `node16` and
// `bundler` resolution and run as written, and every package loaded with require().
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installConsumer,
  packAll,
  runnableFile,
  writeBlocks,
  writeConsumer,
  writeTsconfig,
} from './consumer-project.js';
import { type ReadmeBlock, readmeBlocks } from './readme-blocks.js';
import { run } from './run.js';
import { type Manifest, publishedPackages, readJson } from './workspace.js';

const published = publishedPackages();
const publishedNames = new Set(published.map((pkg) => pkg.manifest.name));
const checked = readmeBlocks().filter((block) => block.mode !== 'sketch');
const runnable = checked.filter((block) => block.mode === 'run');
const MIN_NODE = '20.19.0';

let work = '';
let consumer = '';
let tarballs: string[] = [];
let blockFiles = new Map<ReadmeBlock, string>();

const tarballFiles = (tarball: string) =>
  execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
const tarballManifest = (tarball: string) =>
  JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as Manifest;
const tsc = (project: string) =>
  run(process.execPath, [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: consumer,
  });

describe('published packages, installed from their tarballs', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tiercache-packaging-'));
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    tarballs = await packAll(published, join(work, 'tarballs'));
    await installConsumer(consumer, tarballs, join(work, 'prebuilds'));
    writeConsumer(consumer, published);
    blockFiles = writeBlocks(consumer, checked);
  }, 900_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs one tarball per published package', () => {
    expect(tarballs.map((file) => tarballManifest(file).name).sort()).toEqual([...publishedNames].sort());
  });

  it('puts LICENSE, README and built code in every tarball, and no sources or maps', () => {
    for (const tarball of tarballs) {
      const files = tarballFiles(tarball);
      const name = tarballManifest(tarball).name;
      for (const needed of [
        'package/LICENSE',
        'package/README.md',
        'package/package.json',
        'package/dist/index.js',
        'package/dist/index.d.ts',
      ])
        expect(files, `${name} ships ${needed}`).toContain(needed);
      expect(
        files.filter((file) => file.endsWith('.map') || file.startsWith('package/src/')),
        name,
      ).toEqual([]);
    }
  });

  it('publishes manifests with real version ranges and no development or private packages', () => {
    for (const tarball of tarballs) {
      const manifest = tarballManifest(tarball);
      expect(JSON.stringify(manifest), manifest.name).not.toContain('workspace:');
      expect(manifest.devDependencies, `${manifest.name}: devDependencies left in`).toBeUndefined();
      for (const [name, range] of Object.entries({
        ...manifest.dependencies,
        ...manifest.peerDependencies,
      })) {
        expect(semver.validRange(range), `${manifest.name} → ${name}@${range}`).not.toBeNull();
        expect(name, `${manifest.name} depends on a private package`).not.toBe('@tiercache/tsconfig');
      }
    }
  });

  it('installs only releases that run on Node 20.19', () => {
    const modules = join(consumer, 'node_modules');
    const manifests = readdirSync(modules).flatMap((entry) =>
      entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((scoped) => join(modules, entry, scoped, 'package.json'))
        : [join(modules, entry, 'package.json')],
    );
    const tooNew = manifests
      .map((file) => {
        try {
          return readJson<Manifest>(file);
        } catch {
          return undefined;
        }
      })
      .filter((manifest): manifest is Manifest => manifest?.engines?.node !== undefined)
      .filter((manifest) => !semver.satisfies(MIN_NODE, manifest.engines?.node ?? '*'))
      .map((manifest) => `${manifest.name}@${manifest.version} (node ${manifest.engines?.node})`);
    expect(tooNew).toEqual([]);
  });

  it('type-checks a strict consumer of every package and every README example (moduleResolution node16)', async () => {
    await tsc(writeTsconfig(consumer, 'node16'));
  }, 300_000);

  it('type-checks the same consumer under moduleResolution bundler', async () => {
    await tsc(writeTsconfig(consumer, 'bundler'));
  }, 300_000);

  it('loads every package with require() (Node >=20.19)', async () => {
    const names = JSON.stringify([...publishedNames]);
    const { stdout } = await run(
      process.execPath,
      [
        '--no-warnings',
        '--input-type=commonjs',
        '-e',
        `for (const name of ${names}) console.log(name, Object.keys(require(name)).length > 0)`,
      ],
      { cwd: consumer },
    );
    for (const name of publishedNames) expect(stdout).toContain(`${name} true`);
  }, 120_000);

  it.each(runnable.map((block) => [`${block.readme}:${block.line}`, block] as const))(
    'runs the example at %s as written',
    async (_where, block) => {
      const file = runnableFile(consumer, block, blockFiles.get(block) ?? '');
      // Each example gets its own empty working folder: relative paths in it land there.
      const cwd = mkdtempSync(join(work, 'run-'));
      const { stdout } = await run(process.execPath, [file], { cwd, timeoutMs: 60_000 });
      expect(typeof stdout).toBe('string');
    },
    90_000,
  );
});

describe('README code blocks', () => {
  it('are found in every package README that has any', () => {
    const readmes = new Set(readmeBlocks().map((block) => block.readme));
    for (const pkg of published) {
      const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
      if (/^```(ts|typescript|js|javascript)\b/m.test(readme))
        expect(readmes).toContain(`${pkg.path}/README.md`);
    }
  });
});
