import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Connection, Types } from 'mongoose';

import { packRows } from '../src/modules/analytics/request-log.chunks';
import { RequestLogCompaction } from '../src/modules/analytics/request-log.compaction.service';
import { indexCollectionName, indexDocId, packIndexRows } from '../src/modules/analytics/request-log.index';
import { RequestLogMigration } from '../src/modules/analytics/request-log.migration.service';
import type { RequestLogRecord } from '../src/modules/analytics/request-log.schema';
import { RequestLogStore } from '../src/modules/analytics/request-log.store';
import { startTestApp } from './support/app';
import { bearer, setupFirstAdmin } from './support/auth';
import { seedTenant, type SeededTenant } from './support/gateway';
import { storedRequestLogs } from './support/request-logs';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type CsvParse = (
  input: string,
  options: { columns: true; skip_empty_lines: boolean },
) => Record<string, string>[];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse/sync') as { parse: CsvParse };

const DAY = 86_400_000;
const MINUTE = 60_000;
const dayName = (ms: number) => `request_logs_${new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * The request log stored per UTC day (docs/analytics.md, "Request log storage"): rows written by
 * the writers into `request_logs_recent`, packed into day collections by the compaction job, read
 * back across the midnight between two days, while rows keep arriving.
 */
describe('request log across UTC days', () => {
  let app: NestFastifyApplication;
  let connection: Connection;
  let admin: { authorization: string };
  let tenant: SeededTenant;
  // Midnight between day A and day B, two days ago (both days closed).
  const midnight = Math.floor(Date.now() / DAY) * DAY - DAY;
  const from = new Date(midnight - 2 * 60 * MINUTE).toISOString();
  const to = new Date(midnight + 2 * 60 * MINUTE).toISOString();
  let rows: RequestLogRecord[];

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/prism/admin/${url}`, headers: admin });
    return { status: res.statusCode, body: res.body, json: () => res.json<Json>() };
  };
  const recent = () => connection.collection<RequestLogRecord>('request_logs_recent');
  const compact = () => app.get(RequestLogCompaction).compact();

  function log(at: number, n: number, extra: Partial<RequestLogRecord> = {}): RequestLogRecord {
    return {
      _id: new Types.ObjectId(),
      timestamp: new Date(at),
      requestId: `day-${n}-${at}`,
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      endpoint: 'chat',
      routedModel: n % 2 ? 'small' : 'large',
      inputTokens: 100 + n,
      outputTokens: 10,
      costUsd: Math.round((0.001 + n * 0.00012345) * 1e8) / 1e8,
      latencyMs: 100 + n,
      status: 'success',
      httpStatus: 200,
      ...extra,
    } as RequestLogRecord;
  }

  /** Ids of every page of `query`, following `nextCursor`. */
  async function allPages(query: string): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`requests?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const body = res.json();
      pages.push(body.items.map((i: Json) => i.requestId));
      cursor = body.nextCursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  beforeAll(async () => {
    app = await startTestApp({ NODE_ROLE: 'full' });
    connection = app.get<Connection>(getConnectionToken());
    admin = bearer((await setupFirstAdmin(app)).token);
    tenant = await seedTenant(app, []);
    // 30 rows, one a minute around midnight; the last of day A at 23:59:59.900.
    rows = [...Array(30).keys()].map((n) => log(midnight - 15 * MINUTE + n * MINUTE, n));
    rows[14] = log(midnight - 100, 14);
    // The older 20 packed into the day collections, the newer 10 still recent.
    await recent().insertMany(rows.slice(0, 20));
    await compact();
    await recent().insertMany(rows.slice(20));
  });

  afterAll(async () => {
    await app.close();
  });

  const newestFirst = (): string[] =>
    [...rows].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime()).map((r) => r.requestId);

  it('stores compacted rows in one collection per UTC day', async () => {
    const names = (await connection.listCollections()).map((c) => c.name);
    const day = (ms: number) => `request_logs_${new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(names).toEqual(expect.arrayContaining([day(midnight - DAY / 2), day(midnight + 1)]));
    expect(await recent().countDocuments({ tenantId: tenant.id })).toBe(10);
  });

  it('pages across midnight newest first, without gaps or repeats', async () => {
    const pages = await allPages(`from=${from}&to=${to}&limit=7`);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.flat()).toEqual(newestFirst());
    // A page that spans both days.
    const spanning = pages.find(
      (p) => p.includes('day-14-' + (midnight - 100)) && p.includes(rows[15]!.requestId),
    );
    expect(spanning).toBeDefined();
  });

  it('keeps the cursor stable while rows arrive and are compacted', async () => {
    const first = (await get(`requests?from=${from}&to=${to}&limit=10`)).json();
    expect(first.items.map((i: Json) => i.requestId)).toEqual(newestFirst().slice(0, 10));
    // New rows arrive (newer than the page, and in the same minute as its last row), then a compaction runs.
    const lastAt = Date.parse(first.items[9].timestamp);
    const arrivals = [log(midnight + 20 * MINUTE, 40), log(midnight + 90 * MINUTE, 41)];
    await recent().insertMany(arrivals);
    await compact();
    const next = (await get(`requests?from=${from}&to=${to}&limit=10&cursor=${first.nextCursor}`)).json();
    expect(next.items.map((i: Json) => i.requestId)).toEqual(newestFirst().slice(10, 20));
    expect(next.items.every((i: Json) => Date.parse(i.timestamp) <= lastAt)).toBe(true);
    rows.push(...arrivals);
  });

  it('finds a request at 23:59:59.9 UTC by its id, recent and after compaction', async () => {
    const late = log(midnight + DAY - 100, 50, { requestId: 'late-request' });
    await recent().insertOne(late);
    const before = await get('requests/late-request');
    expect(before.status).toBe(200);
    expect(before.json().timestamp).toBe(new Date(midnight + DAY - 100).toISOString());
    await compact();
    expect(await recent().countDocuments({ requestId: 'late-request' })).toBe(0);
    const after = await get('requests/late-request');
    expect(after.status).toBe(200);
    expect(after.json()).toMatchObject({
      requestId: 'late-request',
      costUsd: late.costUsd,
      tenantId: tenant.id,
    });
    // The row of 23:59:59.900 of day A is in day A, found by id and by the requestId filter.
    const edge = rows[14]!;
    expect((await get(`requests/${edge.requestId}`)).json().timestamp).toBe(edge.timestamp.toISOString());
    const filtered = (await get(`requests?from=${from}&to=${to}&requestId=${edge.requestId}`)).json();
    expect(filtered.items.map((i: Json) => i.requestId)).toEqual([edge.requestId]);
    expect((await get('requests/no-such-request')).status).toBe(404);
  });

  it('exports FOCUS across both days: parses with a CSV library and sums to the stored costs', async () => {
    await recent().insertMany([log(midnight + 5 * MINUTE, 60), log(midnight - 5 * MINUTE, 61)]); // not yet compacted
    const res = await get(`finops/focus.csv?from=${from}&to=${to}&tenant=${tenant.id}`);
    expect(res.status).toBe(200);
    const parsed = parse(res.body, { columns: true, skip_empty_lines: true });
    const inRange = (await storedRequestLogs(connection, (r) => r.tenantId === tenant.id)).filter(
      (r) => r.timestamp.getTime() >= Date.parse(from) && r.timestamp.getTime() < Date.parse(to),
    );
    expect(parsed).toHaveLength(inRange.length);
    expect(new Set(parsed.map((r) => r.x_RequestId))).toEqual(new Set(inRange.map((r) => r.requestId)));
    const billed = parsed.reduce((sum, r) => sum + Number(r.BilledCost), 0);
    const stored = inRange.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    expect(Math.round(billed * 1e8)).toBe(Math.round(stored * 1e8));
    // Oldest first, across midnight.
    const times = parsed.map((r) => Date.parse(r.ChargePeriodStart!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times.map((t) => new Date(t).toISOString().slice(0, 10))).size).toBe(2);
  });

  it('moves rows of the legacy single collection into the day collections once, under the compaction lease', async () => {
    const legacy = connection.collection<RequestLogRecord>('request_logs');
    const old = [
      log(midnight - 30 * MINUTE, 70, { requestId: 'legacy-1' }),
      log(midnight + 30 * MINUTE, 71, { requestId: 'legacy-2' }),
    ];
    await legacy.insertMany(old);
    // The pods of this test ran the compaction job (and so the migration, finding no legacy rows)
    // at boot; an upgraded pod finds the legacy rows and no record of the migration.
    await connection.collection('migrations').deleteOne({ _id: 'request-logs-to-days' as never });
    const upgraded = () => new RequestLogMigration(app.get(RequestLogStore), connection);
    const migration = upgraded();
    await migration.run();
    expect(await migration.done()).toBe(true);
    await connection.collection('migrations').deleteOne({ _id: 'request-logs-to-days' as never });
    await upgraded().run(); // a second run (after a crash before it was recorded) converts nothing twice
    const found = (await get(`requests?from=${from}&to=${to}&limit=200`)).json();
    const ids = found.items.map((i: Json) => i.requestId);
    expect(ids.filter((id: string) => id.startsWith('legacy-'))).toEqual(['legacy-2', 'legacy-1']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('publishes chunks a compaction wrote but did not put in the directory (a crash), and moves on', async () => {
    // Hour 03 of day B: a crashed run wrote part 0 (rows 80–84) but neither the directory nor the
    // deletion of those recent rows happened; rows 85–89 arrived since.
    const at = midnight + 3 * 60 * MINUTE;
    const hourRows = [...Array(10).keys()].map((i) => log(at + i * MINUTE, 80 + i, { user: 'crash-user' }));
    const dayB = `request_logs_${new Date(midnight + 1).toISOString().slice(0, 10).replaceAll('-', '')}`;
    const orphan = hourRows.slice(0, 5);
    await connection
      .collection(dayB)
      .insertOne({ _id: 'h03' as never, z: packRows(orphan), n: orphan.length, v: 'crashed' });
    // …and the user's document of the day index, not yet listed in the index directory.
    await connection.collection(indexCollectionName(dayB, indexDocId('u:crash-user'))).insertOne({
      _id: indexDocId('u:crash-user') as never,
      z: packIndexRows(orphan),
      n: orphan.length,
      v: 'crashed',
    });
    await recent().insertMany(hourRows);
    const range = `from=${new Date(at).toISOString()}&to=${new Date(at + 60 * MINUTE).toISOString()}`;
    const ids = async () =>
      ((await get(`requests?${range}&user=crash-user&limit=50`)).json().items as Json[]).map(
        (i) => i.requestId as string,
      );
    const expected = [...hourRows].reverse().map((r) => r.requestId);
    expect(await ids()).toEqual(expected); // from the recent rows, each once
    expect(await compact()).toBeGreaterThanOrEqual(10);
    expect(await recent().countDocuments({ user: 'crash-user' })).toBe(0);
    expect(await ids()).toEqual(expected); // from the chunk, each once
    const dir = await connection.collection(dayB).findOne({ _id: 'dir' as never });
    expect(dir!.h['03']).toMatchObject({ n: 10, parts: 1 });
    expect(await compact()).toBe(0);
  });

  it('answers sparse filters from the day index, identically to the rows stored, across compactions and pages', async () => {
    // Three days before the others' midnight, hours 10–12; compacted in three runs, the last rows still recent.
    const base = midnight - 3 * DAY + 10 * 60 * MINUTE;
    const day = dayName(base);
    const made = [...Array(36).keys()].map((i) =>
      log(base + i * 5 * MINUTE, 100 + i, {
        requestId: `idx-${i}`,
        user: i % 3 === 0 ? 'idx-rare' : 'idx-common',
        keyPrefix: i % 12 === 0 ? 'omp-idx1' : 'omp-idx2',
        latencyMs: i === 7 || i === 33 ? 9000 + i : 100 + i,
        ...(i % 10 === 4 ? { status: 'error' as const, errorType: 'timeout', httpStatus: 502 } : {}),
      }),
    );
    for (const batch of [made.slice(0, 12), made.slice(12, 24)]) {
      await recent().insertMany(batch);
      await compact();
    }
    await recent().insertMany(made.slice(24));
    expect(await connection.collection(`${day}_x`).findOne({ _id: 'x' as never })).not.toBeNull();
    const window = `from=${new Date(base).toISOString()}&to=${new Date(base + 3 * 60 * MINUTE).toISOString()}`;
    const expectSame = async (filter: string, match: (r: RequestLogRecord) => boolean) => {
      const want = made
        .filter(match)
        .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime())
        .map((r) => r.requestId);
      expect((await allPages(`${window}&limit=3&${filter}`)).flat()).toEqual(want);
    };
    await expectSame('user=idx-rare', (r) => r.user === 'idx-rare');
    await expectSame('keyPrefix=omp-idx1', (r) => r.keyPrefix === 'omp-idx1');
    await expectSame('errorType=timeout', (r) => r.errorType === 'timeout');
    await expectSame('status=failed', (r) => r.status !== 'success');
    await expectSame('minLatencyMs=9000', (r) => (r.latencyMs ?? 0) >= 9000);
    await expectSame(
      'user=idx-rare&keyPrefix=omp-idx1',
      (r) => r.user === 'idx-rare' && r.keyPrefix === 'omp-idx1',
    );
    await expectSame('user=nobody', () => false);
    // The list shows the same columns whether a row came from the index or the hours.
    const compacted = `from=${new Date(base).toISOString()}&to=${new Date(base + 24 * 5 * MINUTE).toISOString()}`;
    const fromIndex = (await get(`requests?${compacted}&user=idx-rare&limit=1`)).json().items;
    const fromHours = (await get(`requests?${compacted}&requestId=idx-21`)).json().items;
    expect(fromIndex.map((i: Json) => i.requestId)).toEqual(['idx-21']);
    expect(fromIndex).toEqual(fromHours);

    await compact();
    await expectSame('user=idx-rare', (r) => r.user === 'idx-rare');
    // A value's document dropped after this pod read the index directory (the value turned dense):
    // the day is read hour by hour instead.
    const dropped = await connection
      .collection(indexCollectionName(day, indexDocId('u:idx-rare')))
      .findOneAndDelete({ _id: indexDocId('u:idx-rare') as never });
    expect(dropped).not.toBeNull();
    await expectSame('user=idx-rare', (r) => r.user === 'idx-rare');
  });

  it('keeps reading a day written before the day index hour by hour (no partial index is started)', async () => {
    const base = midnight - 4 * DAY + 8 * 60 * MINUTE;
    const day = dayName(base);
    await recent().insertMany([log(base, 200, { requestId: 'old-1', user: 'old-user' })]);
    await compact();
    await connection.collection(`${day}_x`).deleteOne({ _id: 'x' as never }); // as the previous layout left it
    await recent().insertMany([log(base + MINUTE, 201, { requestId: 'old-2', user: 'old-user' })]);
    await compact();
    expect(await connection.collection(`${day}_x`).findOne({ _id: 'x' as never })).toBeNull();
    const window = `from=${new Date(base).toISOString()}&to=${new Date(base + 60 * MINUTE).toISOString()}`;
    expect((await allPages(`${window}&user=old-user`)).flat()).toEqual(['old-2', 'old-1']);
  });

  it("shows rows compacted into a day this pod has not seen yet (another pod's first compaction after midnight)", async () => {
    const other = await startTestApp({ NODE_ROLE: 'full' });
    try {
      const now = Date.now();
      // Today only: run just after midnight, a window reaching into yesterday would also show the
      // rows earlier tests left there.
      const dayStart = Date.parse(new Date(now).toISOString().slice(0, 10));
      const window = `from=${new Date(Math.max(now - 10 * MINUTE, dayStart)).toISOString()}&to=${new Date(now + MINUTE).toISOString()}`;
      // This pod lists the day collections (and caches the list) before today's exists.
      await connection
        .dropCollection(`request_logs_${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}`)
        .catch(() => undefined);
      expect((await get(`requests?${window}`)).json().items).toEqual([]);
      const fresh = log(Math.max(now - MINUTE, dayStart), 90, { requestId: 'after-midnight' });
      await recent().insertOne(fresh);
      await other.get(RequestLogCompaction).compact();
      expect(await recent().countDocuments({ requestId: 'after-midnight' })).toBe(0);
      const items = (await get(`requests?${window}`)).json().items as Json[];
      expect(items.map((i) => i.requestId)).toEqual(['after-midnight']);
      expect((await get('requests/after-midnight')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
