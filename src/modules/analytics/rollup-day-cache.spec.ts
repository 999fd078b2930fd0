import { entryField } from './rollup-buckets';
import { BYTES_PER_CACHED_ROW, RollupDayCache } from './rollup-day-cache';
import { DAY_CLOSED_AFTER_MS, RollupEpochs } from './rollup-epochs';
import { fakeRollupConnection } from './testing/rollup-connection';
import { UsageRollupRepository } from './usage-rollup.repository';

const DAY_MS = 86_400_000;
const DAY = Date.UTC(2026, 2, 2);
const AFTER_CLOSE = DAY + DAY_MS + DAY_CLOSED_AFTER_MS;

function setup(maxBytes = 10 * 1024 * 1024, db = fakeRollupConnection()) {
  const epochs = new RollupEpochs(db.connection);
  const repository = new UsageRollupRepository(db.connection, new RollupDayCache(maxBytes), epochs);
  db.put('usage_day_all_20260302', {
    _id: 't',
    r: { [entryField('t1', '')]: { requests: 1 }, [entryField('t2', '')]: { requests: 2 } },
  });
  db.put('usage_day_all_20260302', { _id: 'g', r: { [entryField('*', '')]: { requests: 3 } } });
  return { ...db, epochs, repository };
}

const dayQuery = {
  dimension: 'all' as const,
  grain: 'day' as const,
  from: new Date(DAY),
  to: new Date(DAY + DAY_MS),
};

describe('RollupDayCache through UsageRollupRepository', () => {
  it('serves a closed day from memory, still limited to each reader’s tenants', async () => {
    const { repository, finds } = setup();
    const global = await repository.find({ ...dayQuery, perTenant: true }, AFTER_CLOSE);
    expect(global.map((r) => [r.tenantId, r.requests])).toEqual([
      ['t1', 1],
      ['t2', 2],
    ]);
    const t2 = await repository.find({ ...dayQuery, tenantIds: ['t2'] }, AFTER_CLOSE);
    expect(t2.map((r) => [r.tenantId, r.requests])).toEqual([['t2', 2]]);
    expect(await repository.find({ ...dayQuery, tenantIds: ['t3'] }, AFTER_CLOSE)).toEqual([]);
    expect(finds).toHaveLength(1); // one read of the tenant bucket for all three
  });

  it('reads a day that has not closed every time', async () => {
    const { repository, finds } = setup();
    const open = DAY + DAY_MS + DAY_CLOSED_AFTER_MS - 1;
    await repository.find(dayQuery, open);
    await repository.find(dayQuery, open);
    expect(finds).toHaveLength(2);
  });

  it('reads a closed day again after a late write bumped its epoch (also from another pod)', async () => {
    const { repository, put, finds, connection } = setup();
    expect((await repository.find(dayQuery, AFTER_CLOSE))[0]!.requests).toBe(3);
    put('usage_day_all_20260302', { _id: 'g', r: { [entryField('*', '')]: { requests: 4 } } });
    // Another pod's writer: its own RollupEpochs instance, same collection.
    const write = { grain: 'hour' as const, period: new Date(DAY + 23 * 3_600_000) };
    await new RollupEpochs(connection).bump(RollupEpochs.lateDays([write], AFTER_CLOSE));
    expect((await repository.find(dayQuery, AFTER_CLOSE))[0]!.requests).toBe(3); // epochs read ≤ 1 s ago
    expect((await repository.find(dayQuery, AFTER_CLOSE + 1000))[0]!.requests).toBe(4);
    expect(finds).toHaveLength(2);
  });

  it('counts a write as late once its hour ended more than 5 minutes ago', () => {
    const lastHour = { grain: 'hour' as const, period: new Date(DAY + 23 * 3_600_000) };
    const wholeDay = { grain: 'day' as const, period: new Date(DAY) };
    // A batch of 23:59:59 requests flushed just after midnight is not late.
    expect(RollupEpochs.lateDays([lastHour, wholeDay], DAY + DAY_MS + 4000)).toEqual([]);
    expect(RollupEpochs.lateDays([lastHour, wholeDay, lastHour], AFTER_CLOSE)).toEqual([DAY]);
    const firstHour = { grain: 'hour' as const, period: new Date(DAY) };
    expect(RollupEpochs.lateDays([firstHour], DAY + 2 * 3_600_000)).toEqual([DAY]); // the day is still open
  });

  it('caches the closed hours of the open day one bucket each, and reads the current hour every time', async () => {
    const { repository, put, finds } = setup();
    const today = DAY + DAY_MS;
    for (const h of ['g00', 'g01', 'g02']) {
      put('usage_hour_all_20260303', { _id: h, r: { [entryField('*', '')]: { requests: 1 } } });
    }
    const now = today + 2 * 3_600_000 + 5 * 60_000; // 02:05: hour 00 closed, 01 within the grace
    const query = {
      dimension: 'all' as const,
      grain: 'hour' as const,
      from: new Date(today),
      to: new Date(now),
    };
    expect((await repository.find(query, now)).map((r) => r.period.getUTCHours())).toEqual([0, 1, 2]);
    expect(finds).toEqual(['usage_hour_all_20260303', 'usage_hour_all_20260303', 'usage_hour_all_20260303']);
    finds.length = 0;
    await repository.find(query, now);
    expect(finds).toHaveLength(2); // 01 and 02 again, 00 from memory
  });

  it('drops the least recently used days beyond its bound', async () => {
    const { repository, put, finds } = setup(2 * BYTES_PER_CACHED_ROW);
    put('usage_day_all_20260303', { _id: 'g', r: { [entryField('*', '')]: { requests: 5 } } });
    const next = { ...dayQuery, from: new Date(DAY + DAY_MS), to: new Date(DAY + 2 * DAY_MS) };
    const later = AFTER_CLOSE + DAY_MS;
    await repository.find(dayQuery, later);
    await repository.find(next, later);
    await repository.find(dayQuery, later); // both fit (one row each)
    expect(finds).toHaveLength(2);
    await repository.find({ ...dayQuery, perTenant: true }, later); // two more rows: the oldest two go
    await repository.find(next, later);
    expect(finds).toHaveLength(4);
  });

  it('gives a fresh pod a closed day from its digest, current for the epoch and limited to its tenants', async () => {
    const first = setup();
    const written = first.digestWritten();
    await first.repository.find({ ...dayQuery, perTenant: true }, AFTER_CLOSE);
    await written;
    expect([...first.digests.keys()]).toEqual(['usage_digest_day_all_20260302|tenant']);
    first.finds.length = 0;

    // Another pod with an empty cache: the digest, not the buckets.
    const fresh = setup(10 * 1024 * 1024, first);
    const t2 = await fresh.repository.find({ ...dayQuery, tenantIds: ['t2'] }, AFTER_CLOSE);
    expect(t2.map((r) => [r.tenantId, r.requests, r.period.getTime()])).toEqual([['t2', 2, DAY]]);
    expect(first.finds).toEqual(['usage_digest_day_all_20260302|tenant']);

    // A late write: the digest of the older epoch is not used, the buckets are read and digested again.
    const after = setup(10 * 1024 * 1024, first);
    first.put('usage_day_all_20260302', {
      _id: 't',
      r: { [entryField('t1', '')]: { requests: 1 }, [entryField('t2', '')]: { requests: 7 } },
    });
    await fresh.epochs.bump([DAY]);
    const rewritten = first.digestWritten();
    first.finds.length = 0;
    expect((await after.repository.find({ ...dayQuery, tenantIds: ['t2'] }, AFTER_CLOSE))[0]!.requests).toBe(
      7,
    );
    expect(first.finds).toEqual(['usage_digest_day_all_20260302|tenant', 'usage_day_all_20260302']);
    await rewritten;
    expect(first.digests.get('usage_digest_day_all_20260302|tenant')!.e).toBe(1);
  });
});
