// The release policy, checked by dry runs of `changeset version` in a temporary copy of the
// workspace manifests: every published package moves together (one `fixed` group), 0.x minors
// never turn into majors, and peers on core keep accepting the new core.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootBin, run } from './run.js';
import { type Manifest, publishedPackages, ROOT, readJson, workspacePackages } from './workspace.js';

/**
 * The major every published package is at. A release that changes it must be deliberate:
 * raise this together with the changeset that asks for the major.
 */
const CURRENT_MAJOR = 0;

const published = publishedPackages();
let copy = '';

/** Only what changesets reads: the root and workspace manifests and `.changeset/`. */
function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiercache-versioning-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(ROOT, file), join(dir, file));
  cpSync(join(ROOT, '.changeset'), join(dir, '.changeset'), { recursive: true });
  for (const pkg of workspacePackages()) {
    mkdirSync(join(dir, pkg.path), { recursive: true });
    cpSync(join(pkg.dir, 'package.json'), join(dir, pkg.path, 'package.json'));
  }
  return dir;
}

const manifestIn = (dir: string, path: string) => readJson<Manifest>(join(dir, path, 'package.json'));
const versionsIn = (dir: string) =>
  new Map(published.map((pkg) => [pkg.manifest.name, manifestIn(dir, pkg.path).version]));

async function version(dir: string): Promise<Map<string, string>> {
  await run(rootBin('changeset'), ['version'], { cwd: dir, env: { CI: 'true' } });
  return versionsIn(dir);
}

function addChangeset(dir: string, name: string, bumps: Record<string, 'patch' | 'minor'>): void {
  const header = Object.entries(bumps)
    .map(([pkg, bump]) => `"${pkg}": ${bump}`)
    .join('\n');
  writeFileSync(join(dir, '.changeset', `${name}.md`), `---\n${header}\n---\n\nA test change.\n`);
}

/** Every published peer range on a workspace package, as pnpm writes it into the tarball. */
function publishedPeerRanges(dir: string): { from: string; on: string; range: string }[] {
  return published.flatMap((pkg) =>
    Object.entries(manifestIn(dir, pkg.path).peerDependencies ?? {})
      .filter(([name]) => published.some((other) => other.manifest.name === name))
      .map(([on, spec]) => ({ from: pkg.manifest.name, on, range: spec.replace(/^workspace:/, '') })),
  );
}

function expectOneVersionWithinMajor(versions: Map<string, string>): string {
  const distinct = new Set(versions.values());
  expect([...distinct], 'every published package releases at one version (the fixed group)').toHaveLength(1);
  const [next] = [...distinct] as [string];
  expect(
    semver.major(next),
    `a release would publish ${next}: an accidental major (raise CURRENT_MAJOR only for a deliberate one)`,
  ).toBe(CURRENT_MAJOR);
  return next;
}

function expectPeersAccept(dir: string, versions: Map<string, string>): void {
  for (const { from, on, range } of publishedPeerRanges(dir)) {
    const target = versions.get(on) ?? '';
    expect(
      range === '*' || range === '^' || range === '~' || semver.satisfies(target, range),
      `${from} peers on ${on}@${range}, which excludes ${target}`,
    ).toBe(true);
  }
}

// Each dry run starts changesets in a new process: seconds, more on a busy machine.
const DRY_RUN_MS = 120_000;

describe('versioning policy (changeset version dry runs)', () => {
  beforeAll(() => {
    copy = copyWorkspace();
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('has published packages to check', () => {
    expect(published.length).toBeGreaterThan(0);
  });

  it(
    'publishes the pending changesets as one 0.x version, no accidental major',
    async () => {
      const before = versionsIn(copy);
      const after = await version(copy);
      const next = expectOneVersionWithinMajor(after);
      for (const [name, previous] of before) expect(semver.gte(next, previous), name).toBe(true);
      expectPeersAccept(copy, after);
    },
    DRY_RUN_MS,
  );

  it(
    'releases a later minor of core alone as the next minor of every package',
    async () => {
      const before = versionsIn(copy);
      const core = published.find((pkg) => pkg.manifest.name === '@tiercache/core');
      expect(core, '@tiercache/core is published').toBeDefined();
      addChangeset(copy, 'later-minor', { '@tiercache/core': 'minor' });
      const after = await version(copy);
      const next = expectOneVersionWithinMajor(after);
      expect(next).toBe(semver.inc(before.get('@tiercache/core') ?? '', 'minor'));
      expectPeersAccept(copy, after);
    },
    DRY_RUN_MS,
  );

  it(
    'releases a patch of one package as the next patch of every package',
    async () => {
      const before = versionsIn(copy);
      const [first] = published;
      addChangeset(copy, 'later-patch', { [first?.manifest.name ?? '']: 'patch' });
      const after = await version(copy);
      const next = expectOneVersionWithinMajor(after);
      expect(next).toBe(semver.inc(before.get(first?.manifest.name ?? '') ?? '', 'patch'));
      expectPeersAccept(copy, after);
    },
    DRY_RUN_MS,
  );

  it('writes changelogs whose first heading is the released version', () => {
    for (const pkg of published) {
      const changelog = readFileSync(join(copy, pkg.path, 'CHANGELOG.md'), 'utf8');
      const heading = /^## (\S+)$/m.exec(changelog)?.[1];
      expect(heading, `${pkg.path}/CHANGELOG.md`).toBe(manifestIn(copy, pkg.path).version);
    }
  });
});
