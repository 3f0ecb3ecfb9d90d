import type { AssetRequest, MatchExplanation, MatchKind } from '@tiercache/core';
import { imageKey, ttsKey } from '@tiercache/media';
import { channelImage, channelVoice, loadChannel } from './channels.js';
import { MediaServiceError } from './errors.js';
import type { MediaService } from './media-service.js';

type Print = (line: string) => void;

/** The request whose answer is refused, named as `generate` would ask it. */
export interface RejectTarget {
  kind: 'tts' | 'image';
  /** The spoken line or the full image prompt (style included), as a manifest's `text` has it. */
  prompt: string;
  /** Take the voice or image settings from this channel, as `generate` does. @default the defaults */
  channel?: string | undefined;
  /** Reject this entry (a manifest's `key`) instead of the one the request is served now. */
  entry?: string | undefined;
}

/** What `cache reject` did, as `--json` prints it. */
export interface RejectOutcome {
  kind: 'tts' | 'image';
  prompt: string;
  requestKey: string;
  /** `recorded`: the pairing is refused from now on; `deleted`: the request's own entry was removed. */
  action: 'recorded' | 'deleted';
  /** False when the pairing was already rejected (or the entry already gone). */
  isNew: boolean;
  /** The entry that answered and must not any more. */
  rejected: {
    key: string;
    prompt: string | null;
    /** How it answered the request just now; `null` when named with `--entry`. */
    source: MatchKind | null;
    score: number | null;
    explanation: MatchExplanation | null;
  };
}

async function requestOf(service: MediaService, target: RejectTarget): Promise<AssetRequest> {
  const channel = target.channel ? await loadChannel(service.config.channelsDir, target.channel) : undefined;
  return target.kind === 'tts'
    ? ttsKey(service.ttsRequest(target.prompt, channel ? channelVoice(channel) : {}))
    : imageKey(service.imageRequest(target.prompt, channel ? channelImage(channel) : {}));
}

/**
 * Refuses one answer: the entry the request is served now (looked up like a request, so it
 * counts as a use), or the entry named by `target.entry`. A canonical or similar answer is never
 * given to this request again, by any process sharing the cache; the request's own entry (an
 * exact hit) is deleted so that the next request generates it anew.
 */
export async function rejectServed(service: MediaService, target: RejectTarget): Promise<RejectOutcome> {
  const cache = service.media.open();
  if (!cache) throw new MediaServiceError('E_USAGE', 'the cache is disabled (TIERCACHE_ENABLE_CACHE=false)');
  const request = await requestOf(service, target);
  let rejected: RejectOutcome['rejected'];
  if (target.entry !== undefined) {
    const entry = cache.index.get(request.type, target.entry);
    if (!entry)
      throw new MediaServiceError(
        'E_USAGE',
        `--entry: no ${request.type} entry ${JSON.stringify(target.entry)} in the cache`,
      );
    rejected = { key: entry.key, prompt: entry.prompt, source: null, score: null, explanation: null };
  } else {
    const hit = await cache.get(request);
    if (!hit)
      throw new MediaServiceError(
        'E_USAGE',
        `nothing to reject: ${target.kind} ${JSON.stringify(target.prompt)} is not served from the cache`,
      );
    rejected = {
      key: hit.entry.key,
      prompt: hit.entry.prompt,
      source: hit.kind,
      score: hit.score,
      explanation: hit.explanation ?? null,
    };
  }
  const result = await cache.reject(request, rejected.key);
  return {
    kind: target.kind,
    prompt: target.prompt,
    requestKey: result.requestKey,
    action: result.action,
    isNew: result.isNew,
    rejected,
  };
}

/** One line saying what was refused and what happens next. */
export function formatRejection(outcome: RejectOutcome): string {
  const { rejected } = outcome;
  const how =
    rejected.source === null
      ? ''
      : rejected.source === 'similar'
        ? `, similar ${rejected.score?.toFixed(2)}`
        : `, ${rejected.source}`;
  const entry = `entry ${rejected.key.slice(0, 12)} (${JSON.stringify(rejected.prompt)}${how})`;
  const request = `${outcome.kind} ${JSON.stringify(outcome.prompt)}`;
  if (outcome.action === 'deleted')
    return `rejected: ${request} was served its own ${entry}: deleted, the next request generates it again`;
  return `rejected: ${request} will no longer be answered by ${entry}${outcome.isNew ? '' : ' (already rejected)'}; the next request takes the next match or generates`;
}

export async function rejectCommand(
  service: MediaService,
  target: RejectTarget,
  json: boolean,
  print: Print,
): Promise<void> {
  const outcome = await rejectServed(service, target);
  print(json ? JSON.stringify(outcome, null, 2) : formatRejection(outcome));
}
