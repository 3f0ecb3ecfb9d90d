import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTieredCache, exactMatcher } from '@tiercache/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { otherPromptMatcher } from '../../core/src/test-support/fixtures.js';
import { createMapTier } from '../../core/src/test-support/map-tier.js';
import { SCHEMA_VERSION } from './index.js';
import { useDatabaseFile } from './test-support/database-file.js';

const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const T0 = 1_700_000_000_000;
const [REQUEST, ENTRY] = ['1'.repeat(64), '2'.repeat(64)];
const PNG = { mediaType: 'image/png', extension: 'png' } as const;

describe('rejections in the SQLite file', () => {
  const scratch = useDatabaseFile();
  const open = () => scratch.open();

  it('a rejection recorded by another process is seen at once, and counted', () => {
    const index = open();
    expect(index.isRejected('image', REQUEST, ENTRY)).toBe(false);
    const script = `
      const { openSqliteIndex } = await import(${JSON.stringify(BUILT)});
      const index = openSqliteIndex({ file: ${JSON.stringify(scratch.file)} });
      process.stdout.write(String(index.reject('image', '${REQUEST}', '${ENTRY}', ${T0})));
      index.close();`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('true');
    expect(index.isRejected('image', REQUEST, ENTRY)).toBe(true);
    expect(index.stats().rejections).toBe(1);
  });

  it('a cache reopened on the file still refuses the rejected pairing', async () => {
    const red = { type: 'image', prompt: 'a red car parked on a street', params: { model: 'flux' } };
    const yellow = { ...red, prompt: 'a yellow car parked on a street' };
    const first = createTieredCache({
      tiers: [createMapTier()],
      index: open(),
      matchers: [exactMatcher(), otherPromptMatcher()],
    });
    const tier = first.tiers[0]!;
    const stored = await first.put(red, new TextEncoder().encode('red'), PNG);
    expect((await first.get(yellow))?.entry.key).toBe(stored.key);
    await first.reject(yellow, stored);
    expect(await first.get(yellow)).toBeUndefined();
    await first.close();

    const second = createTieredCache({
      tiers: [tier],
      index: open(),
      matchers: [exactMatcher(), otherPromptMatcher()],
    });
    expect(await second.get(yellow)).toBeUndefined();
    expect((await second.get(red))?.kind).toBe('exact');
    expect((await second.stats()).index.rejections).toBe(1);
  });

  it('migrates a version 2 file by adding the rejections table, keeping its entries', () => {
    const index = open();
    const entry = {
      type: 'image',
      key: ENTRY,
      prompt: 'a calm lake',
      params: '{}',
      paramsHash: 'p'.repeat(64),
      contentHash: 'c'.repeat(64),
      size: 3,
      ...PNG,
      metadata: {},
      createdAt: T0,
      lastUsedAt: T0,
      useCount: 1,
      expiresAt: null,
      generationCost: null,
      generationMs: null,
    };
    index.insert(entry);
    index.close();
    const db = new Database(scratch.file);
    db.exec('DROP TABLE match_rejections');
    db.pragma('user_version = 2');
    db.close();
    const reopened = open();
    expect(reopened.get('image', ENTRY)).toEqual(entry);
    expect(reopened.reject('image', REQUEST, ENTRY, T0)).toBe(true);
    const check = new Database(scratch.file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.prepare('SELECT rejected_at FROM match_rejections').pluck().get()).toBe(T0);
    check.close();
  });

  it('refuses a time that is not a finite number, and writes through a read-only handle never', () => {
    const index = open();
    expect(() => index.reject('image', REQUEST, ENTRY, Number.NaN)).toThrow(
      /^@tiercache\/sqlite: reject time NaN is not a finite number of ms$/,
    );
    const readonly = scratch.open({ readonly: true });
    expect(() => readonly.reject('image', REQUEST, ENTRY, T0)).toThrow(/read-only|readonly/i);
    expect(readonly.isRejected('image', REQUEST, ENTRY)).toBe(false);
  });
});
