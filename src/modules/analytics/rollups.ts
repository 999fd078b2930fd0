import { bucketField } from './latency-histogram';
import type { RequestLog } from './request-log.schema';
import type { RollupDimension, RollupGrain } from './usage-rollup.schema';

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

/** The dimension values of one request: every dimension gets a key ('' = none) so each adds up to `all`. */
function dimensionsOf(log: RollupSource): DimensionValue[] {
  const out: DimensionValue[] = [
    ['all', '', log.tenantSlug ?? undefined],
    ['model', log.routedModel ?? log.requestedModel ?? '', undefined],
    ['provider', log.providerId ?? '', log.providerSlug ?? undefined],
    ['category', log.category ?? '', undefined],
    ['tier', log.tier ?? '', undefined],
    ['user', log.user ?? '', undefined],
    ['key', log.keyId ?? '', log.keyPrefix ?? undefined],
  ];
  if (log.status !== 'success') out.push(['errorType', log.errorType ?? log.status, undefined]);
  return out;
}

function countersOf(log: RollupSource): Record<string, number> {
  const inc: Record<string, number> = { requests: 1 };
  const add = (name: string, value: number | null | undefined): void => {
    if (value) inc[name] = value;
  };
  add('errorCount', log.status === 'success' ? 0 : 1);
  add('streamed', log.stream ? 1 : 0);
  add('autoRouted', log.autoRouted ? 1 : 0);
  add('fallbacks', log.fallback ? 1 : 0);
  add('inputTokens', log.inputTokens);
  add('outputTokens', log.outputTokens);
  add('cachedInputTokens', log.cachedInputTokens);
  add('costE8', toE8(log.costUsd ?? 0));
  add('baselineCostE8', toE8(log.baselineCostUsd ?? 0));
  add('savedE8', toE8(log.savedUsd ?? 0));
  add('latencyMsSum', log.latencyMs);
  add('overheadMsSum', log.overheadMs);
  add('upstreamMsSum', log.upstreamMs);
  inc[`hLatency.${bucketField(log.latencyMs ?? 0)}`] = 1;
  inc[`hOverhead.${bucketField(log.overheadMs ?? 0)}`] = 1;
  if (log.ttftMs !== null && log.ttftMs !== undefined) {
    inc.ttftMsSum = log.ttftMs;
    inc.ttftCount = 1;
    inc[`hTtft.${bucketField(log.ttftMs)}`] = 1;
  }
  return inc;
}

/**
 * Folds request logs into one `$inc` per (grain, period, tenant, dimension, key): hourly and daily
 * rows of the tenant total and of each dimension. A batch of 1000 requests of a few tenants
 * becomes a few hundred upserts. Runs on the gateway pods for every written batch, so it is folded
 * in three steps, each over fewer items: logs with the same hour, tenant and dimension values (most
 * of a batch) are summed once; each such group is spread over its dimensions' hourly rows; the
 * daily rows are the sums of the hourly ones (a batch spans a few hours at most).
 */
export function buildRollups(logs: readonly RollupSource[]): RollupIncrement[] {
  const groups = new Map<string, LogGroup>();
  for (const log of logs) {
    const time = log.timestamp.getTime();
    const hourStart = time - (time % HOUR_MS);
    const signature = `${hourStart}\u0000${log.tenantId ?? ''}\u0000${dimensionKeys(log)}`;
    const group = groups.get(signature);
    if (group) {
      // The last label seen wins, as when each log was folded on its own.
      const labels = group.labels;
      labels.tenant = log.tenantSlug ?? labels.tenant;
      labels.provider = log.providerSlug ?? labels.provider;
      labels.key = log.keyPrefix ?? labels.key;
      addCounters(group.inc, countersOf(log));
    } else {
      groups.set(signature, {
        hourStart,
        tenantId: log.tenantId ?? '',
        log,
        labels: {},
        inc: countersOf(log),
      });
    }
  }
  const hours = new Map<string, RollupIncrement>();
  const periods = new Map<number, Date>();
  for (const group of groups.values()) {
    let hour = periods.get(group.hourStart);
    if (!hour) periods.set(group.hourStart, (hour = new Date(group.hourStart)));
    const labels = group.labels;
    for (const [dimension, key, first] of dimensionsOf(group.log)) {
      const later =
        dimension === 'all'
          ? labels.tenant
          : dimension === 'provider'
            ? labels.provider
            : dimension === 'key'
              ? labels.key
              : undefined;
      const label = later ?? first;
      const id = `${group.hourStart}\u0000${group.tenantId}\u0000${dimension}\u0000${key}`;
      const entry = hours.get(id);
      if (entry) {
        if (label !== undefined) entry.label = label;
        addCounters(entry.inc, group.inc);
      } else {
        hours.set(id, {
          grain: 'hour',
          period: hour,
          tenantId: group.tenantId,
          dimension,
          key,
          label,
          inc: { ...group.inc },
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

type DimensionValue = [RollupDimension, string, string | undefined];

/** Logs of one hour and tenant with the same value in every dimension, summed. */
interface LogGroup {
  hourStart: number;
  tenantId: string;
  /** The group's first log (its dimension values are the group's). */
  log: RollupSource;
  /** Labels of later logs of the group (tenant slug, provider slug, key prefix). */
  labels: { tenant?: string; provider?: string; key?: string };
  inc: Record<string, number>;
}

/** The dimension keys of `dimensionsOf`, as one string (no arrays built per log). */
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
