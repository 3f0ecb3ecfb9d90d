import type { WarmReport } from '@tiercache/media';
import type { GenerateSummary } from './generate-summary.js';
import type { MediaService } from './media-service.js';
import { type RunRecord, saveRunRecord } from './metrics-log.js';
import { MetricsRecorder, type RunEvents } from './metrics-recorder.js';

/**
 * Runs are logged only where the cache has a folder: a disabled cache must create none (the
 * original's `enable_cache=False`), and the memory profile keeps nothing past the process.
 */
export const recordsRuns = (service: MediaService) =>
  service.config.enableCache && service.config.profile !== 'memory';

/** Listens to the service's cache for one run (records nothing when runs are not logged). */
export const startRecording = (service: MediaService) =>
  new MetricsRecorder(recordsRuns(service) ? service.media.cache : undefined);

export function generateRecord(summary: GenerateSummary, events: RunEvents): RunRecord {
  return {
    version: 2,
    at: new Date().toISOString(),
    command: 'generate',
    channel: summary.channel,
    videos: summary.videos,
    profile: summary.profile,
    requests: summary.requests,
    exact: summary.exact,
    canonical: summary.canonical,
    similar: summary.similar,
    generated: summary.generated,
    failed: 0,
    hitRate: summary.hitRate,
    elapsedMs: Math.round(summary.elapsedSeconds * 1000),
    ...events,
    saved: summary.saved,
    hostedEquivalent: summary.hostedEquivalent,
  };
}

export async function warmRecord(
  service: MediaService,
  report: WarmReport,
  elapsedMs: number,
  events: RunEvents,
): Promise<RunRecord> {
  const hits = report.exact + report.canonical + report.similar;
  return {
    version: 2,
    at: new Date().toISOString(),
    command: 'warm',
    channel: null,
    videos: null,
    profile: service.config.profile,
    requests: report.total,
    exact: report.exact,
    canonical: report.canonical,
    similar: report.similar,
    generated: report.generated,
    failed: report.failed.length,
    hitRate: report.total === 0 ? 0 : hits / report.total,
    elapsedMs: Math.round(elapsedMs),
    ...events,
    saved: await service.savings(),
    hostedEquivalent: null,
  };
}

/** Appends the run to `<cacheDir>/metrics.jsonl` when runs are logged; never throws. */
export async function saveRun(service: MediaService, record: RunRecord): Promise<void> {
  if (!recordsRuns(service)) return;
  await saveRunRecord(service.config.cacheDir, record, (message) =>
    process.stderr.write(`warning: ${message}\n`),
  );
}
