import { invalidOption } from './errors.js';

/** Structured fields of a log line; `code` is the stable `TiercacheError` or warning code. */
export type LogFields = { code?: string; [field: string]: unknown };

/**
 * Where the cache and its tiers report what an operator should know: a failing tier, a
 * corrupt copy removed, a full upload queue. Its shape is pino's (`logger.warn(fields, message)`),
 * so a pino logger (or a child of one) fits as it is; so does any object with these four methods.
 * Messages never contain credentials: tiers redact them before logging.
 */
export interface Logger {
  error(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  debug(fields: LogFields, message: string): void;
}

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
      throw invalidOption(packageName, `${option}.${level}`, method, 'a function (a pino-compatible logger)');
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
