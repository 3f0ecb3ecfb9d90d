import type { LogFields, Logger } from './contracts/logger.js';
import { errorsFor } from './error-factories.js';

const ignore = (): void => undefined;

/** The default logger: says nothing. */
export const silentLogger: Logger = Object.freeze({
  error: ignore,
  warn: ignore,
  info: ignore,
  debug: ignore,
});

/** Throws `E_INVALID_OPTIONS` unless `value` has the four logger methods. */
export function assertLogger(packageName: string, option: string, value: unknown): asserts value is Logger {
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    const method = (value as Partial<Logger> | null | undefined)?.[level];
    if (typeof method !== 'function') {
      throw errorsFor(packageName).invalidOption(
        `${option}.${level}`,
        method,
        'a function (a pino-compatible logger)',
      );
    }
  }
}

/** Calls `logger` so that a logger that throws never breaks the operation being reported. */
export function safeLog(logger: Logger, level: keyof Logger, fields: LogFields, message: string): void {
  try {
    logger[level](fields, message);
  } catch {
    // Logging is a side channel: losing a line is better than failing a cache call.
  }
}
