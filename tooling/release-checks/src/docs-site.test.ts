// The documentation site builds (offline: VitePress, TypeDoc) with a page per package README and
// an API reference per published package, and none of its internal links or anchors is dead.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pnpm } from './run.js';
import { deadLinks } from './site-links.js';
import { publishedPackages, ROOT } from './workspace.js';

const site = join(ROOT, 'docs', '.vitepress', 'dist');
const published = publishedPackages();

describe('deadLinks', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tiercache-links-'));
    mkdirSync(join(dir, 'guide'));
    writeFileSync(
      join(dir, 'index.html'),
      '<a href="/guide/a">a</a><a href="/guide/a#here">ok</a><a href="https://x.test/">ext</a>',
    );
    writeFileSync(
      join(dir, 'guide', 'a.html'),
      '<h2 id="here">h</h2><a href="./b">missing page</a><a href="/#nowhere">missing anchor</a><a href="#here">self</a>',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports links to missing pages and missing anchors, and only those', () => {
    expect(deadLinks(dir)).toEqual([
      { page: '/guide/a.html', href: './b', reason: 'no such page' },
      { page: '/guide/a.html', href: '/#nowhere', reason: 'no #nowhere on index.html' },
    ]);
  });
});

describe('the docs site (npm run docs)', () => {
  beforeAll(async () => {
    rmSync(site, { recursive: true, force: true });
    await pnpm(['--filter', '@tiercache/docs', 'run', 'docs'], ROOT);
  }, 600_000);

  it('has the guides', () => {
    for (const page of [
      'index',
      'guide/getting-started',
      'guide/concepts',
      'guide/farm',
      'guide/operations',
      'guide/releasing',
    ])
      expect(existsSync(join(site, `${page}.html`)), page).toBe(true);
  });

  it('has a page and an API reference for every published package', () => {
    for (const pkg of published) {
      const slug = pkg.path.split('/').pop() ?? '';
      expect(existsSync(join(site, 'packages', `${slug}.html`)), `${pkg.manifest.name} page`).toBe(true);
      expect(existsSync(join(site, 'api', pkg.manifest.name, 'index.html')), `${pkg.manifest.name} API`).toBe(
        true,
      );
    }
  });

  it('has no dead internal links or anchors', () => {
    expect(deadLinks(site)).toEqual([]);
  });
});
