// The original system's five cache tests, reproduced through MediaService with the real
// eSpeak NG engine (the system binary when installed, else text2wav), SQLite and disk.
import { createHash } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaService } from './media-service.js';
import { serviceIn } from './test-support/service.js';
import { blobFiles, exists, isPng, isRiffWave, useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-five-');
const open: MediaService[] = [];
async function service(env: Record<string, string> = {}): Promise<MediaService> {
  const created = await serviceIn(dir.path, env);
  open.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('the original system, through MediaService', () => {
  it('exact match: the same line twice is generated once, and each call gets its own new file', async () => {
    const media = await service();
    const first = await media.generateTts('Hello world');
    const second = await media.generateTts('Hello world');
    expect(first.source).toBe('generated');
    expect(second.source).toBe('exact');
    expect(second.fileId).not.toBe(first.fileId);
    expect(second.path).not.toBe(first.path);
    const [a, b] = await Promise.all([readFile(first.path), readFile(second.path)]);
    expect(isRiffWave(a)).toBe(true);
    expect(b.equals(a)).toBe(true);
    const stats = await media.stats();
    expect(stats.session).toEqual({ hits: 1, misses: 1, canonicalHits: 0, similarHits: 0 });
    expect(stats.hitRate).toBe(0.5);
    expect(stats.index.byType.tts).toEqual({ entries: 1, uses: 2 });
    expect(stats.saved.generations).toBe(1);
    expect(await blobFiles(join(dir.path, 'cache'), 'tts')).toHaveLength(1);
    expect(await exists(join(dir.path, 'cache', 'cache.db'))).toBe(true);
  });

  it('matching: images guarded, speech canonical by default; speech similar only when opted in', async () => {
    const media = await service();
    await media.generateImage('a calm lake at sunrise, cinematic, golden hour, 4k');
    const same = await media.generateImage('A calm lake at sunrise; cinematic; golden hour; 4K');
    expect(same).toMatchObject({ source: 'canonical', score: 1 });
    const similar = await media.generateImage(
      'calm lake at sunrise, cinematic, golden hour, highly detailed',
    );
    expect(similar.source).toBe('similar');
    expect(similar.score).toBeCloseTo(7 / 11, 5);
    expect(similar.matchedPrompt).toBe('a calm lake at sunrise, cinematic, golden hour, 4k');
    expect(isPng(await readFile(similar.path))).toBe(true);
    expect((await media.generateImage('a calm lake at sunset, cinematic, golden hour, 4k')).source).toBe(
      'generated',
    );
    // Speech: the same words written differently hit; other words or intonation never do.
    await media.generateTts('Thanks for watching, see you in the next video');
    expect((await media.generateTts('Thanks for watching,  see you in the next video ')).source).toBe(
      'exact',
    );
    expect((await media.generateTts('thanks for watching, see you in the next video.')).source).toBe(
      'canonical',
    );
    expect((await media.generateTts('Thanks for watching, see you in the next video!')).source).toBe(
      'generated',
    );
    expect((await media.generateTts('Thanks for watching, see you in our next video')).source).toBe(
      'generated',
    );
    await media.close();

    const optedIn = await service({ TIERCACHE_TTS_SIMILARITY: '0.8' });
    const hit = await optedIn.generateTts('Thanks for watching, see you in a next video');
    expect(hit.source).toBe('similar');
    expect(hit.score).toBeGreaterThanOrEqual(0.8);
    expect(isRiffWave(await readFile(hit.path))).toBe(true);
    expect((await optedIn.stats()).session.similarHits).toBe(1);
  });

  it('different voice config is cached separately, never even as a similar hit', async () => {
    const media = await service({ TIERCACHE_TTS_SIMILARITY: '0.5' });
    const us = await media.generateTts('Subscribe for more!', { voice: 'en-us' });
    const gb = await media.generateTts('Subscribe for more!', { voice: 'en-gb' });
    const slow = await media.generateTts('Subscribe for more!', { voice: 'en-us', speed: 120 });
    const again = await media.generateTts('Subscribe for more!', { voice: 'en-gb' });
    expect([us.source, gb.source, slow.source, again.source]).toEqual([
      'generated',
      'generated',
      'generated',
      'exact',
    ]);
    const [usBytes, gbBytes] = await Promise.all([readFile(us.path), readFile(gb.path)]);
    expect(usBytes.equals(gbBytes)).toBe(false);
    expect(new Set([us.entry?.key, gb.entry?.key, slow.entry?.key]).size).toBe(3);
    expect(JSON.parse(us.entry?.params ?? '{}')).toMatchObject({
      engine: 'espeak-ng',
      voice: { name: 'en-us' },
      backend: media.ttsEngine.backend,
    });
    expect((await media.stats()).index.byType.tts?.entries).toBe(3);
  });

  it('cleanup: clearing one type keeps the other, clearing all empties index and folders', async () => {
    const media = await service();
    await media.generateTts('Welcome back to the channel.');
    await media.generateTts('Subscribe for more!');
    await media.generateImage('a runner on a mountain trail');
    const cacheDir = join(dir.path, 'cache');
    expect(await blobFiles(cacheDir, 'tts')).toHaveLength(2);
    expect(await media.clearCache('tts')).toBe(2);
    expect(await blobFiles(cacheDir, 'tts')).toHaveLength(0);
    expect(await blobFiles(cacheDir, 'image')).toHaveLength(1);
    let stats = await media.stats();
    expect(stats.index.entries).toBe(1);
    expect(stats.index.byType.tts).toBeUndefined();
    expect((await media.generateTts('Subscribe for more!')).source).toBe('generated');
    expect(await media.clearCache()).toBe(2);
    stats = await media.stats();
    expect(stats.index.entries).toBe(0);
    expect([...(await blobFiles(cacheDir, 'tts')), ...(await blobFiles(cacheDir, 'image'))]).toEqual([]);
  });

  it('cache disabled: generation still works, and no cache folder or database is created', async () => {
    const media = await service({ TIERCACHE_ENABLE_CACHE: 'false' });
    const first = await media.generateTts('Hello world');
    const second = await media.generateTts('Hello world');
    const image = await media.generateImage('a calm lake at sunrise');
    expect([first.source, second.source, image.source]).toEqual(['generated', 'generated', 'generated']);
    expect(isRiffWave(await readFile(second.path))).toBe(true);
    expect(first.entry).toBeNull();
    expect(await exists(join(dir.path, 'cache'))).toBe(false);
    const stats = await media.stats();
    expect(stats.enabled).toBe(false);
    expect(stats.session).toEqual({ hits: 0, misses: 0, canonicalHits: 0, similarHits: 0 });
    await expect(media.clearCache()).rejects.toThrow(/cache is disabled/);
  });
});

describe('profiles', () => {
  it('memory: L1 only, hits within the process, nothing on disk', async () => {
    const media = await service({ TIERCACHE_PROFILE: 'memory' });
    await media.generateTts('Hello world');
    expect((await media.generateTts('Hello world')).source).toBe('exact');
    expect(await exists(join(dir.path, 'cache'))).toBe(false);
    await expect(media.verifyCache()).rejects.toThrow(/memory profile keeps none/);
  });

  it('local: a second service on the same folder is served from disk; verify and prune see the files', async () => {
    const first = await service();
    await first.generateImage('a tidy desk with a notebook');
    await first.generateTts('Small steps every day.');
    await first.close();
    const second = await service();
    expect((await second.generateImage('a tidy desk with a notebook')).source).toBe('exact');
    expect(await second.verifyCache()).toMatchObject({
      entries: 2,
      good: 2,
      corrupt: 0,
      missing: 0,
      orphaned: 0,
    });
    const pruned = await second.pruneCache({ maxBytes: 0 });
    expect(pruned.evicted).toBe(2);
    expect((await second.stats()).index.entries).toBe(0);
  });

  it('verify --repair removes a blob whose bytes are not the content it is named by, and old orphans', async () => {
    const media = await service();
    await media.generateTts('Small steps every day.');
    await media.generateImage('a tidy desk with a notebook');
    const cacheDir = join(dir.path, 'cache');
    const [tts] = await blobFiles(cacheDir, 'tts');
    const [image] = await blobFiles(cacheDir, 'image');
    // Another content under the narration's name (same size), and a blob no entry references.
    const narration = join(cacheDir, 'tts', tts!);
    await writeFile(narration, Buffer.alloc((await readFile(narration)).length, 7));
    const orphanBytes = Buffer.from('a loser of a race, long ago');
    const orphanHash = createHash('sha256').update(orphanBytes).digest('hex');
    const orphan = join(cacheDir, 'image', orphanHash.slice(0, 2), `${orphanHash}.png`);
    await mkdir(dirname(orphan), { recursive: true });
    await writeFile(orphan, orphanBytes);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(orphan, anHourAgo, anHourAgo);
    expect(await media.verifyCache(true)).toMatchObject({ good: 1, corrupt: 1, orphaned: 1, repaired: 2 });
    expect(await blobFiles(cacheDir, 'tts')).toEqual([]);
    expect(await blobFiles(cacheDir, 'image')).toEqual([image]);
    // The narration is generated again instead of served wrong.
    expect((await media.generateTts('Small steps every day.')).source).toBe('generated');
  });

  it('warm: pre-generates a list, and a second warm finds everything cached', async () => {
    const media = await service();
    const items = [
      { kind: 'tts' as const, text: 'Subscribe for more!' },
      { kind: 'image' as const, prompt: 'a calm lake at sunrise', width: 320, height: 180 },
    ];
    const first = await media.warm(items);
    expect(first).toMatchObject({ total: 2, generated: 2, exact: 0, failed: [] });
    expect(await media.warm(items)).toMatchObject({ total: 2, generated: 0, exact: 2 });
    expect((await media.generateTts('Subscribe for more!')).source).toBe('exact');
  });
});
