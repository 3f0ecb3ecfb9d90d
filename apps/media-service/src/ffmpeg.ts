import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaServiceError } from './errors.js';

/** One still image shown for as long as its narration plays. */
export interface VideoSegment {
  image: string;
  audio: string;
  seconds: number;
}

/**
 * Encoder settings: part of every video's cache request, so changing them re-encodes instead
 * of serving a video made with other settings.
 */
export const MP4_SETTINGS = {
  container: 'mp4',
  video: 'libx264',
  preset: 'veryfast',
  crf: 28,
  fps: 25,
  audio: 'aac',
  audioBitrate: '96k',
} as const;

/** How to get videos, said once when FFmpeg is missing. */
export const FFMPEG_HINT =
  'install FFmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) to get MP4 videos';

/** Thrown by `encodeMp4` when there is no `ffmpeg` command: the caller skips videos, nothing else. */
export class FfmpegMissing extends MediaServiceError {
  constructor() {
    super('E_VIDEO', `videos not assembled: FFmpeg not found; ${FFMPEG_HINT}`);
  }
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', args, { maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new FfmpegMissing());
      const detail = stderr.trim().split('\n').at(-1) ?? error.message;
      reject(new MediaServiceError('E_VIDEO', `FFmpeg failed to encode a video: ${detail}`));
    });
  });
}

/** A concat demuxer line: single quotes inside the path are closed, escaped and reopened. */
const listed = (path: string) => `file '${path.replaceAll("'", "'\\''")}'`;

/**
 * Encodes the segments, in order, as one MP4 (H.264 + AAC) and returns its bytes. Each image is
 * shown for its segment's seconds (concat demuxer, still frames) over the narrations played back
 * to back. Throws `FfmpegMissing` without FFmpeg, `E_VIDEO` when it fails.
 */
export async function encodeMp4(segments: readonly VideoSegment[]): Promise<Uint8Array> {
  if (segments.length === 0) throw new MediaServiceError('E_VIDEO', 'a video needs at least one segment');
  const work = await mkdtemp(join(tmpdir(), 'media-service-video-'));
  try {
    const images = join(work, 'images.txt');
    const audio = join(work, 'audio.txt');
    const output = join(work, 'video.mp4');
    const last = segments.at(-1)!;
    // The demuxer ignores the last entry's duration unless the file is listed once more.
    await writeFile(
      images,
      `${[...segments.map((s) => `${listed(s.image)}\nduration ${s.seconds.toFixed(4)}`), listed(last.image)].join('\n')}\n`,
    );
    await writeFile(audio, `${segments.map((s) => listed(s.audio)).join('\n')}\n`);
    const s = MP4_SETTINGS;
    await run([
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
      ...['-f', 'concat', '-safe', '0', '-i', images],
      ...['-f', 'concat', '-safe', '0', '-i', audio],
      ...['-map', '0:v', '-map', '1:a'],
      // H.264 in yuv420p needs even sides; any image size is accepted.
      ...['-vf', `scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p,fps=${s.fps}`],
      ...['-c:v', s.video, '-preset', s.preset, '-tune', 'stillimage', '-crf', String(s.crf)],
      ...['-c:a', s.audio, '-b:a', s.audioBitrate],
      ...['-shortest', '-movflags', '+faststart', output],
    ]);
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
