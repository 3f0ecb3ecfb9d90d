import { checkOptions, type OptionChecker, type PackageErrors } from '@tiercache/core/kit';
import type { TestRunner } from './test-runner.js';

const packageName = '@tiercache/test-suite';

/** The options every suite shares. */
interface CommonSuiteOptions {
  test: TestRunner;
  name: string;
  create: unknown;
  destroy?: unknown;
  off?: unknown;
}

const runnerMembers = ['describe', 'it', 'expect', 'beforeEach', 'afterEach'] as const;

/**
 * Checks a suite's options at registration, before any test exists: unknown names (with "did
 * you mean"), the runner's five functions, `name`, `create`, the other functions given, and
 * `off` (known group names, each with a reason). Returns the checker, for the suite's own fields.
 */
export function checkSuiteOptions<Options extends CommonSuiteOptions>(
  options: unknown,
  known: readonly (keyof Options & string)[],
  functions: readonly (keyof Options & string)[],
  groupNames: readonly string[],
): OptionChecker<Options> {
  const check = checkOptions<Options>(packageName, options, {
    known,
    // keyv's and bentocache's suites call these `skip` and `group`.
    hints: { skip: 'off', groups: 'off', runner: 'test', createDriver: 'create' } as Record<
      string,
      keyof Options & string
    >,
  });
  const { errors } = check;
  const { test, off } = options as Options;
  for (const member of runnerMembers)
    if (typeof (test as Partial<TestRunner> | undefined)?.[member] !== 'function')
      throw errors.invalidOption(`test.${member}`, test?.[member], "your runner's function");
  check.string('name');
  check.function('create');
  for (const name of functions) check.function(name, { optional: true });
  checkOff(errors, off, groupNames);
  return check;
}

function checkOff(errors: PackageErrors, off: unknown, names: readonly string[]): void {
  if (off === undefined) return;
  if (typeof off !== 'object' || off === null || Array.isArray(off))
    throw errors.invalidOption('off', off, 'an object: group name -> why it is switched off');
  for (const [name, reason] of Object.entries(off)) {
    if (!names.includes(name))
      throw errors.invalidOptions(
        `off names an unknown group ${JSON.stringify(name)} (groups: ${names.join(', ')})`,
        {
          context: { option: 'off', group: name },
        },
      );
    if (typeof reason !== 'string' || reason.trim() === '')
      throw errors.invalidOption(`off.${name}`, reason, 'a reason saying why the group is switched off');
  }
}
