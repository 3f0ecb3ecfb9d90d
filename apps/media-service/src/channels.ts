import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MediaServiceError } from './errors.js';
import type { ImageSettings, VoiceSettings } from './media-service-options.js';

const line = z.string().trim().min(1, { error: 'expected a non-empty line' });
const prompt = z.string().trim().min(1, { error: 'expected a non-empty image prompt' });

const channelSchema = z.strictObject({
  /** Must equal the file name without `.json`. */
  name: z.string(),
  title: z.string().min(1),
  description: z.string().optional(),
  voice: z
    .strictObject({
      voice: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/, { error: 'expected an eSpeak NG voice name' })
        .optional(),
      speed: z.number().int().min(80).max(450).optional(),
      pitch: z.number().int().min(0).max(99).optional(),
    })
    .default({}),
  /** Appended to every image prompt: the channel's house style. */
  imageStyle: z.string().default(''),
  image: z
    .strictObject({
      negativePrompt: z.string().optional(),
      model: z.string().min(1).optional(),
      width: z.number().int().min(16).max(2048).optional(),
      height: z.number().int().min(16).max(2048).optional(),
      steps: z.number().int().min(1).max(100).optional(),
      seed: z.number().int().optional(),
    })
    .default({}),
  /** Spoken at the start of every video, word for word. */
  intro: z.array(line).default([]),
  /** Spoken at the end of every video, word for word. */
  outro: z.array(line).default([]),
  scenesPerVideo: z.number().int().min(1).max(50).default(3),
  scenes: z
    .array(
      z.strictObject({
        line,
        /** One prompt, or near-duplicate variants used in turn each time the scene comes back. */
        image: z.union([prompt, z.array(prompt).min(1)]),
      }),
    )
    .min(1, { error: 'expected at least one scene' }),
});

export type Channel = z.infer<typeof channelSchema>;

/** One asset of a planned video. */
export interface PlannedAsset {
  kind: 'tts' | 'image';
  /** File name inside the video folder, without the extension. */
  name: string;
  role: 'intro' | 'scene' | 'outro';
  /** The spoken line or the full image prompt (style included). */
  text: string;
}

export interface PlannedVideo {
  number: number;
  assets: PlannedAsset[];
}

const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

async function available(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** Reads and validates `<dir>/<name>.json`. Throws `E_UNKNOWN_CHANNEL` or `E_CHANNEL_INVALID`. */
export async function loadChannel(dir: string, name: string): Promise<Channel> {
  const unknown = async () => {
    const names = await available(dir);
    return new MediaServiceError(
      'E_UNKNOWN_CHANNEL',
      `unknown channel ${JSON.stringify(name)} (available: ${names.join(', ') || `none in ${dir}`})`,
      { context: { channel: name } },
    );
  };
  if (!CHANNEL_NAME.test(name)) throw await unknown();
  const file = join(dir, `${name}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw await unknown();
    throw new MediaServiceError(
      'E_CHANNEL_INVALID',
      `channel file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MediaServiceError(
      'E_CHANNEL_INVALID',
      `channel file ${file}: not valid JSON (${(error as Error).message})`,
      {
        context: { channel: name },
      },
    );
  }
  const parsed = channelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(top level)';
    throw new MediaServiceError(
      'E_CHANNEL_INVALID',
      `channel file ${file}: ${path}: ${issue?.message ?? 'invalid'}`,
      {
        context: { channel: name, field: path },
      },
    );
  }
  if (parsed.data.name !== name)
    throw new MediaServiceError(
      'E_CHANNEL_INVALID',
      `channel file ${file}: name: expected "${name}" (the file name), got ${JSON.stringify(parsed.data.name)}`,
    );
  return parsed.data;
}

export const channelVoice = (channel: Channel): VoiceSettings => ({ ...channel.voice });
export const channelImage = (channel: Channel): ImageSettings => ({ ...channel.image });

/**
 * Plans videos 1..count. Video n narrates `scenesPerVideo` consecutive scenes starting at
 * `(n - 1) * (scenesPerVideo - 1)`: consecutive videos share one scene (a recap of the last
 * point), said word for word, while its image takes the next variant of the prompt. Intro and
 * outro repeat in every video. So a first run already has exact and similar hits, and a rerun
 * is served entirely from the cache.
 */
export function planVideos(channel: Channel, count: number): PlannedVideo[] {
  const stride = Math.max(1, channel.scenesPerVideo - 1);
  const seen = new Map<number, number>();
  const style = channel.imageStyle.trim();
  const videos: PlannedVideo[] = [];
  for (let number = 1; number <= count; number++) {
    const assets: PlannedAsset[] = channel.intro.map((text, i) => ({
      kind: 'tts',
      role: 'intro',
      name: `intro-${i + 1}`,
      text,
    }));
    for (let i = 0; i < channel.scenesPerVideo; i++) {
      const index = ((number - 1) * stride + i) % channel.scenes.length;
      const scene = channel.scenes[index]!;
      const variants = typeof scene.image === 'string' ? [scene.image] : scene.image;
      const occurrence = seen.get(index) ?? 0;
      seen.set(index, occurrence + 1);
      const base = variants[occurrence % variants.length]!;
      assets.push({ kind: 'tts', role: 'scene', name: `scene-${i + 1}`, text: scene.line });
      assets.push({
        kind: 'image',
        role: 'scene',
        name: `scene-${i + 1}`,
        text: style ? `${base}, ${style}` : base,
      });
    }
    for (const [i, text] of channel.outro.entries())
      assets.push({ kind: 'tts', role: 'outro', name: `outro-${i + 1}`, text });
    videos.push({ number, assets });
  }
  return videos;
}
