import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockFileName, extractBlocks, findReadmes } from './readme-blocks.js';
import { ROOT } from './workspace.js';

describe('extractBlocks', () => {
  const markdown = [
    '# Title',
    '```sh',
    'npm install x',
    '```',
    '```ts',
    "import { a } from 'x';",
    '```',
    '<!-- sketch -->',
    '```typescript',
    'fragment(...);',
    '```',
    '<!-- typecheck-only -->',
    '```js',
    'await bucket();',
    '```',
    '````ts',
    '```inner fence```',
    '````',
  ].join('\n');
  const blocks = extractBlocks(markdown, 'x/README.md');

  it('keeps TypeScript and JavaScript blocks with their line, language and marker', () => {
    expect(blocks.map(({ line, lang, mode }) => ({ line, lang, mode }))).toEqual([
      { line: 5, lang: 'ts', mode: 'run' },
      { line: 9, lang: 'ts', mode: 'sketch' },
      { line: 13, lang: 'js', mode: 'typecheck-only' },
      { line: 16, lang: 'ts', mode: 'run' },
    ]);
    expect(blocks[0]?.code).toBe("import { a } from 'x';\n");
    expect(blocks[3]?.code).toBe('```inner fence```\n');
  });

  it('names each block after its README and line', () => {
    expect(blocks.map(blockFileName)).toEqual([
      'x-README-5.ts',
      'x-README-9.ts',
      'x-README-13.mjs',
      'x-README-16.ts',
    ]);
  });
});

describe('README discovery', () => {
  it('finds the root and every package README, never one from dependencies', () => {
    const readmes = findReadmes().map((file) => file.slice(ROOT.length));
    expect(readmes).toContain('README.md');
    expect(readmes).toContain('packages/core/README.md');
    expect(readmes.filter((file) => file.includes('node_modules'))).toEqual([]);
  });
});

describe("core's README", () => {
  it('lists every stable error code', () => {
    const errors = readFileSync(join(ROOT, 'packages/core/src/errors.ts'), 'utf8');
    const union = /export type TiercacheErrorCode =([^;]+);/.exec(errors)?.[1] ?? '';
    const codes = [...union.matchAll(/'(E_[A-Z_]+)'/g)].map((match) => match[1] ?? '');
    expect(codes.length).toBeGreaterThan(5);
    const readme = readFileSync(join(ROOT, 'packages/core/README.md'), 'utf8');
    expect(codes.filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });
});
