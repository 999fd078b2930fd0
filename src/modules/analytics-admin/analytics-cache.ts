import { Injectable } from '@nestjs/common';

/** How long a dashboard answer is reused: short, so a request shows up within 10 s (rollups: ≤ 5 s). */
export const ANALYTICS_CACHE_TTL_MS = 3000;
const MAX_ENTRIES = 1000;

/**
 * A small in-process cache of dashboard answers. Callers build keys that contain the reader's
 * tenant scope (AnalyticsScopeResolver), so one tenant never gets another's cached answer.
 * Concurrent misses for the same key share one computation.
 */
@Injectable()
export class AnalyticsCache {
  private readonly entries = new Map<string, { expires: number; value: Promise<unknown> }>();

  private readonly ttlMs = ANALYTICS_CACHE_TTL_MS;

  get<T>(key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (this.entries.size >= MAX_ENTRIES) this.evict(now);
    const value = compute();
    this.entries.set(key, { expires: now + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    // Still full: drop the oldest (Map keeps insertion order).
    while (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
