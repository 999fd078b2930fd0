import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose, { type Connection } from 'mongoose';

import { AnalyticsRepository } from '../src/modules/analytics/analytics.repository';
import { LegacyRollupMigration } from '../src/modules/analytics/legacy-rollup-migration.service';
import { parseRollupCollection } from '../src/modules/analytics/rollup-buckets';
import { startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Older than the request log's 90-day retention: only the legacy rollups still know this day.
const DAY = Math.floor(Date.now() / DAY_MS) * DAY_MS - 200 * DAY_MS;
const T1 = 'aaaaaaaaaaaaaaaaaaaaaaa1';
const T2 = 'aaaaaaaaaaaaaaaaaaaaaaa2';

/** A legacy `usage_rollups` row (the row layout before the bucket documents). */
function row(grain: 'hour' | 'day', at: number, tenantId: string, dimension: string, key: string, n: number) {
  return {
    grain,
    period: new Date(at),
    tenantId,
    dimension,
    key,
    requests: n,
    errorCount: 1,
    inputTokens: 100 * n,
    outputTokens: 10 * n,
    costE8: 123_456 * n,
    latencyMsSum: 250 * n,
    hLatency: { b40: n },
    w: { 'old-writer': 7 },
  };
}

/** Rows of two tenants and two models on DAY, at 10:00 and 14:00, and the day rows adding them up. */
function legacyRows() {
  const rows = [];
  for (const [tenantId, m] of [
    [T1, 1],
    [T2, 2],
  ] as const) {
    for (const [hour, n] of [
      [10, 3 * m],
      [14, 5 * m],
    ] as const) {
      const at = DAY + hour * HOUR_MS;
      rows.push(row('hour', at, tenantId, 'all', '', n), row('hour', at, tenantId, 'model', 'gpt-a', n));
    }
    rows.push(
      row('day', DAY, tenantId, 'all', '', 8 * m),
      row('day', DAY, tenantId, 'model', 'gpt-a', 8 * m),
    );
  }
  return rows;
}

/**
 * The upgrade from the row layout (`usage_rollups`) to the bucket documents: a control/full pod
 * converts the legacy rows once at boot through a leased job, so the dashboard shows the old days
 * again (also those past the request log's retention), and a second run counts nothing twice.
 */
describe('analytics: migration of the legacy usage_rollups rows', () => {
  let app: NestFastifyApplication;
  let db: Connection;
  let admin: { authorization: string };

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/prism/${url}`, headers: admin });
    expect(res.statusCode).toBe(200);
    return res.json<Json>();
  };
  const buckets = async () => {
    const out: Record<string, unknown[]> = {};
    for (const { name } of await db.db!.listCollections({}, { nameOnly: true }).toArray()) {
      if (parseRollupCollection(name))
        out[name] = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    }
    return out;
  };

  beforeAll(async () => {
    // Written before the first boot of the new version, as an existing deployment has them.
    const before = await mongoose.createConnection(process.env.MONGODB_URI!).asPromise();
    await before.collection('usage_rollups').insertMany(legacyRows());
    await before.close();
    app = await startTestApp({ NODE_ROLE: 'full' });
    db = app.get<Connection>(getConnectionToken());
    admin = bearer((await setupFirstAdmin(app)).token);
    const deadline = Date.now() + 30_000;
    while (!(await app.get(LegacyRollupMigration).done())) {
      if (Date.now() > deadline) throw new Error('the legacy rollup migration did not finish at boot');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the dashboard shows the legacy totals of that day and of its hours', async () => {
    const range = `from=${new Date(DAY).toISOString()}&to=${new Date(DAY + DAY_MS).toISOString()}`;
    const day = (await get(`admin/dashboard/summary?${range}`)).current as Json;
    expect(day).toMatchObject({ requests: 24, errors: 2, inputTokens: 2400, outputTokens: 240 });
    expect(day.costUsd).toBeCloseTo((24 * 123_456) / 1e8, 10);
    expect(day.latencyMs.avg).toBe(250);
    expect(day.latencyMs.p50).not.toBeNull();

    const byModel = (await get(`admin/dashboard/breakdown?dimension=model&${range}`)).items as Json[];
    expect(byModel.map((i) => [i.key, i.requests])).toEqual([['gpt-a', 24]]);

    const hours = `from=${new Date(DAY + 10 * HOUR_MS).toISOString()}&to=${new Date(DAY + 11 * HOUR_MS).toISOString()}`;
    const tenth = (await get(`admin/dashboard/summary?${hours}`)).current as Json;
    expect(tenth).toMatchObject({ requests: 9, inputTokens: 900 });

    // The legacy collection is left in place for the admin to drop.
    expect(await db.collection('usage_rollups').countDocuments({})).toBe(legacyRows().length);
  });

  it('runs once: neither its leased job again nor a re-run after a crash before completion counts twice', async () => {
    const converted = await buckets();
    expect(Object.keys(converted).length).toBeGreaterThan(0);
    const migration = app.get(LegacyRollupMigration);
    await migration.run(); // recorded as done: nothing happens
    expect(await buckets()).toEqual(converted);
    // A pod that died after writing the buckets but before recording completion: converts again.
    await db.collection<{ _id: string }>('migrations').deleteOne({ _id: 'usage-rollups-to-buckets' });
    await migration.run();
    expect(await migration.done()).toBe(true);
    expect(await buckets()).toEqual(converted);
  });

  it('stops at shutdown between groups without recording completion; the next run goes on, counting nothing twice', async () => {
    const converted = await buckets();
    const migration = app.get(LegacyRollupMigration);
    await db.collection<{ _id: string }>('migrations').deleteOne({ _id: 'usage-rollups-to-buckets' });
    const stopping = new AbortController();
    // Shutdown begins while the first group is written.
    const applied = jest.spyOn(app.get(AnalyticsRepository), 'applyRollups');
    applied.mockImplementation(async function (this: AnalyticsRepository, ...args) {
      const result = await AnalyticsRepository.prototype.applyRollups.apply(this, args);
      if (args[0].length > 0) stopping.abort();
      return result;
    });
    try {
      await migration.run(stopping.signal);
      expect(applied.mock.calls.filter(([increments]) => increments.length > 0)).toHaveLength(1);
      expect(await migration.done()).toBe(false);
    } finally {
      applied.mockRestore();
    }
    await migration.run();
    expect(await migration.done()).toBe(true);
    expect(await buckets()).toEqual(converted);
  });
});
