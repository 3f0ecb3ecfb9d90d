// Two machines on the farm profile: separate local folders, one bucket (the run's s3rver) and
// one PostgreSQL index (a throwaway cluster for this file).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD, type RunningPostgres, startPostgres } from '@tiercache/test-support/postgres-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import type { MediaService } from './media-service.js';
import { ensureBucket, freshPrefix, sharedEnv } from './test-support/s3.js';
import { serviceIn } from './test-support/service.js';

let server: RunningPostgres;
const folders: string[] = [];
const services: MediaService[] = [];

beforeAll(async () => {
  await ensureBucket();
  server = await startPostgres();
});
afterAll(async () => {
  await server?.destroy();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function machine(env: Record<string, string>): Promise<MediaService> {
  const dir = await mkdtemp(join(tmpdir(), 'media-service-farm-'));
  folders.push(dir);
  const service = await serviceIn(dir, env);
  services.push(service);
  return service;
}

async function farmEnv(): Promise<Record<string, string>> {
  return {
    ...sharedEnv(freshPrefix()),
    TIERCACHE_PROFILE: 'farm',
    TIERCACHE_POSTGRES_URL: await server.createDatabase(),
  };
}

describe('farm profile: machines sharing one PostgreSQL index and one bucket', () => {
  it('B serves what A generated, exact at once and similar without a sync', async () => {
    const env = await farmEnv();
    const [a, b] = [await machine(env), await machine(env)];
    const narration = await a.generateTts('Subscribe for more!');
    const picture = await a.generateImage('a calm lake at sunrise, cinematic, golden hour, 4k');
    expect([narration.source, picture.source]).toEqual(['generated', 'generated']);
    const exact = await b.generateTts('Subscribe for more!');
    expect(exact.source).toBe('exact');
    expect((await readFile(exact.path)).equals(await readFile(narration.path))).toBe(true);
    // The change feed brings A's image prompt to B's matchers, no `cache sync`: polled with a
    // deadline (B's own generation already brought it the narration).
    const deadline = Date.now() + 10_000;
    while ((await b.media.cache!.stats()).index.entries < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    // Only a quality booster differs: a guarded similar hit (an article alone would be canonical).
    const similar = await b.generateImage(
      'a calm lake at sunrise, cinematic, golden hour, 4k, highly detailed',
    );
    expect(similar.source).toBe('similar');
    expect(similar.entry?.key).toBe(picture.entry?.key);
  });
});

describe('farm profile settings', () => {
  const base = { TIERCACHE_PROFILE: 'farm', TIERCACHE_S3_BUCKET: 'render-farm' };

  it('requires the PostgreSQL URL and the bucket', () => {
    expect(() =>
      loadConfig({ env: { TIERCACHE_PROFILE: 'farm', TIERCACHE_POSTGRES_URL: 'postgres://h/db' } }),
    ).toThrow(
      'media-service: TIERCACHE_S3_BUCKET: required by the farm profile (or s3.bucket in the config file)',
    );
    expect(() => loadConfig({ env: base })).toThrow(
      'media-service: TIERCACHE_POSTGRES_URL: required by the farm profile (or postgres.url in the config file)',
    );
  });

  it('refuses a URL that is not postgres:// without showing it', () => {
    const url = 'mysql://render:hunter2-secret@db/media';
    let message = '';
    try {
      loadConfig({ env: { ...base, TIERCACHE_POSTGRES_URL: url } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^media-service: TIERCACHE_POSTGRES_URL: expected a postgres:\/\//);
    expect(message).not.toContain('hunter2-secret');
  });

  it('resolves the farm settings: migrate on by default', () => {
    const config = loadConfig({
      env: { ...base, TIERCACHE_POSTGRES_URL: 'postgres://render@db:5432/media' },
    });
    expect(config.storage.postgres).toEqual({ url: 'postgres://render@db:5432/media', migrate: true });
    expect(config.storage.s3?.bucket).toBe('render-farm');
    expect(loadConfig({ env: { TIERCACHE_PROFILE: 'local' } }).storage.postgres).toBeUndefined();
  });

  it('fails to start on refused credentials with the setting named and the password hidden', async () => {
    const env = { ...(await farmEnv()), TIERCACHE_POSTGRES_URL: server.url('postgres', 'wrong-pass-77') };
    const error = await machine(env).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).toMatch(/option connectionString .*refused the credentials/);
    expect(error?.message).not.toContain('wrong-pass-77');
    expect(error?.message).not.toContain(PASSWORD);
  });
});
