import { canonicalJson } from './json.js';

// Pipelines pass the same params object (a voice config) with many requests. Serializing it
// with sorted keys is the largest cost of a key; comparing it with a flat record of what it
// held last time is about a third of that, and needs neither sorting nor string building.
// The flat record is only made the second time an object is seen: a params object built for
// every call (the common literal) then pays one WeakMap write, not a recording.
const remembered = new WeakMap<object, RememberedParams>();

/** What is remembered of one params object: its canonical text and, once asked, its partition. */
export interface RememberedParams {
  shape: unknown[] | undefined;
  json: string;
  /** The partition hash last derived from `json`, and for which type. */
  partition: { type: string; hash: string } | undefined;
}

const ARRAY = Symbol('array');
const OBJECT = Symbol('object');

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Flattens a (valid) params value: markers, lengths, own keys in order, leaves. */
function record(value: unknown, shape: unknown[]): void {
  if (typeof value !== 'object' || value === null) {
    shape.push(value);
    return;
  }
  if (Array.isArray(value)) {
    shape.push(ARRAY, value.length);
    for (const item of value) record(item, shape);
    return;
  }
  const keys = Object.keys(value);
  shape.push(OBJECT, keys.length);
  for (const key of keys) {
    shape.push(key);
    record((value as Record<string, unknown>)[key], shape);
  }
}

/** Whether `value` still holds exactly what `shape` recorded; returns the next position or -1. */
function matches(value: unknown, shape: unknown[], at: number): number {
  if (typeof value !== 'object' || value === null) return shape[at] === value ? at + 1 : -1;
  if (Array.isArray(value)) {
    if (shape[at] !== ARRAY || shape[at + 1] !== value.length) return -1;
    let next = at + 2;
    for (let i = 0; i < value.length && next >= 0; i++) {
      // A hole reads as undefined, never recorded from valid params: it fails here.
      if (!(i in value)) return -1;
      next = matches(value[i], shape, next);
    }
    return next;
  }
  if (!isPlainObject(value)) return -1;
  const keys = Object.keys(value);
  if (shape[at] !== OBJECT || shape[at + 1] !== keys.length) return -1;
  let next = at + 2;
  for (let i = 0; i < keys.length && next >= 0; i++) {
    const key = keys[i]!;
    if (shape[next] !== key) return -1;
    next = matches((value as Record<string, unknown>)[key], shape, next + 1);
  }
  return next;
}

/**
 * `canonicalJson` of a params object, remembered per object: equal content in the same key
 * order gives the remembered record; any change (a value, a key, a prototype) serializes and
 * validates again and forgets the partition, so a mutated object never gets a stale key.
 */
export function rememberParams(params: object): RememberedParams {
  const known = remembered.get(params);
  if (known?.shape !== undefined && matches(params, known.shape, 0) === known.shape.length) return known;
  const json = canonicalJson(params);
  if (known === undefined) {
    const fresh: RememberedParams = { shape: undefined, json, partition: undefined };
    remembered.set(params, fresh);
    return fresh;
  }
  const shape: unknown[] = [];
  record(params, shape);
  known.shape = shape;
  if (known.json !== json) known.partition = undefined;
  known.json = json;
  return known;
}
