import { DEFAULT_PRICING, priceImage, priceTts } from '@tiercache/media';

// A yardstick for free local engines: the same avoided calls at common hosted list prices.
export const HOSTED_REFERENCE = { tts: 'openai-tts-1', image: 'black-forest-labs/FLUX.1-schnell' } as const;

/** What one request (a spoken line or an image prompt) costs at `HOSTED_REFERENCE`'s list prices. */
export function hostedPriceOf(kind: 'tts' | 'image', text: string): number {
  return kind === 'tts'
    ? (priceTts(DEFAULT_PRICING, { text, engine: HOSTED_REFERENCE.tts, voice: null }) ?? 0)
    : (priceImage(DEFAULT_PRICING, { prompt: text, model: HOSTED_REFERENCE.image }) ?? 0);
}
