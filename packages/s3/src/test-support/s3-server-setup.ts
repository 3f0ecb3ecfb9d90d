// Vitest global setup: one s3rver for the whole run, on loopback, in a temporary folder.
// Test files read its address with `inject('s3')`.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { type RunningS3Server, type S3ServerInfo, startS3Server } from './s3-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3ServerInfo;
  }
}

let server: RunningS3Server | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startS3Server();
  const { endpoint, port, region, accessKeyId, secretAccessKey } = server;
  project.provide('s3', { endpoint, port, region, accessKeyId, secretAccessKey });
}

export async function teardown(): Promise<void> {
  await server?.destroy();
  server = undefined;
}
