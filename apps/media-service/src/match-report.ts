import type { MatchExplanation } from '@tiercache/core';
import type { AssetRecord } from './generate-summary.js';

/** A canonical or similar hit, as `generate --json` lists it. */
export interface MatchedAsset {
  /** `video-<n>/<file>` under the channel's folder. */
  file: string;
  kind: AssetRecord['kind'];
  source: 'canonical' | 'similar';
  score: number | null;
  requestedPrompt: string;
  matchedPrompt: string | null;
  /** The served entry's key (what `cache reject --entry` takes). */
  key: string | null;
  explanation: MatchExplanation | null;
}

type Matched = AssetRecord & { source: 'canonical' | 'similar' };

export const describeSource = (record: AssetRecord) =>
  record.source === 'similar' ? `similar ${record.score?.toFixed(2)}` : record.source;

export const isMatch = (record: AssetRecord): record is Matched =>
  record.source === 'canonical' || record.source === 'similar';

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** `car->automobile (synonym), +4k (booster)`: each difference with the rule that allowed it. */
function describeDifferences(explanation: MatchExplanation | null): string {
  const differences = explanation?.differences ?? [];
  return differences
    .map(({ requested, stored, rule }) => {
      const change =
        requested === null ? `-${stored}` : stored === null ? `+${requested}` : `${requested}->${stored}`;
      return `${change} (${rule})`;
    })
    .join(', ');
}

/**
 * The request and, for a canonical or similar hit, the stored prompt that answered it and the
 * differences the matcher allowed: `a yellow car <- "a red car" [yellow->red (colour)]`.
 */
export function describeText(record: AssetRecord): string {
  if (!isMatch(record)) return clip(record.text);
  const matched = record.matchedPrompt ?? record.explanation?.matchedPrompt;
  if (matched === undefined) return clip(record.text);
  const differences = describeDifferences(record.explanation);
  return `${clip(record.text)} <- ${JSON.stringify(clip(matched))}${differences ? ` [${differences}]` : ''}`;
}

/** The `--json` line of a canonical or similar hit of `<videoFolder>/<file>`. */
export function matchedAsset(videoFolder: string, record: Matched): MatchedAsset {
  return {
    file: `${videoFolder}/${record.file}`,
    kind: record.kind,
    source: record.source,
    score: record.score,
    requestedPrompt: record.text,
    matchedPrompt: record.matchedPrompt,
    key: record.key,
    explanation: record.explanation,
  };
}
