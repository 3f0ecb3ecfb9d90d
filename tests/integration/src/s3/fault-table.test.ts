import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { hashContent } from '@tiercache/core';
import { type FaultMode, type FaultProxy, startFaultProxy } from '@tiercache/test-support/fault-proxy';
import { oneShotChildScript } from '@tiercache/test-support/one-shot-child';
import {
  clientConfig,
  ensureBucket,
  freshPrefix,
  rawClient,
  server,
} from '@tiercache/test-support/s3-bucket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generator, type Machine, startMachine } from './support/machine.js';

// Issue 11's S3 fault cases, each through the public API of a machine (disk + SQLite + S3)
// and through a one-shot child process. Prints the table the README reports.
const OPTIONS = {
  requestTimeoutMs: 300,
  uploadTimeoutMs: 600,
  maxRetries: 1,
  breakerThreshold: 3,
  breakerCooldownMs: 200,
  closeTimeoutMs: 1000,
};
// Far above what any call needs with the options above: a call over it is a hang, not slowness.
const HANG_MS = 15_000;

interface Case {
  name: string;
  mode: FaultMode | 'refused';
  /** Which requests the fault hits (default: all). */
  only?: (method: string, url: string) => boolean;
}

const blobGets = (method: string, url: string) => method === 'GET' && !url.includes('_manifests');
const CASES: Case[] = [
  { name: 'refused', mode: 'refused' },
  { name: 'stalled', mode: 'stall' },
  { name: 'slow (150 ms per answer)', mode: 'slow' },
  { name: 'HTTP 500', mode: 'error-500' },
  { name: 'HTTP 403 (every request)', mode: 'forbid-all' },
  { name: 'reset mid-body', mode: 'truncate', only: blobGets },
  { name: 'flipped bytes', mode: 'flip', only: blobGets },
];

let proxy: FaultProxy;
const rows: string[] = [];

beforeAll(async () => {
  await ensureBucket(rawClient());
  proxy = await startFaultProxy({ host: '127.0.0.1', port: server().port });
});

afterAll(async () => {
  await proxy?.close();
  console.log(
    [
      '| case | calls | hits from S3 | caller errors | wrong bytes | slowest call ms | one-shot child |',
      '|---|---:|---:|---:|---:|---:|---|',
      ...rows,
    ].join('\n'),
  );
});

async function refusedEndpoint(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function runChild(endpoint: string) {
  // A prefix of its own: the script clears its cache, and the bucket is shared by the whole run.
  const options = {
    ...OPTIONS,
    prefix: freshPrefix('one-shot'),
    clientConfig: clientConfig(server(), endpoint),
  };
  return new Promise<{ code: number | null; generated: number | undefined; ms: number }>((resolve) => {
    const started = performance.now();
    const child = fork(oneShotChildScript, [JSON.stringify(options)], { stdio: 'pipe' });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr!.resume();
    const killer = setTimeout(() => child.kill('SIGKILL'), HANG_MS + 10_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      const line = stdout.trim().split('\n').at(-1);
      const report = line ? (JSON.parse(line) as { generated: number }) : undefined;
      resolve({ code, generated: report?.generated, ms: Math.round(performance.now() - started) });
    });
  });
}

describe('S3 fault cases: every call bounded, no caller error, no wrong bytes, a one-shot process that finishes', () => {
  it.each(CASES)('$name', async (fault) => {
    const prefix = freshPrefix('fault-table');
    const machines: Machine[] = [];
    try {
      const healthy = await startMachine({ prefix });
      machines.push(healthy);
      const requests = Array.from({ length: 10 }, (_, i) => ({
        type: 'tts',
        prompt: `${fault.name} line ${i}`,
        params: { voice: 'nova' },
      }));
      // Half the requests are in the bucket already (hits to be had), half are new.
      for (const request of requests.slice(0, 5))
        await healthy.cache.getOrGenerate(request, generator(32 * 1024, 'healthy').for(request.prompt));
      await healthy.s3.flush();

      const endpoint = fault.mode === 'refused' ? await refusedEndpoint() : proxy.endpoint;
      const faulty = await startMachine({
        prefix,
        ...OPTIONS,
        clientConfig: clientConfig(server(), endpoint),
      });
      machines.push(faulty);
      if (fault.mode !== 'refused') {
        proxy.mode = fault.mode;
        proxy.only = fault.only;
      }
      let callerErrors = 0;
      let wrongBytes = 0;
      let hits = 0;
      let slowest = 0;
      for (const request of requests) {
        const started = performance.now();
        try {
          const result = await faulty.cache.getOrGenerate(
            request,
            generator(32 * 1024, 'faulty').for(request.prompt),
          );
          if (hashContent(result.bytes) !== result.entry.contentHash) wrongBytes++;
          if (result.source !== 'generated') hits++;
        } catch {
          callerErrors++;
        }
        slowest = Math.max(slowest, performance.now() - started);
      }
      const closing = performance.now();
      await faulty.cache.close();
      slowest = Math.max(slowest, performance.now() - closing);
      const child = await runChild(endpoint);
      rows.push(
        `| ${fault.name} | ${requests.length + 1} | ${hits} | ${callerErrors} | ${wrongBytes} | ${Math.round(slowest)} | exit ${child.code}, generated ${child.generated}, ${child.ms} ms |`,
      );
      expect(callerErrors).toBe(0);
      expect(wrongBytes).toBe(0);
      expect(slowest).toBeLessThan(HANG_MS);
      expect(await faulty.localBlobsIntact()).toBe(true);
      expect(child).toMatchObject({ code: 0, generated: 1 });
    } finally {
      proxy.mode = 'pass';
      proxy.only = undefined;
      await Promise.all(machines.map((machine) => machine.close().catch(() => undefined)));
    }
  });
});
