import { entryField } from '../analytics/rollup-buckets';
import { RollupDayCache } from '../analytics/rollup-day-cache';
import { SPAN_DAYS, spanCollection, spanStart } from '../analytics/rollup-digests';
import { RollupEpochs } from '../analytics/rollup-epochs';
import { type FakeRollupConnection, fakeRollupConnection } from '../analytics/testing/rollup-connection';
import { UsageRollupRepository } from '../analytics/usage-rollup.repository';
import type { LeasedJobsService } from '../system/jobs/leased-jobs.service';
import { DIGEST_DAYS, DIGEST_REFRESH_AFTER_MS, RollupDigestJob } from './rollup-digest-job';

const DAY_MS = 86_400_000;
const TODAY = Date.UTC(2026, 2, 10);
const NOW = TODAY + 9 * 3_600_000;
const YESTERDAY = TODAY - DAY_MS;
const OLD = TODAY - 40 * DAY_MS;
/** The 8-day span OLD is in (closed; yesterday's is not). */
const SPAN = spanStart(OLD);

function pod(db: FakeRollupConnection) {
  const epochs = new RollupEpochs(db.connection);
  const repository = new UsageRollupRepository(db.connection, new RollupDayCache(10 * 1024 * 1024), epochs);
  const jobs = { register: jest.fn() } as unknown as LeasedJobsService;
  return { epochs, repository, job: new RollupDigestJob(jobs, repository) };
}

function seed() {
  const db = fakeRollupConnection();
  for (const [day, name] of [
    [YESTERDAY, '20260309'],
    [OLD, '20260129'],
  ] as const) {
    db.put(`usage_day_all_${name}`, {
      _id: 't',
      r: { [entryField('t1', '')]: { requests: 1 }, [entryField('t2', '')]: { requests: 2 } },
    });
    db.put(`usage_day_all_${name}`, { _id: 'g', r: { [entryField('*', '')]: { requests: 3 } } });
    db.put(`usage_hour_user_${name}`, { _id: 't05', r: { [entryField('t1', 'ann')]: { requests: 1 } } });
    db.put(`usage_hour_model_${name}`, { _id: 't05', r: { [entryField('t1', 'm')]: { requests: 1 } } });
    db.put(`usage_hour_model_${name}`, { _id: 'g05', r: { [entryField('*', 'm')]: { requests: 1 } } });
    expect(day % DAY_MS).toBe(0);
  }
  return db;
}

describe('RollupDigestJob', () => {
  it('covers every grain, dimension and scope of the last 62 closed days, daily digests first', () => {
    const keys = RollupDigestJob.keys(NOW);
    // 8 dimensions, all but `user` with a global bucket: 15 scopes per grain and day.
    expect(keys).toHaveLength(2 * DIGEST_DAYS * 15);
    expect(keys[0]).toEqual({ grain: 'day', dimension: 'all', scope: 'global', day: YESTERDAY });
    expect(keys.findIndex((k) => k.grain === 'hour')).toBe(DIGEST_DAYS * 15);
    expect(Math.min(...keys.map((k) => k.day))).toBe(TODAY - DIGEST_DAYS * DAY_MS);
    expect(keys.some((k) => k.dimension === 'user' && k.scope === 'global')).toBe(false);
  });

  it('writes the digests a fresh pod then reads instead of the buckets, and rewrites only what changed', async () => {
    const db = seed();
    const first = pod(db);
    const pass = await first.job.run(NOW);
    // Day all (global, tenant), hour model (both) and hour user (tenant) of both days; the closed
    // span of OLD (all).
    expect(pass.written).toBe(12);
    expect([...db.digests.keys()].sort()).toEqual([
      'usage_digest_day_all_20260129|global',
      'usage_digest_day_all_20260129|tenant',
      'usage_digest_day_all_20260309|global',
      'usage_digest_day_all_20260309|tenant',
      'usage_digest_hour_model_20260129|global',
      'usage_digest_hour_model_20260129|tenant',
      'usage_digest_hour_model_20260309|global',
      'usage_digest_hour_model_20260309|tenant',
      'usage_digest_hour_user_20260129|tenant',
      'usage_digest_hour_user_20260309|tenant',
      `${spanCollection('all', SPAN)}|global`,
      `${spanCollection('all', SPAN)}|tenant`,
    ]);

    // A new pod: the previous period's day (40 days ago) comes from its digest, limited to its tenant.
    const fresh = pod(db);
    db.reads.length = 0;
    const rows = await fresh.repository.find(
      { dimension: 'all', grain: 'day', from: new Date(OLD), to: new Date(OLD + DAY_MS), tenantIds: ['t2'] },
      NOW,
    );
    expect(rows.map((r) => [r.tenantId, r.requests])).toEqual([['t2', 2]]);
    expect(db.reads).toEqual(['usage_digest_day_all_20260129|tenant']);

    // Its span in one read, merged per tenant (one day of rows here), limited to its tenant.
    db.reads.length = 0;
    const merged = await fresh.repository.findMerged(
      { dimension: 'all', from: new Date(SPAN), to: new Date(SPAN + SPAN_DAYS * DAY_MS), tenantIds: ['t2'] },
      NOW,
    );
    expect(merged.map((r) => [r.tenantId, r.requests, r.period.getTime()])).toEqual([['t2', 2, SPAN]]);
    expect(db.reads).toEqual([`${spanCollection('all', SPAN)}|tenant`]);
    // The hourly model digests of a day were made from one read of its collection, each its scope's rows.
    const hours = await fresh.repository.find(
      { dimension: 'model', grain: 'hour', from: new Date(OLD), to: new Date(OLD + DAY_MS), perTenant: true },
      NOW,
    );
    expect(hours.map((r) => [r.tenantId, r.key, r.requests])).toEqual([['t1', 'm', 1]]);
    // A range that only partly covers the span reads the days instead.
    db.reads.length = 0;
    const partly = await fresh.repository.findMerged(
      { dimension: 'all', from: new Date(SPAN + DAY_MS), to: new Date(SPAN + SPAN_DAYS * DAY_MS) },
      NOW,
    );
    expect(partly.map((r) => r.requests)).toEqual(OLD > SPAN ? [3] : []);
    expect(db.reads.some((r) => r.startsWith('usage_digest_span'))).toBe(false);

    // The next pass on the same pod reads nothing: it remembers what it checked.
    db.reads.length = 0;
    expect(await first.job.run(NOW + 60_000)).toEqual({ checked: 0, written: 0, done: true });
    expect(db.reads).toEqual([]);

    // A late write into yesterday (its epoch moves): only yesterday's digests are written again.
    db.put('usage_day_all_20260309', { _id: 'g', r: { [entryField('*', '')]: { requests: 4 } } });
    await first.epochs.bump([YESTERDAY]);
    const later = await first.job.run(NOW + 120_000);
    expect(later.written).toBe(5); // day all (2), hour model (2), hour user
    expect(later.checked).toBe(30);
    expect(db.digests.get('usage_digest_day_all_20260309|global')!.e).toBe(1);
    const again = pod(db);
    const yesterday = await again.repository.find(
      { dimension: 'all', grain: 'day', from: new Date(YESTERDAY), to: new Date(TODAY) },
      NOW + 120_000 + 2000,
    );
    expect(yesterday.map((r) => r.requests)).toEqual([4]);
  });

  it('stops a pass when its time is up and continues in the next', async () => {
    const db = seed();
    const { job } = pod(db);
    expect(await job.run(NOW, -1)).toEqual({ checked: 0, written: 0, done: false });
    expect((await job.run(NOW)).done).toBe(true);
    expect(db.digests.size).toBe(12);
  });

  it('rewrites a digest before readers stop trusting it (24 h), also on another pod', async () => {
    const db = seed();
    await pod(db).job.run(NOW);
    const at = db.digests.get('usage_digest_day_all_20260129|global')!.at;
    // Another pod takes the lease: it checks the stored digests once, rewriting none of the current ones.
    const other = pod(db);
    expect((await other.job.run(NOW + 3_600_000)).written).toBe(0);
    // 20 hours later the same pod rewrites them.
    const late = NOW + DIGEST_REFRESH_AFTER_MS + 1000;
    expect((await other.job.run(late)).written).toBeGreaterThanOrEqual(4);
    expect(db.digests.get('usage_digest_day_all_20260129|global')!.at).toBeGreaterThan(at);
  });
});
