import { calendarPeriods, type UsageSource, UsageLedger } from './usage-ledger';

describe('calendarPeriods', () => {
  it('uses UTC days, ISO weeks starting Monday and calendar months', () => {
    const periods = calendarPeriods(new Date('2025-01-15T13:00:00Z')); // a Wednesday
    expect(periods).toMatchObject({ day: '2025-01-15', weekStart: '2025-01-13', monthStart: '2025-01-01' });
    expect(periods.ends.day.toISOString()).toBe('2025-01-16T00:00:00.000Z');
    expect(periods.ends.week.toISOString()).toBe('2025-01-20T00:00:00.000Z');
    expect(periods.ends.month.toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(calendarPeriods(new Date('2025-03-02T00:00:00Z')).weekStart).toBe('2025-02-24');
  });
});

describe('UsageLedger', () => {
  const now = new Date('2025-01-15T13:00:00Z');
  function source(rows: { day: string; costUsd: number }[]): UsageSource & { calls: number } {
    const s = {
      calls: 0,
      dailyTotals: () => {
        s.calls += 1;
        return Promise.resolve(
          rows.map((r) => ({ day: r.day, totals: { costUsd: r.costUsd, tokens: 10, requests: 1 } })),
        );
      },
    };
    return s;
  }

  it('sums persisted days into day, week and month, loading once', async () => {
    const s = source([
      { day: '2025-01-02', costUsd: 1 },
      { day: '2025-01-13', costUsd: 2 },
      { day: '2025-01-15', costUsd: 4 },
    ]);
    const ledger = new UsageLedger(s, 60_000);
    const usage = await ledger.current('t', now);
    expect(usage.day.costUsd).toBe(4);
    expect(usage.week.costUsd).toBe(6);
    expect(usage.month.costUsd).toBe(7);
    const again = ledger.current('t', now);
    expect(again).not.toBeInstanceOf(Promise);
    expect(s.calls).toBe(1);
  });

  it('adds what this pod recorded since the last load, synchronously', async () => {
    const ledger = new UsageLedger(source([]), 60_000);
    await ledger.current('t', now);
    ledger.record('t', { costUsd: 0.5, tokens: 100, requests: 1 }, now);
    const usage = ledger.current('t', now) as Awaited<ReturnType<UsageLedger['current']>>;
    expect(usage.day).toEqual({ costUsd: 0.5, tokens: 100, requests: 1 });
  });

  it('refreshes in the background after the interval and never blocks a warm request', async () => {
    const s = source([{ day: '2025-01-15', costUsd: 1 }]);
    const ledger = new UsageLedger(s, 1_000);
    await ledger.current('t', now);
    const later = new Date(now.getTime() + 2_000);
    expect(ledger.current('t', later)).not.toBeInstanceOf(Promise);
    await new Promise((r) => setImmediate(r));
    expect(s.calls).toBe(2);
  });
});
