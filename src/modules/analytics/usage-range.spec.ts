import { alignRange, bucketStarts, previousRange, splitRange } from './usage-range';

const d = (iso: string): Date => new Date(iso);

describe('usage ranges', () => {
  it('widens a range to whole hours or days', () => {
    const range = { from: d('2026-03-01T10:20:00Z'), to: d('2026-03-02T05:10:00Z') };
    expect(alignRange(range, 'hour')).toEqual({
      from: d('2026-03-01T10:00:00Z'),
      to: d('2026-03-02T06:00:00Z'),
    });
    expect(alignRange(range, 'day')).toEqual({
      from: d('2026-03-01T00:00:00Z'),
      to: d('2026-03-03T00:00:00Z'),
    });
  });

  it('reads whole days from daily rows and the hours around them from hourly rows', () => {
    const split = splitRange({ from: d('2026-03-01T10:00:00Z'), to: d('2026-03-04T06:00:00Z') });
    expect(split.days).toEqual({ from: d('2026-03-02T00:00:00Z'), to: d('2026-03-04T00:00:00Z') });
    expect(split.hours).toEqual([
      { from: d('2026-03-01T10:00:00Z'), to: d('2026-03-02T00:00:00Z') },
      { from: d('2026-03-04T00:00:00Z'), to: d('2026-03-04T06:00:00Z') },
    ]);
    const short = { from: d('2026-03-01T10:00:00Z'), to: d('2026-03-02T06:00:00Z') };
    expect(splitRange(short)).toEqual({ days: null, hours: [short] });
    const exact = { from: d('2026-03-01T00:00:00Z'), to: d('2026-03-03T00:00:00Z') };
    expect(splitRange(exact)).toEqual({ days: exact, hours: [] });
  });

  it('compares with the period of equal length before, and lists bucket starts', () => {
    const range = { from: d('2026-03-02T00:00:00Z'), to: d('2026-03-02T03:00:00Z') };
    expect(previousRange(range)).toEqual({ from: d('2026-03-01T21:00:00Z'), to: range.from });
    expect(bucketStarts(range, 'hour').map((b) => b.toISOString())).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T01:00:00.000Z',
      '2026-03-02T02:00:00.000Z',
    ]);
  });
});
