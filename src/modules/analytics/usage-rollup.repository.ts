import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';

import { mergeHistogram } from './latency-histogram';
import {
  type BucketDocument,
  type BucketScope,
  bucketId,
  bucketPeriod,
  daysOf,
  hasGlobalBucket,
  parseRollupCollection,
  ROLLUP_COLLECTION_PREFIX,
  rollupCollection,
  type RollupRow,
  rowsOfBucket,
} from './rollup-buckets';
import { RollupDayCache } from './rollup-day-cache';
import {
  decodeDigest,
  DIGEST_FORMAT,
  DIGEST_MAX_BYTES,
  digestCollection,
  type DigestDocument,
  encodeDigest,
  parseDigestCollection,
  SPAN_DAYS,
  spanCollection,
  spanStart,
} from './rollup-digests';
import { RollupEpochs } from './rollup-epochs';
import {
  ROLLUP_COUNTERS,
  ROLLUP_HISTOGRAMS,
  type RollupDimension,
  type RollupGrain,
} from './usage-rollup.schema';

export type { RollupRow } from './rollup-buckets';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * Reads in flight per pod. FerretDB answers them one after the other anyway; more only opens
 * connections (a fresh pod's first 30-day summary otherwise opened ~60 at once, ~0.5 s).
 */
const MAX_PARALLEL_READS = 6;

export interface RollupQuery {
  dimension: RollupDimension;
  grain: RollupGrain;
  /** Periods starting at or after `from` and before `to`. */
  from: Date;
  to: Date;
  /** Only these tenants; undefined = all. */
  tenantIds?: readonly string[];
  /**
   * Rows per tenant even for a global reader (a breakdown by tenant). Otherwise a global reader
   * gets the global buckets' rows (tenant `*`, summed over all tenants) where the dimension has them.
   */
  perTenant?: boolean;
}

/**
 * Reads, purges and rebuild-deletes of the usage rollup buckets (rollup-buckets.ts; writes:
 * AnalyticsRepository.applyRollups). Every read names the collection of one day and a bucket id
 * or a range of them, so it touches one small collection (FerretDB 1.24 reads whole collections).
 * Closed days come from the in-process day cache (rollup-day-cache.ts) while their epoch holds.
 */
@Injectable()
export class UsageRollupRepository {
  private readonly logger = new Logger(UsageRollupRepository.name);
  private readonly limit = limiter(MAX_PARALLEL_READS);
  /** The digest job's last whole hourly collection (hoursOfScope). */
  private wholeHours:
    { collection: string; docs: Promise<BucketDocument[]>; taken: Set<BucketScope> } | undefined;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly cache: RollupDayCache,
    private readonly epochsOf: RollupEpochs,
  ) {
    epochsOf.onBump((days) => cache.dropDays(days));
  }

  async find(query: RollupQuery, now = Date.now()): Promise<RollupRow[]> {
    if (query.from >= query.to) return [];
    if (query.tenantIds && query.tenantIds.length === 0) return [];
    const scope = scopeOf(query);
    const tenants = query.tenantIds ? new Set(query.tenantIds) : undefined;
    const from = query.from.getTime();
    const to = query.to.getTime();
    const days = daysOf(query.from, query.to).filter((day) => query.grain === 'hour' || day >= from);
    // The epochs are read before any data, so a late write after this read is never cached as current.
    const epochs = this.cache.enabled ? await this.epochsOf.current(now) : undefined;
    const parts = await Promise.all(
      days.map(async (day) => {
        const hourFilter = {
          _id: { $gte: bucketId('hour', Math.max(from, day), scope), $lt: hourBound(day, to, scope) },
        };
        if (!epochs) {
          const filter = query.grain === 'day' ? { _id: bucketId('day', day, scope) } : hourFilter;
          return this.read(query.grain, query.dimension, day, filter, tenants);
        }
        const epoch = epochs.get(day) ?? 0;
        let rows: readonly RollupRow[];
        if (RollupEpochs.isClosed('day', day, now)) {
          rows = await this.closedDay(query.grain, query.dimension, day, scope, epoch, now);
        } else if (query.grain === 'day') {
          rows = await this.read('day', query.dimension, day, { _id: bucketId('day', day, scope) });
        } else {
          rows = await this.openDayHours(query.dimension, day, scope, epoch, from, to, now);
        }
        return rows.filter(
          (r) =>
            (!tenants || tenants.has(r.tenantId)) &&
            (query.grain === 'day' || (r.period.getTime() >= from && r.period.getTime() < to)),
        );
      }),
    );
    return parts.flat();
  }

  /**
   * Daily rows of whole UTC days [from, to) for readers that ignore the period (summaries,
   * breakdowns): every aligned span of SPAN_DAYS closed days inside the range whose span digest is
   * current comes as one row per tenant and key (dated the span's first day), the other days as
   * `find` gives them. Same scope rules and tenant filter as `find`.
   */
  async findMerged(query: Omit<RollupQuery, 'grain'>, now = Date.now()): Promise<RollupRow[]> {
    const whole = { ...query, grain: 'day' as const };
    if (!this.cache.enabled || query.from >= query.to) return this.find(whole, now);
    if (query.tenantIds && query.tenantIds.length === 0) return [];
    const scope = scopeOf(query);
    const tenants = query.tenantIds ? new Set(query.tenantIds) : undefined;
    const from = query.from.getTime();
    const to = query.to.getTime();
    const epochs = await this.epochsOf.current(now);
    const spans: Promise<RollupRow[] | null>[] = [];
    const starts: number[] = [];
    for (let start = spanStart(from); start < to; start += SPAN_DAYS * DAY_MS) {
      const end = start + SPAN_DAYS * DAY_MS;
      if (start < from || end > to || !RollupEpochs.isClosed('day', end - DAY_MS, now)) continue;
      starts.push(start);
      spans.push(this.spanRows(query.dimension, start, scope, epochSum(epochs, start), now));
    }
    const merged = await Promise.all(spans);
    const rest: { from: number; to: number }[] = [];
    let cursor = from;
    merged.forEach((rows, i) => {
      if (!rows) return;
      if (starts[i]! > cursor) rest.push({ from: cursor, to: starts[i]! });
      cursor = starts[i]! + SPAN_DAYS * DAY_MS;
    });
    if (cursor < to) rest.push({ from: cursor, to });
    const parts = await Promise.all(
      rest.map((r) => this.find({ ...whole, from: new Date(r.from), to: new Date(r.to) }, now)),
    );
    const fromSpans = merged.flatMap((rows) =>
      rows ? rows.filter((r) => !tenants || tenants.has(r.tenantId)) : [],
    );
    return [...fromSpans, ...parts.flat()];
  }

  /** A span's merged rows from memory or its digest when current; null when it has none (yet). */
  private async spanRows(
    dimension: RollupDimension,
    start: number,
    scope: BucketScope,
    epoch: number,
    now: number,
  ): Promise<RollupRow[] | null> {
    const key = `${spanCollection(dimension, start)}|${scope}`;
    if (!this.cache.has(key, epoch, now)) {
      const doc = await this.limit(() =>
        this.connection.collection<DigestDocument>(spanCollection(dimension, start)).findOne({ _id: scope }),
      );
      const rows = await decodeDigest(doc, epoch, now);
      if (!rows) return null;
      return [...(await this.cache.get(key, start, epoch, () => Promise.resolve(rows), now))];
    }
    return [...(await this.cache.get(key, start, epoch, () => Promise.reject(new Error('evicted')), now))];
  }

  /**
   * The hours of the open day (today) in [from, to): those that have closed from the cache, one
   * bucket each, the current one from the database. Each is read by `_id` equality, so FerretDB
   * decodes that bucket only, not the whole day's collection (an `_id` range is not pushed down).
   */
  private async openDayHours(
    dimension: RollupDimension,
    day: number,
    scope: BucketScope,
    epoch: number,
    from: number,
    to: number,
    now: number,
  ): Promise<RollupRow[]> {
    const hours: number[] = [];
    for (let h = Math.max(from, day); h < Math.min(to, day + DAY_MS); h += HOUR_MS) hours.push(h);
    const collection = rollupCollection('hour', dimension, day);
    const parts = await Promise.all(
      hours.map((hour) => {
        const id = bucketId('hour', hour, scope);
        const load = (): Promise<RollupRow[]> => this.read('hour', dimension, day, { _id: id });
        if (!RollupEpochs.isClosed('hour', hour, now)) return load();
        return this.cache.get(`${collection}|${id}`, day, epoch, load, now);
      }),
    );
    return parts.flat();
  }

  /**
   * Loads what the dashboards read most into the day cache (RollupCacheWarmer): `keys` are the
   * closed days' (grain, dimension, scope) to load, one query at a time, until `stop()` says so.
   * Returns how many it loaded.
   */
  async warm(
    keys: readonly { grain: RollupGrain; dimension: RollupDimension; day: number; scope: BucketScope }[],
    stop: () => boolean,
    now = Date.now(),
  ): Promise<number> {
    if (!this.cache.enabled) return 0;
    const epochs = await this.epochsOf.current(now);
    let loaded = 0;
    for (const k of keys) {
      if (stop()) break;
      if (!RollupEpochs.isClosed('day', k.day, now)) continue;
      const epoch = epochs.get(k.day) ?? 0;
      if (this.cache.has(cacheKey(k.grain, k.dimension, k.day, k.scope), epoch, now)) continue;
      await this.closedDay(k.grain, k.dimension, k.day, k.scope, epoch, now);
      loaded += 1;
    }
    return loaded;
  }

  /**
   * Every row of one scope's buckets of a closed day (all tenants, all hours), through the cache:
   * from the day's digest (rollup-digests.ts) when it is current, else from the buckets, writing
   * the digest for the next reader in the background.
   */
  private closedDay(
    grain: RollupGrain,
    dimension: RollupDimension,
    day: number,
    scope: BucketScope,
    epoch: number,
    now: number,
  ): Promise<readonly RollupRow[]> {
    const load = async (): Promise<RollupRow[]> => {
      const digests = this.connection.collection<DigestDocument>(digestCollection(grain, dimension, day));
      const digested = await decodeDigest(
        await this.limit(() => digests.findOne({ _id: scope })),
        epoch,
        now,
      );
      if (digested) return digested;
      const rows = await this.read(grain, dimension, day, wholeDay(grain, day, scope));
      if (rows.length > 0) {
        this.writeDigest(digestCollection(grain, dimension, day), scope, epoch, rows, now).catch(
          (error: unknown) => this.logger.warn(`Writing a rollup digest failed: ${(error as Error).message}`),
        );
      }
      return rows;
    };
    return this.cache.get(cacheKey(grain, dimension, day, scope), day, epoch, load, now);
  }

  /** The epoch of every day that has one (RollupEpochs.current), read before a digest job pass. */
  epochs(now = Date.now()): Promise<Map<number, number>> {
    return this.epochsOf.current(now);
  }

  /**
   * The digest job's step (RollupDigestJob): writes the digest of one scope of a closed day's
   * buckets unless one written at `epoch` (read before calling), in the current format and less
   * than `refreshAfterMs` old exists. Returns whether it wrote one and when the current one was
   * written (`now` for a day without rows: it has no digest).
   */
  async ensureDigest(
    grain: RollupGrain,
    dimension: RollupDimension,
    day: number,
    scope: BucketScope,
    epoch: number,
    refreshAfterMs: number,
    now = Date.now(),
  ): Promise<{ wrote: boolean; at: number }> {
    const collection = digestCollection(grain, dimension, day);
    const currentAt = await this.currentDigestAt(collection, scope, epoch, refreshAfterMs, now);
    if (currentAt !== undefined) return { wrote: false, at: currentAt };
    const rows =
      grain === 'hour' && hasGlobalBucket(dimension)
        ? await this.hoursOfScope(dimension, day, scope)
        : await this.read(grain, dimension, day, wholeDay(grain, day, scope));
    if (rows.length === 0) return { wrote: false, at: now };
    await this.writeDigest(collection, scope, epoch, rows, now);
    return { wrote: true, at: now };
  }

  /**
   * One scope's hourly rows of a day for the digest job, which asks for the global scope and then
   * the tenant scope of each collection: FerretDB decodes the whole collection for an `_id` range
   * anyway, so it is read once (both scopes) and kept until the other scope was taken.
   */
  private async hoursOfScope(
    dimension: RollupDimension,
    day: number,
    scope: BucketScope,
  ): Promise<RollupRow[]> {
    const name = rollupCollection('hour', dimension, day);
    let whole = this.wholeHours;
    if (whole?.collection !== name || whole.taken.has(scope)) {
      whole = {
        collection: name,
        docs: this.limit(() => this.connection.collection<BucketDocument>(name).find({}).toArray()),
        taken: new Set(),
      };
      this.wholeHours = whole;
    }
    whole.taken.add(scope);
    if (whole.taken.size === 2) this.wholeHours = undefined;
    const prefix = scope === 'tenant' ? 't' : 'g';
    return (await whole.docs)
      .filter((doc) => /^[tg]\d\d$/.test(doc._id) && doc._id.startsWith(prefix))
      .flatMap((doc) => rowsOfBucket(doc, bucketPeriod('hour', day, doc._id)));
  }

  /**
   * The digest job's step for a span of SPAN_DAYS closed days starting at `start`: writes its
   * merged rows (from the days' digests where current, else their buckets) unless a digest at the
   * days' epochs, in the current format and less than `refreshAfterMs` old exists.
   */
  async ensureSpan(
    dimension: RollupDimension,
    start: number,
    scope: BucketScope,
    epochs: ReadonlyMap<number, number>,
    refreshAfterMs: number,
    now = Date.now(),
  ): Promise<{ wrote: boolean; at: number }> {
    const collection = spanCollection(dimension, start);
    const epoch = epochSum(epochs, start);
    const currentAt = await this.currentDigestAt(collection, scope, epoch, refreshAfterMs, now);
    if (currentAt !== undefined) return { wrote: false, at: currentAt };
    const days: RollupRow[] = [];
    for (let i = 0; i < SPAN_DAYS; i += 1) {
      const day = start + i * DAY_MS;
      const digest = await this.connection
        .collection<DigestDocument>(digestCollection('day', dimension, day))
        .findOne({ _id: scope });
      const rows =
        (await decodeDigest(digest, epochs.get(day) ?? 0, now)) ??
        (await this.read('day', dimension, day, wholeDay('day', day, scope)));
      days.push(...rows);
    }
    const rows = mergeRows(days, new Date(start));
    if (rows.length === 0) return { wrote: false, at: now };
    await this.writeDigest(collection, scope, epoch, rows, now);
    return { wrote: true, at: now };
  }

  /**
   * When the stored digest was written, if it is at `epoch`, in the current format and less than
   * `refreshAfterMs` old (read without its rows); undefined when it must be (re)written.
   */
  private async currentDigestAt(
    collection: string,
    scope: BucketScope,
    epoch: number,
    refreshAfterMs: number,
    now: number,
  ): Promise<number | undefined> {
    const stored = await this.connection
      .collection<DigestDocument>(collection)
      .findOne({ _id: scope }, { projection: { z: 0 } });
    const current =
      stored && stored.e === epoch && stored.f === DIGEST_FORMAT && now - stored.at < refreshAfterMs;
    return current ? stored.at : undefined;
  }

  private async writeDigest(
    collection: string,
    scope: BucketScope,
    epoch: number,
    rows: readonly RollupRow[],
    at: number,
  ): Promise<void> {
    const z = await encodeDigest(rows);
    if (z.length > DIGEST_MAX_BYTES) return;
    const doc: DigestDocument = {
      _id: scope,
      e: epoch,
      f: DIGEST_FORMAT,
      at,
      rows: rows.length,
      z,
    };
    await this.connection
      .collection<DigestDocument>(collection)
      .replaceOne({ _id: scope }, doc, { upsert: true });
  }

  private async read(
    grain: RollupGrain,
    dimension: RollupDimension,
    day: number,
    filter: mongo.Filter<BucketDocument>,
    tenants?: ReadonlySet<string>,
  ): Promise<RollupRow[]> {
    const docs = await this.limit(() =>
      this.connection
        .collection<BucketDocument>(rollupCollection(grain, dimension, day))
        .find(filter)
        .toArray(),
    );
    return docs.flatMap((doc) => rowsOfBucket(doc, bucketPeriod(grain, day, doc._id), tenants));
  }

  /** Deletes the buckets of a grain whose period started before `before` (retention); returns how many. */
  async deleteBefore(grain: RollupGrain, before: Date, stopping?: AbortSignal): Promise<number> {
    let deleted = 0;
    const days: number[] = [];
    for (const { name, day } of await this.collections(grain)) {
      // At shutdown: stop between days (the next run deletes the rest).
      if (stopping?.aborted) break;
      const collection = this.connection.collection<BucketDocument>(name);
      if (day < before.getTime()) days.push(day);
      if (day + DAY_MS <= before.getTime() || (grain === 'day' && day < before.getTime())) {
        deleted += await collection.countDocuments({});
        await collection.drop();
      } else if (grain === 'hour' && day < before.getTime()) {
        // The day the retention cuts through: only its hours before the cut.
        const cut = before.getTime();
        const ids = [...Array(24).keys()]
          .filter((h) => day + (h + 1) * HOUR_MS <= cut)
          .flatMap((h) => [
            bucketId('hour', day + h * HOUR_MS, 'tenant'),
            bucketId('hour', day + h * HOUR_MS, 'global'),
          ]);
        if (ids.length > 0) deleted += (await collection.deleteMany({ _id: { $in: ids } })).deletedCount;
      }
    }
    if (stopping?.aborted) {
      this.cache.dropDays(days);
      return deleted;
    }
    // The digests of those days (of the day the cut goes through too: they are recomputed).
    for (const { name, day } of await this.digestCollections(grain)) {
      if (day < before.getTime()) await this.connection.collection(name).drop();
    }
    // Days past retention are not read any more: other pods' cached copies just age out.
    this.cache.dropDays(days);
    if (grain === 'day') await this.epochsOf.deleteBefore(before.getTime());
    return deleted;
  }

  /** Deletes the buckets of the whole UTC days in [from, to) (a rebuild recomputes them from the logs). */
  async deleteRange(grain: RollupGrain, from: Date, to: Date): Promise<number> {
    let deleted = 0;
    const days: number[] = [];
    for (const { name, day } of await this.collections(grain)) {
      if (day < from.getTime() || day + DAY_MS > to.getTime()) continue;
      const collection = this.connection.collection<BucketDocument>(name);
      deleted += await collection.countDocuments({});
      await collection.drop();
      days.push(day);
    }
    for (const { name, day } of await this.digestCollections(grain)) {
      if (day >= from.getTime() && day + DAY_MS <= to.getTime())
        await this.connection.collection(name).drop();
    }
    // Every pod's cached copy of these days is stale now.
    await this.epochsOf.bump(days);
    return deleted;
  }

  private async digestCollections(grain: RollupGrain): Promise<{ name: string; day: number }[]> {
    const listed = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return listed
      .map((c) => ({ name: c.name, parsed: parseDigestCollection(c.name) }))
      .filter((c) => c.parsed?.grain === grain)
      .map((c) => ({ name: c.name, day: c.parsed!.day }));
  }

  private async collections(grain: RollupGrain): Promise<{ name: string; day: number }[]> {
    const listed = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return listed
      .filter((c) => c.name.startsWith(ROLLUP_COLLECTION_PREFIX))
      .map((c) => ({ name: c.name, parsed: parseRollupCollection(c.name) }))
      .filter((c) => c.parsed?.grain === grain)
      .map((c) => ({ name: c.name, day: c.parsed!.day }));
  }
}

function cacheKey(grain: RollupGrain, dimension: RollupDimension, day: number, scope: BucketScope): string {
  return `${rollupCollection(grain, dimension, day)}|${scope}`;
}

function scopeOf(query: Omit<RollupQuery, 'grain'>): BucketScope {
  return !query.tenantIds && !query.perTenant && hasGlobalBucket(query.dimension) ? 'global' : 'tenant';
}

/** A span's epoch: the sum of its days' epochs (each only grows, so any bump changes the sum). */
function epochSum(epochs: ReadonlyMap<number, number>, start: number): number {
  let sum = 0;
  for (let i = 0; i < SPAN_DAYS; i += 1) sum += epochs.get(start + i * DAY_MS) ?? 0;
  return sum;
}

/** Rows summed per tenant and key (counters added, histograms merged, the latest label), dated `period`. */
export function mergeRows(rows: readonly RollupRow[], period: Date): RollupRow[] {
  const merged = new Map<string, RollupRow>();
  for (const row of rows) {
    const id = `${row.tenantId}\u0000${row.key}`;
    let target = merged.get(id);
    if (!target) {
      target = { period, tenantId: row.tenantId, key: row.key };
      merged.set(id, target);
    }
    if (row.label !== undefined) target.label = row.label;
    for (const name of ROLLUP_COUNTERS) {
      const value = row[name];
      if (value) target[name] = (target[name] ?? 0) + value;
    }
    for (const name of ROLLUP_HISTOGRAMS) {
      if (row[name]) target[name] = mergeHistogram(target[name] ?? {}, row[name]);
    }
  }
  return [...merged.values()];
}

/** The filter of all of a scope's buckets of one day's collection of a grain. */
function wholeDay(grain: RollupGrain, day: number, scope: BucketScope): mongo.Filter<BucketDocument> {
  if (grain === 'day') return { _id: bucketId('day', day, scope) };
  return { _id: { $gte: bucketId('hour', day, scope), $lt: hourBound(day, day + DAY_MS, scope) } };
}

/** Runs at most `max` of the given tasks at a time, the others in call order. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** Upper bound of the hour buckets to read from a day's collection: the range end or the day's end. */
function hourBound(day: number, to: number, scope: BucketScope): string {
  if (to >= day + DAY_MS) return `${scope === 'tenant' ? 't' : 'g'}24`;
  return bucketId('hour', to, scope);
}
