import type { RollupRow } from './rollup-buckets';
import { parseRollupCollection } from './rollup-buckets';
import {
  decodeDigest,
  DIGEST_FORMAT,
  DIGEST_MAX_AGE_MS,
  digestCollection,
  type DigestDocument,
  encodeDigest,
  parseDigestCollection,
} from './rollup-digests';

const DAY = Date.UTC(2026, 2, 2);
const NOW = DAY + 2 * 86_400_000;

const rows: RollupRow[] = [
  {
    period: new Date(DAY + 5 * 3_600_000),
    tenantId: 't1',
    key: 'gpt-4o',
    label: 'GPT-4o',
    requests: 3,
    costE8: 123_456_789,
    latencyMsSum: 1234.56,
    hLatency: { b40: 2, b52: 1 },
    hOverhead: { b3: 3 },
  },
  { period: new Date(DAY + 6 * 3_600_000), tenantId: 't2', key: '', requests: 1 },
];

async function stored(epoch = 4, at = NOW - 1000): Promise<DigestDocument> {
  const z = await encodeDigest(rows);
  return { _id: 'tenant', e: epoch, f: DIGEST_FORMAT, at, rows: rows.length, z };
}

describe('rollup digests', () => {
  it('gives back exactly the rows, periods as dates, also from a BSON Binary', async () => {
    const doc = await stored();
    expect(await decodeDigest(doc, 4, NOW)).toEqual(rows);
    const binary = { ...doc, z: { buffer: doc.z as Uint8Array } };
    expect(await decodeDigest(binary, 4, NOW)).toEqual(rows);
  });

  it('is not used when missing, written at another epoch or format, or older than a day', async () => {
    expect(await decodeDigest(null, 0, NOW)).toBeNull();
    expect(await decodeDigest(await stored(3), 4, NOW)).toBeNull();
    expect(await decodeDigest({ ...(await stored()), f: DIGEST_FORMAT + 1 }, 4, NOW)).toBeNull();
    expect(await decodeDigest(await stored(4, NOW - DIGEST_MAX_AGE_MS), 4, NOW)).toBeNull();
  });

  it('lives in a collection per grain, dimension and day that is not a rollup collection', () => {
    const name = digestCollection('hour', 'model', DAY + 3_600_000);
    expect(name).toBe('usage_digest_hour_model_20260302');
    expect(parseDigestCollection(name)).toEqual({ grain: 'hour', day: DAY });
    expect(parseRollupCollection(name)).toBeNull();
    expect(parseDigestCollection('usage_hour_model_20260302')).toBeNull();
  });
});
