import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './workspace.js';

/**
 * How a README code block is checked, chosen by an HTML comment on the line right before its
 * fence (invisible on GitHub and npm):
 * - none: type-checked as a strict TypeScript module against the packed packages, then run;
 * - `<!-- typecheck-only -->`: type-checked, not run (it needs a service this machine lacks,
 *   such as a real AWS bucket);
 * - `<!-- sketch -->`: a fragment (a type's shape, an excerpt that continues an earlier block);
 *   neither, and it says so to the reader's editor only.
 */
export type BlockMode = 'run' | 'typecheck-only' | 'sketch';

export interface ReadmeBlock {
  /** README path relative to the root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: 'ts' | 'js';
  mode: BlockMode;
  code: string;
}

const LANGS: Record<string, ReadmeBlock['lang']> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};
const MARKERS: Record<string, BlockMode> = { sketch: 'sketch', 'typecheck-only': 'typecheck-only' };
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo', 'coverage', '.vitepress']);

/** Every README.md of the repository (root, packages, apps, benchmarks...), dependencies excluded. */
export function findReadmes(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.'))
        found.push(...findReadmes(join(dir, entry.name)));
    } else if (entry.name === 'README.md') {
      found.push(join(dir, entry.name));
    }
  }
  return found.sort();
}

/** The TypeScript and JavaScript blocks of one markdown text; other languages are prose. */
export function extractBlocks(markdown: string, readme: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith(fence); i++) body.push(lines[i] ?? '');
    const lang = LANGS[(open[2] ?? '').toLowerCase()];
    if (!lang) continue;
    const marker = /^<!--\s*([\w-]+)\s*-->\s*$/.exec(lines[start - 1] ?? '');
    const mode = (marker?.[1] && MARKERS[marker[1]]) || 'run';
    blocks.push({ readme, line: start + 1, lang, mode, code: `${body.join('\n')}\n` });
  }
  return blocks;
}

/** Every checked block of every README. */
export function readmeBlocks(): ReadmeBlock[] {
  return findReadmes().flatMap((file) =>
    extractBlocks(readFileSync(file, 'utf8'), relative(ROOT, file).split('\\').join('/')),
  );
}

/** A file name for a block: `packages-core-README-16.ts`. */
export const blockFileName = (block: ReadmeBlock): string =>
  `${block.readme.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-${block.line}.${block.lang === 'ts' ? 'ts' : 'mjs'}`;
