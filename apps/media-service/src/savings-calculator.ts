import type { Entry, IndexStats } from '@tiercache/core';
import type { Price } from '@tiercache/media';

/**
 * What the index knows about one asset type, all time, in the linear quantities list prices are
 * made of: any price (`perCall + perCharacter × characters + perMegapixel × megapixels`) can then
 * be applied to the totals without the entries, which is what lets the dashboard page reprice in
 * the browser from one JSON answer.
 */
export interface TypeFigures {
  /** Entries stored: one generation each. */
  entries: number;
  /** Requests served from the entries: `uses − entries`. */
  hits: number;
  bytes: number;
  /** Characters of the stored TTS texts (0 for images). */
  characters: number;
  /** Characters the hits did not send to an engine: each text's length × its hits. */
  hitCharacters: number;
  /** Megapixels of the stored images (0 for speech); 1024×1024 when a request named no size. */
  megapixels: number;
  hitMegapixels: number;
  /** Generation time of the stored entries, and that time × hits. */
  generationMs: number;
  savedGenerationMs: number;
  /** Cost recorded when each entry was generated, and that cost × hits. */
  generationCost: number;
  savedGenerationCost: number;
}

export interface AllTimeFigures {
  byType: Record<string, TypeFigures>;
}

/** One price per asset type: TTS by engine, images by model (or a custom price). */
export interface PriceChoice {
  tts: Price;
  image: Price;
}

export interface SavingsOptions {
  /** Videos to project savings for. */
  videos: number;
  /** Cache requests one video makes (narration lines plus images). */
  requestsPerVideo: number;
}

/**
 * What the hits saved: `generations`, `generationMs` and `generationCost` are core's `Savings`
 * (the cost at the prices recorded in the entries); the list prices are the chosen ones.
 */
export interface TypeSavings {
  /** Generations the hits avoided. */
  generations: number;
  /** Generation time of the served entries, once per hit. */
  generationMs: number;
  /** What the hits would have cost at the chosen list price. */
  listPriceSaved: number;
  /** What generating the stored entries cost at the chosen list price. */
  listPriceSpent: number;
}

export interface SavingsResult {
  requests: number;
  /** Generations the hits avoided. */
  generations: number;
  hitRate: number;
  /** Generation time the hits avoided. */
  generationMs: number;
  /** The hits at the prices recorded in the entries (what the engines actually charge). */
  generationCost: number;
  listPriceSaved: number;
  listPriceSpent: number;
  byType: Record<string, TypeSavings>;
  projection: {
    videos: number;
    requestsPerVideo: number;
    generations: number;
    generationMs: number;
    listPriceSaved: number;
  };
}

/**
 * All-time generations, generation time and money saved at a chosen price, and the same per `videos` videos
 * at the all-time hit rate and average saving per hit.
 *
 * The dashboard page imports this module in the browser (it has no runtime imports), so the
 * browser and `cache savings` compute the same numbers.
 */
export function computeSavings(
  figures: AllTimeFigures,
  prices: PriceChoice,
  options: SavingsOptions,
): SavingsResult {
  const round = (value: number) => Math.round(value * 1e9) / 1e9;
  const charge = (price: Price | undefined, calls: number, characters: number, megapixels: number) =>
    price
      ? (price.perCall ?? 0) * calls +
        (price.perCharacter ?? 0) * characters +
        (price.perMegapixel ?? 0) * megapixels
      : 0;
  const byType: Record<string, TypeSavings> = {};
  let entries = 0;
  let hits = 0;
  let ms = 0;
  let money = 0;
  let spent = 0;
  let recorded = 0;
  for (const [type, f] of Object.entries(figures.byType)) {
    const price = type === 'tts' ? prices.tts : type === 'image' ? prices.image : undefined;
    const saved = charge(price, f.hits, f.hitCharacters, f.hitMegapixels);
    const cost = charge(price, f.entries, f.characters, f.megapixels);
    byType[type] = {
      generations: f.hits,
      generationMs: round(f.savedGenerationMs),
      listPriceSaved: round(saved),
      listPriceSpent: round(cost),
    };
    entries += f.entries;
    hits += f.hits;
    ms += f.savedGenerationMs;
    money += saved;
    spent += cost;
    recorded += f.savedGenerationCost;
  }
  const requests = entries + hits;
  const hitRate = requests === 0 ? 0 : hits / requests;
  // A hit saves what an average past hit saved; before any hit, what an average generation cost.
  const perHit = (total: number, perEntry: number) =>
    hits > 0 ? total / hits : entries > 0 ? perEntry / entries : 0;
  const projectedCalls = options.videos * options.requestsPerVideo * hitRate;
  return {
    requests,
    generations: hits,
    hitRate,
    generationMs: round(ms),
    generationCost: round(recorded),
    listPriceSaved: round(money),
    listPriceSpent: round(spent),
    byType,
    projection: {
      videos: options.videos,
      requestsPerVideo: options.requestsPerVideo,
      generations: round(projectedCalls),
      generationMs: round(projectedCalls * perHit(ms, ms)),
      listPriceSaved: round(projectedCalls * perHit(money, spent)),
    },
  };
}

const emptyFigures = (): TypeFigures => ({
  entries: 0,
  hits: 0,
  bytes: 0,
  characters: 0,
  hitCharacters: 0,
  megapixels: 0,
  hitMegapixels: 0,
  generationMs: 0,
  savedGenerationMs: 0,
  generationCost: 0,
  savedGenerationCost: 0,
});

function megapixelsOf(params: string): number {
  let width = 1024;
  let height = 1024;
  try {
    const parsed = JSON.parse(params) as { width?: unknown; height?: unknown };
    if (typeof parsed.width === 'number') width = parsed.width;
    if (typeof parsed.height === 'number') height = parsed.height;
  } catch {
    // Params are canonical JSON written by core; an unreadable row is priced at the default size.
  }
  return (width * height) / 1_000_000;
}

/**
 * The index's all-time figures: counts, uses and bytes from `stats()`, the priced quantities
 * from the entries (characters and megapixels measured the way `priceTts`/`priceImage` do).
 */
export function figuresFromIndex(stats: IndexStats, entries: readonly Entry[]): AllTimeFigures {
  const byType: Record<string, TypeFigures> = {};
  for (const [type, figures] of Object.entries(stats.byType)) {
    byType[type] = {
      ...emptyFigures(),
      entries: figures.entries,
      hits: figures.uses - figures.entries,
      bytes: figures.bytes,
    };
  }
  for (const entry of entries) {
    const f = byType[entry.type];
    if (!f) continue;
    const hits = Math.max(0, entry.useCount - 1);
    const characters = entry.type === 'tts' ? [...entry.prompt.trim()].length : 0;
    const megapixels = entry.type === 'image' ? megapixelsOf(entry.params) : 0;
    f.characters += characters;
    f.hitCharacters += characters * hits;
    f.megapixels += megapixels;
    f.hitMegapixels += megapixels * hits;
    f.generationMs += entry.generationMs ?? 0;
    f.savedGenerationMs += (entry.generationMs ?? 0) * hits;
    f.generationCost += entry.generationCost ?? 0;
    f.savedGenerationCost += (entry.generationCost ?? 0) * hits;
  }
  return { byType };
}
