import { createRedactor, type Redact } from '@tiercache/core';
import { DASHBOARD_TOKEN_VARIABLE } from './dashboard-access.js';
import { SETTINGS } from './settings.js';

/** Variables the app reads secrets from: API keys, the dashboard token, the AWS credentials of S3. */
export const SECRET_VARIABLES: readonly string[] = [
  ...SETTINGS.filter((setting) => setting.secret).map((setting) => setting.env),
  DASHBOARD_TOKEN_VARIABLE,
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

/** Core's redactor over every secret configured in `env`. */
export function redactorFor(env: Readonly<Record<string, string | undefined>>): Redact {
  return createRedactor(SECRET_VARIABLES.map((name) => env[name]));
}

type Write = NodeJS.WriteStream['write'];

/**
 * Makes every later write to `streams` pass through `redact`: error lines, warnings, debug
 * stacks, progress bars, commander's own messages. One guard at the process's output, instead
 * of trusting each of the many places that print to remember.
 */
export function redactStreams(redact: Redact, streams: readonly NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      // A Buffer chunk's encoding argument (if any) no longer applies to the redacted string.
      const args = typeof chunk === 'string' ? rest : rest.filter((arg) => typeof arg === 'function');
      return write(redact(text), ...args);
    }) as Write;
  }
}
