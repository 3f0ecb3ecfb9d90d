import type { Entry, Savings } from '@tiercache/core';
import type { MediaStats } from './media-types.js';

const zero = (): Savings => ({ generations: 0, generationMs: 0, generationCost: 0 });
// Sums of fractional milliseconds and fractions of a cent collect float noise: cut it off
// below what anyone reads (a microsecond, a billionth of a dollar).
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Adds up, per asset type, what the entries served this session cost to generate. */
export class SavingsLedger {
  readonly #byType = new Map<string, Savings>([
    ['tts', zero()],
    ['image', zero()],
  ]);

  record(entry: Entry): void {
    let totals = this.#byType.get(entry.type);
    if (!totals) {
      totals = zero();
      this.#byType.set(entry.type, totals);
    }
    totals.generations++;
    totals.generationMs += entry.generationMs ?? 0;
    totals.generationCost += entry.generationCost ?? 0;
  }

  snapshot(): MediaStats['saved'] {
    const saved: MediaStats['saved'] = { ...zero(), byType: {} };
    for (const [type, totals] of this.#byType) {
      saved.byType[type] = {
        generations: totals.generations,
        generationMs: round(totals.generationMs, 3),
        generationCost: round(totals.generationCost, 9),
      };
      saved.generations += totals.generations;
      saved.generationMs += totals.generationMs;
      saved.generationCost += totals.generationCost;
    }
    saved.generationMs = round(saved.generationMs, 3);
    saved.generationCost = round(saved.generationCost, 9);
    return saved;
  }
}
