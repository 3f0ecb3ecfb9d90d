import { randomBytes } from 'node:crypto';
import type { BlobRef, EntryRef } from '@tiercache/core';
import { blobPath } from '@tiercache/core/kit';

// Core's key pattern (not exported): keys are what `deriveKey` makes, validated by assertEntryRef.
const KEY_PATTERN_SOURCE = '[A-Za-z0-9_-]{1,128}';

// Asset types start with a letter or digit, so folders starting with `_` never collide with
// a type's blob folder.
const MANIFESTS = '_manifests/';
const JOURNAL = '_journal/';
const SEGMENTS = '_segments/';
const TIME_DIGITS = 15;

/**
 * An object of the journal: a `record` of the entries of one type that one tier uploaded in a
 * burst, or a `segment` into which compaction folded old records. Both hold the entries'
 * manifests (see `journal-segment.ts`).
 */
export interface JournalItem {
  kind: 'record' | 'segment';
  objectKey: string;
  time: number;
  type: string;
}

// `<ms, 15 digits>.<random>.<type>.json`, in the journal and in the segments folder alike.
const JOURNAL_NAME = new RegExp(`^(\\d{${TIME_DIGITS}})\\.([0-9a-f]{8})\\.([a-z0-9][a-z0-9_-]*)\\.json$`);
const BLOB_NAME = /^([a-z0-9][a-z0-9_-]*)\/([0-9a-f]{2})\/([0-9a-f]{64})(?:\.[a-z0-9]{1,16})?$/;
// The layout before content addressing (manifest version 1): blobs named by request key and one
// journal record per entry. Never read any more; recognised so `clear` and compaction remove them.
const LEGACY_BLOB_NAME = new RegExp(`^([a-z0-9][a-z0-9_-]*)/(${KEY_PATTERN_SOURCE})(?:\\.[a-z0-9]{1,16})?$`);
const LEGACY_RECORD_NAME = new RegExp(
  `^(\\d{${TIME_DIGITS}})\\.([0-9a-f]{8})\\.([a-z0-9][a-z0-9_-]*)\\.(${KEY_PATTERN_SOURCE})\\.json$`,
);
const MANIFEST_NAME = new RegExp(`^_manifests/([a-z0-9][a-z0-9_-]*)/(${KEY_PATTERN_SOURCE})\\.json$`);

const stampOf = (time: number) => String(Math.max(0, Math.floor(time))).padStart(TIME_DIGITS, '0');

/** Where everything lives in the bucket, under one prefix. */
export class ObjectLayout {
  constructor(readonly prefix: string) {}

  /**
   * `<prefix><type>/<2 hex>/<contentHash>.<ext>`: named by content, the layout every tier
   * shares (`blobPath`). One name always means the same bytes.
   */
  blob(ref: BlobRef): string {
    return `${this.prefix}${blobPath(ref)}`;
  }

  /** `<prefix>_manifests/<type>/<key>.json`: the entry of one request key, for `describe` and `sync`. */
  manifest(type: string, key: string): string {
    return `${this.prefix}${MANIFESTS}${type}/${key}.json`;
  }

  /** The entry a manifest's object key files, or `undefined` for any other name. */
  parseManifest(objectKey: string): EntryRef | undefined {
    if (!objectKey.startsWith(this.prefix)) return undefined;
    const match = MANIFEST_NAME.exec(objectKey.slice(this.prefix.length));
    return match ? { type: match[1]!, key: match[2]! } : undefined;
  }

  manifestFolder(type?: string): string {
    return `${this.prefix}${MANIFESTS}${type === undefined ? '' : `${type}/`}`;
  }

  journalFolder(): string {
    return `${this.prefix}${JOURNAL}`;
  }

  /**
   * `<prefix>_journal/<ms, 15 digits>.<random>.<type>.json`: names sort by the writer's clock, so
   * `ListObjectsV2 StartAfter` returns what was written after a point in time.
   */
  journal(time: number, type: string): string {
    return `${this.journalFolder()}${stampOf(time)}.${randomBytes(4).toString('hex')}.${type}.json`;
  }

  segmentFolder(): string {
    return `${this.prefix}${SEGMENTS}`;
  }

  /**
   * `<prefix>_segments/<ms>.<random>.<type>.json`: journal records of one type that compaction
   * folded into one object, stamped with the time of the newest, so it sorts where it did.
   */
  segment(time: number, type: string): string {
    return `${this.segmentFolder()}${stampOf(time)}.${randomBytes(4).toString('hex')}.${type}.json`;
  }

  /** The smallest name an item of `folder` written at `time` or later can have (a `StartAfter` value). */
  startOf(folder: string, time: number): string {
    return `${folder}${stampOf(time)}`;
  }

  /**
   * The time of a sync cursor: a journal item's name, or a mark made by `startOf` (a sync that
   * read everything up to a moment).
   */
  cursorTime(cursor: string): number | undefined {
    if (!cursor.startsWith(this.journalFolder())) return undefined;
    const stamp = new RegExp(`^\\d{${TIME_DIGITS}}`).exec(cursor.slice(this.journalFolder().length));
    return stamp ? Number(stamp[0]) : undefined;
  }

  parseJournal(objectKey: string): JournalItem | undefined {
    for (const [kind, folder] of [
      ['record', this.journalFolder()],
      ['segment', this.segmentFolder()],
    ] as const) {
      if (!objectKey.startsWith(folder)) continue;
      const match = JOURNAL_NAME.exec(objectKey.slice(folder.length));
      return match ? { kind, objectKey, time: Number(match[1]), type: match[3]! } : undefined;
    }
    return undefined;
  }

  /** A journal record of the layout before content addressing: its time, for compaction to remove it. */
  legacyRecordTime(objectKey: string): number | undefined {
    if (!objectKey.startsWith(this.journalFolder())) return undefined;
    const match = LEGACY_RECORD_NAME.exec(objectKey.slice(this.journalFolder().length));
    return match ? Number(match[1]) : undefined;
  }

  /**
   * True for names this tier writes (blobs, manifests, journal, segments) or wrote before
   * content addressing: `clear` deletes nothing else.
   */
  owns(objectKey: string, type?: string): boolean {
    if (!objectKey.startsWith(this.prefix)) return false;
    const rest = objectKey.slice(this.prefix.length);
    const blob = BLOB_NAME.exec(rest) ?? LEGACY_BLOB_NAME.exec(rest);
    if (blob?.length === 4)
      return blob[2] === blob[3]!.slice(0, 2) && (type === undefined || blob[1] === type);
    if (blob) return type === undefined || blob[1] === type;
    const legacyRecord = LEGACY_RECORD_NAME.exec(objectKey.slice(this.journalFolder().length));
    if (objectKey.startsWith(this.journalFolder()) && legacyRecord)
      return type === undefined || legacyRecord[3] === type;
    const manifest = MANIFEST_NAME.exec(rest);
    if (manifest) return type === undefined || manifest[1] === type;
    const item = this.parseJournal(objectKey);
    return item !== undefined && (type === undefined || item.type === type);
  }
}
