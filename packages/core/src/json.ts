import { coreErrors } from './error-factories.js';
import { describeValue } from './errors.js';

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reject(path: ReadonlyArray<string | number>, problem: string, value: unknown): never {
  const where = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
  throw coreErrors.invalidRequest(
    `params${where} ${problem} (got ${describeValue(value)}); params must be plain JSON`,
    { context: { field: `params${where}` } },
  );
}

/**
 * Serializes plain JSON with object keys sorted, validating as it goes, in one pass.
 * Rejects what JSON.stringify would silently drop or change: undefined, functions,
 * symbols, bigints, NaN/Infinity, cycles, class instances (Date, Map, Buffer...).
 */
export function canonicalJson(value: unknown): string {
  try {
    return fastWrite(value, 0);
  } catch (error) {
    if (error !== INVALID) throw error;
    // Only now pay for paths and cycle tracking, to name the bad value.
    return diagnose(value, [], []);
  }
}

// Runs for every request: no path bookkeeping, and nesting deeper than any real params
// is treated as a suspected cycle and handed to `diagnose`.
const INVALID = Symbol('invalid params');
const MAX_DEPTH = 64;
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function fastWrite(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw INVALID;
      return value === 0 ? '0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (depth > MAX_DEPTH) throw INVALID;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw INVALID;
          out += i === 0 ? fastWrite(value[i], depth + 1) : `,${fastWrite(value[i], depth + 1)}`;
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) throw INVALID;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length > 1) keys.sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        out += `${i === 0 ? '' : ','}${quoteKey(key)}:${fastWrite(record[key], depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw INVALID;
  }
}

/** The slow twin of `fastWrite`: same output, and a precise error naming the bad value. */
function diagnose(value: unknown, ancestors: object[], path: Array<string | number>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) reject(path, 'is not a finite number', value);
      return value === 0 ? '0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (ancestors.includes(value)) reject(path, 'contains a cycle', value);
      if (ancestors.length > MAX_DEPTH) reject(path, `is nested deeper than ${MAX_DEPTH} levels`, value);
      ancestors.push(value);
      const parts: string[] = [];
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          if (!(i in value)) reject(path, 'is a hole in an array', undefined);
          parts.push(diagnose(value[i], ancestors, path));
          path.pop();
        }
      } else {
        if (!isPlainObject(value)) reject(path, 'is not a plain object', value);
        const record = value as Record<string, unknown>;
        for (const key of Object.keys(record).sort()) {
          path.push(key);
          parts.push(`${JSON.stringify(key)}:${diagnose(record[key], ancestors, path)}`);
          path.pop();
        }
      }
      ancestors.pop();
      return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
    }
    default:
      return reject(path, `is not JSON (${typeof value})`, value);
  }
}
