import type { z } from 'zod';

/**
 * One setting: where it lives in the config file, its environment variable, its command-line
 * flag (for the few that have one), how a string from the environment becomes a value, the zod
 * schema that value must satisfy, and its default. The README's configuration table is generated
 * from these (`settingsTable`), so the documentation cannot drift from the loader.
 */
export interface SettingSpec {
  /** Dotted path in the config file (`s3.bucket`) and in the loaded values. */
  path: string;
  env: string;
  /** Command-line flag that overrides both file and environment. */
  flag?: string;
  schema: z.ZodType;
  parseEnv: (raw: string) => unknown;
  /**
   * The value when nothing sets it; the one place a default is written.
   * @default no default: the setting is absent (or its part computes one, see `defaultText`)
   */
  default?: unknown;
  /**
   * How the README states the default when it is not `default` as text: a computed one (a path
   * below the working folder) or none (`(required by shared and farm)`).
   * @default `default` as text
   */
  defaultText?: string;
  /** Read from the environment only: a secret stays out of files. @default false */
  secret?: boolean;
  description: string;
}
