import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { mongo, Types } from 'mongoose';

import {
  filterTokenGroups,
  filterTokens,
  packRows,
  type RequestLogFilter,
  type StoredRow,
  storedRow,
  unpackRows,
} from './request-log.chunks';
// Types only: scripts/bench-analytics.ts loads this file under tsx, which cannot run the schema's decorators.
import type { RequestLogRecord } from './request-log.schema';

type Binary = mongo.Binary;

/*
 * The day index of the request log (docs/analytics.md, "Request log storage"): next to a day's
 * hour chunks, copies of the rows of its *sparse* filter values, so a page filtered by a value that
 * occurs about once an hour reads one small document per day instead of one chunk per hour:
 *   request_logs_YYYYMMDD_x    { _id: "x", z, v }         the index directory (deflated IndexDirectory)
 *   request_logs_YYYYMMDD_x0…7 { _id: "x<hash>", z, n, v } the day's rows with one value (`u:ann`),
 *                                                         list columns only, in 8 buckets by hash
 *   request_logs_YYYYMMDD_xt   { _id: "x.lat.0"…, z, n, v } the day's slowest / costliest rows, in levels
 * FerretDB 1.24 finds a document by `_id` by scanning its table up to it (its query does not use
 * the `_id` index), so a look-up costs the bytes stored before the document: the index lives in
 * small collections of its own, not after the hour chunks.
 * A value with more than INDEX_ROWS rows in the day is dense: it is marked -1, its document is
 * dropped, and pages read the hour chunks (about INDEX_ROWS / 24 matches an hour or more, so a page
 * reads a few hours). The slowest/costliest rows: every row above a threshold (`above`) that rises
 * so that at most TOP_ROWS rows stay, split into levels (the top 64, the next 192, …) so a high
 * `minLatencyMs`/`minCostUsd` reads only the first level. A day has an index only if it had one
 * from its first row on (the index directory is written with the day's first chunks): days written
 * before this layout are read hour by hour as before.
 */

export const INDEX_ID = 'x';
/** A value's rows per day up to which they are copied into the index (beyond: dense). */
export const INDEX_ROWS = 1000;
/** Rows the slowest / costliest levels keep at most, and the size of each level. */
export const TOP_ROWS = 1500;
const LEVEL_ROWS = [64, 192, 576];
/** Distinct values an index directory lists at most; beyond it new values are not indexed. */
export const INDEX_MAX_VALUES = 20_000;
const INDEX_BUCKETS = 8;

/** The collection of an index document of the day collection `day`. */
export function indexCollectionName(day: string, docId: string): string {
  if (docId === INDEX_ID) return `${day}_x`;
  if (docId.startsWith('x.')) return `${day}_xt`;
  return `${day}_x${parseInt(docId.slice(1, 3), 16) % INDEX_BUCKETS}`;
}

/** Every index collection of the day collection `day` (retention drops them with it). */
export function indexCollectionNames(day: string): string[] {
  return [`${day}_x`, `${day}_xt`, ...[...Array(INDEX_BUCKETS).keys()].map((b) => `${day}_x${b}`)];
}

export function levelDocId(metric: 'lat' | 'cost', level: number): string {
  return `x.${metric}.${level}`;
}

/**
 * The threshold a level document is written with (its `a`), undefined for other documents. A
 * reader holding an older directory checks it: when new rows raise a level's threshold, rows move
 * to the next level, so a level read against another threshold than the directory's may miss rows.
 */
export function levelAbove(index: IndexDirectory, docId: string): number | undefined {
  const m = /^x\.(lat|cost)\.(\d+)$/.exec(docId);
  if (!m) return undefined;
  const entry = index[m[1] as 'lat' | 'cost'];
  return entry.levels[Number(m[2])]?.above ?? entry.above;
}

/** The columns an index copy keeps: the list's columns and every filterable field. */
const INDEX_FIELDS = [
  '_id',
  'timestamp',
  'requestId',
  'tenantId',
  'tenantSlug',
  'keyPrefix',
  'user',
  'sessionId',
  'endpoint',
  'stream',
  'requestedModel',
  'routedModel',
  'providerId',
  'providerSlug',
  'autoRouted',
  'category',
  'tier',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'savedUsd',
  'latencyMs',
  'status',
  'httpStatus',
  'errorType',
  'fallback',
  'routingTraceId',
] as const satisfies readonly (keyof RequestLogRecord)[];

export type IndexedRow = Pick<RequestLogRecord, (typeof INDEX_FIELDS)[number]>;

/** Rows above `above` (exclusive) are all in the levels; `above` -1 = every row of the day. */
export interface TopEntry {
  above: number;
  n: number;
  /** Level k: its rows, and the threshold above which every row is in levels 0…k. */
  levels: { above: number; n: number }[];
}

export interface IndexDirectory {
  /** Rows per indexed value (filter token); -1 = dense (not indexed). */
  t: Record<string, number>;
  /** INDEX_MAX_VALUES reached: a value not in `t` may have rows (read the hours). */
  full: boolean;
  lat: TopEntry;
  cost: TopEntry;
}

export function emptyIndex(): IndexDirectory {
  return {
    t: {},
    full: false,
    lat: { above: -1, n: 0, levels: [] },
    cost: { above: -1, n: 0, levels: [] },
  };
}

export function packIndex(index: IndexDirectory): Binary {
  return new mongo.Binary(deflateRawSync(Buffer.from(JSON.stringify(index))));
}

export function unpackIndex(z: Binary): IndexDirectory {
  return JSON.parse(inflateRawSync(z.buffer.subarray(0, z.length())).toString('utf8')) as IndexDirectory;
}

/** The document id of a value's rows (hashed: values are free text). */
export function indexDocId(token: string): string {
  return `x${createHash('md5').update(token).digest('hex').slice(0, 20)}`;
}

/** The values a row is indexed under: its filter tokens except request id and session (the Bloom filters single those out). */
export function indexTokens(row: RequestLogRecord | StoredRow): string[] {
  return filterTokens(row).filter((t) => !t.startsWith('r:') && !t.startsWith('s:'));
}

export function indexedRow(row: RequestLogRecord): IndexedRow {
  const out: Record<string, unknown> = {};
  for (const field of INDEX_FIELDS) if (row[field] !== undefined) out[field] = row[field];
  return out as IndexedRow;
}

/** An index copy as the documents store it (`_id` hex, `timestamp` ms): what compactions work on. */
export type StoredIndexedRow = Pick<StoredRow, (typeof INDEX_FIELDS)[number]>;

export function storedIndexedRow(row: StoredRow): StoredIndexedRow {
  const out: Record<string, unknown> = {};
  for (const field of INDEX_FIELDS) if (row[field] !== undefined) out[field] = row[field];
  return out as StoredIndexedRow;
}

const latencyOf = (r: { latencyMs?: number | null }): number => r.latencyMs ?? 0;
const costOf = (r: { costUsd?: number | null }): number => r.costUsd ?? 0;
const METRICS = [
  ['lat', latencyOf],
  ['cost', costOf],
] as const;

/** The documents (ids) an update of the index with `rows` has to read first. */
export function indexDocsToRead(
  index: IndexDirectory,
  rows: readonly (RequestLogRecord | StoredRow)[],
): string[] {
  const ids = new Set<string>();
  for (const row of rows) {
    for (const token of indexTokens(row)) if ((index.t[token] ?? 0) > 0) ids.add(indexDocId(token));
  }
  for (const [metric, value] of METRICS) {
    const entry = index[metric];
    if (entry.n > 0 && rows.some((r) => value(r) > entry.above))
      entry.levels.forEach((level, k) => level.n > 0 && ids.add(levelDocId(metric, k)));
  }
  return [...ids];
}

export interface IndexUpdate<R = IndexedRow> {
  index: IndexDirectory;
  /** Documents to write (id → all their rows). */
  writes: Map<string, R[]>;
  /** Documents of values that became dense (drop after the directory is written). */
  drops: string[];
}

/**
 * Adds `rows` to a day's index. `stored` holds the current rows of the documents
 * `indexDocsToRead` named. Rows already in a document are not added twice (a retried compaction).
 */
export function updateIndex(
  current: IndexDirectory,
  stored: ReadonlyMap<string, readonly IndexedRow[]>,
  rows: readonly RequestLogRecord[],
): IndexUpdate {
  const toStored = (list: readonly IndexedRow[]) => list.map((r) => storedRow(r as RequestLogRecord));
  const update = updateStoredIndex(
    current,
    new Map([...stored].map(([id, list]) => [id, toStored(list)])),
    rows.map(storedRow),
  );
  const toRecord = (r: StoredIndexedRow): IndexedRow => ({
    ...r,
    _id: new Types.ObjectId(r._id),
    timestamp: new Date(r.timestamp),
  });
  return {
    ...update,
    writes: new Map([...update.writes].map(([id, list]) => [id, list.map(toRecord)])),
  };
}

/** `updateIndex` of rows as chunks and index documents store them (compactions: no conversions). */
export function updateStoredIndex(
  current: IndexDirectory,
  stored: ReadonlyMap<string, readonly StoredIndexedRow[]>,
  rows: readonly StoredRow[],
): IndexUpdate<StoredIndexedRow> {
  const index: IndexDirectory = {
    t: { ...current.t },
    full: current.full,
    lat: { ...current.lat },
    cost: { ...current.cost },
  };
  const byToken = new Map<string, StoredRow[]>();
  for (const row of rows) {
    for (const token of indexTokens(row)) {
      const list = byToken.get(token);
      if (list) list.push(row);
      else byToken.set(token, [row]);
    }
  }
  const writes = new Map<string, StoredIndexedRow[]>();
  const drops: string[] = [];
  let values = Object.keys(index.t).length;
  for (const [token, fresh] of byToken) {
    const n = index.t[token];
    if (n === -1) continue;
    if (n === undefined) {
      if (values >= INDEX_MAX_VALUES) {
        index.full = true;
        continue;
      }
      values += 1;
    }
    const id = indexDocId(token);
    // More distinct new rows than a value may have: dense, without copying them (a day's first run).
    if (fresh.length > INDEX_ROWS && new Set(fresh.map((r) => r._id)).size > INDEX_ROWS) {
      index.t[token] = -1;
      if (n !== undefined && n > 0) drops.push(id);
      continue;
    }
    const merged = mergeRows(stored.get(id) ?? [], fresh);
    if (merged.length === (n ?? -2)) continue; // nothing new (a retried run)
    if (merged.length > INDEX_ROWS) {
      index.t[token] = -1;
      if (n !== undefined && n > 0) drops.push(id);
      continue;
    }
    index.t[token] = merged.length;
    writes.set(id, merged);
  }
  for (const [metric, value] of METRICS) {
    const entry = index[metric];
    const fresh = rows.filter((r) => value(r) > entry.above);
    if (fresh.length === 0) continue;
    const stored0 = entry.levels.flatMap((_, k) => stored.get(levelDocId(metric, k)) ?? []);
    const merged = mergeRows(stored0, fresh);
    if (merged.length === entry.n) continue;
    const top = keepTop(merged, entry.above, value);
    const levels = splitLevels(top.rows, top.above, value);
    index[metric] = {
      above: top.above,
      n: top.rows.length,
      levels: levels.map((l) => ({ above: l.above, n: l.rows.length })),
    };
    levels.forEach((l, k) => writes.set(levelDocId(metric, k), l.rows));
    // A level that emptied (a raised threshold) is written empty.
    for (let k = levels.length; k < entry.levels.length; k += 1) writes.set(levelDocId(metric, k), []);
  }
  return { index, writes, drops };
}

/** The rows of `stored` and those of `fresh` it lacks (by `_id`). */
function mergeRows(stored: readonly StoredIndexedRow[], fresh: readonly StoredRow[]): StoredIndexedRow[] {
  const known = new Set(stored.map((r) => r._id));
  const out = [...stored];
  for (const row of fresh) {
    if (known.has(row._id)) continue;
    known.add(row._id);
    out.push(storedIndexedRow(row));
  }
  return out;
}

/** At most TOP_ROWS rows: every row above the (raised) threshold. */
function keepTop(
  rows: StoredIndexedRow[],
  above: number,
  value: (r: StoredIndexedRow) => number,
): { rows: StoredIndexedRow[]; above: number } {
  if (rows.length <= TOP_ROWS) return { rows, above };
  const sorted = [...rows].sort((a, b) => value(b) - value(a));
  const threshold = value(sorted[TOP_ROWS]!);
  return { rows: sorted.filter((r) => value(r) > threshold), above: Math.max(above, threshold) };
}

/** The rows by level, the highest first (LEVEL_ROWS, the rest in the last level). */
function splitLevels(
  rows: readonly StoredIndexedRow[],
  above: number,
  value: (r: StoredIndexedRow) => number,
): { above: number; rows: StoredIndexedRow[] }[] {
  const sorted = [...rows].sort((a, b) => value(b) - value(a));
  const levels: { above: number; rows: StoredIndexedRow[] }[] = [];
  let start = 0;
  for (const size of [...LEVEL_ROWS, Infinity]) {
    if (start >= sorted.length) break;
    const end = Math.min(sorted.length, start + size);
    // Every row above the value of the first row left out is in this level or an earlier one.
    levels.push({ above: end < sorted.length ? value(sorted[end]!) : above, rows: sorted.slice(start, end) });
    start = end;
  }
  return levels;
}

/** The whole index of a day's rows at once (the benchmark's seeding; equal to appending them in any batches). */
export function buildIndex(rows: readonly RequestLogRecord[]): IndexUpdate {
  return updateIndex(emptyIndex(), new Map(), rows);
}

export function packIndexRows(rows: readonly IndexedRow[]): Binary {
  return packRows(rows as RequestLogRecord[]);
}

export function unpackIndexRows(z: Binary): IndexedRow[] {
  return unpackRows(z);
}

/**
 * The documents that hold every row of the filter for a day with this index, fewest rows first
 * (an empty list: the day has none), or undefined when the index cannot answer (read the hours).
 */
export function indexPlan(index: IndexDirectory, f: RequestLogFilter): string[] | undefined {
  if (f.requestId !== undefined || f.sessionId !== undefined || f.sessionIds || f.id !== undefined)
    return undefined;
  const plans: { ids: string[]; rows: number }[] = [];
  for (const group of indexGroups(f)) {
    let rows = 0;
    const ids: string[] = [];
    for (const token of group) {
      const n = index.t[token];
      if (n === undefined && index.full) {
        rows = -1;
        break;
      }
      if (n === -1) {
        rows = -1;
        break;
      }
      if (n !== undefined && n > 0) {
        rows += n;
        ids.push(indexDocId(token));
      }
    }
    if (rows >= 0) plans.push({ ids, rows });
  }
  for (const [metric, min] of [
    ['lat', f.minLatencyMs],
    ['cost', f.minCostUsd],
  ] as const) {
    const entry = index[metric];
    if (min === undefined || min <= 0 || !(min > entry.above)) continue;
    if (entry.n === 0) {
      plans.push({ ids: [], rows: 0 });
      continue;
    }
    const last = entry.levels.findIndex((l) => min > l.above);
    const levels = entry.levels.slice(0, last < 0 ? entry.levels.length : last + 1);
    plans.push({
      ids: levels.flatMap((l, k) => (l.n > 0 ? [levelDocId(metric, k)] : [])),
      rows: levels.reduce((n, l) => n + l.n, 0),
    });
  }
  if (plans.length === 0) return undefined;
  return plans.reduce((best, p) => (p.rows < best.rows ? p : best)).ids;
}

/** Whether a filter has anything the index can answer (otherwise the day index is not read). */
export function indexable(f: RequestLogFilter): boolean {
  if (f.requestId !== undefined || f.sessionId !== undefined || f.sessionIds || f.id !== undefined)
    return false;
  return (
    indexGroups(f).length > 0 ||
    (f.minLatencyMs !== undefined && f.minLatencyMs > 0) ||
    (f.minCostUsd !== undefined && f.minCostUsd > 0)
  );
}

/** Token prefixes the day index keeps no copies for: request and session ids. */
const UNINDEXED_PREFIXES = ['r:', 's:'];

/** filterTokenGroups without the groups the index does not hold (a group's tokens share a prefix). */
function indexGroups(f: RequestLogFilter): string[][] {
  return filterTokenGroups(f).filter(
    (group) => !UNINDEXED_PREFIXES.some((prefix) => group[0]?.startsWith(prefix)),
  );
}
