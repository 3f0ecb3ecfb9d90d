import { CONTRACT_VERSION, type ContractVersion } from '@tiercache/core/contracts';
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
  /** Group name -> why it is switched off (checked by `checkSuiteOptions`). */
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
  const off = lifecycle.off ?? {};
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

/**
 * The `contract` group: the part declares the contract version this suite checks. Optional in
 * the contract, so a part that declares none switches the group off with a reason.
 */
export function contractGroup<Subject>(
  part: (subject: Subject) => { readonly contractVersion?: ContractVersion },
): BehaviourGroup<Subject> {
  return {
    name: 'contract',
    title: 'contract version',
    memberName: 'contractVersion',
    member: (subject) => part(subject).contractVersion !== undefined,
    checks: [
      {
        title: `declares contractVersion ${CONTRACT_VERSION}, the version this suite checks`,
        run(subject, expect) {
          expect(part(subject).contractVersion).toBe(CONTRACT_VERSION);
        },
      },
    ],
  };
}
