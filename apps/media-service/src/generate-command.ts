import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDestination } from '@tiercache/core/kit';
import type { MediaResult } from '@tiercache/media';
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
import type { AssetRecord, GenerateSummary } from './generate-summary.js';
import { hostedPriceOf } from './hosted-reference.js';
import { describeSource, describeText, isMatch, type MatchedAsset, matchedAsset } from './match-report.js';
import type { MediaService } from './media-service.js';
import { mapLimit, type Progress } from './progress.js';
import { wholeNumberFlag } from './text-values.js';
import { UnwritableOutput } from './unwritable-output.js';
import { VideoAssembler } from './video-assembly.js';

export const MAX_COUNT = 1000;

/** Everything `generate` checked before touching the cache. */
export interface GeneratePlan {
  channel: Channel;
  videos: PlannedVideo[];
  /** `<outputDir>/<channel>` */
  folder: string;
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
    saved: await service.savings(),
    hostedEquivalent: records
      .filter((record) => record.source !== 'generated')
      .reduce((sum, record) => sum + hostedPriceOf(record.kind, record.text), 0),
    unwritable: unwritable.files,
    videoFiles: assembler.files,
    videoProblems: assembler.problems,
  };
}
