import type { RollupRow } from './rollup-buckets';

/** Measured heap per cached row (counters and three sparse histograms as parsed objects): ~1.3 KB. */
export const BYTES_PER_CACHED_ROW = 1400;
/** Backstop against a late write whose epoch bump was lost (a writer crashing between the two). */
const MAX_AGE_MS = 15 * 60_000;

interface Entry {
  day: number;
  epoch: number;
  at: number;
  rows: Promise<readonly RollupRow[]>;
  /** Known once loaded; counted against the bound. */
  size: number;
}

/**
 * The parsed rollup buckets of closed UTC days (docs/analytics.md, "Dashboard cache"): one entry
 * per day collection and bucket scope (`usage_day_model_20261205|global`), holding every tenant's
 * rows of it, as the database holds them. It caches storage, never answers: every read filters the
 * rows to the caller's tenants exactly as after a database read, so nothing in it depends on who
 * asked first. An entry is valid while the day's epoch (rollup-epochs.ts) is the one read before
 * it was loaded. Least recently used entries go first once the rows exceed `maxBytes`.
 */
export class RollupDayCache {
  private readonly entries = new Map<string, Entry>();
  private rows = 0;
  private readonly maxRows: number;

  constructor(maxBytes: number) {
    this.maxRows = Math.floor(maxBytes / BYTES_PER_CACHED_ROW);
  }

  get enabled(): boolean {
    return this.maxRows > 0;
  }

  /** Rows cached under `key` at `epoch`, else loaded by `load` (concurrent misses share one load). */
  get(
    key: string,
    day: number,
    epoch: number,
    load: () => Promise<readonly RollupRow[]>,
    now = Date.now(),
  ): Promise<readonly RollupRow[]> {
    const hit = this.entries.get(key);
    if (hit && hit.epoch === epoch && now - hit.at < MAX_AGE_MS) {
      // Most recently used last (Map order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.rows;
    }
    if (hit) this.remove(key, hit);
    const entry: Entry = { day, epoch, at: now, rows: load(), size: 0 };
    this.entries.set(key, entry);
    entry.rows.then(
      (rows) => {
        if (this.entries.get(key) !== entry) return;
        entry.size = rows.length;
        this.rows += rows.length;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.rows;
  }

  /** Whether `key` is cached at `epoch` (the warmer skips those). */
  has(key: string, epoch: number, now = Date.now()): boolean {
    const hit = this.entries.get(key);
    return hit !== undefined && hit.epoch === epoch && now - hit.at < MAX_AGE_MS;
  }

  /** Drops every entry of these UTC days (a local rebuild, delete or late write). */
  dropDays(days: readonly number[]): void {
    const set = new Set(days);
    for (const [key, entry] of this.entries) if (set.has(entry.day)) this.remove(key, entry);
  }

  /** Drops everything (a benchmark's fresh pod). */
  clear(): void {
    this.entries.clear();
    this.rows = 0;
  }

  /** Cached rows (for tests and the warmer's log line). */
  get size(): number {
    return this.rows;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.rows -= entry.size;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.rows <= this.maxRows) return;
      this.remove(key, entry);
    }
  }
}
