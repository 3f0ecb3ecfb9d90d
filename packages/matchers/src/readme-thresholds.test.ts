// The default thresholds are stated in one place each (thresholds.ts). A README may show a
// default's value only next to the constant's name, as `NAME` (value), and this test keeps
// that value equal to the constant; no README repeats the bare number anywhere else.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMBEDDING_THRESHOLD, DEFAULT_JACCARD_THRESHOLD } from './thresholds.js';

const READMES = [
  '../../../README.md',
  '../README.md',
  '../../media/README.md',
  '../../../apps/media-service/README.md',
  '../../../benchmarks/README.md',
];
const CONSTANTS: Record<string, number> = { DEFAULT_JACCARD_THRESHOLD, DEFAULT_EMBEDDING_THRESHOLD };
const STATED = /`(DEFAULT_[A-Z_]+_THRESHOLD)` \(([\d.]+)\)/g;

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const bare = (value: number) => new RegExp(`(?<![\\d.])${String(value).replace('.', '\\.')}(?![\\d])`);

describe('README thresholds', () => {
  it.each(READMES)('%s states a default threshold only as `NAME` (value), equal to the constant', (path) => {
    const readme = read(path);
    for (const [, name, value] of readme.matchAll(STATED)) {
      expect(CONSTANTS[name!], name).toBe(Number(value));
    }
    const rest = readme.replaceAll(STATED, '');
    for (const value of new Set(Object.values(CONSTANTS))) {
      const lines = rest.split('\n').filter((line) => bare(value).test(line));
      expect(lines, `${path} repeats ${value}`).toEqual([]);
    }
  });

  it('finds what it checks', () => {
    expect([...read('../README.md').matchAll(STATED)].length).toBeGreaterThanOrEqual(3);
  });
});
