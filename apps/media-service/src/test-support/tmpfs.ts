import { execFileSync } from 'node:child_process';
import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Mounts a small tmpfs at `dir` (root only: CI runs as root). Where that is impossible it throws
 * saying why: a disk-full test must fail, never skip silently.
 */
export function mountTmpfs(dir: string, size = '2m'): { unmount: () => void } {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(
      `the disk-full test needs a small tmpfs and could not mount one at ${dir} (${detail}); run it as root on Linux`,
    );
  }
  return { unmount: () => execFileSync('umount', ['-l', dir], { stdio: 'pipe' }) };
}

/** Fills the filesystem of `dir` until fewer than `leaveBytes` are free. */
export function fillUp(dir: string, leaveBytes = 0): void {
  const { bavail, bsize } = statfsSync(dir);
  const free = Number(bavail) * Number(bsize);
  if (free > leaveBytes) {
    try {
      writeFileSync(join(dir, 'filler'), Buffer.alloc(free - leaveBytes));
    } catch {
      // ENOSPC while filling is the point.
    }
  }
}
