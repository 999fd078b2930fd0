import { bucketOf, MAX_BUCKET } from './latency-histogram';
import type { RequestLog } from './request-log.schema';
import { ROLLUP_COUNTERS, type RollupDimension, type RollupGrain } from './usage-rollup.schema';

export interface RollupIncrement {
  grain: RollupGrain;
  period: Date;
  tenantId: string;
  dimension: RollupDimension;
  key: string;
  label?: string;
  /** Counter and histogram-bucket (`hLatency.b12`) increments. */
  inc: Record<string, number>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** USD → the rollups' integer unit (1e-8 USD, the gateway's cost precision). */
export function toE8(usd: number): number {
  return Math.round(usd * 1e8);
}

export function fromE8(units: number): number {
  return units / 1e8;
}

function rollupId(r: Omit<RollupIncrement, 'inc' | 'label'>): string {
  return `${r.grain}\u0000${r.period.getTime()}\u0000${r.tenantId}\u0000${r.dimension}\u0000${r.key}`;
}

/**
 * A request-log row as rollups read it: the gateway's compact rows and stored documents leave
 * fields at their default out (a missing field reads as its default).
 */
export type RollupSource = Pick<RequestLog, 'timestamp' | 'status'> & Partial<RequestLog>;

/** Histogram bucket counter names (`hLatency.b12`), built once: a name built per log is hashed per use. */
const bucketNames = (histogram: string): string[] =>
  Array.from({ length: MAX_BUCKET + 1 }, (_, i) => `${histogram}.b${i}`);
const LATENCY_BUCKETS = bucketNames('hLatency');
const OVERHEAD_BUCKETS = bucketNames('hOverhead');
const TTFT_BUCKETS = bucketNames('hTtft');

/** The named counters of a rollup row, by id (the index constants below follow this order). */
const NAMED = ROLLUP_COUNTERS;
const [REQUESTS, ERRORS, STREAMED, AUTO_ROUTED, FALLBACKS, INPUT, OUTPUT, CACHED, COST, BASELINE, SAVED] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
];
const [LATENCY_SUM, OVERHEAD_SUM, UPSTREAM_SUM, TTFT_SUM, TTFT_COUNT] = [11, 12, 13, 14, 15];
/** Counter ids of histogram buckets: `NAMED.length + histogram × BUCKETS + bucket`. */
const BUCKETS = MAX_BUCKET + 1;
const LATENCY_HIST = NAMED.length;
const OVERHEAD_HIST = LATENCY_HIST + BUCKETS;
const TTFT_HIST = OVERHEAD_HIST + BUCKETS;
const COUNTER_NAMES: readonly string[] = [...NAMED, ...LATENCY_BUCKETS, ...OVERHEAD_BUCKETS, ...TTFT_BUCKETS];

/**
 * The counters of a group of logs while they are folded: named counters in an array by id,
 * histogram buckets in a map, and the ids in the order they first got a value (so the `inc`
 * record has the keys and values the fold built before, key by key per log: rollups.spec.ts).
 * Adding a log is array and map arithmetic (a record per group took keyed stores into an object
 * of 20–40 dynamic keys per log); the record is built once per group.
 */
class GroupCounters {
  private readonly named: number[] = new Array<number>(NAMED.length).fill(0);
  /** Bit `id` set: named counter `id` has a value. */
  private present = 0;
  private readonly buckets = new Map<number, number>();
  private readonly order: number[] = [];

  /** Adds one log (`first`: the group's first). */
  add(log: RollupSource, first: boolean): void {
    this.addNamed(REQUESTS, 1);
    if (log.status !== 'success') this.addNamed(ERRORS, 1);
    if (log.stream) this.addNamed(STREAMED, 1);
    if (log.autoRouted) this.addNamed(AUTO_ROUTED, 1);
    if (log.fallback) this.addNamed(FALLBACKS, 1);
    this.addIf(INPUT, log.inputTokens);
    this.addIf(OUTPUT, log.outputTokens);
    this.addIf(CACHED, log.cachedInputTokens);
    this.addIf(COST, toE8(log.costUsd ?? 0));
    this.addIf(BASELINE, toE8(log.baselineCostUsd ?? 0));
    this.addIf(SAVED, toE8(log.savedUsd ?? 0));
    this.addIf(LATENCY_SUM, log.latencyMs);
    this.addIf(OVERHEAD_SUM, log.overheadMs);
    this.addIf(UPSTREAM_SUM, log.upstreamMs);
    this.addBucket(LATENCY_HIST + bucketOf(log.latencyMs ?? 0));
    this.addBucket(OVERHEAD_HIST + bucketOf(log.overheadMs ?? 0));
    const ttftMs = log.ttftMs;
    if (ttftMs !== null && ttftMs !== undefined) {
      // The first log's value is taken as it is (-0 stays -0); later ones are added to 0 or the sum.
      if (first) this.setNamed(TTFT_SUM, ttftMs);
      else this.addNamed(TTFT_SUM, ttftMs);
      this.addNamed(TTFT_COUNT, 1);
      this.addBucket(TTFT_HIST + bucketOf(ttftMs));
    }
  }

  /** The counters as an `$inc` record, in the order they first got a value. */
  record(): Record<string, number> {
    const inc: Record<string, number> = {};
    for (const id of this.order) {
      inc[COUNTER_NAMES[id]!] = id < LATENCY_HIST ? this.named[id]! : this.buckets.get(id)!;
    }
    return inc;
  }

  private addIf(id: number, value: number | null | undefined): void {
    if (value) this.addNamed(id, value);
  }

  private addNamed(id: number, value: number): void {
    this.named[id]! += value;
    this.mark(id);
  }

  private setNamed(id: number, value: number): void {
    this.named[id] = value;
    this.mark(id);
  }

  private mark(id: number): void {
    const bit = 1 << id;
    if ((this.present & bit) === 0) {
      this.present |= bit;
      this.order.push(id);
    }
  }

  private addBucket(id: number): void {
    const count = this.buckets.get(id);
    if (count === undefined) this.order.push(id);
    this.buckets.set(id, (count ?? 0) + 1);
  }
}

/**
 * Folds request logs into one `$inc` per (grain, period, tenant, dimension, key): hourly and daily
 * rows of the tenant total and of each dimension. A batch of 1000 requests of a few tenants
 * becomes a few hundred upserts. Runs on the gateway pods for every written batch (see RollupFold).
 */
export function buildRollups(logs: readonly RollupSource[]): RollupIncrement[] {
  const fold = new RollupFold();
  for (const log of logs) fold.add(log);
  return fold.increments();
}

/**
 * `buildRollups` one log at a time: the analytics writer folds each request as it queues its row,
 * so no row object is kept until the batch is written. Folded in three steps, each over fewer
 * items: logs with the same hour, tenant and dimension values (most of a batch) are summed once
 * (`add`); each such group is spread over its dimensions' hourly rows, and the daily rows are the
 * sums of the hourly ones (a batch spans a few hours at most) (`increments`). A group keeps its
 * keys and labels, not the log.
 */
export class RollupFold {
  private readonly groups = new Map<string, LogGroup>();
  // Consecutive logs of one group (a client's burst) skip the signature: compared field by field.
  private last: LogGroup | undefined;

  /** Logs folded so far. */
  count = 0;

  add(log: RollupSource): void {
    this.count++;
    const time = log.timestamp.getTime();
    const hourStart = time - (time % HOUR_MS);
    const last = this.last;
    let group = last !== undefined && inGroup(last, hourStart, log) ? last : undefined;
    if (group === undefined) {
      const signature = `${hourStart}\u0000${log.tenantId ?? ''}\u0000${dimensionKeys(log)}`;
      group = this.groups.get(signature);
      if (group === undefined) {
        this.last = {
          hourStart,
          tenantId: log.tenantId ?? '',
          model: log.routedModel ?? log.requestedModel ?? '',
          providerId: log.providerId ?? '',
          category: log.category ?? '',
          tier: log.tier ?? '',
          user: log.user ?? '',
          keyId: log.keyId ?? '',
          error: log.status === 'success' ? null : (log.errorType ?? log.status),
          labels: {
            tenant: log.tenantSlug ?? undefined,
            provider: log.providerSlug ?? undefined,
            key: log.keyPrefix ?? undefined,
          },
          counters: new GroupCounters(),
        };
        this.last.counters.add(log, true);
        this.groups.set(signature, this.last);
        return;
      }
    }
    // The last label seen wins, as when each log was folded on its own.
    const labels = group.labels;
    labels.tenant = log.tenantSlug ?? labels.tenant;
    labels.provider = log.providerSlug ?? labels.provider;
    labels.key = log.keyPrefix ?? labels.key;
    group.counters.add(log, false);
    this.last = group;
  }

  /** The hourly, then the daily increments of the logs folded so far (the fold is left as it is). */
  increments(): RollupIncrement[] {
    const hours = new Map<string, RollupIncrement>();
    const periods = new Map<number, Date>();
    for (const group of this.groups.values()) {
      let hour = periods.get(group.hourStart);
      if (!hour) periods.set(group.hourStart, (hour = new Date(group.hourStart)));
      const inc = group.counters.record();
      for (const [dimension, key, label] of dimensionsOfGroup(group)) {
        const id = `${group.hourStart}\u0000${group.tenantId}\u0000${dimension}\u0000${key}`;
        const entry = hours.get(id);
        if (entry) {
          if (label !== undefined) entry.label = label;
          addCounters(entry.inc, inc);
        } else {
          hours.set(id, {
            grain: 'hour',
            period: hour,
            tenantId: group.tenantId,
            dimension,
            key,
            label,
            inc: { ...inc },
          });
        }
      }
    }
    const days = new Map<string, RollupIncrement>();
    for (const h of hours.values()) {
      const time = h.period.getTime();
      const day = time - (time % DAY_MS);
      const id = `${day}\u0000${h.tenantId}\u0000${h.dimension}\u0000${h.key}`;
      const entry = days.get(id);
      if (entry) {
        if (h.label !== undefined) entry.label = h.label;
        addCounters(entry.inc, h.inc);
      } else {
        days.set(id, { ...h, grain: 'day', period: new Date(day), inc: { ...h.inc } });
      }
    }
    return [...hours.values(), ...days.values()];
  }
}

type DimensionValue = [RollupDimension, string, string | undefined];

/**
 * The dimension values of a group's logs, with the last label each saw: every dimension gets a key
 * ('' = none), so each adds up to `all`; `errorType` only for errors.
 */
function dimensionsOfGroup(group: LogGroup): DimensionValue[] {
  const labels = group.labels;
  const out: DimensionValue[] = [
    ['all', '', labels.tenant],
    ['model', group.model, undefined],
    ['provider', group.providerId, labels.provider],
    ['category', group.category, undefined],
    ['tier', group.tier, undefined],
    ['user', group.user, undefined],
    ['key', group.keyId, labels.key],
  ];
  if (group.error !== null) out.push(['errorType', group.error, undefined]);
  return out;
}

/** Logs of one hour and tenant with the same value in every dimension, summed. */
interface LogGroup {
  hourStart: number;
  tenantId: string;
  /** The group's dimension keys (as in its signature). */
  model: string;
  providerId: string;
  category: string;
  tier: string;
  user: string;
  keyId: string;
  /** null for a success, else the error key. */
  error: string | null;
  /** The last label of the group's logs (tenant slug, provider slug, key prefix). */
  labels: { tenant?: string; provider?: string; key?: string };
  counters: GroupCounters;
}

/** Whether a log belongs to a group: same hour, tenant and dimension keys (hence the same signature). */
function inGroup(group: LogGroup, hourStart: number, log: RollupSource): boolean {
  return (
    group.hourStart === hourStart &&
    group.tenantId === (log.tenantId ?? '') &&
    group.model === (log.routedModel ?? log.requestedModel ?? '') &&
    group.providerId === (log.providerId ?? '') &&
    group.keyId === (log.keyId ?? '') &&
    group.user === (log.user ?? '') &&
    group.category === (log.category ?? '') &&
    group.tier === (log.tier ?? '') &&
    group.error === (log.status === 'success' ? null : (log.errorType ?? log.status))
  );
}

/** The dimension keys of a log (a group's signature), as one string (no arrays built per log). */
function dimensionKeys(log: RollupSource): string {
  const model = log.routedModel ?? log.requestedModel ?? '';
  const error = log.status === 'success' ? '' : `\u0000${log.errorType ?? log.status}`;
  return `${model}\u0000${log.providerId ?? ''}\u0000${log.category ?? ''}\u0000${log.tier ?? ''}\u0000${log.user ?? ''}\u0000${log.keyId ?? ''}${error}`;
}

function addCounters(into: Record<string, number>, add: Record<string, number>): void {
  for (const name in add) into[name] = (into[name] ?? 0) + (add[name] ?? 0);
}

function addIncrement(into: Map<string, RollupIncrement>, r: RollupIncrement): void {
  const id = rollupId(r);
  const entry = into.get(id);
  if (!entry) {
    into.set(id, { ...r, inc: { ...r.inc } });
    return;
  }
  if (r.label !== undefined) entry.label = r.label;
  addCounters(entry.inc, r.inc);
}

/** Adds increments into `into` (modified), keyed by grain, period, tenant, dimension and key. */
export function mergeRollups(
  into: Map<string, RollupIncrement>,
  increments: Iterable<RollupIncrement>,
): Map<string, RollupIncrement> {
  for (const r of increments) addIncrement(into, r);
  return into;
}
