import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

import type { BucketScope, RollupRow } from './rollup-buckets';
import type { RollupDimension, RollupGrain } from './usage-rollup.schema';

/**
 * Day digests (docs/analytics.md, "Dashboard cache"): the rows of one bucket scope of a closed
 * day's rollup collection, stored once more as one gzip-compressed JSON value, in a collection of
 * their own per grain, dimension and day (`usage_digest_hour_all_20261205`, `_id` = the scope).
 *
 * Why: FerretDB 1.24 decodes a document field by field (a 30-day user breakdown reads 30 buckets of
 * ~500 entries and ~40,000 values each: seconds), while one binary value costs it next to nothing,
 * and SQLite scans only the few small digests of that collection for the `_id`. A digest is written
 * by the first reader of a closed day (in the background) and is valid while the day's epoch is
 * the one read before its buckets were (rollup-epochs.ts), like the in-memory day cache, so a fresh
 * pod reads a closed day fast without holding anything.
 */
export const DIGEST_COLLECTION_PREFIX = 'usage_digest_';
/** Bumped when the encoding changes: older digests are then recomputed. */
export const DIGEST_FORMAT = 1;
/**
 * Backstop against a late write whose epoch bump was lost (a writer crashing between the two): a
 * digest is recomputed once it is this old.
 */
export const DIGEST_MAX_AGE_MS = 24 * 3_600_000;
/** Below MongoDB's 16 MB document limit with room to spare; larger days are not digested. */
export const DIGEST_MAX_BYTES = 12 * 1024 * 1024;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A stored digest. */
export interface DigestDocument {
  _id: BucketScope;
  /** The day's epoch read before its buckets were. */
  e: number;
  f: number;
  /** When it was written (ms). */
  at: number;
  rows: number;
  /** gzip of the rows' JSON (periods as ms). */
  z: Uint8Array | { buffer: Uint8Array };
}

/** `usage_digest_<grain>_<dimension>_<YYYYMMDD>`. */
export function digestCollection(grain: RollupGrain, dimension: RollupDimension, day: number): string {
  const id = new Date(day).toISOString().slice(0, 10).replaceAll('-', '');
  return `${DIGEST_COLLECTION_PREFIX}${grain}_${dimension}_${id}`;
}

/** Grain and day of a digest collection name; null for any other collection. */
export function parseDigestCollection(name: string): { grain: RollupGrain; day: number } | null {
  const match = /^usage_digest_(hour|day)_[a-zA-Z]+_(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  return {
    grain: match[1] as RollupGrain,
    day: Date.UTC(Number(match[2]), Number(match[3]) - 1, Number(match[4])),
  };
}

/** Compresses rows (in the thread pool, off the event loop). */
export async function encodeDigest(rows: readonly RollupRow[]): Promise<Buffer> {
  const json = JSON.stringify(rows.map((r) => ({ ...r, period: r.period.getTime() })));
  return gzipAsync(json, { level: 1 });
}

/** The rows of a digest written at `epoch`, or null when it is missing, stale or of another format. */
export async function decodeDigest(
  doc: DigestDocument | null,
  epoch: number,
  now = Date.now(),
): Promise<RollupRow[] | null> {
  if (!doc || doc.e !== epoch || doc.f !== DIGEST_FORMAT || now - doc.at >= DIGEST_MAX_AGE_MS) return null;
  // The driver hands binary values over as BSON Binary (its bytes under `buffer`).
  const bytes = doc.z instanceof Uint8Array ? doc.z : doc.z.buffer;
  const json = (await gunzipAsync(bytes)).toString('utf8');
  const rows = JSON.parse(json) as (RollupRow | (Omit<RollupRow, 'period'> & { period: number }))[];
  for (const row of rows) row.period = new Date(row.period);
  return rows as RollupRow[];
}
