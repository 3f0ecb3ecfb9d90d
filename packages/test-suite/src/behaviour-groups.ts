import { TiercacheError } from '@tiercache/core';
import type { Expect, TestRunner } from './test-runner.js';

/** One check of a group, run against a fresh subject (tier, index, matcher setup). */
export interface Check<Subject> {
  title: string;
  run(subject: Subject, expect: Expect): Promise<void> | void;
}

/**
 * A named set of checks of one behaviour. A group for an optional contract member names
 * it in `member`: a subject without it fails the group's checks until the caller switches the
 * group off, and the switched-off group then checks that the member is truly absent.
 */
export interface BehaviourGroup<Subject> {
  name: string;
  title: string;
  /** The optional member (or members) the group exercises. */
  member?: (subject: Subject) => boolean;
  memberName?: string;
  checks: Check<Subject>[];
}

/** `member` and `memberName` of a group for one optional method of the subject. */
export function optionalMember<Subject>(
  name: keyof Subject & string,
): Required<Pick<BehaviourGroup<Subject>, 'member' | 'memberName'>> {
  return { memberName: name, member: (subject) => typeof subject[name] === 'function' };
}

/** What a suite needs to run its groups: how to make and release a subject. */
export interface SuiteLifecycle<Subject> {
  test: TestRunner;
  title: string;
  create(): Subject | Promise<Subject>;
  destroy(subject: Subject): void | Promise<void>;
  /** Group name -> why it is switched off. */
  off: Readonly<Record<string, string>> | undefined;
}

/**
 * Registers every group under one `describe`. A switched-off group stays visible: its title
 * says `off: <reason>` and its one test proves the subject truly lacks the behaviour (the
 * member is absent, or at least one of the group's checks fails), so a group cannot be
 * switched off for an implementation that would pass it.
 */
export function registerGroups<Subject>(
  lifecycle: SuiteLifecycle<Subject>,
  groups: readonly BehaviourGroup<Subject>[],
): void {
  const { test, create, destroy } = lifecycle;
  const off = checkedOff(
    lifecycle.off,
    groups.map((group) => group.name),
  );
  test.describe(lifecycle.title, () => {
    let subject: Subject;
    test.beforeEach(async () => {
      subject = await create();
    });
    test.afterEach(async () => {
      await destroy(subject);
    });
    for (const group of groups) {
      const reason = off[group.name];
      if (reason === undefined) {
        test.describe(group.title, () => {
          for (const check of group.checks)
            test.it(check.title, async () => {
              if (group.member && !group.member(subject))
                throw new Error(
                  `${lifecycle.title} has no ${group.memberName}: switch the group off with off: { '${group.name}': '<why>' }`,
                );
              await check.run(subject, test.expect);
            });
        });
        continue;
      }
      test.describe(`${group.title} (off: ${reason})`, () => {
        if (group.member) {
          const member = group.member;
          test.it(`truly has no ${group.memberName}`, async () => {
            test.expect(member(subject), `${group.memberName} is present: run the group`).toBe(false);
          });
          return;
        }
        test.it(`truly fails at least one of its ${group.checks.length} checks`, async () => {
          let failed = 0;
          for (const check of group.checks) {
            const own = await create();
            try {
              await check.run(own, test.expect);
            } catch {
              failed++;
            } finally {
              await destroy(own);
            }
          }
          test.expect(failed, 'every check passes: run the group').not.toBe(0);
        });
      });
    }
  });
}

const packageName = '@tiercache/test-suite';

function checkedOff(
  off: Readonly<Record<string, string>> | undefined,
  names: readonly string[],
): Readonly<Record<string, string>> {
  if (off === undefined) return {};
  if (typeof off !== 'object' || off === null)
    throw new TiercacheError(
      'E_INVALID_OPTIONS',
      `${packageName}: off must be an object (group name -> reason)`,
      {
        context: { field: 'off' },
      },
    );
  for (const [name, reason] of Object.entries(off)) {
    if (!names.includes(name))
      throw new TiercacheError(
        'E_INVALID_OPTIONS',
        `${packageName}: off names an unknown group ${JSON.stringify(name)} (groups: ${names.join(', ')})`,
        { context: { field: 'off' } },
      );
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new TiercacheError(
        'E_INVALID_OPTIONS',
        `${packageName}: off.${name} must say why the group is switched off (got ${JSON.stringify(reason)})`,
        { context: { field: `off.${name}` } },
      );
  }
  return off;
}
