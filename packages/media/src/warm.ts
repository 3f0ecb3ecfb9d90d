import { type AssetRequest, deriveKey, type TieredCache } from '@tiercache/core';
import { checkMedia, toAsset } from './generated-media.js';
import { invalidRequest, isPlainObject, isPositiveInteger } from './invalid.js';
import type {
  GeneratedMedia,
  ImageRequest,
  TtsRequest,
  WarmGenerators,
  WarmItem,
  WarmOptions,
  WarmProgress,
  WarmReport,
} from './media-types.js';
import { type PricingTable, priceImage, priceTts } from './pricing.js';
import { imageKey, ttsKey } from './request-keys.js';
import type { SavingsLedger } from './savings.js';

export interface WarmContext {
  open: () => TieredCache | undefined;
  savings: SavingsLedger;
  pricing: PricingTable;
  /** The cache's clock, to judge whether an indexed entry has expired. */
  now: () => number;
}

type Outcome = Exclude<WarmProgress['source'], 'failed'>;

function checkArguments(items: unknown, generators: unknown, options: unknown): void {
  if (!Array.isArray(items)) invalidRequest('warm items', items, 'an array of { kind, request }');
  if (!isPlainObject(generators)) invalidRequest('warm generators', generators, 'an object { tts?, image? }');
  items.forEach((item: unknown, index) => {
    const kind = isPlainObject(item) ? item.kind : undefined;
    if (kind !== 'tts' && kind !== 'image')
      invalidRequest(`warm items[${index}].kind`, kind, "'tts' or 'image'");
    if (typeof generators[kind] !== 'function') {
      invalidRequest(
        `warm generators.${kind}`,
        generators[kind],
        `a ${kind} generator (items[${index}] needs it)`,
      );
    }
  });
  if (options !== undefined && !isPlainObject(options)) invalidRequest('warm options', options, 'an object');
  const { concurrency, onProgress } = (options ?? {}) as WarmOptions;
  if (concurrency !== undefined && !isPositiveInteger(concurrency)) {
    invalidRequest('warm options.concurrency', concurrency, 'a positive integer');
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    invalidRequest('warm options.onProgress', onProgress, 'a function');
  }
}

/**
 * Makes sure every item is in the cache. An item whose exact entry is indexed is reported as
 * `exact` without reading it, so warming neither loads blobs nor counts uses; anything else
 * goes through `getOrGenerate` (a similar entry answers it without a generation).
 */
async function warmOne(
  context: WarmContext,
  cache: TieredCache,
  item: WarmItem,
  generators: WarmGenerators,
): Promise<Outcome> {
  let key: AssetRequest;
  let listPrice: number | undefined;
  let generate: () => Promise<GeneratedMedia>;
  if (item.kind === 'tts') {
    const request: TtsRequest = item.request;
    key = ttsKey(request);
    listPrice = priceTts(context.pricing, request);
    generate = () => (generators.tts as NonNullable<WarmGenerators['tts']>)(request);
  } else {
    const request: ImageRequest = item.request;
    key = imageKey(request);
    listPrice = priceImage(context.pricing, request);
    generate = () => (generators.image as NonNullable<WarmGenerators['image']>)(request);
  }
  const { type, key: hash } = deriveKey(key);
  let indexed: ReturnType<TieredCache['index']['get']>;
  try {
    indexed = cache.index.get(type, hash);
  } catch {
    indexed = undefined; // a failing index is core's to report; the lookup below copes
  }
  if (indexed && (indexed.expiresAt === null || indexed.expiresAt > context.now())) return 'exact';
  let generatedHere = false;
  const result = await cache.getOrGenerate(key, async () => {
    generatedHere = true;
    return toAsset(checkMedia(item.kind, await generate()), listPrice);
  });
  if (result.source === 'generated' && !generatedHere) context.savings.record(result.entry);
  return result.source;
}

/** `MediaCache.warm`: bounded concurrency, continues past failures, reports each item. */
export async function runWarm(
  context: WarmContext,
  items: WarmItem[],
  generators: WarmGenerators,
  options?: WarmOptions,
): Promise<WarmReport> {
  checkArguments(items, generators, options);
  const report: WarmReport = {
    total: items.length,
    exact: 0,
    canonical: 0,
    similar: 0,
    generated: 0,
    skipped: 0,
    failed: [],
  };
  const cache = context.open();
  if (!cache) {
    report.skipped = items.length;
    return report;
  }
  const concurrency = options?.concurrency ?? 2;
  const onProgress = options?.onProgress;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as WarmItem;
      let progress: WarmProgress;
      try {
        const source = await warmOne(context, cache, item, generators);
        report[source]++;
        progress = { done: ++done, total: items.length, index, kind: item.kind, source };
      } catch (error) {
        const request = item.request as { text?: unknown; prompt?: unknown };
        const prompt = item.kind === 'tts' ? request.text : request.prompt;
        report.failed.push({
          index,
          kind: item.kind,
          prompt: typeof prompt === 'string' ? prompt : undefined,
          error,
        });
        progress = { done: ++done, total: items.length, index, kind: item.kind, source: 'failed', error };
      }
      try {
        onProgress?.(progress);
      } catch {
        // A progress bar that throws must not stop the warm-up.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  report.failed.sort((a, b) => a.index - b.index);
  return report;
}
