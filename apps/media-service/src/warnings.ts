import type { LogFields, Logger } from '@tiercache/core';
import type { StorageWarning } from './storage/storage-part.js';

/**
 * The CLI's `warning:` lines: one per kind of trouble, not one per failed call. A bucket that
 * is down fails every upload and every lookup of a run; the user needs to hear it once, with
 * the tier and the cause, while the run goes on by generating.
 */
export class Warnings {
  readonly #seen = new Set<string>();

  constructor(private readonly write: (line: string) => void) {}

  /** Prints `message` unless a warning with the same `topic` was printed already. */
  once(topic: string, message: string): void {
    if (this.#seen.has(topic)) return;
    this.#seen.add(topic);
    this.write(`warning: ${message.split('\n')[0]}\n`);
  }

  /** For `MediaService`'s `onWarning`: one line per tier (a tier's failures share one), else per code. */
  readonly storage = (warning: StorageWarning) =>
    this.once(warning.tier ? `tier:${warning.tier}` : `storage:${warning.code}`, warning.message);

  /**
   * The cache's logger (`TieredCacheOptions.logger`): warnings and errors become `warning:` lines,
   * one per tier (shared with `storage`, so a tier is reported once), else per code.
   * Info and debug lines are not for the CLI's user.
   */
  readonly logger: Logger = {
    error: (fields, message) => this.#log(fields, message),
    warn: (fields, message) => this.#log(fields, message),
    info: () => undefined,
    debug: () => undefined,
  };

  #log(fields: LogFields, message: string): void {
    const tier = typeof fields.tier === 'string' ? fields.tier : undefined;
    const where = tier ?? (fields.operation === undefined ? undefined : 'index');
    this.once(where ? `tier:${where}` : `storage:${fields.code ?? message}`, message);
  }
}
