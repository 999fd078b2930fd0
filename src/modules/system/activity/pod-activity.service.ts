import { Injectable } from '@nestjs/common';

import { MinuteSeries } from './minute-series';

/** A circuit breaker as a pod reports it (provider and model as admins know them). */
export interface PodBreakerState {
  provider: string;
  model: string;
  state: 'closed' | 'open' | 'half_open';
  failures: number;
}

/** What this pod saw of one provider model recently (from its own upstream calls). */
export interface UpstreamActivity {
  provider: string;
  model: string;
  /** Last 15 minutes. */
  calls: number;
  failures: number;
  latencyMsSum: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
}

/** Live numbers a module can contribute to the heartbeat (read every heartbeat, not per request). */
export interface PodActivitySources {
  inFlight?: () => number;
  breakers?: () => PodBreakerState[];
}

const TRAFFIC_MINUTES = 60;
/** Provider health covers this many recent minutes. */
export const UPSTREAM_WINDOW_MINUTES = 15;
/** Bounds the per-model map when a pod sees many models (old entries are forgotten first). */
const MAX_UPSTREAM_MODELS = 500;

interface UpstreamEntry {
  provider: string;
  model: string;
  series: MinuteSeries;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
}

/**
 * This pod's recent traffic, fed by the gateway (a few counter increments per request, no I/O)
 * and read by the heartbeat writer: gateway requests per minute for the last hour, and upstream
 * calls per provider model for the last 15 minutes (provider health).
 */
@Injectable()
export class PodActivity {
  private readonly traffic = new MinuteSeries(TRAFFIC_MINUTES);
  private readonly upstreams = new Map<string, UpstreamEntry>();
  /** The entry of the last upstream counted (always in `upstreams`: only a new entry, which becomes the last, evicts). */
  private lastUpstream: UpstreamEntry | undefined;
  private sources: PodActivitySources = {};

  /** Counts one gateway request (failed = answered with an error status). */
  countRequest(failed: boolean, latencyMs = 0, now: number = Date.now()): void {
    this.traffic.record(failed, latencyMs, now);
  }

  /** Records one upstream attempt of a provider model. */
  countUpstream(
    provider: string,
    model: string,
    ok: boolean,
    latencyMs: number,
    now: number = Date.now(),
  ): void {
    // Most requests go to the model the previous one went to: no key built then.
    let entry = this.lastUpstream;
    if (entry?.provider !== provider || entry.model !== model) {
      entry = this.upstreamEntry(provider, model);
      this.lastUpstream = entry;
    }
    entry.series.record(!ok, latencyMs, now);
    if (ok) entry.lastSuccessAt = now;
    else entry.lastFailureAt = now;
  }

  private upstreamEntry(provider: string, model: string): UpstreamEntry {
    const key = `${provider}\u0000${model}`;
    let entry = this.upstreams.get(key);
    if (!entry) {
      if (this.upstreams.size >= MAX_UPSTREAM_MODELS) {
        const oldest = this.upstreams.keys().next().value;
        if (oldest !== undefined) this.upstreams.delete(oldest);
      }
      entry = {
        provider,
        model,
        series: new MinuteSeries(UPSTREAM_WINDOW_MINUTES),
        lastSuccessAt: null,
        lastFailureAt: null,
      };
      this.upstreams.set(key, entry);
    }
    return entry;
  }

  /** The gateway registers where its in-flight count and breaker states come from. */
  setSources(sources: PodActivitySources): void {
    this.sources = { ...this.sources, ...sources };
  }

  inFlight(): number {
    return this.sources.inFlight?.() ?? 0;
  }

  breakers(): PodBreakerState[] {
    return this.sources.breakers?.() ?? [];
  }

  trafficMinutes() {
    return this.traffic.recent(TRAFFIC_MINUTES);
  }

  /** Requests and errors of the last 60 s (the previous minute weighted by how much of it is in). */
  lastMinute(now: number = Date.now()): { requests: number; errors: number } {
    const [previous, current] = [this.traffic.total(2, now), this.traffic.total(1, now)];
    const weight = 1 - (now % 60_000) / 60_000;
    return {
      requests: Math.round(current.requests + (previous.requests - current.requests) * weight),
      errors: Math.round(current.errors + (previous.errors - current.errors) * weight),
    };
  }

  upstreamActivity(): UpstreamActivity[] {
    const result: UpstreamActivity[] = [];
    for (const entry of this.upstreams.values()) {
      const total = entry.series.total(UPSTREAM_WINDOW_MINUTES);
      if (total.requests === 0 && entry.lastSuccessAt === null && entry.lastFailureAt === null) continue;
      result.push({
        provider: entry.provider,
        model: entry.model,
        calls: total.requests,
        failures: total.errors,
        latencyMsSum: total.latencyMsSum,
        lastSuccessAt: entry.lastSuccessAt,
        lastFailureAt: entry.lastFailureAt,
      });
    }
    return result;
  }
}
