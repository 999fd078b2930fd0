import {
  ALL_TENANTS,
  bucketDocumentsOf,
  type BucketDocument,
  bucketId,
  bucketPeriod,
  daysOf,
  entryField,
  parseEntryField,
  parseRollupCollection,
  rollupCollection,
  rowsOfBucket,
  toBucketUpdates,
} from './rollup-buckets';
import type { RollupIncrement } from './rollups';

const period = new Date('2026-03-02T10:00:00Z');
const day = new Date('2026-03-02T00:00:00Z');

function increment(partial: Partial<RollupIncrement>): RollupIncrement {
  return {
    grain: 'hour',
    period,
    tenantId: 't1',
    dimension: 'model',
    key: 'm1',
    inc: { requests: 1 },
    ...partial,
  };
}

describe('rollup buckets', () => {
  it('names one collection per grain, dimension and UTC day, and parses it back', () => {
    const name = rollupCollection('hour', 'model', period);
    expect(name).toBe('usage_hour_model_20260302');
    expect(parseRollupCollection(name)).toEqual({ grain: 'hour', dimension: 'model', day: day.getTime() });
    expect(parseRollupCollection('usage_rollups')).toBeNull();
    expect(bucketId('hour', period, 'tenant')).toBe('t10');
    expect(bucketId('day', day, 'global')).toBe('g');
    expect(bucketPeriod('hour', day.getTime(), 't10')).toEqual(period);
  });

  it('escapes what field names may not hold and reads it back', () => {
    for (const [tenantId, key] of [
      ['t1', 'gpt-4.1'],
      ['', ''],
      ['t|2', '$weird%key.with.dots|bar'],
    ] as const) {
      const field = entryField(tenantId, key);
      expect(field).not.toMatch(/\.|^\$/);
      expect(parseEntryField(field)).toEqual({ tenantId, key });
    }
  });

  it('merges increments per bucket and adds a global bucket (all tenants) except for users', () => {
    const updates = toBucketUpdates([
      increment({ tenantId: 't1', inc: { requests: 1, costE8: 5, 'hLatency.b12': 1 } }),
      increment({ tenantId: 't2', inc: { requests: 2, costE8: 7, 'hLatency.b12': 2 } }),
      increment({ dimension: 'user', key: 'bob', inc: { requests: 1 } }),
    ]);
    const docs = bucketDocumentsOf(updates);
    const find = (collection: string, id: string): BucketDocument =>
      docs.find((d) => d.collection === collection && d.id === id)!.doc as unknown as BucketDocument;
    const model = 'usage_hour_model_20260302';
    const tenantRows = rowsOfBucket(find(model, 't10'), period);
    expect(tenantRows.map((r) => [r.tenantId, r.requests])).toEqual([
      ['t1', 1],
      ['t2', 2],
    ]);
    expect(rowsOfBucket(find(model, 'g10'), period)).toEqual([
      { period, tenantId: ALL_TENANTS, key: 'm1', requests: 3, costE8: 12, hLatency: { b12: 3 } },
    ]);
    expect(rowsOfBucket(find(model, 't10'), period, new Set(['t2'])).map((r) => r.tenantId)).toEqual(['t2']);
    expect(docs.filter((d) => d.collection === 'usage_hour_user_20260302').map((d) => d.id)).toEqual(['t10']);
  });

  it('lists the UTC days a range touches', () => {
    expect(daysOf(new Date('2026-03-01T23:00:00Z'), new Date('2026-03-03T00:00:00Z'))).toEqual([
      Date.parse('2026-03-01T00:00:00Z'),
      Date.parse('2026-03-02T00:00:00Z'),
    ]);
  });
});
