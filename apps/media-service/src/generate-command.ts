import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { MatchExplanation } from '@tiercache/core';
import { writeDestination } from '@tiercache/core/kit';
import { DEFAULT_PRICING, type MediaResult, priceImage, priceTts } from '@tiercache/media';
import {
  type Channel,
  channelImage,
  channelVoice,
  loadChannel,
  type PlannedAsset,
  type PlannedVideo,
  planVideos,
} from './channels.js';
import type { ServiceConfig } from './config.js';
import { imageFormat } from './engines/together.js';
import { MediaServiceError } from './errors.js';
import { describeSource, describeText, isMatch, type MatchedAsset, matchedAsset } from './match-report.js';
import type { MediaService } from './media-service.js';
import { mapLimit, type Progress } from './progress.js';
import { wholeNumberFlag } from './text-values.js';
import { type UnwritableFiles, UnwritableOutput } from './unwritable-output.js';
import { VideoAssembler, type VideoFile } from './video-assembly.js';

export const MAX_COUNT = 1000;

/** Everything `generate` checked before touching the cache. */
export interface GeneratePlan {
  channel: Channel;
  videos: PlannedVideo[];
  /** `<outputDir>/<channel>` */
  folder: string;
}

export interface AssetRecord {
  kind: 'tts' | 'image';
  role: PlannedAsset['role'];
  file: string;
  /** The spoken line or the image prompt as requested. */
  text: string;
  source: MediaResult['source'];
  score: number | null;
  matchedPrompt: string | null;
  /** Why a canonical or similar hit answered (the words that differed, each with its rule); `null` otherwise. */
  explanation: MatchExplanation | null;
  fileId: string;
  /** The cache entry's key; `null` when the cache is off or could not store it. */
  key: string | null;
}

export interface GenerateSummary {
  channel: string;
  videos: number;
  folder: string;
  profile: ServiceConfig['profile'];
  cacheEnabled: boolean;
  tts: string;
  images: string;
  requests: number;
  exact: number;
  /** Hits by the same request written differently. */
  canonical: number;
  similar: number;
  generated: number;
  /** (exact + canonical + similar) / requests of this run. */
  hitRate: number;
  /**
   * Every canonical or similar hit of the run: which file got which stored prompt, and why. A
   * wrong one can be refused with `media-service cache reject`.
   */
  matches: MatchedAsset[];
  elapsedSeconds: number;
  saved: { calls: number; generationSeconds: number; money: number };
  /** What this run's hits would have cost with hosted engines (see HOSTED_REFERENCE). */
  hostedEquivalent: number;
  /** Output files (assets, manifests) that could not be written, e.g. on a full disk. */
  unwritable: UnwritableFiles;
  /** The MP4 of each video (narration over its images), encoded or served from the cache. */
  videoFiles: VideoFile[];
  /** Why videos are missing (FFmpeg not installed, an encode that failed), each reason once. */
  videoProblems: string[];
}

// A yardstick for free local engines: the same avoided calls at common hosted list prices.
export const HOSTED_REFERENCE = { tts: 'openai-tts-1', image: 'black-forest-labs/FLUX.1-schnell' } as const;

function hostedPriceOf(record: AssetRecord): number {
  return record.kind === 'tts'
    ? (priceTts(DEFAULT_PRICING, { text: record.text, engine: HOSTED_REFERENCE.tts, voice: null }) ?? 0)
    : (priceImage(DEFAULT_PRICING, { prompt: record.text, model: HOSTED_REFERENCE.image }) ?? 0);
}

/** `--count`: a whole number from 1 to `MAX_COUNT`, as typed. */
export function parseCount(raw: string): number {
  return wholeNumberFlag('--count', raw, 1, MAX_COUNT);
}

async function assertWritable(folder: string): Promise<void> {
  const probe = join(folder, `.write-test-${process.pid}`);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(probe, '');
    await unlink(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new MediaServiceError('E_OUTPUT_UNWRITABLE', `output folder ${folder} is not writable (${code})`, {
      context: { folder },
    });
  }
}

/** Validates the channel, the count and the output folder; opens no cache. */
export async function planGenerate(
  config: ServiceConfig,
  channelName: string,
  count: number,
): Promise<GeneratePlan> {
  const channel = await loadChannel(config.channelsDir, channelName);
  const folder = join(config.outputDir, channel.name);
  await assertWritable(folder);
  return { channel, videos: planVideos(channel, count), folder };
}

/** An engine may answer in another image format than the name guessed: name the file after its bytes. */
async function settleExtension(path: string, base: string): Promise<string> {
  const handle = await open(path, 'r');
  const head = new Uint8Array(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  const extension = imageFormat(head)?.extension ?? 'png';
  if (path.endsWith(`.${extension}`)) return path;
  const renamed = `${base}.${extension}`;
  await rename(path, renamed);
  return renamed;
}

async function produce(
  service: MediaService,
  channel: Channel,
  dir: string,
  asset: PlannedAsset,
): Promise<AssetRecord> {
  const base = join(dir, asset.name);
  let result: MediaResult;
  let path: string;
  if (asset.kind === 'tts') {
    result = await service.generateTts(asset.text, channelVoice(channel), { destPath: `${base}.wav` });
    path = result.path;
  } else {
    result = await service.generateImage(asset.text, channelImage(channel), { destPath: `${base}.png` });
    path = await settleExtension(result.path, base);
  }
  return {
    kind: asset.kind,
    role: asset.role,
    file: path.slice(dir.length + 1),
    text: asset.text,
    source: result.source,
    score: result.score ?? null,
    matchedPrompt: result.matchedPrompt ?? null,
    explanation: result.explanation ?? null,
    fileId: result.fileId,
    key: result.entry?.key ?? null,
  };
}

/**
 * Generates the planned videos one after another (assets of one video `concurrency` at a time),
 * each into `<folder>/video-<n>/` with a `manifest.json`, and returns the run's summary.
 */
export async function runGenerate(
  service: MediaService,
  plan: GeneratePlan,
  progress: Progress,
): Promise<GenerateSummary> {
  const started = performance.now();
  const total = plan.videos.reduce((sum, video) => sum + video.assets.length, 0);
  const records: AssetRecord[] = [];
  const matches: MatchedAsset[] = [];
  const unwritable = new UnwritableOutput();
  const assembler = new VideoAssembler(service);
  let done = 0;
  progress.start(total);
  try {
    for (const video of plan.videos) {
      const dir = join(plan.folder, `video-${video.number}`);
      try {
        await mkdir(dir, { recursive: true });
      } catch (error) {
        if (!unwritable.record(dir, error)) throw error;
      }
      const produced = await mapLimit(video.assets, service.config.concurrency, async (asset) => {
        let record: AssetRecord;
        try {
          record = await produce(service, plan.channel, dir, asset);
        } catch (error) {
          // A full disk fails this file, not the run: the others are still generated and cached.
          if (!unwritable.record(join(dir, `${asset.name}.${asset.kind === 'tts' ? 'wav' : 'png'}`), error))
            throw error;
          done++;
          progress.item(`  [${done}/${total}] ${asset.name} not written`, `${asset.name} not written`);
          return undefined;
        }
        done++;
        const where = `video-${video.number}/${record.file}`;
        progress.item(
          `  [${String(done).padStart(String(total).length)}/${total}] ${where.padEnd(24)} ${describeSource(record).padEnd(12)} ${describeText(record)}`,
          `${where} ${describeSource(record)}`,
        );
        return record;
      });
      const assets = produced.filter((record): record is AssetRecord => record !== undefined);
      records.push(...assets);
      for (const record of assets.filter(isMatch))
        matches.push(matchedAsset(`video-${video.number}`, record));
      let videoFile: string | undefined;
      try {
        videoFile = await assembler.assemble(plan.folder, `video-${video.number}`, assets);
      } catch (error) {
        if (!unwritable.record(join(dir, 'video.mp4'), error)) throw error;
      }
      const manifest = {
        channel: plan.channel.name,
        title: plan.channel.title,
        video: video.number,
        profile: service.config.profile,
        engines: { tts: service.ttsEngine.backend, image: service.imageEngine.engine },
        videoFile: videoFile ?? null,
        assets,
      };
      const manifestPath = join(dir, 'manifest.json');
      try {
        await writeDestination(
          manifestPath,
          new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
        );
      } catch (error) {
        if (!unwritable.record(manifestPath, error)) throw error;
      }
    }
  } finally {
    progress.stop();
  }
  const stats = await service.stats();
  const count = (source: MediaResult['source']) =>
    records.filter((record) => record.source === source).length;
  const exact = count('exact');
  const canonical = count('canonical');
  const similar = count('similar');
  return {
    channel: plan.channel.name,
    videos: plan.videos.length,
    folder: plan.folder,
    profile: service.config.profile,
    cacheEnabled: service.config.enableCache,
    tts: service.ttsEngine.backend,
    images: `${service.imageEngine.engine} (${service.imageEngine.defaultModel})`,
    requests: records.length,
    exact,
    canonical,
    similar,
    generated: count('generated'),
    hitRate: records.length === 0 ? 0 : (exact + canonical + similar) / records.length,
    matches,
    elapsedSeconds: (performance.now() - started) / 1000,
    saved: {
      calls: stats.saved.generations,
      generationSeconds: stats.saved.generationMs / 1000,
      money: stats.saved.generationCost,
    },
    hostedEquivalent: records
      .filter((record) => record.source !== 'generated')
      .reduce((sum, record) => sum + hostedPriceOf(record), 0),
    unwritable: unwritable.files,
    videoFiles: assembler.files,
    videoProblems: assembler.problems,
  };
}

/** A folder as the user would type it from here: relative when it is below the working folder. */
function displayPath(folder: string): string {
  const below = relative(process.cwd(), folder);
  return below && !below.startsWith('..') && !isAbsolute(below) ? below : folder;
}

/** The end-of-run summary, as printed. */
export function formatSummary(summary: GenerateSummary): string[] {
  const row = (label: string, value: string | number) => `  ${label.padEnd(14)}${value}`;
  const encoded = summary.videoFiles.filter((video) => video.source === 'encoded').length;
  const videoRows = summary.videoFiles.map((video, i) =>
    row(
      i === 0 ? 'videos' : '',
      `${video.file} (${video.seconds.toFixed(1)} s, ${video.source === 'encoded' ? 'encoded' : 'from the cache'})`,
    ),
  );
  return [
    `${summary.channel}: ${summary.videos} video${summary.videos === 1 ? '' : 's'} in ${displayPath(summary.folder)}`,
    row(
      'profile',
      `${summary.profile}${summary.cacheEnabled ? '' : ' (cache disabled)'}; tts ${summary.tts}; images ${summary.images}`,
    ),
    row('requests', summary.requests),
    row('exact hits', summary.exact),
    row('canonical', summary.canonical),
    row('similar hits', summary.similar),
    row('generated', summary.generated),
    row('hit rate', `${(summary.hitRate * 100).toFixed(1)}%`),
    row(
      'time saved',
      `${summary.saved.generationSeconds.toFixed(2)} s of generation (${summary.saved.calls} calls avoided); this run took ${summary.elapsedSeconds.toFixed(2)} s`,
    ),
    row(
      'money saved',
      `$${summary.saved.money.toFixed(4)} at list prices${summary.saved.money === 0 && summary.images.startsWith('local-renderer') ? ' (eSpeak NG and the local renderer are free)' : ''}`,
    ),
    row(
      'hosted equiv.',
      `$${summary.hostedEquivalent.toFixed(4)} for the same hits with OpenAI tts-1 and FLUX.1 schnell (1024×1024) at list prices`,
    ),
    ...(videoRows.length > 0
      ? [
          ...videoRows,
          row(
            '',
            `MP4, H.264 + AAC: ${encoded} encoded, ${summary.videoFiles.length - encoded} from the cache`,
          ),
        ]
      : [row('videos', 'none assembled (see the message above)')]),
  ];
}
