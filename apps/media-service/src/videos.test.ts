// The MP4s `generate` assembles, checked with ffprobe (not with the app's own WAV reader): an
// H.264 and an AAC stream as long as the narration; a rerun serves them from the cache; without
// FFmpeg the run still writes narration, images and manifests and says once how to get videos.
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerateSummary } from './generate-summary.js';
import { runCli } from './test-support/run-cli.js';
import { exists, snapshot, useTempDir } from './test-support/temp-dir.js';
import { pairSegments, videoRequest } from './video-assembly.js';

const dir = useTempDir('media-service-videos-');
const output = () => join(dir.path, 'media_local_storage', 'output', 'momentum_mindset');

interface Probe {
  streams: { codec_name: string; codec_type: string }[];
  format: { duration: string };
}

function ffprobe(file: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    execFile(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type:format=duration', '-of', 'json', file],
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as Probe)),
    );
  });
}

async function narrationSeconds(videoDir: string): Promise<number> {
  const wavs = (await readdir(videoDir)).filter((file) => file.endsWith('.wav'));
  const lengths = await Promise.all(
    wavs.map(async (wav) => Number((await ffprobe(join(videoDir, wav))).format.duration)),
  );
  return lengths.reduce((sum, seconds) => sum + seconds, 0);
}

const generate = (env: Record<string, string> = {}, count = '2') =>
  runCli(dir.path, ['generate', '--channel', 'momentum_mindset', '--count', count, '--json'], env);

describe('media-service generate: MP4 videos', () => {
  it('assembles H.264 + AAC videos as long as their narration, and a rerun does not re-encode', async () => {
    const first = await generate();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as GenerateSummary;
    expect(summary.videoProblems).toEqual([]);
    expect(summary.videoFiles.map((video) => [video.file, video.source])).toEqual([
      ['video-1/video.mp4', 'encoded'],
      ['video-2/video.mp4', 'encoded'],
    ]);
    for (const video of summary.videoFiles) {
      const videoDir = join(output(), video.file, '..');
      const probe = await ffprobe(join(output(), video.file));
      expect(probe.streams.map((stream) => `${stream.codec_type}:${stream.codec_name}`).sort()).toEqual([
        'audio:aac',
        'video:h264',
      ]);
      const narration = await narrationSeconds(videoDir);
      expect(narration).toBeGreaterThan(5);
      expect(Math.abs(Number(probe.format.duration) - narration) / narration).toBeLessThan(0.05);
      expect(Math.abs(video.seconds - narration) / narration).toBeLessThan(0.01);
      const manifest = JSON.parse(await readFile(join(videoDir, 'manifest.json'), 'utf8'));
      expect(manifest.videoFile).toBe('video.mp4');
    }
    const encoded = await readFile(join(output(), 'video-2', 'video.mp4'));

    const second = await generate();
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout) as GenerateSummary;
    expect(again.videoFiles.map((video) => video.source)).toEqual(['exact', 'exact']);
    // The same bytes, delivered from the cache rather than encoded once more.
    expect(await readFile(join(output(), 'video-2', 'video.mp4'))).toEqual(encoded);
    const stats = JSON.parse((await runCli(dir.path, ['cache', 'stats', '--json'])).stdout);
    expect(stats.index.byType.video).toEqual({ entries: 2, uses: 4 });
  });

  it('a changed narration or image is a different video: it is encoded again', async () => {
    await generate();
    // Videos 1 and 2 of a three-video run have the same parts as before; video 3 is new.
    const run = await generate({}, '3');
    const summary = JSON.parse(run.stdout) as GenerateSummary;
    expect(summary.videoFiles.map((video) => video.source)).toEqual(['exact', 'exact', 'encoded']);
  });

  it('without FFmpeg, writes narration, images and manifests, and says once how to get videos', async () => {
    // A PATH with eSpeak NG but no ffmpeg.
    const bin = join(dir.path, 'bin');
    await mkdir(bin);
    const espeak = (process.env.PATH ?? '').split(delimiter).map((folder) => join(folder, 'espeak-ng'));
    const found = await Promise.all(espeak.map(exists));
    await symlink(espeak[found.indexOf(true)] ?? 'espeak-ng', join(bin, 'espeak-ng'));
    const run = await generate({ PATH: bin });
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^media-service: videos not assembled: FFmpeg not found; install FFmpeg \(.*apt-get install ffmpeg/,
    );
    const summary = JSON.parse(run.stdout) as GenerateSummary;
    expect(summary.videoFiles).toEqual([]);
    expect(summary.generated).toBeGreaterThan(0);
    for (const video of ['video-1', 'video-2']) {
      const files = await readdir(join(output(), video));
      expect(files).toContain('manifest.json');
      expect(files.filter((file) => file.endsWith('.wav'))).toHaveLength(5);
      expect(files.filter((file) => file.endsWith('.png'))).toHaveLength(3);
      expect(await exists(join(output(), video, 'video.mp4'))).toBe(false);
    }
    // Nothing half-made was cached as a video.
    const cache = await snapshot(join(dir.path, 'media_local_storage', 'cache'));
    expect(Object.keys(cache).filter((file) => file.startsWith('video/') && file.endsWith('.mp4'))).toEqual(
      [],
    );

    // The table says it too, beside the same one-line hint.
    const table = await runCli(dir.path, ['generate', '--channel', 'momentum_mindset', '--count', '1'], {
      PATH: bin,
    });
    expect(table.stdout).toMatch(/^ {2}videos {8}none assembled/m);
    expect((await stat(join(output(), 'video-1', 'manifest.json'))).isFile()).toBe(true);
  });

  it('shows the intro over the first scene image, each line over its scene, the outro over the last', () => {
    const parts = [
      { kind: 'tts', role: 'intro', file: 'intro-1.wav' },
      { kind: 'tts', role: 'scene', file: 'scene-1.wav' },
      { kind: 'image', role: 'scene', file: 'scene-1.png' },
      { kind: 'image', role: 'scene', file: 'scene-2.jpg' },
      { kind: 'tts', role: 'scene', file: 'scene-2.wav' },
      { kind: 'tts', role: 'outro', file: 'outro-1.wav' },
    ] as const;
    expect(pairSegments('/v', parts)).toEqual([
      { image: '/v/scene-1.png', audio: '/v/intro-1.wav' },
      { image: '/v/scene-1.png', audio: '/v/scene-1.wav' },
      { image: '/v/scene-2.jpg', audio: '/v/scene-2.wav' },
      { image: '/v/scene-2.jpg', audio: '/v/outro-1.wav' },
    ]);
    // A scene whose image could not be written: no video rather than a wrong one.
    expect(
      pairSegments(
        '/v',
        parts.filter((part) => part.file !== 'scene-2.jpg'),
      ),
    ).toBeUndefined();
  });

  it('keys a video by its parts, in order: another order is another video, never a similar one', () => {
    const a = videoRequest([
      { image: 'i1', audio: 'a1' },
      { image: 'i2', audio: 'a2' },
    ]);
    const b = videoRequest([
      { image: 'i2', audio: 'a2' },
      { image: 'i1', audio: 'a1' },
    ]);
    expect(a.type).toBe('video');
    expect(a.prompt).toBe('i1+a1 i2+a2');
    // The parts are params too: two part lists never share a similarity partition.
    expect(a.params?.parts).toEqual([
      ['i1', 'a1'],
      ['i2', 'a2'],
    ]);
    expect(b.params?.parts).not.toEqual(a.params?.parts);
  });
});
