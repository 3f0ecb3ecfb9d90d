import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, readJson } from './workspace.js';

const execFileAsync = promisify(execFile);

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a program and resolves with its output; a non-zero exit rejects with an error that
 * carries the command, the folder and both streams, so a failing check says why.
 */
export async function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(file, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${file} ${args.join(' ')} (in ${options.cwd}) failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

/** A binary installed in the workspace root (`node_modules/.bin`). */
export const rootBin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

/**
 * pnpm at the version the root `packageManager` pins, started through npm as `npm test` does,
 * so the checks need no global pnpm or corepack.
 */
export async function pnpm(args: readonly string[], cwd: string): Promise<RunResult> {
  const { packageManager } = readJson<{ packageManager: string }>(join(ROOT, 'package.json'));
  return run('npm', ['exec', '--yes', `--package=${packageManager}`, '--', 'pnpm', ...args], { cwd });
}
