import { randomBytes } from 'node:crypto';
import { type ObjectRef, objectPathOf } from './object-ref.js';

// Core's key pattern (not exported): keys are what `deriveKey` makes, validated by assertBlobRef.
const KEY_PATTERN_SOURCE = '[A-Za-z0-9_-]{1,128}';

// Asset types start with a letter or digit, so folders starting with `_` never collide with
// a type's blob folder.
const MANIFESTS = '_manifests/';
const JOURNAL = '_journal/';
const TIME_DIGITS = 15;

/** Object metadata names (S3 sends them as `x-amz-meta-<name>`). */
export const META_SHA256 = 'tiercache-sha256';
export const META_SIZE = 'tiercache-size';
export const META_WRITER = 'tiercache-writer';

export interface JournalRecord {
  objectKey: string;
  time: number;
  type: string;
  key: string;
}

const JOURNAL_NAME = new RegExp(
  `^(\\d{${TIME_DIGITS}})\\.([0-9a-f]{8})\\.([a-z0-9][a-z0-9_-]*)\\.(${KEY_PATTERN_SOURCE})\\.json$`,
);
const BLOB_NAME = new RegExp(`^([a-z0-9][a-z0-9_-]*)/(${KEY_PATTERN_SOURCE})(?:\\.[a-z0-9]{1,16})?$`);
const MANIFEST_NAME = new RegExp(`^_manifests/([a-z0-9][a-z0-9_-]*)/(${KEY_PATTERN_SOURCE})\\.json$`);

/** Where everything lives in the bucket, under one prefix. */
export class ObjectLayout {
  constructor(readonly prefix: string) {}

  /** `<prefix><type>/<key>.<ext>`: the same relative layout as every other tier. */
  blob(ref: ObjectRef): string {
    return `${this.prefix}${objectPathOf(ref)}`;
  }

  /** `<prefix>_manifests/<type>/<key>.json`: the entry, for `describe` and `sync`. */
  manifest(type: string, key: string): string {
    return `${this.prefix}${MANIFESTS}${type}/${key}.json`;
  }

  manifestFolder(type?: string): string {
    return `${this.prefix}${MANIFESTS}${type === undefined ? '' : `${type}/`}`;
  }

  journalFolder(): string {
    return `${this.prefix}${JOURNAL}`;
  }

  /**
   * `<prefix>_journal/<ms, 15 digits>.<random>.<type>.<key>.json`: names sort by the writer's
   * clock, so `ListObjectsV2 StartAfter` returns what was written after a point in time.
   */
  journal(time: number, type: string, key: string): string {
    const stamp = String(Math.max(0, Math.floor(time))).padStart(TIME_DIGITS, '0');
    return `${this.journalFolder()}${stamp}.${randomBytes(4).toString('hex')}.${type}.${key}.json`;
  }

  /** The smallest name a record written at `time` or later can have (a `StartAfter` value). */
  journalStart(time: number): string {
    return `${this.journalFolder()}${String(Math.max(0, Math.floor(time))).padStart(TIME_DIGITS, '0')}`;
  }

  parseJournal(objectKey: string): JournalRecord | undefined {
    if (!objectKey.startsWith(this.journalFolder())) return undefined;
    const match = JOURNAL_NAME.exec(objectKey.slice(this.journalFolder().length));
    if (!match) return undefined;
    return { objectKey, time: Number(match[1]), type: match[3]!, key: match[4]! };
  }

  /** True for names this tier writes (blobs, manifests, journal): `clear` deletes nothing else. */
  owns(objectKey: string, type?: string): boolean {
    if (!objectKey.startsWith(this.prefix)) return false;
    const rest = objectKey.slice(this.prefix.length);
    const blob = BLOB_NAME.exec(rest);
    if (blob) return type === undefined || blob[1] === type;
    const manifest = MANIFEST_NAME.exec(rest);
    if (manifest) return type === undefined || manifest[1] === type;
    const record = this.parseJournal(objectKey);
    return record !== undefined && (type === undefined || record.type === type);
  }
}
