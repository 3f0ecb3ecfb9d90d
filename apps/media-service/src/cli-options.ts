import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';

/** The app's version, from its package.json (next to `dist/`, as installed). */
export function appVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

const mandatory = new WeakSet<Option>();

/**
 * An option the command cannot run without, for `addOption`. Commander's own `requiredOption`
 * is checked before unknown options, so a misspelled `--chanel` was reported as a missing
 * `--channel`; these are checked after (see `checkRequiredOptions`), and the misspelling is
 * reported as unknown, with commander's suggestion.
 */
export function required(flags: string, description: string): Option {
  const option = new Option(flags, description);
  mandatory.add(option);
  return option;
}

/**
 * A `preAction` hook for the program: runs for every subcommand once its unknown options were
 * refused, and fails like commander does for a required option that was not given.
 */
export function checkRequiredOptions(_program: Command, action: Command): void {
  for (const option of action.options) {
    if (!mandatory.has(option) || action.getOptionValue(option.attributeName()) !== undefined) continue;
    action.error(`error: required option '${option.flags}' not specified`, {
      code: 'commander.missingMandatoryOptionValue',
    });
  }
}
