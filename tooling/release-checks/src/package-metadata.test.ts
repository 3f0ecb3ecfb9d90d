// What every published package must carry, checked on the workspace so a new package (or a
// package.json edit) that forgets one fails here with the package's name.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { filesUnder, importedPackages } from './dist-files.js';
import { type Manifest, publishedPackages, ROOT, readJson } from './workspace.js';

/** The oldest Node the packages support: `require()` of ES modules works from 20.19 on. */
const MIN_NODE = '20.19.0';
const root = readJson<Manifest & { engines: { node: string } }>(join(ROOT, 'package.json'));
const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
const published = publishedPackages();
const publishedNames = new Set(published.map((pkg) => pkg.manifest.name));
const repositoryUrls = new Set(published.map((pkg) => pkg.manifest.repository?.url));

/** The manifest of a dependency as Node would find it from `from` (exports may hide package.json). */
function installedManifestPath(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (from ${from})`);
  }
}

/** Whether an installed package ships its own declarations (else consumers need `@types/x`). */
function hasOwnTypes(name: string, from: string): boolean {
  const manifestPath = installedManifestPath(name, from);
  const manifest = readJson<{ types?: string; typings?: string; exports?: unknown }>(manifestPath);
  return (
    manifest.types !== undefined ||
    manifest.typings !== undefined ||
    JSON.stringify(manifest.exports ?? {}).includes('"types"') ||
    existsSync(join(manifestPath, '..', 'index.d.ts'))
  );
}

describe('the root', () => {
  it('has an MIT LICENSE for the contributors', () => {
    expect(rootLicense).toMatch(/^MIT License\n\nCopyright \(c\) 2026 tiercache contributors\n/);
  });

  it('requires a Node that can require() ES modules', () => {
    expect(semver.minVersion(root.engines.node)?.version).toBe(MIN_NODE);
  });

  it('gives every published package one repository', () => {
    expect([...repositoryUrls]).toHaveLength(1);
    expect([...repositoryUrls][0]).toMatch(/^git\+https:\/\/.+\.git$/);
  });
});

describe.each(published.map((pkg) => [pkg.manifest.name, pkg] as const))('%s', (_name, pkg) => {
  const manifest = pkg.manifest;
  const dependencies = { ...manifest.dependencies, ...manifest.peerDependencies };

  it('ships the MIT LICENSE', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(pkg.dir, 'LICENSE'), 'utf8')).toBe(rootLicense);
  });

  it('says where it comes from: repository (with its folder), homepage, bugs, keywords', () => {
    expect(manifest.repository).toMatchObject({ type: 'git', directory: pkg.path });
    expect(manifest.homepage).toContain(pkg.path);
    expect(manifest.bugs).toBeTruthy();
    expect(manifest.keywords?.length ?? 0).toBeGreaterThan(0);
  });

  it('declares the engines the root does', () => {
    expect(manifest.engines?.node).toBe(root.engines.node);
  });

  it('builds before it is packed', () => {
    expect(manifest.scripts?.prepack).toMatch(/\btsc\b/);
    // attw packs the package with npm during `build`: that pack must not run prepack again.
    expect(manifest.scripts?.build ?? '').not.toMatch(/(?<!npm_config_ignore_scripts=true )attw --pack/);
  });

  it('peers on sibling packages with ranges that accept their next 0.x minors', () => {
    for (const [name, spec] of Object.entries(manifest.peerDependencies ?? {})) {
      if (!publishedNames.has(name)) continue;
      const sibling = published.find((other) => other.manifest.name === name)?.manifest.version ?? '';
      const range = spec.replace(/^workspace:/, '');
      expect(spec, `${name}: a workspace range`).toMatch(/^workspace:/);
      for (const bump of ['patch', 'minor'] as const) {
        const next = semver.inc(sibling, bump) ?? '';
        expect(semver.satisfies(next, range), `${name}@${range} must accept ${next}`).toBe(true);
      }
    }
  });

  it('ships no source maps (they would point at sources the tarball leaves out)', () => {
    const dist = filesUnder(join(pkg.dir, 'dist'));
    expect(dist.length, 'built (npm test builds first)').toBeGreaterThan(0);
    expect(dist.filter((file) => file.endsWith('.map'))).toEqual([]);
    const mapped = dist.filter((file) => readFileSync(file, 'utf8').includes('sourceMappingURL'));
    expect(mapped).toEqual([]);
  });

  it('depends on every package its declarations import, with types a strict consumer can load', () => {
    const imported = filesUnder(join(pkg.dir, 'dist'))
      .filter((file) => file.endsWith('.d.ts'))
      .flatMap((file) => importedPackages(readFileSync(file, 'utf8')))
      .filter((name) => !builtinModules.includes(name));
    for (const name of new Set(imported)) {
      expect(dependencies[name], `${name} is imported by the declarations`).toBeDefined();
      if (!publishedNames.has(name) && !hasOwnTypes(name, pkg.dir)) {
        const types = `@types/${name.replace(/^@/, '').replace('/', '__')}`;
        expect(
          manifest.dependencies?.[types],
          `${types} must be a dependency (TS7016 otherwise)`,
        ).toBeDefined();
      }
    }
  });

  it('depends on third-party releases that still run on Node 20.19', () => {
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (publishedNames.has(name) || name.startsWith('@types/')) continue;
      const installed = readJson<Manifest>(installedManifestPath(name, pkg.dir));
      const engines = installed.engines?.node;
      if (engines)
        expect(
          semver.satisfies(MIN_NODE, engines),
          `${name}@${installed.version} needs Node ${engines}`,
        ).toBe(true);
      const range = manifest.dependencies?.[name] ?? '';
      expect(
        semver.satisfies(installed.version, range),
        `${name}: locked ${installed.version} within ${range}`,
      ).toBe(true);
    }
  });
});
