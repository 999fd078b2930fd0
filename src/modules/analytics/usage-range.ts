import type { RollupGrain } from './usage-rollup.schema';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface TimeRange {
  from: Date;
  to: Date;
}

const STEP: Record<RollupGrain, number> = { hour: HOUR_MS, day: DAY_MS };

/** Widens a range to whole hours or days (UTC): rollups know nothing finer. */
export function alignRange(range: TimeRange, grain: RollupGrain): TimeRange {
  const step = STEP[grain];
  const from = Math.floor(range.from.getTime() / step) * step;
  const to = Math.max(from + step, Math.ceil(range.to.getTime() / step) * step);
  return { from: new Date(from), to: new Date(to) };
}

/** The period of equal length right before `range`. */
export function previousRange(range: TimeRange): TimeRange {
  const length = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - length), to: range.from };
}

/**
 * Splits an hour-aligned range into the whole UTC days inside it (read from daily rows) and the
 * hours before and after them (hourly rows): 30 days cost 30 daily rows per key, not 720.
 */
export function splitRange(range: TimeRange): { days: TimeRange | null; hours: TimeRange[] } {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const firstDay = Math.ceil(from / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(to / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return { days: null, hours: [range] };
  const hours: TimeRange[] = [];
  if (from < firstDay) hours.push({ from: range.from, to: new Date(firstDay) });
  if (lastDay < to) hours.push({ from: new Date(lastDay), to: range.to });
  return { days: { from: new Date(firstDay), to: new Date(lastDay) }, hours };
}

/** Bucket starts of a grain covering an aligned range. */
export function bucketStarts(range: TimeRange, grain: RollupGrain): Date[] {
  const out: Date[] = [];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += STEP[grain]) out.push(new Date(t));
  return out;
}
