/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it throws
 * on anything a Prometheus server would reject or that breaks the format's rules (bad names,
 * label syntax or escapes, values, a TYPE after samples, families split apart, duplicate series,
 * histograms whose buckets are not cumulative or lack `+Inf`, `_count` or `_sum`).
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const closed = new Set<string>();
  const seen = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a line feed');
  lines.pop();
  lines.forEach((line, index) => {
    const fail = (message: string): never => {
      throw new Error(`line ${index + 1}: ${message}: ${JSON.stringify(line)}`);
    };
    const enter = (family: string): MetricFamily => {
      if (current !== family) {
        if (closed.has(family)) fail(`samples of ${family} are not contiguous`);
        if (current) closed.add(current);
        current = family;
      }
      let entry = families.get(family);
      if (!entry) {
        entry = { name: family, type: 'untyped', samples: [] };
        families.set(family, entry);
      }
      return entry;
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // a plain comment
      const [, kind, name, rest] = match as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      const family = enter(name);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest as MetricType)) fail('unknown type');
        if (family.samples.length > 0) fail('TYPE after samples');
        if (family.type !== 'untyped' || seen.has(`TYPE ${name}`)) fail('second TYPE');
        seen.add(`TYPE ${name}`);
        family.type = rest as MetricType;
      } else {
        if (family.help !== undefined) fail('second HELP');
        family.help = unescape(rest, fail);
      }
      return;
    }
    const sample = parseSample(line, fail);
    const family = enter(familyOf(sample.name, families, current));
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) fail('duplicate series');
    seen.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** `x_bucket`, `x_sum` and `x_count` belong to the histogram/summary family `x` being read. */
function familyOf(name: string, families: Map<string, MetricFamily>, current: string | undefined): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  if (
    base !== name &&
    family &&
    (family.type === 'histogram' || family.type === 'summary') &&
    current === base
  )
    return base;
  return name;
}

function parseSample(line: string, fail: (message: string) => never): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) fail('bad metric name');
  const name = nameMatch[0];
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const label = /^([^=]*)="/.exec(rest);
      if (!label || !LABEL_NAME.test(label[1]!)) fail('bad label');
      rest = rest.slice(label[0].length);
      let value = '';
      let i = 0;
      for (; i < rest.length && rest[i] !== '"'; i += 1) {
        if (rest[i] === '\\') {
          const next = rest[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else fail('bad escape in a label value');
          i += 1;
        } else value += rest[i];
      }
      if (i >= rest.length) fail('unterminated label value');
      if (label[1]! in labels) fail('repeated label');
      labels[label[1]!] = value;
      rest = rest.slice(i + 1);
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) fail('expected , or } after a label');
    }
  }
  const parts = rest.split(' ');
  if (parts[0] !== '' || parts.length < 2 || parts.length > 3)
    fail('expected one space, a value and an optional timestamp');
  const value = parseValue(parts[1]!);
  if (value === undefined) fail('bad value');
  if (parts[2] !== undefined && !/^-?\d+$/.test(parts[2])) fail('bad timestamp');
  return { name, labels, value: value };
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function unescape(text: string, fail: (message: string) => never): string {
  return text.replace(/\\(.)/g, (_, c: string) =>
    c === 'n' ? '\n' : c === '\\' ? '\\' : fail('bad escape in HELP'),
  );
}

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${family.name}_bucket without le`);
      const bound = parseValue(le);
      if (bound === undefined) throw new Error(`${family.name}_bucket with le="${le}"`);
      entry.buckets.push([bound, s.value]);
    } else if (s.name === `${family.name}_sum`) entry.sum = s.value;
    else if (s.name === `${family.name}_count`) entry.count = s.value;
    else throw new Error(`${s.name} in histogram ${family.name}`);
  }
  for (const [labels, entry] of series) {
    const where = `${family.name}${labels}`;
    if (entry.sum === undefined || entry.count === undefined)
      throw new Error(`${where} lacks _sum or _count`);
    const last = entry.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${where} lacks the +Inf bucket`);
    if (last[1] !== entry.count) throw new Error(`${where}: +Inf bucket differs from _count`);
    for (let i = 1; i < entry.buckets.length; i += 1) {
      const [bound, count] = entry.buckets[i]!;
      const [prevBound, prevCount] = entry.buckets[i - 1]!;
      if (bound <= prevBound) throw new Error(`${where}: buckets not in increasing le order`);
      if (count < prevCount) throw new Error(`${where}: buckets not cumulative`);
    }
  }
}
