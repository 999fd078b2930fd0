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

/** The dimension values of one request: every dimension gets a key ('' = none) so each adds up to `all`. */
function dimensionsOf(log: RequestLog): [RollupDimension, string, string | undefined][] {
  const out: [RollupDimension, string, string | undefined][] = [
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

function countersOf(log: RequestLog): Record<string, number> {
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
 * becomes a few hundred upserts.
 */
export function buildRollups(logs: readonly RequestLog[]): RollupIncrement[] {
  const merged = new Map<string, RollupIncrement>();
  for (const log of logs) {
    const time = log.timestamp.getTime();
    const periods: [RollupGrain, Date][] = [
      ['hour', new Date(time - (time % HOUR_MS))],
      ['day', new Date(time - (time % DAY_MS))],
    ];
    const counters = countersOf(log);
    const tenantId = log.tenantId ?? '';
    for (const [dimension, key, label] of dimensionsOf(log)) {
      for (const [grain, period] of periods) {
        addIncrement(merged, { grain, period, tenantId, dimension, key, label, inc: counters });
      }
    }
  }
  return [...merged.values()];
}

function addIncrement(into: Map<string, RollupIncrement>, r: RollupIncrement): void {
  const id = rollupId(r);
  const entry = into.get(id);
  if (!entry) {
    into.set(id, { ...r, inc: { ...r.inc } });
    return;
  }
  if (r.label !== undefined) entry.label = r.label;
  for (const name in r.inc) entry.inc[name] = (entry.inc[name] ?? 0) + (r.inc[name] ?? 0);
}

/** Adds increments into `into` (modified), keyed by grain, period, tenant, dimension and key. */
export function mergeRollups(
  into: Map<string, RollupIncrement>,
  increments: Iterable<RollupIncrement>,
): Map<string, RollupIncrement> {
  for (const r of increments) addIncrement(into, r);
  return into;
}
