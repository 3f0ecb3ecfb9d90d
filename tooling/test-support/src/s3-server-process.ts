// An s3rver in a process of its own, for benchmarks: a client measured against a server in the
// same process pays for the server's work too and never overlaps its own CPU work (hashing)
// with network I/O the way it does against a real remote S3.
//
// Run with `node --import tsx s3-server-process.ts`; prints one JSON line (`S3ServerInfo`) once
// it listens, and stops (removing its folder) when its stdin closes or on SIGTERM / SIGINT.
import { startS3Server } from './s3-server.js';

const server = await startS3Server();
const { endpoint, port, region, accessKeyId, secretAccessKey } = server;
process.stdout.write(`${JSON.stringify({ endpoint, port, region, accessKeyId, secretAccessKey })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.destroy();
  process.exit(0);
}
// A parent that dies without cleaning up closes our stdin: the server must not outlive it.
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
