import { describeValue, TiercacheError } from './errors.js';

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reject(path: string, problem: string, value: unknown): never {
  throw new TiercacheError(
    'E_INVALID_REQUEST',
    `@tiercache/core: params${path} ${problem} (got ${describeValue(value)}); params must be plain JSON`,
    { context: { field: `params${path}` } },
  );
}

/**
 * Serializes plain JSON with object keys sorted, validating as it goes, in one pass.
 * Rejects what JSON.stringify would silently drop or change: undefined, functions,
 * symbols, bigints, NaN/Infinity, cycles, class instances (Date, Map, Buffer...).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) reject(path, 'is not a finite number', value);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (ancestors.has(value)) reject(path, 'contains a cycle', value);
      ancestors.add(value);
      let out: string;
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) reject(`${path}[${i}]`, 'is a hole in an array', undefined);
          parts.push(write(value[i], `${path}[${i}]`, ancestors));
        }
        out = `[${parts.join(',')}]`;
      } else {
        if (!isPlainObject(value)) reject(path, 'is not a plain object', value);
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record).sort();
        const parts: string[] = [];
        for (const key of keys) {
          parts.push(`${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, ancestors)}`);
        }
        out = `{${parts.join(',')}}`;
      }
      ancestors.delete(value);
      return out;
    }
    default:
      return reject(path, `is not JSON (${typeof value})`, value);
  }
}
