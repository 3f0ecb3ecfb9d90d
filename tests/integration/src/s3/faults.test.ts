import { setTimeout as sleep } from 'node:timers/promises';
import { hashContent, type LogFields, type Logger } from '@tiercache/core';
import type { S3TierWarning } from '@tiercache/s3';
import { type FaultMode, type FaultProxy, startFaultProxy } from '@tiercache/test-support/fault-proxy';
import { clientConfig, ensureBucket, freshPrefix, rawClient } from '@tiercache/test-support/s3-bucket';
import { type RunningS3Server, startS3Server } from '@tiercache/test-support/s3-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generator, type Machine, startMachine } from './support/machine.js';

// A server of its own: these tests stop and restart it.
let server: RunningS3Server;
let proxy: FaultProxy;
const machines: Machine[] = [];

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startFaultProxy({ host: '127.0.0.1', port: server.port });
  await ensureBucket(rawClient(server));
});

afterEach(async () => {
  proxy.mode = 'pass';
  proxy.only = undefined;
  await server.restart();
  await Promise.all(machines.splice(0).map((machine) => machine.close()));
});

afterAll(async () => {
  await proxy?.close();
  await server?.destroy();
});

/** What a cache's logger received, by level. */
function recordingLogger() {
  const lines: { level: string; fields: LogFields; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: LogFields, message: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  return { logger, lines };
}

/**
 * A healthy machine and one behind the fault proxy, with small timeouts and a quick breaker.
 * The faulty tier's warnings go to `onWarning`, or with `viaLogger` to its cache's logger.
 */
async function setup(viaLogger = false) {
  const prefix = freshPrefix('faults');
  const healthy = await startMachine({ prefix, clientConfig: clientConfig(server) });
  const warnings: S3TierWarning[] = [];
  const log = recordingLogger();
  const faulty = await startMachine({
    prefix,
    clientConfig: clientConfig(server, proxy.endpoint),
    requestTimeoutMs: 200,
    uploadTimeoutMs: 500,
    maxRetries: 1,
    breakerThreshold: 2,
    breakerCooldownMs: 100,
    ...(viaLogger
      ? { logger: log.logger }
      : { onWarning: (warning: S3TierWarning) => warnings.push(warning) }),
  });
  machines.push(healthy, faulty);
  return { healthy, faulty, warnings, log: log.lines };
}

let counter = 0;
const request = (label: string) => ({
  type: 'tts',
  prompt: `${label} ${++counter}`,
  params: { voice: 'nova' },
});

/** Stored by the healthy machine, so the faulty one has something to read from the bucket. */
async function storedBy(machine: Machine, label: string) {
  const req = request(label);
  const result = await machine.cache.getOrGenerate(req, generator(64 * 1024, 'healthy').for(req.prompt));
  await machine.s3.flush();
  return { req, entry: result.entry };
}

/**
 * Every answer is what one of the generators made; a hit also has the bytes its entry promises.
 * (A fresh generation may come back with the entry another machine stored under the key: core's
 * `store` keeps the first entry and returns it, see the README.)
 */
async function expectCorrectAnswer(machine: Machine, req: ReturnType<typeof request>) {
  const made = await Promise.all(
    ['healthy', 'faulty'].map(async (salt) => (await generator(64 * 1024, salt).for(req.prompt)()).bytes),
  );
  const result = await machine.cache.getOrGenerate(req, generator(64 * 1024, 'faulty').for(req.prompt));
  if (result.source !== 'generated') expect(hashContent(result.bytes)).toBe(result.entry.contentHash);
  expect(made.some((bytes) => Buffer.from(bytes).equals(Buffer.from(result.bytes)))).toBe(true);
  return result;
}

async function expectRecovery(faulty: Machine, healthy: Machine) {
  const { req, entry } = await storedBy(healthy, 'after recovery');
  await vi.waitFor(
    async () => {
      await faulty.s3.has(entry).catch(() => undefined);
      expect(faulty.s3.stats().breaker.state).toBe('closed');
    },
    { timeout: 10_000, interval: 50 },
  );
  const hit = await faulty.cache.getOrGenerate(req, generator(64 * 1024, 'faulty').for(req.prompt));
  expect(hit).toMatchObject({ source: 'exact', tier: 's3' });
  expect(hit.entry.contentHash).toBe(entry.contentHash);
  await sleep(0);
  expect(await faulty.s3.flush()).toBe(0);
}

/** Drives requests until the breaker has opened; each must still be answered correctly. */
async function untilBreakerOpens(faulty: Machine) {
  for (let i = 0; i < 10 && faulty.s3.stats().breaker.opened === 0; i++)
    await expectCorrectAnswer(faulty, request('during the fault'));
  expect(faulty.s3.stats().breaker.opened).toBeGreaterThan(0);
}

describe('faults between the tier and the bucket', () => {
  it.each<FaultMode>(['reset', 'stall', 'error-500'])(
    '%s: answers stay correct, the breaker opens and recovers',
    async (mode) => {
      const { healthy, faulty } = await setup();
      const { req } = await storedBy(healthy, mode);
      proxy.mode = mode;
      await expectCorrectAnswer(faulty, req);
      await untilBreakerOpens(faulty);
      expect(faulty.s3.stats().requests.failures).toBeGreaterThan(0);
      if (mode === 'stall') expect(faulty.s3.stats().requests.timeouts).toBeGreaterThan(0);
      proxy.mode = 'pass';
      await expectRecovery(faulty, healthy);
      expect(await faulty.localBlobsIntact()).toBe(true);
    },
  );

  it('server stopped mid-run: answers stay correct, the breaker opens, and it recovers on restart', async () => {
    const { healthy, faulty } = await setup();
    const { req } = await storedBy(healthy, 'stopped');
    await server.stop();
    await expectCorrectAnswer(faulty, req);
    await untilBreakerOpens(faulty);
    // Uploads made during the outage wait in the queue instead of failing...
    const waiting = faulty.s3.stats().queue.depth;
    expect(waiting).toBeGreaterThan(0);
    await server.restart();
    await expectRecovery(faulty, healthy);
    // ...and each one reaches the bucket after the restart: stored, or found already stored by
    // the other machine (first writer wins); none failed or was dropped.
    const queue = faulty.s3.stats().queue;
    expect(queue.uploaded + queue.alreadyStored).toBeGreaterThanOrEqual(waiting);
    expect(queue.failed + queue.dropped).toBe(0);
    expect(await faulty.localBlobsIntact()).toBe(true);
  });

  it('a body cut off mid-transfer is retried and never served; writes still land, so the breaker stays closed', async () => {
    const { healthy, faulty } = await setup();
    const stored = await Promise.all([1, 2].map(() => storedBy(healthy, 'truncated')));
    proxy.mode = 'truncate';
    // Blob bodies only: the manifest is found, the blob read fails on every attempt.
    proxy.only = (method, url) => method === 'GET' && !url.includes('_manifests');
    for (const { req } of stored) {
      const result = await expectCorrectAnswer(faulty, req);
      expect(result.source).toBe('generated');
    }
    expect(faulty.s3.stats().requests.failures).toBeGreaterThanOrEqual(2);
    expect(faulty.s3.stats().reads.hits).toBe(0);
    // Uploads (PUTs, no body to cut) succeed in between: the bucket is reachable.
    await faulty.s3.flush();
    expect(faulty.s3.stats().breaker.state).toBe('closed');
    expect(faulty.s3.stats().queue.uploaded).toBeGreaterThan(0);
    expect(await faulty.localBlobsIntact()).toBe(true);
    proxy.mode = 'pass';
    await expectRecovery(faulty, healthy);
  });

  it.each<FaultMode>(['short', 'flip'])(
    '%s body (consistent headers, wrong bytes): a miss, never served or copied up, nothing removed',
    async (mode) => {
      const { healthy, faulty } = await setup();
      const { req, entry } = await storedBy(healthy, mode);
      proxy.mode = mode;
      proxy.only = (method, url) => method === 'GET' && !url.includes('_manifests');
      const corrupt: boolean[] = [];
      faulty.s3.on('corrupt', (event) => corrupt.push(event.removed));
      const result = await expectCorrectAnswer(faulty, req);
      expect(result.source).toBe('generated');
      // Damage on the way proves nothing about the stored object: it stays, for everyone else.
      expect(corrupt).toEqual([false]);
      expect(faulty.s3.stats().reads.corruptRemoved).toBe(0);
      expect(faulty.s3.stats().breaker.state).toBe('closed');
      expect(await faulty.localBlobsIntact()).toBe(true);
      proxy.mode = 'pass';
      expect(await healthy.s3.get(entry)).toBeDefined();
    },
  );

  it("a path that flips a byte of every download: B sees misses, all 30 of A's entries survive", async () => {
    const { healthy, faulty } = await setup();
    const stored = [];
    for (let i = 0; i < 30; i++) stored.push(await storedBy(healthy, 'flipped path'));
    proxy.mode = 'flip';
    proxy.only = (method, url) => method === 'GET' && !url.includes('_manifests');
    let wrongBytes = 0;
    for (const { req } of stored) {
      const result = await faulty.cache.getOrGenerate(req, generator(64 * 1024, 'faulty').for(req.prompt));
      if (hashContent(result.bytes) !== result.entry.contentHash) wrongBytes++;
      expect(result.source).toBe('generated');
    }
    expect(wrongBytes).toBe(0);
    expect(faulty.s3.stats().reads).toMatchObject({ hits: 0, corruptRemoved: 0 });
    proxy.mode = 'pass';
    // (Their manifests may now name B's regenerated entries: s3rver lets the last manifest win.)
    for (const { entry } of stored) expect(await healthy.s3.get(entry)).toBeDefined();
    expect(healthy.s3.stats().reads.hits).toBe(30);
  });

  it('403 on write: read-only with one warning, reads go on, answers stay correct', async () => {
    const { healthy, faulty, warnings } = await setup();
    const { req, entry } = await storedBy(healthy, 'forbidden');
    proxy.mode = 'forbid-writes';
    for (let i = 0; i < 3; i++) await expectCorrectAnswer(faulty, request('new while forbidden'));
    await faulty.s3.flush();
    await faulty.cache.idle();
    await faulty.s3.flush();
    const stats = faulty.s3.stats();
    expect(stats.readOnly).toBe(true);
    expect(stats.queue.droppedReadOnly).toBeGreaterThan(0);
    expect(stats.breaker.state).toBe('closed');
    expect(warnings.map((warning) => warning.code)).toEqual(['E_TIER_READ_ONLY']);
    expect(warnings[0]!.message).toMatch(/^@tiercache\/s3: .*HTTP 403.*read-only/);
    const hit = await faulty.cache.getOrGenerate(req, generator(64 * 1024, 'faulty').for(req.prompt));
    expect(hit).toMatchObject({ source: 'exact', tier: 's3' });
    expect(hit.entry.contentHash).toBe(entry.contentHash);
    expect(await faulty.localBlobsIntact()).toBe(true);
  });

  it("403 on write without onWarning: the warning goes to the cache's logger, with its code", async () => {
    const { healthy, faulty, log } = await setup(true);
    await storedBy(healthy, 'forbidden, logged');
    proxy.mode = 'forbid-writes';
    for (let i = 0; i < 3; i++) await expectCorrectAnswer(faulty, request('new while forbidden, logged'));
    await faulty.s3.flush();
    await faulty.cache.idle();
    await faulty.s3.flush();
    expect(faulty.s3.stats().readOnly).toBe(true);
    const readOnly = log.filter((line) => line.fields.code === 'E_TIER_READ_ONLY');
    expect(readOnly).toHaveLength(1);
    expect(readOnly[0]).toMatchObject({ level: 'warn', fields: { tier: 's3' } });
    expect(readOnly[0]!.message).toMatch(/^@tiercache\/s3: .*HTTP 403.*read-only/);
  });
});
