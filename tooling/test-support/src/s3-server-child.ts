import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { S3ServerInfo } from './s3-server.js';

export interface S3ServerChild extends S3ServerInfo {
  /** The child's process id. */
  pid: number;
  /** Stops the server (its folder is removed) and waits for the process to exit. */
  destroy(): Promise<void>;
}

const script = fileURLToPath(new URL('./s3-server-process.ts', import.meta.url));

/**
 * Starts s3rver in a child process (`node --import tsx`, resolved from the caller's working
 * directory) on 127.0.0.1 with a free port and a temporary folder, and resolves once it listens.
 * `nodeArgs` go to the child's `node` (say `--cpu-prof`, to see where the server's time goes).
 */
export async function startS3ServerChild(options: { nodeArgs?: string[] } = {}): Promise<S3ServerChild> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    exited.then(([code]) => {
      throw new Error(`the s3rver child process exited (code ${String(code)}) before it listened`);
    }),
  ]);
  lines.close();
  const info = JSON.parse(first) as S3ServerInfo;
  return {
    ...info,
    pid: child.pid!,
    async destroy() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end(); // the child stops and removes its folder when its stdin closes
      await exited;
    },
  };
}
