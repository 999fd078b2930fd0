import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * A reader serves an hour or a UTC day from its cache once it ended this long ago
 * (rollup-day-cache.ts). Writes into an hour later than `LATE_WRITE_AFTER_MS` after its end bump
 * the epoch of its day; the gap between the two absorbs clock skew between pods (up to 5 minutes).
 */
export const DAY_CLOSED_AFTER_MS = 10 * 60_000;
export const LATE_WRITE_AFTER_MS = 5 * 60_000;
/** How long readers reuse what they read of the epochs (a late write shows within this + the dashboard cache). */
const READ_TTL_MS = 1000;
const COLLECTION = 'rollup_epochs';

/** `YYYYMMDD` of a UTC day start. */
function dayId(day: number): string {
  return new Date(day).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * One counter per UTC day that changed after it closed (a late rollup write: a retried batch, a
 * rebuild, the legacy migration; or a delete), cluster-wide in `rollup_epochs` (`{ _id: "20261207",
 * v: 3 }`). Readers that cache closed days compare it before serving them. Late writes are rare,
 * so the collection stays a handful of tiny documents: reading it whole is cheap even on
 * FerretDB 1.24, which reads whole collections.
 */
@Injectable()
export class RollupEpochs {
  private read: { at: number; value: Promise<Map<number, number>> } | undefined;
  private readonly listeners: ((days: readonly number[]) => void)[] = [];

  constructor(@InjectConnection() private readonly connection: Connection) {}

  /**
   * The UTC days (day starts) of rollup periods written late at `now`: into an hour or day that
   * ended more than LATE_WRITE_AFTER_MS ago.
   */
  static lateDays(periods: Iterable<{ grain: 'hour' | 'day'; period: Date }>, now = Date.now()): number[] {
    const days = new Set<number>();
    for (const { grain, period } of periods) {
      const start = period.getTime();
      if (start + (grain === 'hour' ? HOUR_MS : DAY_MS) + LATE_WRITE_AFTER_MS <= now) {
        days.add(start - (start % DAY_MS));
      }
    }
    return [...days];
  }

  /** Whether readers may serve the hour or day starting at `start` from a cache at `now`. */
  static isClosed(grain: 'hour' | 'day', start: number, now = Date.now()): boolean {
    return start + (grain === 'hour' ? HOUR_MS : DAY_MS) + DAY_CLOSED_AFTER_MS <= now;
  }

  /** Called with the bumped days (this process's cache drops them at once; other pods see the epoch). */
  onBump(listener: (days: readonly number[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Marks days as changed. Call it AFTER the change is written: a reader reads the epoch before the
   * data, so whatever it cached before this bump carries the older epoch and is read again.
   */
  async bump(days: readonly number[]): Promise<void> {
    if (days.length === 0) return;
    const unique = [...new Set(days)];
    await this.connection.collection<{ _id: string; v: number }>(COLLECTION).bulkWrite(
      unique.map((day) => ({
        updateOne: { filter: { _id: dayId(day) }, update: { $inc: { v: 1 } }, upsert: true },
      })),
      { ordered: false },
    );
    this.read = undefined;
    for (const listener of this.listeners) listener(unique);
  }

  /** The epoch of every day that has one (others are 0), at most READ_TTL_MS old. */
  current(now = Date.now()): Promise<Map<number, number>> {
    if (this.read && now - this.read.at < READ_TTL_MS) return this.read.value;
    const value = this.load();
    this.read = { at: now, value };
    value.catch(() => {
      if (this.read?.value === value) this.read = undefined;
    });
    return value;
  }

  /** Drops the epochs of days before `before` (retention: those days are gone). */
  async deleteBefore(before: number): Promise<void> {
    await this.connection.collection<{ _id: string }>(COLLECTION).deleteMany({ _id: { $lt: dayId(before) } });
  }

  private async load(): Promise<Map<number, number>> {
    const docs = await this.connection.collection<{ _id: string; v: number }>(COLLECTION).find({}).toArray();
    const epochs = new Map<number, number>();
    for (const doc of docs) {
      const day = Date.UTC(
        Number(doc._id.slice(0, 4)),
        Number(doc._id.slice(4, 6)) - 1,
        Number(doc._id.slice(6)),
      );
      epochs.set(day, doc.v);
    }
    return epochs;
  }
}
