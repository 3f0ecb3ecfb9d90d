import { invalidOption, isPlainObject } from './invalid.js';
import type { ImageRequest, TtsRequest } from './media-types.js';

/** A list price; the parts that apply are added up. All amounts in USD. */
export interface Price {
  /** Per generation. @default 0 */
  perCall?: number;
  /** Per character of TTS text. @default 0 */
  perCharacter?: number;
  /** Per megapixel of image output (width × height / 1,000,000; 1024×1024 when not given). @default 0 */
  perMegapixel?: number;
}

/**
 * Prices by TTS engine and by image model. A `'*'` entry prices anything not listed;
 * without one, an unlisted engine or model records no cost (unknown, counted as 0 saved).
 */
export interface PricingTable {
  tts: Record<string, Price>;
  image: Record<string, Price>;
}

/**
 * Illustrative list prices (USD) of common engines and models, as published by their
 * providers in 2024–2025. Check your own contract and override them with `pricing`.
 */
export const DEFAULT_PRICING: PricingTable = Object.freeze({
  tts: Object.freeze({
    'espeak-ng': {},
    kokoro: {},
    piper: {},
    'openai-tts-1': { perCharacter: 15 / 1_000_000 },
    'openai-tts-1-hd': { perCharacter: 30 / 1_000_000 },
    'google-standard': { perCharacter: 4 / 1_000_000 },
    'polly-standard': { perCharacter: 4 / 1_000_000 },
    elevenlabs: { perCharacter: 0.3 / 1000 },
  }),
  image: Object.freeze({
    local: {},
    'local-renderer': {},
    'black-forest-labs/FLUX.1-schnell-Free': {},
    'black-forest-labs/FLUX.1-schnell': { perMegapixel: 0.0027 },
    'black-forest-labs/FLUX.1-dev': { perMegapixel: 0.025 },
    'black-forest-labs/FLUX.1.1-pro': { perMegapixel: 0.04 },
    'black-forest-labs/FLUX.1-pro': { perMegapixel: 0.05 },
  }),
}) as PricingTable;

const PRICE_FIELDS = ['perCall', 'perCharacter', 'perMegapixel'] as const;

/** Merges `pricing` over the defaults, validating every price. */
export function resolvePricing(pricing: unknown): PricingTable {
  if (pricing === undefined) return DEFAULT_PRICING;
  if (!isPlainObject(pricing)) invalidOption('pricing', pricing, 'an object with tts and/or image prices');
  const resolved: PricingTable = { tts: { ...DEFAULT_PRICING.tts }, image: { ...DEFAULT_PRICING.image } };
  for (const [kind, table] of Object.entries(pricing)) {
    if (kind !== 'tts' && kind !== 'image') invalidOption(`pricing.${kind}`, table, 'only tts or image');
    if (table === undefined) continue;
    if (!isPlainObject(table)) invalidOption(`pricing.${kind}`, table, 'an object of prices by name');
    for (const [name, price] of Object.entries(table)) {
      const option = `pricing.${kind}.${name}`;
      if (!isPlainObject(price)) invalidOption(option, price, 'an object such as { perCall: 0.01 }');
      for (const [field, amount] of Object.entries(price)) {
        if (!(PRICE_FIELDS as readonly string[]).includes(field)) {
          invalidOption(`${option}.${field}`, amount, `one of ${PRICE_FIELDS.join(', ')}`);
        }
        if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
          invalidOption(`${option}.${field}`, amount, 'a non-negative number of USD');
        }
      }
      resolved[kind][name] = price as Price;
    }
  }
  return resolved;
}

// Own keys only: an engine named `toString` must not find Object.prototype's.
const own = (table: Record<string, Price>, name: string | undefined): Price | undefined =>
  name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;

function charge(price: Price | undefined, characters: number, megapixels: number): number | undefined {
  if (price === undefined) return undefined;
  const total =
    (price.perCall ?? 0) + (price.perCharacter ?? 0) * characters + (price.perMegapixel ?? 0) * megapixels;
  return Math.round(total * 1e9) / 1e9;
}

/** The list price of one TTS generation, or `undefined` when its engine has no price. */
export function priceTts(pricing: PricingTable, request: TtsRequest): number | undefined {
  return charge(
    own(pricing.tts, request.engine) ?? own(pricing.tts, '*'),
    [...request.text.trim()].length,
    0,
  );
}

/** The list price of one image generation, or `undefined` when its model has no price. */
export function priceImage(pricing: PricingTable, request: ImageRequest): number | undefined {
  const price = own(pricing.image, request.model) ?? own(pricing.image, '*');
  const megapixels = ((request.width ?? 1024) * (request.height ?? 1024)) / 1_000_000;
  return charge(price, 0, megapixels);
}
