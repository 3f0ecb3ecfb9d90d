// Two machines on the shared profile: separate local folders, one bucket (the run's s3rver).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaService } from './media-service.js';
import { runCli } from './test-support/run-cli.js';
import { ensureBucket, freshPrefix, sharedEnv } from './test-support/s3.js';
import { serviceIn } from './test-support/service.js';
import { blobFiles, isRiffWave } from './test-support/temp-dir.js';

const folders: string[] = [];
const services: MediaService[] = [];
async function machine(dir: string, env: Record<string, string>): Promise<MediaService> {
  const service = await serviceIn(dir, env);
  services.push(service);
  return service;
}
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'media-service-machine-'));
  folders.push(dir);
  return dir;
}

beforeAll(async () => {
  await ensureBucket();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('shared profile: two machines, one bucket', () => {
  it('B gets an exact hit for what A generated, and after `cache sync` a similar image hit', async () => {
    const env = sharedEnv(freshPrefix());
    const [dirA, dirB] = [await folder(), await folder()];
    const a = await machine(dirA, env);
    const narration = await a.generateTts('Subscribe for more!');
    const picture = await a.generateImage('a calm lake at sunrise, cinematic, golden hour, 4k');
    expect([narration.source, picture.source]).toEqual(['generated', 'generated']);
    await a.close(); // waits for the uploads

    const b = await machine(dirB, env);
    const exact = await b.generateTts('Subscribe for more!');
    expect(exact.source).toBe('exact');
    expect(exact.entry?.key).toBe(narration.entry?.key);
    const bytes = await readFile(exact.path);
    expect(isRiffWave(bytes)).toBe(true);
    expect(bytes.equals(await readFile(narration.path))).toBe(true);
    // The hit was copied into B's own disk tier.
    await b.media.cache?.idle();
    expect(await blobFiles(join(dirB, 'cache'), 'tts')).toHaveLength(1);
    await b.close();

    // B's index has never seen A's image, so nothing can be similar to it yet; a sync fixes that.
    const sync = await runCli(dirB, ['cache', 'sync'], { ...env, TIERCACHE_CACHE_DIR: join(dirB, 'cache') });
    expect(sync.stderr).toBe('');
    expect(sync.stdout).toMatch(
      /^synced media-service-tests\/media-[0-9a-f]+\/: \d+ journal records, 1 new entries, 1 known, 0 skipped\n$/,
    );

    const again = await machine(dirB, env);
    const similar = await again.generateImage(
      'calm lake at sunrise, cinematic, golden hour, highly detailed',
    );
    expect(similar.source).toBe('similar');
    expect(similar.matchedPrompt).toBe('a calm lake at sunrise, cinematic, golden hour, 4k');
    expect((await readFile(similar.path)).equals(await readFile(picture.path))).toBe(true);
    const stats = await again.stats();
    expect(stats.session).toEqual({ hits: 1, misses: 0, canonicalHits: 0, similarHits: 1 });
    expect(stats.index.entries).toBe(2);
  });

  it('a machine on another prefix shares nothing', async () => {
    const [dirA, dirB] = [await folder(), await folder()];
    const a = await machine(dirA, sharedEnv(freshPrefix()));
    await a.generateTts('Welcome back to Momentum Mindset.');
    await a.close();
    const b = await machine(dirB, sharedEnv(freshPrefix()));
    expect((await b.generateTts('Welcome back to Momentum Mindset.')).source).toBe('generated');
  });
});
