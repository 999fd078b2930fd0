import { Types } from 'mongoose';

import { matchesFilter, type RequestLogFilter } from './request-log.chunks';
import {
  buildIndex,
  emptyIndex,
  type IndexDirectory,
  indexDocId,
  indexDocsToRead,
  type IndexedRow,
  INDEX_ROWS,
  indexable,
  indexPlan,
  levelAbove,
  levelDocId,
  packIndex,
  packIndexRows,
  TOP_ROWS,
  unpackIndex,
  unpackIndexRows,
  updateIndex,
} from './request-log.index';
import type { RequestLogRecord } from './request-log.schema';

let seq = 0;
function row(extra: Partial<RequestLogRecord> = {}): RequestLogRecord {
  seq += 1;
  return {
    _id: new Types.ObjectId(),
    timestamp: new Date(Date.UTC(2026, 11, 7, seq % 24, seq % 60)),
    requestId: `req-${seq}`,
    tenantId: 't1',
    endpoint: 'chat',
    status: 'success',
    httpStatus: 200,
    latencyMs: 100,
    costUsd: 0.001,
    attempts: [{ provider: 'p', model: 'm', outcome: 'ok', ms: 1 }],
    errorMessage: 'not copied',
    ...extra,
  } as RequestLogRecord;
}

const range = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z') };

/** Applies batches one after the other, as compaction runs do (documents read back packed). */
function appendAll(batches: RequestLogRecord[][]): {
  index: IndexDirectory;
  docs: Map<string, IndexedRow[]>;
} {
  let index = emptyIndex();
  const docs = new Map<string, IndexedRow[]>();
  for (const batch of batches) {
    const stored = new Map<string, IndexedRow[]>();
    for (const id of indexDocsToRead(index, batch)) {
      const rows = docs.get(id);
      if (rows) stored.set(id, unpackIndexRows(packIndexRows(rows)));
    }
    const update = updateIndex(index, stored, batch);
    for (const [id, rows] of update.writes) docs.set(id, rows);
    for (const id of update.drops) docs.delete(id);
    index = unpackIndex(packIndex(update.index));
  }
  return { index, docs };
}

/** What the index answers for a filter (undefined: read the hours). */
function answer(
  built: { index: IndexDirectory; docs: Map<string, IndexedRow[]> },
  f: RequestLogFilter,
): string[] | undefined {
  const ids = indexPlan(built.index, f);
  if (!ids) return undefined;
  return ids
    .flatMap((id) => built.docs.get(id) ?? [])
    .filter((r) => matchesFilter(r as RequestLogRecord, f))
    .map((r) => r.requestId)
    .sort();
}

const expected = (rows: RequestLogRecord[], f: RequestLogFilter): string[] =>
  rows
    .filter((r) => matchesFilter(r, f))
    .map((r) => r.requestId)
    .sort();

describe('request log day index', () => {
  it('copies the rows of sparse values (list columns only) and answers their filters exactly', () => {
    const rows = [
      ...[...Array(40).keys()].map((i) => row({ user: `u${i % 4}`, keyPrefix: 'omp-a' })),
      row({ status: 'error', errorType: 'timeout', tenantId: 't2' }),
      row({ status: 'aborted', errorType: 'client_closed' }),
    ];
    const built = appendAll([rows.slice(0, 10), rows.slice(10, 30), rows.slice(30)]);
    for (const f of [
      { ...range, user: 'u1' },
      { ...range, keyPrefix: 'omp-a' },
      { ...range, errorType: 'timeout' },
      { ...range, failed: true },
      { ...range, tenantIds: ['t2'] },
      { ...range, tenantIds: ['t2'], user: 'u1' },
      { ...range, user: 'nobody' },
    ] satisfies RequestLogFilter[]) {
      expect(answer(built, f)).toEqual(expected(rows, f));
    }
    const copy = built.docs.get(indexDocId('u:u1'))![0]!;
    expect(copy).not.toHaveProperty('attempts');
    expect(copy).not.toHaveProperty('errorMessage');
    expect(copy.requestId).toMatch(/^req-/);
  });

  it('a retried batch adds nothing twice', () => {
    const rows = [...Array(5).keys()].map(() => row({ user: 'ann' }));
    const built = appendAll([rows, rows, rows.slice(2)]);
    expect(built.index.t['u:ann']).toBe(5);
    expect(built.docs.get(indexDocId('u:ann'))).toHaveLength(5);
  });

  it('a value with more rows than INDEX_ROWS turns dense: no document, the hours answer', () => {
    const rows = [...Array(INDEX_ROWS + 1).keys()].map(() => row({ tier: 'low' }));
    const built = appendAll([rows.slice(0, INDEX_ROWS), rows.slice(INDEX_ROWS)]);
    expect(built.index.t['tr:low']).toBe(-1);
    expect(built.docs.has(indexDocId('tr:low'))).toBe(false);
    expect(answer(built, { ...range, tier: 'low' })).toBeUndefined();
    // The tenant (t1 for every row) is dense as well: no group of this filter can answer.
    expect(indexPlan(built.index, { ...range, tier: 'low', tenantIds: ['t1'] })).toBeUndefined();
    expect(indexPlan(built.index, { ...range, tier: 'low', tenantIds: ['t2'] })).toEqual([]);
  });

  it('keeps the slowest and costliest rows above a rising threshold', () => {
    const rows = [...Array(TOP_ROWS * 2).keys()].map((i) => row({ latencyMs: i, costUsd: i / 1e4 }));
    const built = appendAll([rows.slice(0, 700), rows.slice(700, 2000), rows.slice(2000)]);
    expect(built.index.lat.n).toBeLessThanOrEqual(TOP_ROWS);
    expect(built.index.lat.above).toBe(TOP_ROWS - 1);
    const level = (metric: 'lat' | 'cost', k: number) => built.docs.get(levelDocId(metric, k)) ?? [];
    expect([0, 1, 2, 3].map((k) => level('lat', k).length)).toEqual([64, 192, 576, TOP_ROWS - 832]);
    expect(level('cost', 3)).toHaveLength(TOP_ROWS - 832);
    // The slowest 64 in level 0: a high minimum reads that level alone.
    expect(level('lat', 0).map((r) => r.latencyMs)).toContain(TOP_ROWS * 2 - 1);
    expect(indexPlan(built.index, { ...range, minLatencyMs: TOP_ROWS * 2 - 10 })).toEqual([
      levelDocId('lat', 0),
    ]);
    expect(indexPlan(built.index, { ...range, minLatencyMs: TOP_ROWS * 2 - 100 })).toEqual([
      levelDocId('lat', 0),
      levelDocId('lat', 1),
    ]);
    for (const f of [
      { ...range, minLatencyMs: TOP_ROWS * 1.5 },
      { ...range, minLatencyMs: TOP_ROWS * 5 },
      { ...range, minCostUsd: 0.25 },
      { ...range, minCostUsd: 0.29 },
      { ...range, minLatencyMs: TOP_ROWS * 2 - 100 },
    ] satisfies RequestLogFilter[]) {
      expect(answer(built, f)).toEqual(expected(rows, f));
    }
    // New slower rows move rows down a level and raise its threshold: a level document read
    // against an older directory does not carry that directory's threshold (the reader then reads the hours).
    const before = appendAll([rows.slice(0, 700), rows.slice(700, 2000)]).index;
    expect(levelAbove(before, levelDocId('lat', 0))).not.toBe(levelAbove(built.index, levelDocId('lat', 0)));
    expect(levelAbove(built.index, indexDocId('u:ann'))).toBeUndefined();
    // At or below the threshold the index may miss rows: the hours answer.
    expect(indexPlan(built.index, { ...range, minLatencyMs: TOP_ROWS - 1 })).toBeUndefined();
  });

  it('answers with the smallest group and never for request ids or sessions', () => {
    const rows = [...Array(30).keys()].map((i) => row({ user: i < 3 ? 'rare' : 'common', category: 'math' }));
    const { index } = buildIndex(rows);
    expect(indexPlan(index, { ...range, user: 'rare', category: 'math' })).toEqual([indexDocId('u:rare')]);
    expect(indexPlan(index, { ...range, user: 'absent' })).toEqual([]);
    expect(indexable({ ...range, requestId: 'x', user: 'rare' })).toBe(false);
    expect(indexable({ ...range, sessionId: 's' })).toBe(false);
    expect(indexable(range)).toBe(false);
    expect(indexable({ ...range, minCostUsd: 0.1 })).toBe(true);
  });

  it('stops listing new values at the cap and then leaves unknown values to the hours', () => {
    const full: IndexDirectory = { ...emptyIndex(), t: { 'u:known': 2 }, full: true };
    expect(indexPlan(full, { ...range, user: 'known' })).toEqual([indexDocId('u:known')]);
    expect(indexPlan(full, { ...range, user: 'other' })).toBeUndefined();
  });
});
