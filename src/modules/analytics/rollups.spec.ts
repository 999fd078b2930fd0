import { bucketField } from './latency-histogram';
import { buildRollups, type RollupIncrement, type RollupSource, toE8 } from './rollups';
import { requestLogRow } from './testing/log-rows';
import { randomGatewayRows, seededRandom } from './testing/random-rows';
import type { RollupDimension } from './usage-rollup.schema';

/*
 * The fold as it was before it was made cheaper per log (issue 17): the reference the new fold
 * must match exactly, increments, labels, counter names and their order included.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
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
function referenceBuildRollups(logs: readonly RollupSource[]): RollupIncrement[] {
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

/** Key order, -0, NaN and undefined kept apart (JSON alone would merge them). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && (Object.is(v, -0) || Number.isNaN(v)))
      return `<${String(Object.is(v, -0) ? '-0' : v)}>`;
    return v === undefined ? '<undefined>' : v;
  });
}

function batches<T>(rows: readonly T[], random: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length;) {
    const size = 1 + Math.floor(random() * 400);
    out.push(rows.slice(i, i + size));
    i += size;
  }
  return out;
}

describe('buildRollups (the same increments as the reference fold)', () => {
  it('on random gateway rows, shuffled and in bursts of one client, in batches of 1–400 (3,000 rows)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const random = seededRandom(seed * 7919);
      const rows = randomGatewayRows(600, seed);
      const bursts = [...rows].sort((a, b) =>
        `${a.tenantId ?? ''}\u0000${a.user ?? ''}`.localeCompare(`${b.tenantId ?? ''}\u0000${b.user ?? ''}`),
      );
      for (const batch of [...batches(rows, random), ...batches(bursts, random), rows]) {
        expect(canonical(buildRollups(batch))).toBe(canonical(referenceBuildRollups(batch)));
      }
    }
  });

  it('on stored rows with their defaults (null, false, 0) written out, as a rebuild reads them', () => {
    const rows = randomGatewayRows(2000, 42).map((row) => requestLogRow(row));
    const copies = rows.flatMap((row) => [row, { ...row }, { ...row, keyPrefix: null, tenantSlug: 'later' }]);
    expect(canonical(buildRollups(copies))).toBe(canonical(referenceBuildRollups(copies)));
  });
});
