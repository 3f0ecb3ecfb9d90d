import type { Logger } from '@tiercache/core';
import { safeLog, silentLogger } from '@tiercache/core/kit';
import type { Redact } from './credential-redaction.js';
import { s3Message, withoutPrefix } from './s3-errors.js';
import type { S3TierEventEmitter, S3TierWarning } from './s3-events.js';
import type { ResolvedS3TierOptions } from './s3-options.js';

/**
 * Where the tier's warnings go: always the `warning` event, then `onWarning` when given, else
 * the cache's logger. Every message is redacted first.
 */
export class TierWarnings {
  private logger: Logger = silentLogger;

  constructor(
    private readonly events: S3TierEventEmitter,
    private readonly redact: Redact,
    private readonly resolved: Pick<ResolvedS3TierOptions, 'name' | 'onWarning'>,
  ) {}

  setLogger(logger: Logger): void {
    this.logger = logger;
  }

  warn(code: S3TierWarning['code'], message: string): void {
    const warning: S3TierWarning = { code, message: this.redact(message) };
    this.events.emit('warning', warning);
    const { onWarning, name } = this.resolved;
    if (onWarning === undefined) {
      safeLog(this.logger, 'warn', { code, tier: name }, warning.message);
      return;
    }
    try {
      onWarning(warning);
    } catch {
      // A warning sink must never break a tier operation.
    }
  }
}

/** The texts of the warnings the tier itself raises (corrupt-object texts live with the read). */
export const warningMessages = {
  readOnly: ({ bucket, name, prefix }: Pick<ResolvedS3TierOptions, 'bucket' | 'name' | 'prefix'>) =>
    s3Message(
      `bucket ${bucket} refused a write with HTTP 403; tier "${name}" is read-only from now on (uploads are dropped, reads go on). Grant s3:PutObject and s3:DeleteObject on ${prefix || 'the bucket'}/* and restart to write again.`,
    ),
  queueFull: (name: string, depth: number, bytes: number) =>
    s3Message(
      `the upload queue of tier "${name}" is full (${depth} uploads, ${bytes} bytes); new uploads are dropped until it drains`,
    ),
  uploadsAbandoned: (name: string, abandoned: number, lastFailure: string | undefined) =>
    s3Message(
      `tier "${name}" closed with ${abandoned} uploads it could not send (the bucket was unavailable; last failure: ${lastFailure === undefined ? 'none' : withoutPrefix(lastFailure)})`,
    ),
};
