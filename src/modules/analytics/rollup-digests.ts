import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

import type { Histogram } from './latency-histogram';
import type { BucketScope, RollupRow } from './rollup-buckets';
import {
  ROLLUP_COUNTERS,
  ROLLUP_HISTOGRAMS,
  type RollupDimension,
  type RollupGrain,
} from './usage-rollup.schema';

/**
 * Day digests (docs/analytics.md, "Dashboard cache"): the rows of one bucket scope of a closed
 * day's rollup collection, stored once more as one gzip-compressed JSON value, in a collection of
 * their own per grain, dimension and day (`usage_digest_hour_all_20261205`, `_id` = the scope).
 *
 * Why: FerretDB 1.24 decodes a document field by field (a 30-day user breakdown reads 30 buckets of
 * ~500 entries and ~40,000 values each: seconds), while one binary value costs it next to nothing,
 * and SQLite scans only the few small digests of that collection for the `_id`. A digest is written
 * by the first reader of a closed day (in the background) and is valid while the day's epoch is
 * the one read before its buckets were (rollup-epochs.ts), like the in-memory day cache, so a fresh
 * pod reads a closed day fast without holding anything.
 */
export const DIGEST_COLLECTION_PREFIX = 'usage_digest_';
/**
 * Bumped when the encoding changes: older digests are then recomputed. 2: rows packed as arrays
 * (tenants by index, counters by position, histograms as flat `[bucket, count, …]`), gzip level 9:
 * a day's user digest is 39 KB instead of 66 KB (format 1, JSON objects, level 1), and FerretDB's
 * time to hand a digest over grows with its bytes.
 */
export const DIGEST_FORMAT = 2;
/**
 * Backstop against a late write whose epoch bump was lost (a writer crashing between the two): a
 * digest is recomputed once it is this old.
 */
export const DIGEST_MAX_AGE_MS = 24 * 3_600_000;
/** Below MongoDB's 16 MB document limit with room to spare; larger days are not digested. */
export const DIGEST_MAX_BYTES = 12 * 1024 * 1024;

const HOUR_MS = 3_600_000;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A stored digest. */
export interface DigestDocument {
  _id: BucketScope;
  /** The day's epoch read before its buckets were. */
  e: number;
  f: number;
  /** When it was written (ms). */
  at: number;
  rows: number;
  /** gzip of the rows' JSON (periods as ms). */
  z: Uint8Array | { buffer: Uint8Array };
}

/** `usage_digest_<grain>_<dimension>_<YYYYMMDD>`. */
export function digestCollection(grain: RollupGrain, dimension: RollupDimension, day: number): string {
  const id = new Date(day).toISOString().slice(0, 10).replaceAll('-', '');
  return `${DIGEST_COLLECTION_PREFIX}${grain}_${dimension}_${id}`;
}

/**
 * Span digests: the daily rows of SPAN_DAYS consecutive closed days (aligned to multiples of
 * SPAN_DAYS days since 1970) merged per tenant and key, for readers that ignore the period
 * (summaries, breakdowns): `usage_digest_span_<dimension>_<YYYYMMDD of the first day>`, `_id` the
 * scope, `e` the sum of its days' epochs (epochs only grow, so any late write changes it).
 */
export const SPAN_DAYS = 8;
const DAY_MS = 86_400_000;

/** First day of the span a UTC day start is in. */
export function spanStart(day: number): number {
  const n = Math.floor(day / DAY_MS);
  return (n - (n % SPAN_DAYS)) * DAY_MS;
}

export function spanCollection(dimension: RollupDimension, start: number): string {
  const id = new Date(start).toISOString().slice(0, 10).replaceAll('-', '');
  return `${DIGEST_COLLECTION_PREFIX}span_${dimension}_${id}`;
}

/**
 * Grain and day of a digest collection name (a span digest counts as daily, dated by its first
 * day); null for any other collection.
 */
export function parseDigestCollection(name: string): { grain: RollupGrain; day: number } | null {
  const match = /^usage_digest_(hour|day|span)_[a-zA-Z]+_(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  return {
    grain: match[1] === 'span' ? 'day' : (match[1] as RollupGrain),
    day: Date.UTC(Number(match[2]), Number(match[3]) - 1, Number(match[4])),
  };
}

/**
 * The packed form of format 2: `t` the tenant ids, `r` one array per row:
 * `[tenant index, key, label or 0, period in hours since 1970, …counters in ROLLUP_COUNTERS order
 * (0 = absent), …histograms in ROLLUP_HISTOGRAMS order as flat [bucket, count, …] arrays]`.
 */
interface Packed {
  t: string[];
  r: (string | number | number[])[][];
}

/** Compresses rows (in the thread pool, off the event loop). */
export async function encodeDigest(rows: readonly RollupRow[]): Promise<Buffer> {
  const tenants = new Map<string, number>();
  const packed: Packed = { t: [], r: [] };
  for (const row of rows) {
    let tenant = tenants.get(row.tenantId);
    if (tenant === undefined) {
      tenant = packed.t.push(row.tenantId) - 1;
      tenants.set(row.tenantId, tenant);
    }
    const out: (string | number | number[])[] = [
      tenant,
      row.key,
      row.label ?? 0,
      row.period.getTime() / HOUR_MS,
    ];
    for (const name of ROLLUP_COUNTERS) out.push(row[name] ?? 0);
    for (const name of ROLLUP_HISTOGRAMS) out.push(flatten(row[name]));
    packed.r.push(out);
  }
  return gzipAsync(JSON.stringify(packed), { level: 9 });
}

/** The rows of a digest written at `epoch`, or null when it is missing, stale or of another format. */
export async function decodeDigest(
  doc: DigestDocument | null,
  epoch: number,
  now = Date.now(),
): Promise<RollupRow[] | null> {
  if (!doc || doc.e !== epoch || doc.f !== DIGEST_FORMAT || now - doc.at >= DIGEST_MAX_AGE_MS) return null;
  // The driver hands binary values over as BSON Binary (its bytes under `buffer`).
  const bytes = doc.z instanceof Uint8Array ? doc.z : doc.z.buffer;
  const packed = JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as Packed;
  const counters = ROLLUP_COUNTERS.length;
  return packed.r.map((r) => {
    const row: RollupRow = {
      period: new Date((r[3] as number) * HOUR_MS),
      tenantId: packed.t[r[0] as number]!,
      key: r[1] as string,
    };
    if (r[2] !== 0) row.label = r[2] as string;
    for (let i = 0; i < counters; i += 1) {
      const value = r[4 + i] as number;
      if (value !== 0) row[ROLLUP_COUNTERS[i]!] = value;
    }
    for (let i = 0; i < ROLLUP_HISTOGRAMS.length; i += 1) {
      const flat = r[4 + counters + i] as number[];
      if (flat.length > 0) row[ROLLUP_HISTOGRAMS[i]!] = unflatten(flat);
    }
    return row;
  });
}

function flatten(histogram: Histogram | undefined): number[] {
  const flat: number[] = [];
  for (const name in histogram) {
    const count = histogram[name];
    if (typeof count === 'number' && count !== 0 && /^b\d+$/.test(name))
      flat.push(Number(name.slice(1)), count);
  }
  return flat;
}

function unflatten(flat: readonly number[]): Histogram {
  const histogram: Histogram = {};
  for (let i = 0; i < flat.length; i += 2) histogram[`b${flat[i]}`] = flat[i + 1]!;
  return histogram;
}
