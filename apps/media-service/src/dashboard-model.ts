import type { PricingTable } from '@tiercache/media';
import type { RunRecord } from './metrics-log.js';
import type { AllTimeFigures, SavingsResult } from './savings-calculator.js';

// The JSON the dashboard server answers and the page (`dashboard-client/`) renders: one
// definition for both sides, so a renamed figure fails to compile on either.

export interface PricingSelection {
  ttsEngine: string;
  imageModel: string;
}

export interface TypeUsage {
  entries: number;
  uses: number;
  hits: number;
  bytes: number;
  hitRate: number;
}

/** The answer of `GET /api/dashboard`; the page renders it and reprices with `computeSavings`. */
export interface DashboardData {
  generatedAt: string;
  profile: string;
  cacheDir: string | null;
  cacheEnabled: boolean;
  allTime: {
    entries: number;
    bytes: number;
    requests: number;
    hits: number;
    hitRate: number;
    byType: Record<string, TypeUsage>;
  };
  figures: AllTimeFigures;
  /** Each tier's holdings now and the hits it served in the logged runs. */
  tiers: { name: string; entries: number | null; bytes: number | null; runHits: number }[];
  /** The last logged runs, oldest first. */
  runs: RunRecord[];
  pricing: PricingTable;
  calculator: PricingSelection & { videos: number; requestsPerVideo: number };
  /** `computeSavings` at `calculator`'s selection, for readers of the JSON. */
  savings: SavingsResult;
}
