// Vitest global setup: one s3rver for the whole run, on loopback, in a temporary folder.
// Test files read its address with `inject('s3')` (typed in `s3-server.ts`).
import type { TestProject } from 'vitest/node';
import { type RunningS3Server, startS3Server } from './s3-server.js';

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
