import { Types } from 'mongoose';

import {
  bloomHas,
  bloomOf,
  chunkIds,
  dayCollection,
  dayOfCollection,
  distinctRows,
  FAILED_STATUSES,
  filterTokenGroups,
  hashTokenGroups,
  hourEntry,
  hourKey,
  hourMayMatch,
  matchesFilter,
  newestFirst,
  packRows,
  packStoredRows,
  storedNewestFirst,
  storedRow,
  unpackRows,
  unpackStoredRows,
} from './request-log.chunks';
import { REQUEST_STATUSES, type RequestLogRecord } from './request-log.schema';

function row(at: string, extra: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return {
    _id: new Types.ObjectId(),
    timestamp: new Date(at),
    requestId: `req-${Math.random()}`,
    tenantId: 't1',
    endpoint: 'chat',
    status: 'success',
    httpStatus: 200,
    ...extra,
  } as RequestLogRecord;
}

const range = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z') };

describe('request log chunks', () => {
  it('names day collections by UTC day and reads the day back', () => {
    const day = Date.UTC(2026, 11, 7);
    expect(dayCollection(day + 86_399_900)).toBe('request_logs_20261207');
    expect(dayOfCollection('request_logs_20261207')).toBe(day);
    expect(dayOfCollection('request_logs_recent')).toBeUndefined();
    expect(hourKey(Date.parse('2026-12-07T23:59:59.900Z'))).toBe('23');
    expect(chunkIds('05', 3)).toEqual(['h05', 'h05.1', 'h05.2']);
  });

  it('packs rows losslessly (ids, dates, nested fields)', () => {
    const rows = [
      row('2026-12-07T10:00:00.123Z', { attempts: [{ provider: 'p', model: 'm', outcome: 'ok', ms: 1.5 }] }),
      row('2026-12-07T10:00:01Z', { user: 'ann', costUsd: 0.00012345 }),
    ];
    const back = unpackRows(packRows(rows));
    expect(back).toEqual(rows);
    expect(back[0]!._id).toBeInstanceOf(Types.ObjectId);
  });

  it('rewrites stored rows to the same bytes as packing the records (compactions skip the conversion)', () => {
    const rows = [
      row('2026-12-07T10:00:00.123Z', { attempts: [{ provider: 'p', model: 'm', outcome: 'ok', ms: 1.5 }] }),
      row('2026-12-07T10:00:01Z', { user: 'ann \u00e9 "q"', costUsd: 0.00012345, latencyMs: -0 }),
    ];
    const z = packRows(rows);
    expect(Buffer.from(packStoredRows(unpackStoredRows(z)).buffer)).toEqual(Buffer.from(z.buffer));
    expect(Buffer.from(packStoredRows(rows.map(storedRow)).buffer)).toEqual(Buffer.from(z.buffer));
  });

  it('orders newest first with _id breaking ties, and drops duplicates', () => {
    const a = row('2026-12-07T10:00:00Z');
    const b = { ...row('2026-12-07T10:00:00Z'), _id: new Types.ObjectId('ffffffffffffffffffffffff') };
    const c = row('2026-12-07T11:00:00Z');
    expect([a, b, c].sort(newestFirst)).toEqual([c, b, a]);
    expect(distinctRows([a, b, a])).toHaveLength(2);
    expect([a, b, c].map(storedRow).sort(storedNewestFirst)).toEqual([c, b, a].map(storedRow));
  });

  it('a Bloom filter has every token it was built from', () => {
    const tokens = new Set([...Array(500).keys()].map((i) => `u:user-${i}`));
    const bits = bloomOf(tokens);
    for (const t of tokens) expect(bloomHas(bits, t)).toBe(true);
    const misses = [...Array(1000).keys()].filter((i) => bloomHas(bits, `u:other-${i}`)).length;
    expect(misses).toBeLessThan(5);
  });

  it('an hour summary rules out hours that cannot match and keeps those that can', () => {
    const entry = hourEntry(
      [
        row('2026-12-07T10:00:00Z', { user: 'ann', latencyMs: 900, costUsd: 0.01 }),
        row('2026-12-07T10:05:00Z', { status: 'error', errorType: 'timeout' }),
      ],
      1,
    );
    const may = (f: Parameters<typeof matchesFilter>[1]): boolean =>
      hourMayMatch(entry, f, hashTokenGroups(filterTokenGroups(f)));
    expect(may({ ...range, user: 'ann' })).toBe(true);
    expect(may({ ...range, user: 'bob' })).toBe(false);
    expect(may({ ...range, failed: true })).toBe(true);
    expect(may({ ...range, errorType: 'rate_limited' })).toBe(false);
    expect(may({ ...range, minLatencyMs: 1000 })).toBe(false);
    expect(may({ ...range, minCostUsd: 0.01 })).toBe(true);
    expect(may({ ...range, tenantIds: ['t2', 't1'] })).toBe(true);
    expect(may({ ...range, tenantIds: ['t2'] })).toBe(false);
  });

  it('knows every status but success as failed', () => {
    expect([...FAILED_STATUSES].sort()).toEqual(REQUEST_STATUSES.filter((s) => s !== 'success').sort());
  });

  it('matches compact rows (absent fields are their defaults)', () => {
    const r = row('2026-12-07T10:00:00Z');
    expect(matchesFilter(r, { ...range, stream: false })).toBe(true);
    expect(matchesFilter(r, { ...range, stream: true })).toBe(false);
    expect(matchesFilter(r, { ...range, minCostUsd: 0.001 })).toBe(false);
    expect(matchesFilter(r, { ...range, inSession: true })).toBe(false);
    expect(matchesFilter(r, { from: range.from, to: new Date('2026-12-07T10:00:00Z') })).toBe(false);
  });
});
