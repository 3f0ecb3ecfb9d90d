import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { sampleBytes, sampleEntry } from '@tiercache/test-suite';
import { type FaultProxy, startFaultProxy } from '@tiercache/test-support/fault-proxy';
import { oneShotChildScript } from '@tiercache/test-support/one-shot-child';
import {
  clientConfig,
  ensureBucket,
  freshPrefix,
  rawClient,
  server,
} from '@tiercache/test-support/s3-bucket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TierWarning } from './s3-events.js';
import { testTier } from './test-support/test-tier.js';

interface ChildReport {
  generated: number;
  steps: Record<string, { outcome: string; ms: number }>;
}

/** Runs the one-shot script to its natural end; a child still running after `limitMs` is killed. */
function runChild(endpoint: string, options: object, limitMs = 25_000) {
  // A prefix of its own: the script clears its cache, and the bucket is shared by the whole run.
  const tierOptions = {
    ...options,
    prefix: freshPrefix('one-shot'),
    clientConfig: clientConfig(server(), endpoint),
  };
  return new Promise<{ code: number | null; report: ChildReport | undefined; stderr: string }>((resolve) => {
    const child = fork(oneShotChildScript, [JSON.stringify(tierOptions)], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const line = stdout.trim().split('\n').at(-1);
      resolve({ code, report: line ? (JSON.parse(line) as ChildReport) : undefined, stderr });
    });
  });
}

/** A port nothing listens on: connections are refused at once. */
async function refusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const SMALL = { requestTimeoutMs: 300, uploadTimeoutMs: 300, maxRetries: 1, closeTimeoutMs: 1000 };

let proxy: FaultProxy;
beforeAll(async () => {
  await ensureBucket(rawClient());
  proxy = await startFaultProxy({ host: '127.0.0.1', port: server().port });
});
afterAll(() => proxy?.close());

function expectFinished(run: Awaited<ReturnType<typeof runChild>>) {
  // Exit code 13 is Node's "unsettled top-level await": the script died with calls still pending.
  expect(run.code, run.stderr).toBe(0);
  expect(run.report?.generated).toBe(1);
  expect(run.report?.steps.getOrGenerate?.outcome).toBe('generated');
  expect(run.report?.steps.get?.outcome).toBe('miss');
  expect(run.report?.steps.sync?.outcome).toBe('incomplete');
  expect(run.report?.steps.close?.outcome).toBe('ok');
  for (const name of ['delete', 'clear']) {
    // Settled: resolved, or rejected with a typed error (core turns tier failures into none).
    expect(run.report?.steps[name]?.outcome).toMatch(/^(ok|true|false|E_[A-Z_]+)$/);
  }
  return run.report!;
}

describe('a one-shot process with the bucket down', () => {
  it('connection refused: the script generates, every call settles, and it exits 0', async () => {
    const port = await refusedPort();
    const report = expectFinished(await runChild(`http://127.0.0.1:${port}`, SMALL));
    expect(report.steps.close!.ms).toBeLessThan(SMALL.closeTimeoutMs + 5000);
  });

  it('stalled (the bucket accepts connections and never answers): the same', async () => {
    proxy.mode = 'stall';
    try {
      const report = expectFinished(await runChild(proxy.endpoint, SMALL));
      expect(report.steps.close!.ms).toBeLessThan(SMALL.closeTimeoutMs + 5000);
    } finally {
      proxy.mode = 'pass';
    }
  });

  it('the same script against a healthy bucket stores the clip and exits 0', async () => {
    const run = await runChild(proxy.endpoint, SMALL);
    expect(run.code, run.stderr).toBe(0);
    expect(run.report?.steps.getOrGenerate?.outcome).toBe('generated');
    expect(run.report?.steps.sync?.outcome).toBe('complete');
    expect(run.report?.steps.clear?.outcome).toBe('ok');
  });

  it('close() names the cause of the uploads it abandons, in one warning', async () => {
    const warnings: S3TierWarning[] = [];
    const endpoint = `http://127.0.0.1:${await refusedPort()}`;
    const tier = testTier({
      prefix: freshPrefix('abandon'),
      ...SMALL,
      clientConfig: clientConfig(server(), endpoint),
      onWarning: (warning) => warnings.push(warning),
    });
    const bytes = sampleBytes(300, 1);
    await tier.put(sampleEntry(bytes), bytes);
    await tier.close();
    expect(warnings.map((warning) => warning.code)).toEqual(['E_UPLOADS_ABANDONED']);
    expect(warnings[0]!.message).toMatch(/^@tiercache\/s3: tier "s3" closed with 1 uploads .*ECONNREFUSED/);
  });
});
