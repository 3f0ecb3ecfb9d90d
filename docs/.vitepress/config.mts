import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

// Written by scripts/generate-pages.mjs (one entry per package README) before the build.
const pagesFile = fileURLToPath(new URL('./pages.json', import.meta.url));
const packagePages: { text: string; link: string }[] = existsSync(pagesFile)
  ? JSON.parse(readFileSync(pagesFile, 'utf8'))
  : [];

// VitePress's own slugify, except that `_` is kept: TypeDoc links to snake_case members
// (`IndexStats#by_type`, the original system's statistics names) by their exact name.
const SPECIAL = /[\s~`!@#$%^&*()\-+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/\p{Cc}/gu, '')
    .replace(SPECIAL, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

export default defineConfig({
  title: 'tiercache',
  description: 'A multi-level cache for expensive generated media: TTS clips and images',
  cleanUrls: true,
  lastUpdated: false,
  // Every internal link must resolve: a dead one fails the build (and so `npm test`).
  ignoreDeadLinks: false,
  srcExclude: ['README.md', 'scripts/**'],
  markdown: { anchor: { slugify } },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Packages', link: '/packages/' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: [
      {
        text: 'Guide',
        items: [
          { text: 'Getting started', link: '/guide/getting-started' },
          { text: 'Concepts', link: '/guide/concepts' },
          { text: 'Running a farm', link: '/guide/farm' },
          { text: 'Operations', link: '/guide/operations' },
          { text: 'Releasing', link: '/guide/releasing' },
        ],
      },
      { text: 'Packages', link: '/packages/', items: packagePages },
      { text: 'API reference', link: '/api/' },
    ],
    search: { provider: 'local' },
  },
});
