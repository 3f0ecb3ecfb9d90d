import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ServiceConfig } from './config.js';
import { MediaServiceError } from './errors.js';
import { describeRecovery } from './index-repair.js';
import { describeJsonError } from './json-syntax.js';
import type { MediaService } from './media-service.js';
import type { WarmListItem } from './media-service-options.js';
import type { Progress } from './progress.js';
import { saveRun, startRecording, warmRecord } from './run-record.js';
import { wholeNumberFlag } from './text-values.js';

type Print = (line: string) => void;

const ASSET_TYPES = ['tts', 'image', 'video'] as const;
type AssetType = (typeof ASSET_TYPES)[number];

/** `--type`: one of the asset types this app stores (or of `allowed`). */
export function parseType(
  raw: string | undefined,
  allowed: readonly AssetType[] = ASSET_TYPES,
): AssetType | undefined {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as AssetType;
  throw new MediaServiceError(
    'E_USAGE',
    `--type: expected one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`,
  );
}

/** The limits `cache prune` applies: its flags, else the `prune.*` settings; at least one. */
export function pruneLimits(
  flags: { maxBytes?: string | undefined; maxEntries?: string | undefined },
  config: ServiceConfig,
): PruneLimits {
  const maxBytes =
    flags.maxBytes === undefined
      ? config.prune.maxBytes
      : wholeNumberFlag('--max-bytes', flags.maxBytes, 0, Number.MAX_SAFE_INTEGER, 'a whole number of bytes');
  const maxEntries =
    flags.maxEntries === undefined
      ? config.prune.maxEntries
      : wholeNumberFlag('--max-entries', flags.maxEntries, 0, Number.MAX_SAFE_INTEGER);
  if (maxBytes === undefined && maxEntries === undefined)
    throw new MediaServiceError(
      'E_USAGE',
      'cache prune: give --max-bytes or --max-entries (or set TIERCACHE_PRUNE_MAX_BYTES / TIERCACHE_PRUNE_MAX_ENTRIES)',
    );
  return {
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(maxEntries === undefined ? {} : { maxEntries }),
  };
}

/** The limits of one prune: a size, a count, or both. */
export interface PruneLimits {
  maxBytes?: number;
  maxEntries?: number;
}

export async function statsCommand(service: MediaService, json: boolean, print: Print): Promise<void> {
  const stats = await service.stats();
  const { config } = service;
  const index = service.media.cache?.index.stats();
  const bytes = index?.bytes ?? 0;
  // Pairings refused with `cache reject`, by every process sharing the index.
  const rejections = index?.rejections ?? 0;
  if (json) {
    print(
      JSON.stringify(
        {
          profile: config.profile,
          cacheDir: config.profile === 'memory' ? null : config.cacheDir,
          ...stats,
          index: { entries: stats.index.entries, bytes, rejections, byType: stats.index.byType },
        },
        null,
        2,
      ),
    );
    return;
  }
  const where = config.profile === 'memory' ? 'in memory (this process only)' : config.cacheDir;
  print(`cache: ${config.profile} profile, ${config.enableCache ? where : 'disabled'}`);
  const types = Object.entries(stats.index.byType);
  print(`  entries       ${stats.index.entries}, ${bytes} bytes`);
  for (const [type, { entries, uses }] of types)
    print(
      `  ${type.padEnd(14)}${entries} entries, ${uses} uses (${(entries === 0 ? 0 : uses / entries).toFixed(2)} per entry)`,
    );
  const { hits, misses, similarHits } = stats.session;
  print(
    `  session       ${hits} hits (${similarHits} similar), ${misses} misses, hit rate ${(stats.hitRate * 100).toFixed(1)}%`,
  );
  if (rejections > 0) print(`  rejections    ${rejections} (answers refused with cache reject)`);
}

export async function clearCommand(
  service: MediaService,
  type: AssetType | undefined,
  print: Print,
): Promise<void> {
  const removed = await service.clearCache(type);
  print(
    `cleared ${removed} ${type ?? 'tts, image and video'} entr${removed === 1 ? 'y' : 'ies'} from ${service.config.profile === 'memory' ? 'memory' : service.config.cacheDir}`,
  );
}

export async function pruneCommand(service: MediaService, limits: PruneLimits, print: Print): Promise<void> {
  const result = await service.pruneCache(limits);
  const left = service.media.cache?.index.stats();
  print(
    `pruned ${result.expired} expired and ${result.evicted} least recently used entries (${result.bytesFreed} bytes); ${left?.entries ?? 0} entries, ${left?.bytes ?? 0} bytes left (${describeLimits(limits)})`,
  );
}

const describeLimits = (limits: PruneLimits) =>
  [
    limits.maxBytes === undefined ? undefined : `limit ${limits.maxBytes} bytes`,
    limits.maxEntries === undefined ? undefined : `limit ${limits.maxEntries} entries`,
  ]
    .filter(Boolean)
    .join(', ');

export async function verifyCommand(service: MediaService, repair: boolean, print: Print): Promise<boolean> {
  const result = await service.verifyCache(repair);
  if (result.recovery) for (const line of describeRecovery(result.recovery)) print(line);
  // Entries are counted once each (a corrupt file's entries are not also missing); orphaned
  // files have no entry.
  const missing = result.missing ?? 0;
  const corrupt = result.corruptEntries ?? 0;
  const good = result.entries - missing - corrupt;
  print(
    `verified ${result.entries} entries: ${good} good, ${corrupt} corrupt, ${missing} missing; ${result.orphaned} orphaned files${repair ? `, ${result.repaired} file${result.repaired === 1 ? '' : 's'} repaired` : ''}`,
  );
  const bad = result.corrupt + missing + result.orphaned;
  if (bad > 0 && !repair)
    print('  run `cache verify --repair` to delete bad files and drop entries without a file');
  return bad === 0 || repair;
}

const voiceFields = {
  voice: z.string().optional(),
  speed: z.number().int().optional(),
  pitch: z.number().int().optional(),
};
const warmItem = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tts'), text: z.string().min(1), ...voiceFields }),
  z.strictObject({
    kind: z.literal('image'),
    prompt: z.string().min(1),
    negativePrompt: z.string().optional(),
    model: z.string().min(1).optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    steps: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
  }),
]);

/** Reads a warm list: a JSON array of `{kind: 'tts', text, voice?...}` and `{kind: 'image', prompt...}`. */
export async function readWarmFile(file: string): Promise<WarmListItem[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MediaServiceError(
      'E_WARM_FILE',
      `warm file ${file}: ${code ? `cannot read it (${code})` : `not a JSON warm list (${describeJsonError(error)}; its content is not shown)`}`,
    );
  }
  const parsed = z.array(warmItem).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MediaServiceError(
      'E_WARM_FILE',
      `warm file ${file}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`,
    );
  }
  return parsed.data as WarmListItem[];
}

export async function warmCommand(
  service: MediaService,
  items: WarmListItem[],
  progress: Progress,
  print: Print,
): Promise<boolean> {
  progress.start(items.length);
  const recorder = startRecording(service);
  const started = performance.now();
  let report: Awaited<ReturnType<MediaService['warm']>>;
  try {
    report = await service.warm(items, {
      onProgress(event) {
        const item = items[event.index]!;
        const text = item.kind === 'tts' ? item.text : item.prompt;
        progress.item(
          `  [${event.done}/${event.total}] ${event.kind.padEnd(5)} ${event.source.padEnd(9)} ${text}`,
          `${event.kind} ${event.source}`,
        );
      },
    });
  } finally {
    progress.stop();
  }
  await saveRun(service, await warmRecord(service, report, performance.now() - started, recorder.finish()));
  print(
    `warmed ${report.total} items: ${report.generated} generated, ${report.exact} already cached, ${report.canonical} answered by a canonical entry, ${report.similar} answered by a similar entry, ${report.failed.length} failed`,
  );
  for (const failure of report.failed)
    print(
      `  failed: items[${failure.index}] (${failure.kind}) ${failure.error instanceof Error ? failure.error.message : String(failure.error)}`,
    );
  return report.failed.length === 0;
}

export async function syncCommand(service: MediaService, print: Print): Promise<boolean> {
  const result = await service.syncShared();
  print(
    `synced ${service.config.storage.s3?.bucket}/${service.config.storage.s3?.prefix}: ${result.scanned} journal records, ${result.inserted} new entries, ${result.known} known, ${result.skipped} skipped${result.complete ? '' : `; stopped early: ${result.error ?? 'bucket unreadable'}`}`,
  );
  return result.complete;
}
