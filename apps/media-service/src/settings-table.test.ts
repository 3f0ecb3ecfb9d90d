// The README's configuration table is generated from the settings table: the documented
// defaults, variables and meanings are the ones the loader uses.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { SETTINGS } from './settings.js';
import { settingsTable, TABLE_END, TABLE_START } from './settings-table.js';

const readme = new URL('../README.md', import.meta.url);

describe('the configuration table', () => {
  it('in the README is the one generated from SETTINGS (`pnpm --filter @tiercache/media-service settings-table` prints it)', async () => {
    const text = await readFile(readme, 'utf8');
    const start = text.indexOf(TABLE_START);
    const end = text.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(text.slice(start + TABLE_START.length, end).trim()).toBe(settingsTable());
  });

  it('states a default for every setting, as a value the loader uses or as text', () => {
    for (const spec of SETTINGS)
      expect({
        path: spec.path,
        documented: spec.default !== undefined || spec.defaultText !== undefined,
      }).toEqual({
        path: spec.path,
        documented: true,
      });
  });

  it('each default is what the loader applies when nothing sets it', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app' });
    const at = (path: string) =>
      path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], config);
    for (const path of ['profile', 'enableCache', 'concurrency', 'together.model', 'together.timeoutMs'])
      expect(at(path)).toBe(SETTINGS.find((spec) => spec.path === path)?.default);
    expect(config.storage.memory?.maxBytes).toBe(
      SETTINGS.find((spec) => spec.path === 'memoryMaxBytes')?.default,
    );
  });
});
