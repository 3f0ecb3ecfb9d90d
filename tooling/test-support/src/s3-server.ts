/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type {} from 'vitest';

/** How tests reach an s3rver instance; s3rver's fixed account signs every request. */
export interface S3ServerInfo {
  endpoint: string;
  port: number;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

// What the root `s3` project's global setup provides: any file that imports this module can
// `inject('s3')` with this type.
declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3ServerInfo;
  }
}

export interface RunningS3Server extends S3ServerInfo {
  directory: string;
  /** Stops the server, keeping its folder (so it can be started again on the same port). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 with a free port (or `port`) and a temporary folder. */
export async function startS3Server(options: { port?: number } = {}): Promise<RunningS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'tiercache-s3rver-'));
  const create = (port: number) => new S3rver({ address: '127.0.0.1', port, silent: true, directory });
  let server = create(options.port ?? 0);
  const { port } = await server.run();
  let running = true;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    directory,
    async stop() {
      if (!running) return;
      running = false;
      await server.close();
    },
    async restart() {
      if (running) return;
      server = create(port);
      await server.run();
      running = true;
    },
    async destroy() {
      if (running) await server.close();
      running = false;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
