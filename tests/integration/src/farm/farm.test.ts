import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { eventually } from '@tiercache/test-support/eventually';
import { type RunningPostgres, startPostgres } from '@tiercache/test-support/postgres-server';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

const WORKER = fileURLToPath(new URL('./farm-machine.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../../packages/postgres/dist/index.js', import.meta.url));
const MACHINES = 4;
const BUCKET = 'tiercache-farm-tests';

interface Machine {
  child: ChildProcess;
  unhandled: string[];
  ask<T = Record<string, unknown>>(op: string, args?: Record<string, unknown>): Promise<T>;
}

let server: RunningPostgres;
let dir: string;
const machines: Machine[] = [];

function startMachine(id: number, config: Record<string, unknown>): Promise<Machine> {
  const child = fork(WORKER, [JSON.stringify({ id, ...config })], {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
  });
  const pending = new Map<number, (reply: Record<string, unknown>) => void>();
  const unhandled: string[] = [];
  let seq = 0;
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`machine ${id} exited with ${code}`)));
    child.on('message', (message: 'ready' | Record<string, unknown>) => {
      if (message === 'ready') {
        resolve({
          child,
          unhandled,
          ask: (op, args = {}) =>
            new Promise((done) => {
              pending.set(++seq, done as (reply: Record<string, unknown>) => void);
              child.send({ op, seq, ...args });
            }),
        });
      } else if ('unhandled' in message) unhandled.push(String(message.unhandled));
      else pending.get(message.seq as number)?.(message);
    });
  });
}

beforeAll(async () => {
  expect(existsSync(BUILT), 'build first: pnpm --filter @tiercache/postgres build').toBe(true);
  server = await startPostgres();
  const connectionString = await server.createDatabase();
  const s3 = inject('s3');
  const client = new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
  client.destroy();
  dir = mkdtempSync(join(tmpdir(), 'tiercache-farm-'));
  const shared = { connectionString, s3: { ...s3, bucket: BUCKET, prefix: `farm-${Date.now()}/` } };
  machines.push(
    ...(await Promise.all(
      Array.from({ length: MACHINES }, (_, id) =>
        startMachine(id, { ...shared, dir: join(dir, `machine-${id}`) }),
      ),
    )),
  );
});

afterAll(async () => {
  await Promise.all(machines.map((machine) => machine.ask('close').catch(() => undefined)));
  await server?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Generated {
  generations: number;
  errors: string[];
  texts: string[];
}

/** 25 concurrent requests of one prompt on each machine at once. */
async function requestEverywhere(prompt: string): Promise<Generated[]> {
  return Promise.all(machines.map((machine) => machine.ask<Generated>('generate', { prompt, count: 25 })));
}

it('4 machines, 100 concurrent requests of one new key: one generation, every machine serves it', async () => {
  const results = await requestEverywhere('Welcome back to the channel');
  expect(results.flatMap((result) => result.errors)).toEqual([]);
  expect(results.reduce((sum, result) => sum + result.generations, 0)).toBe(1);
  const texts = new Set(results.flatMap((result) => result.texts));
  expect(texts.size).toBe(1);
  for (const machine of machines) {
    const hit = await machine.ask<{ kind: string; text: string }>('get', {
      prompt: 'Welcome back to the channel',
    });
    expect(hit).toMatchObject({ kind: 'exact', text: [...texts][0] });
  }
});

it('a similar prompt stored on machine A is found by machine B within about a second', async () => {
  const [a, b] = [machines[0]!, machines[1]!];
  await a.ask('generate', { prompt: 'a calm lake at sunrise, soft light', count: 1 });
  // Polled with a deadline: the feed is asynchronous. Nothing is generated on B (`get` only reads).
  await eventually(async () => {
    const hit = await b.ask<{ kind: string | null; prompt: string }>('get', {
      prompt: 'calm lake at sunrise soft light',
    });
    expect(hit.kind).not.toBeNull();
    expect(hit.kind).not.toBe('exact');
    expect(hit.prompt).toBe('a calm lake at sunrise, soft light');
  });
});

it('a similar answer rejected on machine B is no longer served for that prompt on machine A', async () => {
  const [a, b] = [machines[0]!, machines[1]!];
  const similar = 'quiet forest path autumn rain';
  await a.ask('generate', { prompt: 'a quiet forest path, autumn rain', count: 1 });
  let hit = { kind: null as string | null, key: '' };
  await eventually(async () => {
    hit = await b.ask('get', { prompt: similar });
    expect(hit.kind).toBe('similar');
  });
  expect(await a.ask('get', { prompt: similar })).toMatchObject({ kind: 'similar', key: hit.key });
  expect(await b.ask('reject', { prompt: similar, key: hit.key })).toMatchObject({
    action: 'recorded',
    isNew: true,
  });
  expect(await b.ask('get', { prompt: similar })).toMatchObject({ kind: null });
  // A hears of it through the change feed; the entry itself still answers its own prompt there.
  await eventually(async () => expect(await a.ask('get', { prompt: similar })).toMatchObject({ kind: null }));
  expect(await a.ask('get', { prompt: 'a quiet forest path, autumn rain' })).toMatchObject({
    kind: 'exact',
    key: hit.key,
  });
});

it('PostgreSQL restarted mid-run: no caller errors, and the index resumes', async () => {
  await machines[0]!.ask('generate', { prompt: 'Before the outage', count: 1 });
  await eventually(async () => {
    for (const machine of machines)
      expect(await machine.ask('get', { prompt: 'Before the outage' })).toMatchObject({ kind: 'exact' });
  });
  const outage = server.stop();
  // Requests keep coming while the server goes down and is away.
  const during = await Promise.all([
    requestEverywhere('Subscribe for more!'),
    outage.then(() => requestEverywhere('Thanks for watching')),
  ]);
  for (const round of during) expect(round.flatMap((result) => result.errors)).toEqual([]);
  // What was cached before is still served by every machine (from its replica and tiers).
  for (const machine of machines)
    expect(await machine.ask('get', { prompt: 'Before the outage' })).toMatchObject({
      kind: 'exact',
    });
  await server.start();
  await eventually(async () => {
    for (const machine of machines)
      expect(await machine.ask('health')).toMatchObject({ connected: true, pendingWrites: 0 });
  }, 20_000);
  // Claims work again: a new key is generated once across the farm.
  const after = await requestEverywhere('See you next week');
  expect(after.flatMap((result) => result.errors)).toEqual([]);
  expect(after.reduce((sum, result) => sum + result.generations, 0)).toBe(1);
  // The feed is back: what machine C stored during the outage reaches machine D.
  await eventually(async () =>
    expect(await machines[3]!.ask('get', { prompt: 'Thanks for watching' })).toMatchObject({ kind: 'exact' }),
  );
  expect(machines.flatMap((machine) => machine.unhandled)).toEqual([]);
  for (const machine of machines) expect(machine.child.exitCode).toBeNull();
});
