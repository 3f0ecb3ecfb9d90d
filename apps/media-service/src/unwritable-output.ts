import { isTiercacheError } from '@tiercache/core';

// Failures of writing the user's own files that a run survives: the next asset may still fit
// (a smaller file, space freed meanwhile) and what was generated is in the cache either way.
const SURVIVABLE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS', 'EIO']);

/** The system code of a failed write of an output file, or `undefined` for any other failure. */
export function unwritableCode(error: unknown): string | undefined {
  const code = isTiercacheError(error, 'E_DESTINATION_UNWRITABLE')
    ? error.context.errorCode
    : (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && SURVIVABLE.has(code) ? code : undefined;
}

/** Output files a run could not write, for its summary and its one line on stderr. */
export interface UnwritableFiles {
  count: number;
  /** The system code of the first failure (`ENOSPC`...); `null` when none failed. */
  code: string | null;
  /** The first file that could not be written; `null` when none failed. */
  firstPath: string | null;
}

export class UnwritableOutput {
  readonly files: UnwritableFiles = { count: 0, code: null, firstPath: null };

  /** Records `error` when a run survives it (see `unwritableCode`) and says so; false: rethrow it. */
  record(path: string, error: unknown): boolean {
    const code = unwritableCode(error);
    if (code === undefined) return false;
    this.files.count++;
    this.files.code ??= code;
    this.files.firstPath ??= path;
    return true;
  }
}

/**
 * The exit status of a run that finished but could not write every output file (a full disk):
 * distinct from 1 (the run failed) so that scripts can tell "retry after freeing space".
 */
export const EXIT_UNWRITABLE_OUTPUT = 3;

/** The one stderr line of such a run: how many, the code and the first path. */
export function describeUnwritable(files: UnwritableFiles, requests: number): string {
  return `media-service: ${files.count} of ${requests} output files could not be written (${files.code}), first ${files.firstPath}; what was generated is cached, run again once there is space`;
}
