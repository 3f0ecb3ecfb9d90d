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
