import { DEFAULT_PRICING } from '@tiercache/media';
import type { DashboardData, PricingSelection, TypeUsage } from './dashboard-model.js';
import { MediaServiceError } from './errors.js';
import { HOSTED_REFERENCE } from './hosted-reference.js';
import type { MediaService } from './media-service.js';
import { type RunRecord, readRunRecords } from './metrics-log.js';
import { recordsRuns } from './run-record.js';
import { computeSavings, figuresFromIndex } from './savings-calculator.js';

/** Runs the dashboard charts: a month of daily runs fits on one screen. */
export const DASHBOARD_RUNS = 30;
/** Videos the projection is for, unless the reader picks another number. */
export const PROJECTION_VIDEOS = 100;
/** The demo channel's request count per video (intro, three scenes × line and image, outro). */
const FALLBACK_REQUESTS_PER_VIDEO = 8;

/** The list prices a selection names, refusing names the table does not have. */
export function resolveSelection(selection: Partial<PricingSelection>) {
  const ttsEngine = selection.ttsEngine ?? HOSTED_REFERENCE.tts;
  const imageModel = selection.imageModel ?? HOSTED_REFERENCE.image;
  const tts = Object.hasOwn(DEFAULT_PRICING.tts, ttsEngine) ? DEFAULT_PRICING.tts[ttsEngine] : undefined;
  if (!tts)
    throw new MediaServiceError(
      'E_USAGE',
      `--tts-engine: expected one of ${Object.keys(DEFAULT_PRICING.tts).join(', ')}, got ${JSON.stringify(ttsEngine)}`,
    );
  const image = Object.hasOwn(DEFAULT_PRICING.image, imageModel)
    ? DEFAULT_PRICING.image[imageModel]
    : undefined;
  if (!image)
    throw new MediaServiceError(
      'E_USAGE',
      `--image-model: expected one of ${Object.keys(DEFAULT_PRICING.image).join(', ')}, got ${JSON.stringify(imageModel)}`,
    );
  return { selection: { ttsEngine, imageModel }, prices: { tts, image } };
}

/** Requests per video of the logged `generate` runs: what the projection multiplies. */
function requestsPerVideo(runs: readonly RunRecord[]): number {
  let requests = 0;
  let videos = 0;
  for (const run of runs) {
    if (run.command !== 'generate' || !run.videos) continue;
    requests += run.requests;
    videos += run.videos;
  }
  return videos === 0 ? FALLBACK_REQUESTS_PER_VIDEO : Math.round((requests / videos) * 100) / 100;
}

/** The index's all-time figures: `stats()` plus every entry's generation time and cost. */
export function allTimeFigures(service: MediaService) {
  const cache = service.media.cache;
  const stats = cache?.index.stats() ?? { entries: 0, bytes: 0, byType: {} };
  // Every entry, as `cache verify` lists them: eviction order is irrelevant at the full count.
  const entries =
    cache && stats.entries > 0
      ? cache.index.evictionCandidates({ now: Date.now(), limit: stats.entries })
      : [];
  return { stats, figures: figuresFromIndex(stats, entries) };
}

/** Everything the savings command and the dashboard show, from the index and metrics.jsonl. */
export async function dashboardData(
  service: MediaService,
  selection: Partial<PricingSelection> = {},
  videos = PROJECTION_VIDEOS,
): Promise<DashboardData> {
  const { config } = service;
  const resolved = resolveSelection(selection);
  const { stats, figures } = allTimeFigures(service);
  const allRuns = recordsRuns(service) ? await readRunRecords(config.cacheDir) : [];
  const runs = allRuns.slice(-DASHBOARD_RUNS);
  const perVideo = requestsPerVideo(allRuns);

  const byType: Record<string, TypeUsage> = {};
  let uses = 0;
  for (const [type, figure] of Object.entries(stats.byType)) {
    const hits = figure.uses - figure.entries;
    uses += figure.uses;
    byType[type] = {
      entries: figure.entries,
      uses: figure.uses,
      hits,
      bytes: figure.bytes,
      hitRate: figure.uses === 0 ? 0 : hits / figure.uses,
    };
  }
  const hits = uses - stats.entries;

  const cacheStats = await service.media.cache?.stats();
  const runHits = (name: string) => allRuns.reduce((sum, run) => sum + (run.tierHits[name] ?? 0), 0);
  // The memory L1 belongs to each process: this one's (the dashboard's) says nothing of the runs.
  const tiers = Object.entries(cacheStats?.tiers ?? {}).map(([name, tier]) => ({
    name,
    entries: name === 'memory' ? null : tier.entries,
    bytes: name === 'memory' ? null : tier.bytes,
    runHits: runHits(name),
  }));

  const calculator = { ...resolved.selection, videos, requestsPerVideo: perVideo };
  return {
    generatedAt: new Date().toISOString(),
    profile: config.profile,
    cacheDir: config.profile === 'memory' ? null : config.cacheDir,
    cacheEnabled: config.enableCache,
    allTime: {
      entries: stats.entries,
      bytes: stats.bytes,
      requests: uses,
      hits,
      hitRate: uses === 0 ? 0 : hits / uses,
      byType,
    },
    figures,
    tiers,
    runs,
    pricing: DEFAULT_PRICING,
    calculator,
    savings: computeSavings(figures, resolved.prices, { videos, requestsPerVideo: perVideo }),
  };
}
