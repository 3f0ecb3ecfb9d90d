// The group machinery itself, through a runner that records what a suite registers and runs
// it on demand: a switched-off group must stay visible and must prove the behaviour is absent.
import { createMemoryIndex, isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { createMapTier } from '../../core/src/test-support/map-tier.js';
import { blobTierSuite } from './blob-tier-suite.js';
import { entryIndexSuite } from './entry-index-suite.js';
import type { TestRunner } from './test-runner.js';

interface Registered {
  title: string;
  run: () => Promise<void>;
}

/** A runner that records every test under its full title, with its hooks around it. */
function recordingRunner(): { runner: TestRunner; tests: Registered[] } {
  const tests: Registered[] = [];
  const path: string[] = [];
  const before: Array<() => Promise<void>> = [];
  const after: Array<() => Promise<void>> = [];
  const runner: TestRunner = {
    describe(title, body) {
      path.push(title);
      body();
      path.pop();
    },
    it(title, body) {
      const [hooksBefore, hooksAfter] = [[...before], [...after]];
      tests.push({
        title: [...path, title].join(' > '),
        async run() {
          for (const hook of hooksBefore) await hook();
          try {
            await body();
          } finally {
            for (const hook of hooksAfter) await hook();
          }
        },
      });
    },
    beforeEach: (hook) => before.push(hook),
    afterEach: (hook) => after.push(hook),
    expect: (actual, message) => expect(actual, message),
  };
  return { runner, tests };
}

const outcome = (test: Registered | undefined) =>
  test!.run().then(
    () => 'passed',
    () => 'failed',
  );

describe('behaviour groups', () => {
  it('runs a switched-off group as one visible test that passes only when the behaviour is truly absent', async () => {
    const { runner, tests } = recordingRunner();
    blobTierSuite({
      test: runner,
      name: 'map',
      create: () => createMapTier('map', 'size-only', { materialize: true }),
      off: { materialize: 'said to lack it', 'round-trip': 'said to corrupt bytes', entries: 'no records' },
    });
    const titled = (part: string) => tests.find((test) => test.title.includes(part));
    expect(titled('materialize() (off: said to lack it) > truly has no materialize')).toBeDefined();
    expect(tests.filter((test) => test.title.includes('materialize()'))).toHaveLength(1);
    // The tier has materialize, and round-trips every byte: both off groups fail.
    expect(await outcome(titled('(off: said to lack it)'))).toBe('failed');
    expect(
      await outcome(titled('(off: said to corrupt bytes) > truly fails at least one of its 2 checks')),
    ).toBe('failed');
    expect(await outcome(titled('entries() (off: no records) > truly has no entries'))).toBe('passed');
  });

  it('fails every check of a group whose optional member is missing, until it is switched off', async () => {
    const { runner, tests } = recordingRunner();
    entryIndexSuite({ test: runner, name: 'memory', create: () => createMemoryIndex() });
    const claims = tests.filter((test) => test.title.includes('claimGeneration()'));
    expect(claims.length).toBeGreaterThan(0);
    for (const test of claims) expect(await outcome(test)).toBe('failed');
    const rejections = tests.filter((test) => test.title.includes('reject() and isRejected()'));
    for (const test of rejections) expect(await outcome(test)).toBe('passed');
  });

  it('refuses an unknown option, an unknown group name or a missing reason with E_INVALID_OPTIONS', () => {
    const { runner } = recordingRunner();
    const create = () => createMemoryIndex();
    const attempt = (off: Record<string, string>) => {
      try {
        entryIndexSuite({ test: runner, name: 'memory', create, off });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const unknown = attempt({ rejection: 'typo' });
    expect(isTiercacheError(unknown, 'E_INVALID_OPTIONS')).toBe(true);
    expect((unknown as Error).message).toMatch(/^@tiercache\/test-suite: .*"rejection"/);
    const misnamed = (() => {
      try {
        entryIndexSuite({ test: runner, name: 'memory', create, skip: ['claims'] } as never);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isTiercacheError(misnamed, 'E_INVALID_OPTIONS')).toBe(true);
    expect((misnamed as Error).message).toContain('unknown option skip (did you mean off?)');
    const empty = attempt({ rejections: ' ' });
    expect(isTiercacheError(empty, 'E_INVALID_OPTIONS')).toBe(true);
    expect((empty as Error).message).toContain('off.rejections');
  });
});
