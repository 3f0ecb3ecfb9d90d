import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AssetRequest, isTiercacheError } from '@tiercache/core';
import { wavSeconds } from './engines/wav.js';
import { encodeMp4, FfmpegMissing, MP4_SETTINGS, type VideoSegment } from './ffmpeg.js';
import type { MediaService } from './media-service.js';

/** The parts of a video as `generate` wrote them (paths relative to the video folder). */
export interface VideoPart {
  kind: 'tts' | 'image';
  role: 'intro' | 'scene' | 'outro';
  file: string;
}

/** An assembled video. */
export interface VideoFile {
  /** Relative to the channel folder: `video-1/video.mp4`. */
  file: string;
  /** Length of the narration, which the video matches. */
  seconds: number;
  /** `encoded` by FFmpeg in this run, or served from the cache (`exact`, `canonical`). */
  source: 'encoded' | 'exact' | 'canonical' | 'similar';
}

export const VIDEO_FILE = 'video.mp4';

/**
 * Pairs every narration with an image, in order: a scene's line with its scene's image, the
 * intro with the first scene image, the outro with the last. `undefined` when an image or a
 * narration is missing (a file that could not be written): no video then.
 */
export function pairSegments(
  dir: string,
  parts: readonly VideoPart[],
): Omit<VideoSegment, 'seconds'>[] | undefined {
  const images = parts.filter((part) => part.kind === 'image');
  const lines = parts.filter((part) => part.kind === 'tts');
  if (images.length === 0 || lines.length === 0) return undefined;
  const sceneImage = (line: VideoPart) => {
    if (line.role === 'intro') return images[0];
    if (line.role === 'outro') return images.at(-1);
    const stem = line.file.replace(/\.[^.]+$/, '');
    return images.find((image) => image.file.replace(/\.[^.]+$/, '') === stem);
  };
  const segments: Omit<VideoSegment, 'seconds'>[] = [];
  for (const line of lines) {
    const image = sceneImage(line);
    if (!image) return undefined;
    segments.push({ image: join(dir, image.file), audio: join(dir, line.file) });
  }
  return segments;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A video's cache request: its parts' content hashes, in order. They are params too, so every
 * list of parts is its own similarity partition: a video is only ever served for exactly its
 * own parts, never for a similar list.
 */
export function videoRequest(segments: readonly { image: string; audio: string }[]): AssetRequest {
  const parts = segments.map((segment) => [segment.image, segment.audio]);
  return {
    type: 'video',
    prompt: parts.map((pair) => pair.join('+')).join(' '),
    params: { parts, ...MP4_SETTINGS },
  };
}

/**
 * Assembles `<dir>/video.mp4` from the video's parts through the cache (type `video`): a rerun
 * with the same narration and images gets the stored MP4 without encoding. Resolves `undefined`
 * when the parts are incomplete; throws `FfmpegMissing` when it would have to encode without
 * FFmpeg, `E_VIDEO` when FFmpeg fails.
 */
export async function assembleVideo(
  service: MediaService,
  dir: string,
  parts: readonly VideoPart[],
): Promise<Omit<VideoFile, 'file'> | undefined> {
  const paired = pairSegments(dir, parts);
  if (!paired) return undefined;
  const segments: VideoSegment[] = [];
  const hashes: { image: string; audio: string }[] = [];
  const contents = new Map<string, Uint8Array>();
  const read = async (path: string) => {
    const known = contents.get(path);
    if (known) return known;
    const bytes = new Uint8Array(await readFile(path));
    contents.set(path, bytes);
    return bytes;
  };
  for (const segment of paired) {
    const audio = await read(segment.audio);
    segments.push({ ...segment, seconds: wavSeconds(audio, segment.audio) });
    hashes.push({ image: sha256(await read(segment.image)), audio: sha256(audio) });
  }
  const seconds = segments.reduce((sum, segment) => sum + segment.seconds, 0);
  const destPath = join(dir, VIDEO_FILE);
  const cache = service.media.cache;
  if (!cache) {
    await writeFile(destPath, await encodeMp4(segments));
    return { seconds, source: 'encoded' };
  }
  const result = await cache.getOrGenerateFile(videoRequest(hashes), destPath, async () => ({
    bytes: await encodeMp4(segments),
    mediaType: 'video/mp4',
    extension: 'mp4',
    metadata: { seconds },
  }));
  return { seconds, source: result.source === 'generated' ? 'encoded' : result.source };
}

/**
 * The videos of one run: assembles each, remembers what was made, and says once why videos are
 * missing (no FFmpeg) instead of failing the run, whose narration and images are written already.
 */
export class VideoAssembler {
  readonly files: VideoFile[] = [];
  /** Why some videos were not assembled, each reason once. */
  readonly problems: string[] = [];

  constructor(private readonly service: MediaService) {}

  /** Assembles `<folder>/<name>/video.mp4`; resolves its file name, or `undefined` when it was not made. */
  async assemble(folder: string, name: string, parts: readonly VideoPart[]): Promise<string | undefined> {
    try {
      const made = await assembleVideo(this.service, join(folder, name), parts);
      if (!made) return undefined;
      this.files.push({ file: `${name}/${VIDEO_FILE}`, ...made });
      return VIDEO_FILE;
    } catch (error) {
      if (!(error instanceof FfmpegMissing || isTiercacheError(error, 'E_VIDEO'))) throw error;
      if (!this.problems.includes(error.message)) this.problems.push(error.message);
      return undefined;
    }
  }
}
