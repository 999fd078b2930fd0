/** Spend and usage of one tenant in one calendar period. */
export interface UsageTotals {
  costUsd: number;
  tokens: number;
  requests: number;
}

export const BUDGET_PERIODS = ['day', 'week', 'month'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export type PeriodUsage = Record<BudgetPeriod, UsageTotals>;

/** Reads persisted per-day totals of a tenant (the analytics rollups), `YYYY-MM-DD` inclusive. */
export interface UsageSource {
  dailyTotals(
    tenantId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ day: string; totals: UsageTotals }[]>;
}

export const USAGE_SOURCE = Symbol('USAGE_SOURCE');

export interface CalendarPeriods {
  day: string;
  weekStart: string;
  monthStart: string;
  ends: Record<BudgetPeriod, Date>;
}

let cachedDay = -1;
let cachedPeriods: CalendarPeriods | undefined;

/** UTC calendar periods containing `now`: start day of each and when each ends (cached per day). */
export function calendarPeriods(now: Date): CalendarPeriods {
  const dayNumber = Math.floor(now.getTime() / 86_400_000);
  if (dayNumber === cachedDay && cachedPeriods) return cachedPeriods;
  cachedPeriods = computePeriods(now);
  cachedDay = dayNumber;
  return cachedPeriods;
}

function computePeriods(now: Date): CalendarPeriods {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  const dayStart = Date.UTC(y, m, d);
  // ISO weeks start on Monday.
  const weekday = (now.getUTCDay() + 6) % 7;
  const weekStart = dayStart - weekday * 86_400_000;
  return {
    day: isoDay(dayStart),
    weekStart: isoDay(weekStart),
    monthStart: isoDay(Date.UTC(y, m, 1)),
    ends: {
      day: new Date(dayStart + 86_400_000),
      week: new Date(weekStart + 7 * 86_400_000),
      month: new Date(Date.UTC(y, m + 1, 1)),
    },
  };
}

export function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

const zero = (): UsageTotals => ({ costUsd: 0, tokens: 0, requests: 0 });
const zeroPeriods = (): PeriodUsage => ({ day: zero(), week: zero(), month: zero() });

function addInto(target: UsageTotals, delta: UsageTotals): void {
  target.costUsd += delta.costUsd;
  target.tokens += delta.tokens;
  target.requests += delta.requests;
}

interface Entry {
  day: string;
  persisted: PeriodUsage;
  /** Recorded by this pod since the last load started (not yet visible in the database). */
  local: PeriodUsage;
  loadedAt: number;
  loading?: Promise<void>;
}

/**
 * Current day/week/month usage per tenant for budgets and quotas, without a database read on a warm
 * request: the persisted totals (analytics rollups, which every pod writes) are loaded on first use
 * and refreshed in the background every `refreshMs`; what this pod recorded since the last load is
 * added on top. Another pod's spend shows up within one refresh plus its analytics flush interval.
 */
export class UsageLedger {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: UsageSource,
    private readonly refreshMs = 10_000,
  ) {}

  /** Synchronous when the tenant's totals are loaded (the usual case); awaits the first load. */
  current(tenantId: string, now: Date = new Date()): PeriodUsage | Promise<PeriodUsage> {
    const { day } = calendarPeriods(now);
    const entry = this.entries.get(tenantId);
    if (entry && entry.day === day) {
      if (!entry.loading && now.getTime() - entry.loadedAt >= this.refreshMs) {
        entry.loading = this.load(tenantId, entry, now).catch(() => undefined);
      }
      return sum(entry);
    }
    const fresh: Entry = { day, persisted: zeroPeriods(), local: zeroPeriods(), loadedAt: 0 };
    this.entries.set(tenantId, fresh);
    fresh.loading = this.load(tenantId, fresh, now);
    return fresh.loading.then(() => sum(fresh));
  }

  record(tenantId: string, delta: UsageTotals, now: Date = new Date()): void {
    const entry = this.entries.get(tenantId);
    if (!entry || entry.day !== calendarPeriods(now).day) return;
    for (const period of BUDGET_PERIODS) addInto(entry.local[period], delta);
  }

  private async load(tenantId: string, entry: Entry, now: Date): Promise<void> {
    const { day, weekStart, monthStart } = calendarPeriods(now);
    const startedAt = now.getTime();
    const localBefore = clone(entry.local);
    try {
      const from = weekStart < monthStart ? weekStart : monthStart;
      const rows = await this.source.dailyTotals(tenantId, from, day);
      const persisted = zeroPeriods();
      for (const row of rows) {
        if (row.day === day) addInto(persisted.day, row.totals);
        if (row.day >= weekStart) addInto(persisted.week, row.totals);
        if (row.day >= monthStart) addInto(persisted.month, row.totals);
      }
      entry.persisted = persisted;
      // What was recorded while the query ran stays local; older local records are in the database now.
      for (const period of BUDGET_PERIODS) subtractInto(entry.local[period], localBefore[period]);
      entry.loadedAt = startedAt;
    } finally {
      entry.loading = undefined;
    }
  }
}

function sum(entry: Entry): PeriodUsage {
  const result = zeroPeriods();
  for (const period of BUDGET_PERIODS) {
    addInto(result[period], entry.persisted[period]);
    addInto(result[period], entry.local[period]);
  }
  return result;
}

function clone(usage: PeriodUsage): PeriodUsage {
  return { day: { ...usage.day }, week: { ...usage.week }, month: { ...usage.month } };
}

function subtractInto(target: UsageTotals, delta: UsageTotals): void {
  target.costUsd = Math.max(0, target.costUsd - delta.costUsd);
  target.tokens = Math.max(0, target.tokens - delta.tokens);
  target.requests = Math.max(0, target.requests - delta.requests);
}
