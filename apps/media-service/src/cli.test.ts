// The built CLI, end to end, in a temporary folder: the README demo (generate twice) and every
// kind of bad input, which must fail with one line and leave the cache exactly as it was.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssetRecord, GenerateSummary } from './generate-summary.js';
import { runCli } from './test-support/run-cli.js';
import { blobFiles, exists, isPng, isRiffWave, snapshot, useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-cli-');
const output = () => join(dir.path, 'media_local_storage', 'output', 'momentum_mindset');
const cacheDir = () => join(dir.path, 'media_local_storage', 'cache');

async function manifests(): Promise<{ video: number; assets: AssetRecord[] }[]> {
  const videos = (await readdir(output())).sort();
  return Promise.all(
    videos.map(async (video) => JSON.parse(await readFile(join(output(), video, 'manifest.json'), 'utf8'))),
  );
}

describe('media-service generate (built CLI)', () => {
  it('a second run of the same three videos is served entirely from the cache', async () => {
    const first = await runCli(dir.path, ['generate', '--channel', 'momentum_mindset', '--count', '3']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // Intro and outro repeat word for word, consecutive videos share a scene line, and its image
    // comes back as the same prompt written differently (without articles): hits already in the
    // first run.
    expect(first.stdout).toMatch(/^ {2}requests {6}24$/m);
    expect(first.stdout).toMatch(/^ {2}exact hits {4}7$/m);
    expect(first.stdout).toMatch(/^ {2}canonical {5}3$/m);
    expect(first.stdout).toMatch(/^ {2}similar hits {2}0$/m);
    expect(first.stdout).toMatch(/^ {2}generated {5}14$/m);
    // A canonical hit's line names the stored prompt that answered it.
    expect(first.stdout).toMatch(/video-2\/scene-1\.png +canonical +\S.* <- "[^"]+" \[.*\(article\)/m);
    const firstManifests = await manifests();

    const second = await runCli(dir.path, [
      'generate',
      '--channel',
      'momentum_mindset',
      '--count',
      '3',
      '--json',
    ]);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout) as GenerateSummary;
    expect(summary).toMatchObject({
      requests: 24,
      exact: 21,
      canonical: 3,
      similar: 0,
      generated: 0,
      hitRate: 1,
      videos: 3,
    });
    // 24 assets and 3 MP4s that were not encoded again.
    expect(summary.saved.generations).toBe(27);
    expect(summary.videoFiles.map((video) => [video.file, video.source])).toEqual([
      ['video-1/video.mp4', 'exact'],
      ['video-2/video.mp4', 'exact'],
      ['video-3/video.mp4', 'exact'],
    ]);
    expect(summary.saved.generationMs).toBeGreaterThan(0);
    // Every request was a hit: each narration line at $15 per million characters (OpenAI tts-1)
    // and each 1024×1024 image at $0.0027 per megapixel (FLUX.1 schnell).
    const assets = (await manifests()).flatMap((manifest) => manifest.assets);
    const lines = assets.filter((asset) => asset.kind === 'tts');
    const images = assets.length - lines.length;
    const characters = lines.reduce((sum, asset) => sum + [...asset.text.trim()].length, 0);
    expect(summary.hostedEquivalent).toBeCloseTo(
      (characters * 15) / 1_000_000 + images * 0.0027 * ((1024 * 1024) / 1_000_000),
      6,
    );

    expect((await readdir(output())).sort()).toEqual(['video-1', 'video-2', 'video-3']);
    const secondManifests = await manifests();
    for (const [i, manifest] of secondManifests.entries()) {
      const files = (await readdir(join(output(), `video-${i + 1}`))).sort();
      expect(files).toEqual([
        'intro-1.wav',
        'manifest.json',
        'outro-1.wav',
        'scene-1.png',
        'scene-1.wav',
        'scene-2.png',
        'scene-2.wav',
        'scene-3.png',
        'scene-3.wav',
        'video.mp4',
      ]);
      expect(manifest.assets).toHaveLength(8);
      for (const asset of manifest.assets) {
        expect(asset.source).not.toBe('generated');
        expect(asset.fileId).not.toBe(firstManifests[i]?.assets.find((a) => a.file === asset.file)?.fileId);
        const bytes = await readFile(join(output(), `video-${i + 1}`, asset.file));
        expect(asset.kind === 'tts' ? isRiffWave(bytes) : isPng(bytes)).toBe(true);
        if (asset.source === 'canonical') {
          expect(asset.score).toBe(1);
          expect(asset.matchedPrompt).not.toBe(asset.text);
        }
      }
    }
    expect(secondManifests[1]?.assets.find((a) => a.role === 'intro')).toMatchObject({
      source: 'exact',
      text: 'Welcome back to Momentum Mindset.',
    });
    expect(await blobFiles(cacheDir(), 'tts')).toHaveLength(8);
    expect(await blobFiles(cacheDir(), 'image')).toHaveLength(6);

    const stats = await runCli(dir.path, ['cache', 'stats', '--json']);
    expect(JSON.parse(stats.stdout).index).toMatchObject({
      entries: 17,
      rejections: 0,
      byType: { tts: { entries: 8 }, image: { entries: 6 }, video: { entries: 3 } },
    });
    const verify = await runCli(dir.path, ['cache', 'verify']);
    expect(verify.stdout).toBe('verified 17 entries: 17 good, 0 corrupt, 0 missing; 0 orphaned files\n');
  });

  it('cache commands: warm a list, clear one type, prune to a size', async () => {
    const list = join(dir.path, 'warm.json');
    await writeFile(
      list,
      JSON.stringify([
        { kind: 'tts', text: 'Subscribe for more!' },
        { kind: 'tts', text: 'Subscribe for more!', voice: 'en-gb' },
        { kind: 'image', prompt: 'a calm lake at sunrise', width: 320, height: 180 },
      ]),
    );
    const warm = await runCli(dir.path, ['cache', 'warm', list]);
    expect(warm.stdout).toMatch(/warmed 3 items: 3 generated, 0 already cached/);
    expect((await runCli(dir.path, ['cache', 'warm', list])).stdout).toMatch(
      /warmed 3 items: 0 generated, 3 already cached/,
    );
    expect((await runCli(dir.path, ['cache', 'clear', '--type', 'tts'])).stdout).toMatch(
      /^cleared 2 tts entries/,
    );
    expect(await blobFiles(cacheDir(), 'tts')).toEqual([]);
    expect((await runCli(dir.path, ['cache', 'prune', '--max-bytes', '0'])).stdout).toMatch(
      /pruned 0 expired and 1 least recently used entries .*; 0 entries, 0 bytes left/,
    );
    expect(await blobFiles(cacheDir(), 'image')).toEqual([]);
  });
});

describe('bad input: one line, non-zero exit, the cache untouched', () => {
  it('refuses every bad request before opening the cache', async () => {
    const seed = await runCli(dir.path, ['generate', '--channel', 'tiny_science', '--count', '1']);
    expect(seed.code).toBe(0);
    const before = await snapshot(cacheDir());
    expect(Object.keys(before)).toContain('cache.db');

    const channels = join(dir.path, 'channels');
    await mkdir(channels);
    await writeFile(join(channels, 'broken.json'), '{ "name": "broken", ');
    await writeFile(
      join(channels, 'empty.json'),
      JSON.stringify({ name: 'empty', title: 'Empty', scenes: [] }),
    );
    await writeFile(join(dir.path, 'a-file'), 'not a folder');
    const generate = (channel: string, count: string) => ['generate', '--channel', channel, '--count', count];

    const cases: { args: string[]; env?: Record<string, string>; message: RegExp }[] = [
      {
        args: generate('nope', '1'),
        message: /^media-service: unknown channel "nope" \(available: momentum_mindset, tiny_science\)$/,
      },
      {
        args: generate('../etc/passwd', '1'),
        message: /^media-service: unknown channel "\.\.\/etc\/passwd"/,
      },
      {
        args: generate('tiny_science', '0'),
        message: /^media-service: --count: expected a whole number from 1 to 1000, got "0"$/,
      },
      {
        args: generate('tiny_science', '-2'),
        message: /^media-service: --count: expected a whole number from 1 to 1000, got "-2"$/,
      },
      {
        args: generate('tiny_science', 'three'),
        message: /--count: expected a whole number from 1 to 1000, got "three"$/,
      },
      { args: generate('tiny_science', '2.5'), message: /--count: expected a whole number .* got "2\.5"$/ },
      {
        args: generate('broken', '1'),
        env: { TIERCACHE_CHANNELS_DIR: channels },
        message: /^media-service: channel file .*broken\.json: not valid JSON/,
      },
      {
        args: generate('empty', '1'),
        env: { TIERCACHE_CHANNELS_DIR: channels },
        message: /^media-service: channel file .*empty\.json: scenes: expected at least one scene$/,
      },
      {
        args: ['--output-dir', join(dir.path, 'a-file', 'out'), ...generate('tiny_science', '1')],
        message: /^media-service: output folder .*a-file\/out\/tiny_science is not writable \(ENOTDIR\)$/,
      },
      {
        args: generate('tiny_science', '1'),
        env: { TIERCACHE_PROFILE: 'clod' },
        message:
          /^media-service: TIERCACHE_PROFILE: expected one of memory, local, shared, farm, got "clod"$/,
      },
      {
        args: ['--profile', 'clod', 'cache', 'stats'],
        message: /^media-service: --profile: expected one of memory, local, shared, farm, got "clod"$/,
      },
      {
        args: generate('tiny_science', '1'),
        env: { TIERCACHE_PROFILE: 'shared' },
        message: /^media-service: TIERCACHE_S3_BUCKET: required by the shared profile/,
      },
      {
        args: generate('tiny_science', '1'),
        env: {
          TIERCACHE_PROFILE: 'shared',
          TIERCACHE_S3_BUCKET: 'media',
          TIERCACHE_S3_ENDPOINT: 'minio:9000',
        },
        message: /^media-service: TIERCACHE_S3_ENDPOINT: expected an http\(s\) URL, got "minio:9000"$/,
      },
      {
        args: generate('tiny_science', '1'),
        env: { TIERCACHE_IMAGE_ENGINE: 'together' },
        message: /^media-service: TOGETHER_API_KEY: required when TIERCACHE_IMAGE_ENGINE is together$/,
      },
      {
        args: ['cache', 'clear', '--type', 'audio'],
        message: /^media-service: --type: expected one of tts, image, video, got "audio"$/,
      },
      {
        args: ['cache', 'prune', '--max-bytes', 'lots'],
        message: /^media-service: --max-bytes: expected a whole number of bytes, got "lots"$/,
      },
      {
        args: ['cache', 'sync'],
        message: /^media-service: cache sync needs the shared profile \(the profile is local\)$/,
      },
      {
        args: ['cache', 'warm', join(dir.path, 'missing.json')],
        message: /^media-service: warm file .*missing\.json: cannot read it \(ENOENT\)$/,
      },
      {
        args: ['generate', '--channel', 'tiny_science'],
        message: /^error: required option '--count <n>' not specified$/,
      },
    ];
    for (const { args, env, message } of cases) {
      const run = await runCli(dir.path, args, env);
      expect({ args, code: run.code === 0 ? 0 : 'non-zero' }).toEqual({ args, code: 'non-zero' });
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr.trimEnd(), args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(await snapshot(cacheDir())).toEqual(before);
    expect(await exists(join(dir.path, 'a-file', 'out'))).toBe(false);
  });
});
