import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { mongo, Types } from 'mongoose';

// Types only: scripts/bench-analytics.ts loads this file under tsx, which cannot run the schema's decorators.
import type { RequestLogRecord, RequestStatus } from './request-log.schema';

type Binary = mongo.Binary;

/*
 * The request log's storage format (docs/analytics.md, "Request log storage"): rows not yet
 * compacted live as ordinary documents in `request_logs_recent`; every ~30 s a leased job packs
 * them into one collection per UTC day, `request_logs_YYYYMMDD`, holding
 *   { _id: "dir", h: { "13": HourEntry, ... }, v }   what each hour holds (counts, maxima, a Bloom filter)
 *   { _id: "h13", z: Binary, n, v }                  the hour's rows, deflated JSON ("h13.1", ... when large)
 * FerretDB 1.24 (SQLite) decodes every document of a collection for any query except a lone `_id`
 * equality, which SQLite evaluates itself; so readers only ever ask for single `_id`s and the
 * rows travel as one compressed blob per hour instead of hundreds of documents.
 */

export const RECENT_COLLECTION = 'request_logs_recent';
const DAY_PREFIX = 'request_logs_';
const DAY_PATTERN = /^request_logs_(\d{4})(\d{2})(\d{2})$/;
export const DIRECTORY_ID = 'dir';
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Rows per chunk document before an hour gets another part (~0.5 MB deflated). */
export const CHUNK_ROWS = 5000;

/** Start of the UTC day of `ms`. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function dayCollection(day: number): string {
  return `${DAY_PREFIX}${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day a `request_logs_YYYYMMDD` collection holds, or undefined for any other name. */
export function dayOfCollection(name: string): number | undefined {
  const m = DAY_PATTERN.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** `00`…`23`: the hour of `ms` within its UTC day. */
export function hourKey(ms: number): string {
  return String(new Date(ms).getUTCHours()).padStart(2, '0');
}

/** Chunk ids of an hour with `parts` parts: `h13`, `h13.1`, … */
export function chunkIds(hour: string, parts: number): string[] {
  return [...Array(Math.max(parts, 0)).keys()].map((p) => (p === 0 ? `h${hour}` : `h${hour}.${p}`));
}

/** What the directory knows about one hour of one day. */
export interface HourEntry {
  /** Rows in the hour's chunks. */
  n: number;
  /** Chunk documents of the hour. */
  parts: number;
  /** Largest `latencyMs` and `costUsd` of the hour (numeric filters skip hours below them). */
  maxLatencyMs: number;
  maxCostUsd: number;
  /** Bloom filter over the hour's filter tokens (`filterTokens`). */
  bloom: Binary;
}

export interface DayDirectory {
  _id: typeof DIRECTORY_ID;
  h: Record<string, HourEntry>;
  /** Changes on every write: writers replace the directory only if nobody wrote it meanwhile. */
  v?: string;
}

export interface ChunkDocument {
  _id: string;
  /** Rows, deflated JSON array of compact rows (`_id` hex, `timestamp` ms). */
  z: Binary;
  n: number;
  /** Changes on every rewrite: compactions replace a chunk only if nobody rewrote it meanwhile. */
  v: string;
}

// ---------------------------------------------------------------------------------------------
// Rows in chunks

/**
 * A row as a chunk stores it: `_id` hex and `timestamp` ms, every other field as is. Compactions
 * work on these (no ObjectId/Date per row and no second copy when a chunk is rewritten);
 * `unpackRows` turns them into records for readers.
 */
export type StoredRow = Omit<RequestLogRecord, '_id' | 'timestamp'> & { _id: string; timestamp: number };

export function storedRow(row: RequestLogRecord): StoredRow {
  return { ...row, _id: row._id.toHexString(), timestamp: row.timestamp.getTime() };
}

export function packRows(rows: readonly RequestLogRecord[]): Binary {
  return packStoredRows(rows.map(storedRow));
}

/** Same bytes as `packRows` of the records (a parsed row stringifies to the text it came from). */
export function packStoredRows(rows: readonly Partial<StoredRow>[]): Binary {
  return new mongo.Binary(deflateRawSync(Buffer.from(JSON.stringify(rows)), { level: 6 }));
}

export function unpackStoredRows(z: Binary | Buffer | Uint8Array): StoredRow[] {
  const bytes = z instanceof mongo.Binary ? binaryBytes(z) : z;
  return JSON.parse(inflateRawSync(bytes).toString('utf8')) as StoredRow[];
}

export function unpackRows(z: Binary | Buffer | Uint8Array): RequestLogRecord[] {
  return unpackStoredRows(z).map((row) => ({
    ...row,
    _id: new Types.ObjectId(row._id),
    timestamp: new Date(row.timestamp),
  }));
}

/** `newestFirst` of stored rows. */
export function storedNewestFirst(a: StoredRow, b: StoredRow): number {
  const t = b.timestamp - a.timestamp;
  if (t !== 0) return t;
  return a._id < b._id ? 1 : a._id > b._id ? -1 : 0;
}

/** Newest first; `_id` breaks ties (the page order and its cursor). */
export function newestFirst(a: RequestLogRecord, b: RequestLogRecord): number {
  const t = b.timestamp.getTime() - a.timestamp.getTime();
  if (t !== 0) return t;
  const x = a._id.toHexString();
  const y = b._id.toHexString();
  return x < y ? 1 : x > y ? -1 : 0;
}

/** Rows with distinct `_id`s (a retried write or a row caught mid-compaction appears twice). */
export function distinctRows(rows: Iterable<RequestLogRecord>): RequestLogRecord[] {
  const seen = new Map<string, RequestLogRecord>();
  for (const row of rows) seen.set(row._id.toHexString(), row);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Filters

/** Filters of the request log; every one optional except the range. Missing = any. */
export interface RequestLogFilter {
  from: Date;
  to: Date;
  /** Only these tenants; undefined = all (global roles). */
  tenantIds?: readonly string[];
  requestId?: string;
  keyPrefix?: string;
  user?: string;
  sessionId?: string;
  /** Any of these sessions (the sessions view). */
  sessionIds?: readonly string[];
  /** Only rows that belong to a session. */
  inSession?: boolean;
  requestedModel?: string;
  routedModel?: string;
  providerId?: string;
  providerSlug?: string;
  category?: string;
  tier?: string;
  status?: RequestStatus;
  /** Only requests that did not succeed (error or aborted). */
  failed?: boolean;
  errorType?: string;
  stream?: boolean;
  minLatencyMs?: number;
  minCostUsd?: number;
  /** Routing replay: auto-routed rows with a routing trace. */
  routedWithTrace?: boolean;
  /** One row by its `_id` (hex). */
  id?: string;
}

/** Whether a stored (compact: defaults absent) row passes the filter. */
export function matchesFilter(row: RequestLogRecord, f: RequestLogFilter): boolean {
  const t = row.timestamp.getTime();
  if (t < f.from.getTime() || t >= f.to.getTime()) return false;
  if (f.tenantIds && !f.tenantIds.includes(row.tenantId ?? '')) return false;
  const equal: [keyof RequestLogFilter, keyof RequestLogRecord][] = [
    ['requestId', 'requestId'],
    ['keyPrefix', 'keyPrefix'],
    ['user', 'user'],
    ['sessionId', 'sessionId'],
    ['requestedModel', 'requestedModel'],
    ['routedModel', 'routedModel'],
    ['providerId', 'providerId'],
    ['providerSlug', 'providerSlug'],
    ['category', 'category'],
    ['tier', 'tier'],
    ['status', 'status'],
    ['errorType', 'errorType'],
  ];
  for (const [name, field] of equal) {
    if (f[name] !== undefined && (row[field] ?? null) !== f[name]) return false;
  }
  if (f.sessionIds && !f.sessionIds.includes(row.sessionId ?? '')) return false;
  if (f.inSession && !row.sessionId) return false;
  if (f.failed && row.status === 'success') return false;
  if (f.stream !== undefined && (row.stream === true) !== f.stream) return false;
  if (f.minLatencyMs !== undefined && f.minLatencyMs > 0 && !((row.latencyMs ?? 0) >= f.minLatencyMs))
    return false;
  if (f.minCostUsd !== undefined && f.minCostUsd > 0 && !((row.costUsd ?? 0) >= f.minCostUsd)) return false;
  if (f.routedWithTrace && !(row.autoRouted === true && row.routingTraceId)) return false;
  if (f.id !== undefined && row._id.toHexString() !== f.id) return false;
  return true;
}

/** The same filter as a MongoDB query (the recent rows; compact rows: "false"/"0" use `$ne`). */
export function filterQuery(f: RequestLogFilter): Record<string, unknown> {
  const q: Record<string, unknown> = { timestamp: { $gte: f.from, $lt: f.to } };
  if (f.tenantIds) q.tenantId = f.tenantIds.length === 1 ? f.tenantIds[0] : { $in: f.tenantIds };
  const equal = [
    'requestId',
    'keyPrefix',
    'user',
    'sessionId',
    'requestedModel',
    'routedModel',
    'providerId',
    'providerSlug',
    'category',
    'tier',
    'status',
    'errorType',
  ] as const;
  for (const name of equal) if (f[name] !== undefined) q[name] = f[name];
  if (f.sessionIds) q.sessionId = { $in: f.sessionIds };
  if (f.inSession && f.sessionId === undefined && !f.sessionIds) q.sessionId = { $exists: true, $ne: null };
  if (f.failed) q.status = { $ne: 'success' };
  if (f.stream !== undefined) q.stream = f.stream ? true : { $ne: true };
  if (f.minLatencyMs !== undefined && f.minLatencyMs > 0) q.latencyMs = { $gte: f.minLatencyMs };
  if (f.minCostUsd !== undefined && f.minCostUsd > 0) q.costUsd = { $gte: f.minCostUsd };
  if (f.routedWithTrace) {
    q.autoRouted = true;
    q.routingTraceId = { $exists: true, $ne: null };
  }
  if (f.id !== undefined) q._id = new Types.ObjectId(f.id);
  return q;
}

// ---------------------------------------------------------------------------------------------
// Hour summaries: which hours can hold a match

/** The equality values of a row the Bloom filter remembers. */
export function filterTokens(row: RequestLogRecord | StoredRow): string[] {
  const tokens = [
    `t:${row.tenantId ?? ''}`,
    `r:${row.requestId}`,
    `st:${row.status}`,
    `str:${row.stream === true ? 1 : 0}`,
  ];
  const optional: [string, string | null | undefined][] = [
    ['k', row.keyPrefix],
    ['u', row.user],
    ['s', row.sessionId],
    ['rm', row.requestedModel],
    ['m', row.routedModel],
    ['p', row.providerId],
    ['ps', row.providerSlug],
    ['c', row.category],
    ['tr', row.tier],
    ['e', row.errorType],
  ];
  for (const [prefix, value] of optional) if (value) tokens.push(`${prefix}:${value}`);
  if (row.autoRouted === true && row.routingTraceId) tokens.push('trace');
  return tokens;
}

/** Every status but success (REQUEST_STATUSES; a unit test keeps the two in step). */
export const FAILED_STATUSES: readonly Exclude<RequestStatus, 'success'>[] = ['error', 'aborted'];

/** The filter as token groups: an hour can hold a match only if every group has one token in its Bloom filter. */
export function filterTokenGroups(f: RequestLogFilter): string[][] {
  const groups: string[][] = [];
  if (f.tenantIds) groups.push(f.tenantIds.map((t) => `t:${t}`));
  const single: [keyof RequestLogFilter, string][] = [
    ['requestId', 'r'],
    ['keyPrefix', 'k'],
    ['user', 'u'],
    ['sessionId', 's'],
    ['requestedModel', 'rm'],
    ['routedModel', 'm'],
    ['providerId', 'p'],
    ['providerSlug', 'ps'],
    ['category', 'c'],
    ['tier', 'tr'],
    ['status', 'st'],
    ['errorType', 'e'],
  ];
  for (const [name, prefix] of single) {
    const value = f[name];
    if (typeof value === 'string') groups.push([`${prefix}:${value}`]);
  }
  if (f.sessionIds) groups.push(f.sessionIds.map((s) => `s:${s}`));
  if (f.failed) groups.push(FAILED_STATUSES.map((s) => `st:${s}`));
  if (f.stream !== undefined) groups.push([`str:${f.stream ? 1 : 0}`]);
  if (f.routedWithTrace) groups.push(['trace']);
  return groups;
}

/** Token groups with each token hashed once (a query tests them against many hours). */
export type HashedTokenGroups = readonly (readonly TokenHash[])[];

export function hashTokenGroups(groups: readonly (readonly string[])[]): HashedTokenGroups {
  return groups.map((group) => group.map(tokenHash));
}

/** Whether an hour, by its summary, can hold a row of the filter (false = certainly not). */
export function hourMayMatch(entry: HourEntry, f: RequestLogFilter, groups: HashedTokenGroups): boolean {
  if (f.minLatencyMs !== undefined && entry.maxLatencyMs < f.minLatencyMs) return false;
  if (f.minCostUsd !== undefined && entry.maxCostUsd < f.minCostUsd) return false;
  if (groups.length === 0) return true;
  const bloom = binaryBytes(entry.bloom);
  return groups.every((group) => group.some((hash) => bloomHasHash(bloom, hash)));
}

/** The summary of an hour's rows (all parts). */
export function hourEntry(rows: readonly (RequestLogRecord | StoredRow)[], parts: number): HourEntry {
  const tokens = new Set<string>();
  let maxLatencyMs = 0;
  let maxCostUsd = 0;
  for (const row of rows) {
    for (const token of filterTokens(row)) tokens.add(token);
    maxLatencyMs = Math.max(maxLatencyMs, row.latencyMs ?? 0);
    maxCostUsd = Math.max(maxCostUsd, row.costUsd ?? 0);
  }
  return { n: rows.length, parts, maxLatencyMs, maxCostUsd, bloom: new mongo.Binary(bloomOf(tokens)) };
}

/** The bytes of a BSON Binary (its buffer may be larger than its content). */
function binaryBytes(b: Binary): Uint8Array {
  return b.buffer.subarray(0, b.length());
}

// ---------------------------------------------------------------------------------------------
// Bloom filter: 16 bits per distinct token and 11 probes, about 0.05 % false positives, so a
// look-up by request id over 90 days (2,160 hours) reads about one hour it need not read. An hour
// with more than ~130,000 distinct tokens (about 100,000 requests) gets the largest filter,
// BLOOM_MAX_BYTES, with more false positives: correct, only slower (docs/analytics.md).

const BLOOM_PROBES = 11;
const BLOOM_BITS_PER_TOKEN = 16;
/** Keeps a day's directory (24 filters) far below MongoDB's 16 MB document limit. */
export const BLOOM_MAX_BYTES = 256 * 1024;

/** The two 32-bit hashes a token's probes derive from. */
export interface TokenHash {
  h1: number;
  h2: number;
}

export function tokenHash(token: string): TokenHash {
  const digest = createHash('md5').update(token).digest();
  return { h1: digest.readUInt32LE(0), h2: digest.readUInt32LE(4) | 1 };
}

export function bloomOf(tokens: ReadonlySet<string>): Buffer {
  const bytes = Math.min(BLOOM_MAX_BYTES, Math.max(64, Math.ceil((tokens.size * BLOOM_BITS_PER_TOKEN) / 8)));
  const bits = Buffer.alloc(bytes);
  const size = bytes * 8;
  for (const token of tokens) {
    const { h1, h2 } = tokenHash(token);
    for (let i = 0; i < BLOOM_PROBES; i += 1) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % size;
      bits[bit >> 3]! |= 1 << (bit & 7);
    }
  }
  return bits;
}

export function bloomHas(bits: Uint8Array, token: string): boolean {
  return bloomHasHash(bits, tokenHash(token));
}

/** Double hashing over two 32-bit halves of the token's MD5 (fast enough, stable across versions). */
function bloomHasHash(bits: Uint8Array, { h1, h2 }: TokenHash): boolean {
  if (bits.length === 0) return false;
  const size = bits.length * 8;
  for (let i = 0; i < BLOOM_PROBES; i += 1) {
    const bit = ((h1 + Math.imul(i, h2)) >>> 0) % size;
    if ((bits[bit >> 3]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
