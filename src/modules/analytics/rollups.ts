import { ROLLUP_COUNTERS, type RollupCounter, type RollupDimension } from './daily-rollup.schema';
import type { RequestLog } from './request-log.schema';

export interface RollupIncrement {
  day: string;
  tenantId: string;
  dimension: RollupDimension;
  key: string;
  inc: Partial<Record<RollupCounter, number>>;
}

/**
 * Folds a batch of request logs into one `$inc` per (day, tenant, dimension, key): a batch of 500
 * requests of one tenant and model becomes a handful of upserts.
 */
export function buildRollups(logs: readonly RequestLog[]): RollupIncrement[] {
  const merged = new Map<string, RollupIncrement>();
  let dayNumber = NaN;
  let day = '';
  for (const log of logs) {
    if (!log.tenantId) continue;
    // A batch spans one or two UTC days: format the day only when it changes.
    const number = Math.floor(log.timestamp.getTime() / 86_400_000);
    if (number !== dayNumber) {
      dayNumber = number;
      day = log.timestamp.toISOString().slice(0, 10);
    }
    const counters = countersOf(log);
    const keys: [RollupDimension, string][] = [
      ['tenant', ''],
      ['model', log.routedModel ?? log.requestedModel ?? 'none'],
    ];
    if (log.category) keys.push(['category', log.category]);
    if (log.user) keys.push(['user', log.user]);
    for (const [dimension, key] of keys) {
      const id = `${day}\u0000${log.tenantId}\u0000${dimension}\u0000${key}`;
      let entry = merged.get(id);
      if (!entry) {
        entry = { day, tenantId: log.tenantId, dimension, key, inc: {} };
        merged.set(id, entry);
      }
      const inc = entry.inc;
      for (const name of ROLLUP_COUNTERS) {
        const value = counters[name];
        if (value !== 0) inc[name] = (inc[name] ?? 0) + value;
      }
    }
  }
  return [...merged.values()];
}

/** Adds increments into `into`, keyed by day, tenant, dimension and key (`into` is modified). */
export function mergeRollups(
  into: Map<string, RollupIncrement>,
  increments: Iterable<RollupIncrement>,
): Map<string, RollupIncrement> {
  for (const r of increments) {
    const id = `${r.day}\u0000${r.tenantId}\u0000${r.dimension}\u0000${r.key}`;
    const entry = into.get(id);
    if (!entry) {
      into.set(id, { ...r, inc: { ...r.inc } });
      continue;
    }
    for (const [name, value] of Object.entries(r.inc) as [RollupCounter, number][]) {
      entry.inc[name] = (entry.inc[name] ?? 0) + value;
    }
  }
  return into;
}

function countersOf(log: RequestLog): Record<RollupCounter, number> {
  return {
    requests: 1,
    errorCount: log.status === 'success' ? 0 : 1,
    streamed: log.stream ? 1 : 0,
    autoRouted: log.autoRouted ? 1 : 0,
    fallbacks: log.fallback ? 1 : 0,
    inputTokens: log.inputTokens,
    outputTokens: log.outputTokens,
    costUsd: log.costUsd,
    baselineCostUsd: log.baselineCostUsd,
    savedUsd: log.savedUsd,
    latencyMsTotal: log.latencyMs,
    overheadMsTotal: log.overheadMs,
    upstreamMsTotal: log.upstreamMs,
  };
}
