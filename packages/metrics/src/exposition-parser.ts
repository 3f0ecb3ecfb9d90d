import { metricsErrors } from './metrics-errors.js';

/** One sample line: `name{labels} value`. */
export interface ExpositionSample {
  /** The sample's own name (`x_bucket`, `x_sum`, `x_count` for a histogram `x`). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ExpositionFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: ExpositionSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_bucket', '_sum', '_count'];

function invalid(line: number, why: string): never {
  throw metricsErrors.invalidExposition(`line ${line} of the exposition ${why}`, { context: { line } });
}

function parseValue(raw: string, line: number): number {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (raw === 'NaN') return Number.NaN;
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value))
    invalid(line, `has a value that is not a number: ${JSON.stringify(raw)}`);
  return value;
}

/** Reads `{a="1",b="x\"y"}` starting at `text[0] === '{'`; returns the labels and the rest. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') invalid(line, 'has a malformed label');
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) invalid(line, `has an invalid label name ${JSON.stringify(name)}`);
    if (name in labels) invalid(line, `repeats the label ${name}`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] !== '\\') {
        value += text[j];
        continue;
      }
      const escaped = text[++j];
      if (escaped === 'n') value += '\n';
      else if (escaped === '\\' || escaped === '"') value += escaped;
      else invalid(line, `has an invalid escape \\${escaped ?? ''}`);
    }
    if (j >= text.length) invalid(line, 'has an unterminated label value');
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') invalid(line, 'has a malformed label list');
  }
  return { labels, rest: text.slice(i + 1) };
}

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4): every sample must
 * belong to a family declared by `# TYPE` before it, names and labels must be valid, and a
 * histogram's buckets must be cumulative and end at `+Inf` equal to its `_count`. For tests
 * and health checks of what a `/metrics` endpoint serves. Throws `E_INVALID_EXPOSITION`.
 */
export function parseExposition(text: string): Map<string, ExpositionFamily> {
  const families = new Map<string, ExpositionFamily>();
  const help = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const [, keyword, name, ...rest] = raw.split(' ');
      if (keyword === 'HELP' && name) help.set(name, rest.join(' '));
      if (keyword === 'TYPE' && name) {
        const type = rest.join(' ');
        if (!METRIC_NAME.test(name)) invalid(line, `declares an invalid metric name ${JSON.stringify(name)}`);
        if (!TYPES.has(type)) invalid(line, `declares an unknown type ${JSON.stringify(type)}`);
        if (families.has(name)) invalid(line, `declares ${name} twice`);
        families.set(name, { name, help: '', type: type as ExpositionFamily['type'], samples: [] });
      }
      return;
    }
    const nameEnd = raw.search(/[{ ]/);
    if (nameEnd <= 0) invalid(line, 'is not a sample');
    const name = raw.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) invalid(line, `has an invalid metric name ${JSON.stringify(name)}`);
    let rest = raw.slice(nameEnd);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const [value, timestamp, extra] = rest.trim().split(/\s+/);
    if (value === undefined || extra !== undefined || (timestamp !== undefined && !/^-?\d+$/.test(timestamp)))
      invalid(line, 'is not `name{labels} value [timestamp]`');
    const family =
      families.get(name) ??
      families.get(
        SUFFIXES.reduce(
          (base, suffix) => (base.endsWith(suffix) ? base.slice(0, -suffix.length) : base),
          name,
        ),
      );
    if (!family) invalid(line, `has a sample of ${name}, which no # TYPE line declared`);
    family.samples.push({ name, labels, value: parseValue(value, line) });
  });
  for (const family of families.values()) {
    family.help = help.get(family.name) ?? '';
    if (family.type === 'histogram') checkHistogram(family);
  }
  return families;
}

function checkHistogram(family: ExpositionFamily): void {
  const series = new Map<string, ExpositionSample[]>();
  for (const sample of family.samples) {
    if (sample.name !== `${family.name}_bucket`) continue;
    const { le, ...others } = sample.labels;
    if (le === undefined) invalid(0, `has a bucket of ${family.name} without le`);
    const id = JSON.stringify(others);
    series.set(id, [...(series.get(id) ?? []), sample]);
  }
  for (const [id, buckets] of series) {
    const values = buckets.map((bucket) => bucket.value);
    if (values.some((value, i) => i > 0 && value < (values[i - 1] as number)))
      invalid(0, `has buckets of ${family.name}${id} that are not cumulative`);
    const last = buckets.at(-1);
    const count = family.samples.find(
      (sample) => sample.name === `${family.name}_count` && JSON.stringify(sample.labels) === id,
    );
    if (last?.labels.le !== '+Inf' || count?.value !== last.value)
      invalid(0, `has buckets of ${family.name}${id} that do not end at +Inf = _count`);
  }
}

/** The value of the one sample named `name` (default: the family's own) whose labels include `labels`. */
export function sampleValue(
  families: Map<string, ExpositionFamily>,
  family: string,
  labels: Record<string, string> = {},
  name = family,
): number {
  const samples = families.get(family)?.samples ?? [];
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
  if (found.length !== 1)
    throw metricsErrors.invalidExposition(
      `${found.length} samples of ${name} have the labels ${JSON.stringify(labels)}`,
      { context: { name } },
    );
  return (found[0] as ExpositionSample).value;
}
