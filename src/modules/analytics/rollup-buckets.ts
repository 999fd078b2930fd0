import type { Histogram } from './latency-histogram';
import type { RollupIncrement } from './rollups';
import {
  ROLLUP_COUNTERS,
  ROLLUP_HISTOGRAMS,
  type RollupCounter,
  type RollupDimension,
  type RollupGrain,
} from './usage-rollup.schema';

/**
 * Storage layout of the usage rollups (docs/analytics.md, "Rollup storage"): one small collection
 * per grain, dimension and UTC day (`usage_hour_model_20261207`), holding one bucket document per
 * period. A bucket maps `<tenant>|<key>` to that row's counters and histograms, so a flush writes
 * one `$inc` per touched bucket and a 30-day read fetches 30 daily buckets.
 *
 * Why collections per day: FerretDB 1.24 (SQLite) answers every query, even an `_id` lookup, by
 * reading the whole collection (docs/testing.md), so the cost of a query is the size of the
 * collection it names. A day's collection of one dimension stays small whatever the retention.
 *
 * Each period has a tenant bucket (`t…`, one entry per tenant and key) and, except for `user`
 * (user names are per tenant), a global bucket (`g…`, keyed `*|<key>`, summed over all tenants)
 * that global roles read instead of adding up every tenant.
 */

export const ROLLUP_COLLECTION_PREFIX = 'usage_';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Tenant id of the entries of a global bucket. */
export const ALL_TENANTS = '*';

/** One rollup row as the dashboards read it: counters and histograms of (period, tenant, dimension key). */
export interface RollupRow extends Partial<Record<RollupCounter, number>> {
  period: Date;
  /** The tenant, or `*` for a row of a global bucket (all tenants together). */
  tenantId: string;
  key: string;
  label?: string;
  hLatency?: Histogram;
  hOverhead?: Histogram;
  hTtft?: Histogram;
}

export type BucketScope = 'tenant' | 'global';

/** `usage_<grain>_<dimension>_<YYYYMMDD>` of the UTC day the period falls in. */
export function rollupCollection(
  grain: RollupGrain,
  dimension: RollupDimension,
  period: Date | number,
): string {
  const day = new Date(period).toISOString().slice(0, 10).replaceAll('-', '');
  return `${ROLLUP_COLLECTION_PREFIX}${grain}_${dimension}_${day}`;
}

/** Grain, dimension and day start of a rollup collection name; null for any other collection. */
export function parseRollupCollection(
  name: string,
): { grain: RollupGrain; dimension: RollupDimension; day: number } | null {
  const match = /^usage_(hour|day)_([a-zA-Z]+)_(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  const day = Date.UTC(Number(match[3]), Number(match[4]) - 1, Number(match[5]));
  return { grain: match[1] as RollupGrain, dimension: match[2] as RollupDimension, day };
}

/** `t07`/`g07` for the hour 07:00 of the collection's day, `t`/`g` for the day itself. */
export function bucketId(grain: RollupGrain, period: Date | number, scope: BucketScope): string {
  const prefix = scope === 'tenant' ? 't' : 'g';
  if (grain === 'day') return prefix;
  return prefix + String(new Date(period).getUTCHours()).padStart(2, '0');
}

/** Whether a dimension has global buckets (users are per tenant: theirs would merge strangers). */
export function hasGlobalBucket(dimension: RollupDimension): boolean {
  return dimension !== 'user';
}

/** Field names may not contain `.` or start with `$`: escape those (and `%`, `|`) in tenant and key. */
function escapeField(value: string): string {
  return value.replace(/[%.$|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function entryField(tenantId: string, key: string): string {
  return `${escapeField(tenantId)}|${escapeField(key)}`;
}

export function parseEntryField(field: string): { tenantId: string; key: string } {
  const bar = field.indexOf('|');
  return {
    tenantId: decodeURIComponent(field.slice(0, bar)),
    key: decodeURIComponent(field.slice(bar + 1)),
  };
}

/** The `$inc`/`$set` of one bucket document. */
export interface BucketUpdate {
  collection: string;
  id: string;
  inc: Record<string, number>;
  set: Record<string, string>;
}

/** Groups rollup increments by the bucket document they land in (tenant and global buckets). */
export function toBucketUpdates(increments: readonly RollupIncrement[]): BucketUpdate[] {
  const updates = new Map<string, BucketUpdate>();
  const add = (r: RollupIncrement, scope: BucketScope): void => {
    const collection = rollupCollection(r.grain, r.dimension, r.period);
    const id = bucketId(r.grain, r.period, scope);
    const mapKey = `${collection}/${id}`;
    let update = updates.get(mapKey);
    if (!update) {
      update = { collection, id, inc: {}, set: {} };
      updates.set(mapKey, update);
    }
    const entry = `r.${entryField(scope === 'tenant' ? r.tenantId : ALL_TENANTS, r.key)}`;
    for (const name in r.inc) {
      const path = `${entry}.${name}`;
      update.inc[path] = (update.inc[path] ?? 0) + (r.inc[name] ?? 0);
    }
    if (r.label !== undefined && (scope === 'tenant' || r.dimension !== 'all')) {
      update.set[`${entry}.label`] = r.label;
    }
  };
  for (const r of increments) {
    add(r, 'tenant');
    if (hasGlobalBucket(r.dimension)) add(r, 'global');
  }
  return [...updates.values()];
}

/** A stored bucket document. */
export interface BucketDocument {
  _id: string;
  r?: Record<string, Record<string, unknown>>;
}

/** The period a bucket of a collection's day stands for. */
export function bucketPeriod(grain: RollupGrain, day: number, id: string): Date {
  if (grain === 'day') return new Date(day);
  return new Date(day + Number(id.slice(1)) * HOUR_MS);
}

/** The rows of a bucket, optionally only those of some tenants. */
export function rowsOfBucket(
  doc: BucketDocument,
  period: Date,
  tenantIds?: ReadonlySet<string>,
): RollupRow[] {
  const rows: RollupRow[] = [];
  for (const field in doc.r ?? {}) {
    const { tenantId, key } = parseEntryField(field);
    if (tenantIds && !tenantIds.has(tenantId)) continue;
    const source = doc.r![field]!;
    const row: RollupRow = { period, tenantId, key };
    if (typeof source.label === 'string') row.label = source.label;
    for (const name of ROLLUP_COUNTERS) {
      const value = source[name];
      if (typeof value === 'number') row[name] = value;
    }
    for (const name of ROLLUP_HISTOGRAMS) {
      const value = source[name];
      if (value && typeof value === 'object') row[name] = value as Histogram;
    }
    rows.push(row);
  }
  return rows;
}

/** UTC day starts from the day of `from` up to the day of the last instant before `to`. */
export function daysOf(from: Date, to: Date): number[] {
  const out: number[] = [];
  for (let day = Math.floor(from.getTime() / DAY_MS) * DAY_MS; day < to.getTime(); day += DAY_MS)
    out.push(day);
  return out;
}

/** The documents the `$inc` upserts of these updates would create (bulk seeding, tests). */
export function bucketDocumentsOf(
  updates: readonly BucketUpdate[],
): (BucketUpdate & { doc: Record<string, unknown> })[] {
  return updates.map((u) => {
    const doc: Record<string, unknown> = { _id: u.id };
    for (const [path, value] of [...Object.entries(u.inc), ...Object.entries(u.set)]) {
      const parts = path.split('.');
      let node = doc;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[parts[parts.length - 1]!] = value;
    }
    return { ...u, doc };
  });
}
