import { isAbsolute, relative } from 'node:path';
import type { MatchExplanation, Savings } from '@tiercache/core';
import type { MediaResult } from '@tiercache/media';
import type { PlannedAsset } from './channels.js';
import type { ServiceConfig } from './config.js';
import type { MatchedAsset } from './match-report.js';
import type { UnwritableFiles } from './unwritable-output.js';
import type { VideoFile } from './video-assembly.js';

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
  /** What the cache saved this process (`generationMs` of the generations avoided, and their cost). */
  saved: Savings;
  /** What this run's hits would have cost with hosted engines (see `HOSTED_REFERENCE`). */
  hostedEquivalent: number;
  /** Output files (assets, manifests) that could not be written, e.g. on a full disk. */
  unwritable: UnwritableFiles;
  /** The MP4 of each video (narration over its images), encoded or served from the cache. */
  videoFiles: VideoFile[];
  /** Why videos are missing (FFmpeg not installed, an encode that failed), each reason once. */
  videoProblems: string[];
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
      `${(summary.saved.generationMs / 1000).toFixed(2)} s of generation (${summary.saved.generations} calls avoided); this run took ${summary.elapsedSeconds.toFixed(2)} s`,
    ),
    row(
      'money saved',
      `$${summary.saved.generationCost.toFixed(4)} at list prices${summary.saved.generationCost === 0 && summary.images.startsWith('local-renderer') ? ' (eSpeak NG and the local renderer are free)' : ''}`,
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
