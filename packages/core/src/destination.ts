import { lstat, mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { OwnsPaths } from './contracts/owns-paths.js';
import { coreErrors, errorsFor } from './error-factories.js';
import { describeValue, TiercacheError } from './errors.js';

function invalidDestination(
  packageName: string,
  destination: unknown,
  reason: string,
  extra: Record<string, unknown> = {},
): TiercacheError {
  return errorsFor(packageName).invalidDestination(`destination ${describeValue(destination)} ${reason}`, {
    context: { field: 'destination', destination: describeValue(destination), ...extra },
  });
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** A path with symlinks resolved as far as it exists (an owned path may not exist yet). */
async function realOrResolved(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await realOrResolved(parent), basename(absolute));
  }
}

/**
 * The owned paths of tiers and indexes in the form `validateDestination` compares against:
 * absolute, symlinks resolved. Owned paths do not move, so a cache resolves them once.
 */
export function resolveOwnedPaths(owners: readonly (OwnsPaths | undefined)[]): Promise<string[]> {
  const paths = owners.flatMap((owner) => owner?.ownedPaths?.() ?? []);
  return Promise.all(paths.map(realOrResolved));
}

const isInside = (path: string, folder: string) =>
  path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** How `validateDestination` treats a destination's folder. */
export interface DestinationCheckOptions {
  /**
   * Create the destination's folder (and its parents) when missing, after the other checks
   * passed, instead of refusing the destination.
   * @default false
   */
  createFolder?: boolean;
}

/**
 * Checks a destination file path before anything is generated or written: a non-empty string
 * without NUL bytes, not a folder, in a folder that exists (or is created, see
 * `createFolder`), and not inside any of `ownedPaths` (as `resolveOwnedPaths` gives them;
 * symlinks of the destination are resolved too). Resolves the absolute path; throws
 * `E_INVALID_DESTINATION` naming the destination and the reason.
 */
export async function validateDestination(
  destination: unknown,
  ownedPaths: readonly string[],
  packageName = '@tiercache/core',
  options: DestinationCheckOptions = {},
): Promise<string> {
  if (typeof destination !== 'string' || destination.length === 0)
    throw invalidDestination(packageName, destination, 'is invalid; expected a file path');
  if (destination.includes('\0')) throw invalidDestination(packageName, destination, 'contains a NUL byte');
  const absolute = resolve(destination);
  const folder = dirname(absolute);
  const assertNotOwned = (target: string) => {
    const owned = ownedPaths.find((path) => isInside(target, path));
    if (owned !== undefined)
      throw invalidDestination(
        packageName,
        destination,
        `is inside the cache's own files (${owned}); choose a path outside it`,
        { owned },
      );
  };
  let target = join(await realOrResolved(folder), basename(absolute));
  assertNotOwned(target);
  try {
    if (options.createFolder) await mkdir(folder, { recursive: true });
    if (!(await stat(folder)).isDirectory())
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = codeOf(error) ?? 'EINVAL';
    const reason =
      code === 'ENOENT'
        ? `is in a folder that does not exist (${folder})`
        : `is in ${folder}, which is not a usable folder (${code})`;
    throw invalidDestination(packageName, destination, reason, { folder, errorCode: code });
  }
  try {
    const found = await lstat(target);
    // Writing through a symlink writes where it points: judge that file.
    if (found.isSymbolicLink()) {
      target = await realOrResolved(target);
      assertNotOwned(target);
    }
    if ((await stat(target)).isDirectory())
      throw invalidDestination(packageName, destination, 'is a folder; expected a file path');
  } catch (error) {
    if (error instanceof TiercacheError) throw error;
    if (codeOf(error) !== 'ENOENT')
      throw invalidDestination(packageName, destination, `cannot be checked (${codeOf(error) ?? 'error'})`);
  }
  return absolute;
}

/**
 * Writes the caller's file. A failure (a full disk, a read-only folder) removes what was half
 * written, so the caller never finds a truncated file, and becomes `E_DESTINATION_UNWRITABLE`
 * naming the path and the system's code (`ENOSPC`...).
 */
export async function writeDestination(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    await rm(path, { force: true }).catch(() => undefined);
    throw unwritableDestination(path, error);
  }
}

/** `E_DESTINATION_UNWRITABLE` for `path`, keeping the system's code in the message and context. */
export function unwritableDestination(path: string, cause: unknown): TiercacheError {
  if (cause instanceof TiercacheError) return cause;
  const errorCode = codeOf(cause) ?? 'EIO';
  return coreErrors.destinationUnwritable(`could not write the destination ${path} (${errorCode})`, {
    context: { path, errorCode },
    cause,
  });
}

// Failures of writing a file that no retry elsewhere would cure: space, quota, a read-only disk.
const UNWRITABLE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS']);

/** The system error under a tier's wrapper (tiers wrap fs errors in `TiercacheError`s with `cause`). */
export function causeOf(error: unknown): unknown {
  return error instanceof TiercacheError && error.cause !== undefined ? error.cause : error;
}

/**
 * True when a tier's `materialize` failed because `destPath` cannot be written (a full disk):
 * the system code is one of space, quota or a read-only disk, and the failure names the
 * destination (the tier's `context.path`, or the fs error's `path`/`dest`).
 */
export function isUnwritableDestination(error: unknown, destPath: string): boolean {
  const cause = causeOf(error) as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  if (!cause || !UNWRITABLE.has(String(cause.code))) return false;
  const context = error instanceof TiercacheError ? error.context : {};
  return (
    context.path === destPath ||
    cause.path === destPath ||
    cause.dest === destPath ||
    cause.path === undefined
  );
}
