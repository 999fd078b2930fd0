/**
 * `npm run bench:analytics`: the analytics read side against a large request log
 * (docs/benchmarks.md, "Analytics"). A manual benchmark, not part of `npm test`.
 *
 *   npm run bench:analytics -- [--rows 1000000] [--days 90] [--runs 10] [--log-runs 5]
 *                              [--timeout-s 120] [--skip-build] [--data-dir DIR]
 *                              [--logs-only | --dashboard-only] [--no-digest-pass]
 *
 * Builds dist/ (the app runs compiled, as in production), starts the test database (FerretDB, or
 * MONGODB_URI when set), seeds `--rows` request logs spread over `--days` days with their hourly
 * and daily rollups (bulk inserts; the rollups are folded by the writer's own `buildRollups`), then
 * boots the app in this process and times the admin API over HTTP: dashboard summary, time series
 * and breakdown over 30 days, the request log's first and next page with each single filter, and
 * the FOCUS export of 30 days (rows/s and the process's RSS growth). With `--data-dir` the
 * FerretDB files are kept and a later run with the same directory skips the seeding. A query
 * slower than `--timeout-s` is reported as such and not repeated (FerretDB 1.24 scans whole
 * collections: see docs/benchmarks.md). Seeding is deterministic and in two phases, logs then
 * rollups, each recorded in `bench_meta` so a reused data dir skips it: `--logs-only` seeds and
 * times only the request log and the FOCUS export, `--dashboard-only` only the rollups (the
 * dashboard needs no logs). The logs are seeded as the compaction job leaves them (per-day hour
 * chunks, request-log.chunks.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Collection, type Connection, Types } from 'mongoose';
import { request } from 'undici';

import {
  chunkIds,
  dayCollection,
  dayStart,
  DIRECTORY_ID,
  type HourEntry,
  hourEntry,
  hourKey,
  newestFirst,
  packRows,
  RECENT_COLLECTION,
} from '../src/modules/analytics/request-log.chunks';
import {
  buildIndex,
  INDEX_ID,
  indexCollectionName,
  indexCollectionNames,
  levelAbove,
  packIndex,
  packIndexRows,
} from '../src/modules/analytics/request-log.index';
import type { RequestLogRecord } from '../src/modules/analytics/request-log.schema';
import { bucketDocumentsOf, toBucketUpdates } from '../src/modules/analytics/rollup-buckets';
import { buildRollups } from '../src/modules/analytics/rollups';
import { seededRandom } from '../src/modules/analytics/testing/random-rows';

const root = resolve(__dirname, '..');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Bumped when the rollup storage changes: a reused data dir then gets its rollups seeded again. */
const ROLLUP_LAYOUT = 'buckets-v1';
/** The same for the request log's storage (per-day hour chunks, request-log.chunks.ts). */
const LOG_LAYOUT = 'day-chunks-v4';

interface Args {
  rows: number;
  days: number;
  runs: number;
  logRuns: number;
  timeoutMs: number;
  skipBuild: boolean;
  dataDir?: string;
  logsOnly: boolean;
  dashboardOnly: boolean;
  /** Also time each dashboard shape with every day digest dropped (the first read of those days ever). */
  noDigestPass: boolean;
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      runs: { type: 'string', default: '10' },
      'log-runs': { type: 'string', default: '5' },
      'timeout-s': { type: 'string', default: '120' },
      'skip-build': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'logs-only': { type: 'boolean', default: false },
      'dashboard-only': { type: 'boolean', default: false },
      'no-digest-pass': { type: 'boolean', default: false },
    },
  });
  return {
    rows: Number(values.rows),
    days: Number(values.days),
    runs: Number(values.runs),
    logRuns: Number(values['log-runs']),
    timeoutMs: Number(values['timeout-s']) * 1000,
    skipBuild: values['skip-build'] ?? false,
    dataDir: values['data-dir'],
    logsOnly: values['logs-only'] ?? false,
    dashboardOnly: values['dashboard-only'] ?? false,
    noDigestPass: values['no-digest-pass'] ?? false,
  };
}

/** Loads the compiled app from dist/ (Nest's decorators need the compiler's metadata tsx lacks). */
function fromDist<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- runtime modules come from dist/
  return require(resolve(root, 'dist', path)) as T;
}

// ---------------------------------------------------------------------------------------------
// The synthetic traffic: deterministic, with the skew real traffic has (a few big tenants, a few
// popular models, a daily cycle, rare errors, rare users and sessions).

/** Ids that stay the same across runs (a reused database keeps the seeded rows). */
function fixedId(n: number): string {
  return n.toString(16).padStart(24, '0');
}

interface ModelSpec {
  id: string;
  provider: number;
  tier: string;
  inPer1M: number;
  outPer1M: number;
  weight: number;
}

const MODELS: ModelSpec[] = [
  { id: 'gpt-4o-mini', provider: 0, tier: 'low', inPer1M: 0.15, outPer1M: 0.6, weight: 30 },
  { id: 'gpt-4o', provider: 0, tier: 'high', inPer1M: 2.5, outPer1M: 10, weight: 12 },
  { id: 'o3-mini', provider: 0, tier: 'medium', inPer1M: 1.1, outPer1M: 4.4, weight: 6 },
  { id: 'claude-3-5-haiku', provider: 1, tier: 'low', inPer1M: 0.8, outPer1M: 4, weight: 10 },
  { id: 'claude-sonnet-4', provider: 1, tier: 'high', inPer1M: 3, outPer1M: 15, weight: 9 },
  { id: 'claude-opus-4', provider: 1, tier: 'premium', inPer1M: 15, outPer1M: 75, weight: 1 },
  { id: 'llama-3.3-70b', provider: 2, tier: 'medium', inPer1M: 0.6, outPer1M: 0.6, weight: 8 },
  { id: 'mistral-small', provider: 2, tier: 'low', inPer1M: 0.2, outPer1M: 0.6, weight: 7 },
  { id: 'nova-lite', provider: 3, tier: 'low', inPer1M: 0.06, outPer1M: 0.24, weight: 5 },
  { id: 'nova-pro', provider: 3, tier: 'medium', inPer1M: 0.8, outPer1M: 3.2, weight: 4 },
  { id: 'gemma-3-27b', provider: 2, tier: 'low', inPer1M: 0.1, outPer1M: 0.2, weight: 4 },
  { id: 'deepseek-r1', provider: 2, tier: 'high', inPer1M: 0.55, outPer1M: 2.19, weight: 4 },
];
const PROVIDERS = ['openai', 'anthropic', 'together', 'bedrock'].map((slug, i) => ({
  id: fixedId(i + 1),
  slug,
}));
const CATEGORIES = [
  'coding',
  'chat',
  'summarization',
  'translation',
  'extraction',
  'reasoning',
  'creative',
  'classification',
  'math',
  'rag',
];
const ERRORS = ['upstream_error', 'rate_limited', 'timeout', 'invalid_request', 'context_length'];
const TENANTS = 20;
const USERS_PER_TENANT = 25;
const KEYS_PER_TENANT = 4;

interface Seeded {
  tenants: { id: string; slug: string }[];
  keys: { id: string; prefix: string }[][];
}

function pickWeighted<T>(items: readonly T[], weights: readonly number[], r: number): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r * total;
  for (let i = 0; i < items.length; i += 1) {
    x -= weights[i]!;
    if (x <= 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Log-normal-ish positive number around `median`. */
function skewed(rand: () => number, median: number, spread: number): number {
  const gaussian = (rand() + rand() + rand() + rand() - 2) * 1.7;
  return median * Math.exp(gaussian * spread);
}

function makeLog(rand: () => number, time: number, seeded: Seeded): RequestLogRecord {
  const tenantIndex = pickWeighted(
    [...Array(TENANTS).keys()],
    [...Array(TENANTS).keys()].map((i) => 1 / (i + 1)),
    rand(),
  );
  const tenant = seeded.tenants[tenantIndex]!;
  const key = seeded.keys[tenantIndex]![Math.floor(rand() * KEYS_PER_TENANT)]!;
  const model = pickWeighted(
    MODELS,
    MODELS.map((m) => m.weight),
    rand(),
  );
  const provider = PROVIDERS[model.provider]!;
  const autoRouted = rand() < 0.6;
  const stream = rand() < 0.4;
  const roll = rand();
  const status = roll < 0.97 ? 'success' : roll < 0.99 ? 'error' : 'aborted';
  const errorType =
    status === 'error'
      ? ERRORS[Math.floor(rand() * ERRORS.length)]!
      : status === 'aborted'
        ? 'client_closed'
        : null;
  const input = status === 'error' ? 0 : Math.round(skewed(rand, 800, 0.8));
  const output = status === 'error' ? 0 : Math.round(skewed(rand, 250, 0.7));
  const cached = rand() < 0.2 ? Math.floor(input * 0.6) : 0;
  const cost = round8((input * model.inPer1M + output * model.outPer1M) / 1e6);
  const baseline = autoRouted ? round8((input * 2.5 + output * 10) / 1e6) : cost;
  const upstreamMs = status === 'error' ? skewed(rand, 200, 1) : skewed(rand, 900, 0.6);
  const overheadMs = skewed(rand, 1.2, 0.4);
  const hasUser = rand() < 0.7;
  const hasSession = rand() < 0.2;
  const fallback = rand() < 0.01;
  const requestId = randomHex(rand, 16);
  return {
    _id: new Types.ObjectId(Math.floor(time / 1000)),
    timestamp: new Date(time),
    requestId,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    keyId: key.id,
    keyPrefix: key.prefix,
    user: hasUser ? `user-${tenantIndex}-${Math.floor(rand() * USERS_PER_TENANT)}` : null,
    sessionId: hasSession ? `sess-${Math.floor(time / 600_000)}-${tenantIndex}` : null,
    endpoint: 'chat',
    stream,
    requestedModel: autoRouted ? 'auto' : model.id,
    routedModel: model.id,
    providerId: provider.id,
    providerSlug: provider.slug,
    autoRouted,
    category: autoRouted ? CATEGORIES[Math.floor(rand() * CATEGORIES.length)]! : null,
    tier: model.tier,
    confidence: autoRouted ? Math.round(rand() * 100) / 100 : null,
    routingReason: autoRouted ? 'classifier' : null,
    overrides: [],
    routingMs: autoRouted ? round2(skewed(rand, 0.3, 0.3)) : null,
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: cached,
    usageEstimated: false,
    costUsd: cost,
    baselineModel: autoRouted ? 'gpt-4o' : model.id,
    baselineCostUsd: baseline,
    savedUsd: round8(baseline - cost),
    latencyMs: round2(upstreamMs + overheadMs),
    overheadMs: round2(overheadMs),
    upstreamMs: round2(upstreamMs),
    ttftMs: stream && status === 'success' ? round2(skewed(rand, 350, 0.5)) : null,
    status,
    httpStatus: status === 'success' ? 200 : status === 'aborted' ? 499 : 502,
    errorType,
    errorCode: null,
    errorMessage: status === 'error' ? 'Upstream answered 502' : null,
    attempts: [
      {
        provider: provider.slug,
        model: model.id,
        outcome: status === 'success' ? 'ok' : 'server',
        ms: round2(upstreamMs),
      },
    ],
    fallback,
    contextFallback: null,
    routingTraceId: null,
    notes: [],
    promptLogged: false,
  };
}

function randomHex(rand: () => number, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
function round8(v: number): number {
  return Math.round(v * 1e8) / 1e8;
}

/** Stored compactly like the writer does: fields at their default are left out. */
function compact(log: RequestLogRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(log)) {
    if (value === null || value === false || value === 0) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[name] = value;
  }
  return out;
}

/** The deterministic traffic, one UTC day at a time (the same days for the same `end`). */
function* seededDays(opts: Args, seeded: Seeded, end: number): Generator<RequestLogRecord[]> {
  const rand = seededRandom(42);
  const perDay = opts.rows / opts.days;
  const startDay = Math.floor(end / DAY_MS) - opts.days;
  let written = 0;
  // A daily cycle: office hours carry most traffic.
  const hourWeights = [...Array(24).keys()].map(
    (h) => 0.3 + Math.max(0, Math.sin(((h - 6) / 24) * 2 * Math.PI)),
  );
  for (let day = 0; day < opts.days; day += 1) {
    const dayStart = (startDay + day) * DAY_MS;
    const count = day === opts.days - 1 ? opts.rows - written : Math.round(perDay * (day + 1)) - written;
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const hour = pickWeighted([...Array(24).keys()], hourWeights, rand());
      times.push(dayStart + hour * HOUR_MS + Math.floor(rand() * HOUR_MS));
    }
    times.sort((a, b) => a - b);
    written += count;
    yield times.map((t) => makeLog(rand, Math.min(t, end - 1), seeded));
  }
}

/** insertMany that skips documents already there (a seeding run that was interrupted). */
async function insertNew(collection: Collection, docs: Record<string, unknown>[]): Promise<void> {
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (error) {
    const e = error as { code?: number; writeErrors?: { code?: number }[] };
    const errors = e.writeErrors ?? (e.code === 11000 ? [e] : []);
    if (errors.length === 0 || !errors.every((w) => w.code === 11000)) throw error;
  }
}

/**
 * The logs as the compaction job leaves them (request-log.chunks.ts): one collection per UTC day
 * with a directory, one deflated chunk per hour and the day index (request-log.index.ts), written in one insert per day; the newest
 * minute stays in `request_logs_recent`, as between two compaction runs. A day whose directory is
 * already there is skipped (an interrupted seed resumes).
 */
async function seedLogs(connection: Connection, opts: Args, seeded: Seeded, end: number): Promise<void> {
  const started = performance.now();
  let written = 0;
  let day = 0;
  for (const dayLogs of seededDays(opts, seeded, end)) {
    day += 1;
    written += dayLogs.length;
    if (dayLogs.length === 0) continue;
    const recentFrom = end - 60_000;
    const recent = dayLogs.filter((l) => l.timestamp.getTime() >= recentFrom);
    const packed = dayLogs.filter((l) => l.timestamp.getTime() < recentFrom).map(compactRow);
    const dayMs = dayStart(dayLogs[0]!.timestamp.getTime());
    const collection = connection.collection(dayCollection(dayMs));
    const indexDir = connection.collection(indexCollectionName(dayCollection(dayMs), INDEX_ID));
    // A day written before the day index (layout v2), or interrupted before its index directory, is written again.
    if ((await collection.findOne({ _id: DIRECTORY_ID as never })) && !(await indexDir.findOne({}))) {
      await collection.drop();
      for (const name of indexCollectionNames(dayCollection(dayMs)))
        await connection.dropCollection(name).catch(() => undefined);
    }
    if (!(await indexDir.findOne({}))) {
      const byHour = new Map<string, RequestLogRecord[]>();
      for (const row of packed) {
        const hour = hourKey(row.timestamp.getTime());
        byHour.set(hour, [...(byHour.get(hour) ?? []), row]);
      }
      const chunks: Record<string, unknown>[] = [];
      const dir: Record<string, HourEntry> = {};
      for (const [hour, rows] of byHour) {
        rows.sort(newestFirst);
        chunks.push({ _id: chunkIds(hour, 1)[0], z: packRows(rows), n: rows.length, v: 'bench' });
        dir[hour] = hourEntry(rows, 1);
      }
      await insertNew(collection, [{ _id: DIRECTORY_ID, h: dir }, ...chunks]);
      const { index, writes } = buildIndex(packed);
      const byCollection = new Map<string, Record<string, unknown>[]>();
      for (const [id, list] of writes) {
        const name = indexCollectionName(dayCollection(dayMs), id);
        const docs = byCollection.get(name) ?? [];
        const a = levelAbove(index, id);
        docs.push({
          _id: id,
          z: packIndexRows(list),
          n: list.length,
          v: 'bench',
          ...(a === undefined ? {} : { a }),
        });
        byCollection.set(name, docs);
      }
      for (const [name, docs] of byCollection) await insertNew(connection.collection(name), docs);
      // Last: a day with its index directory is complete.
      await insertNew(indexDir, [{ _id: INDEX_ID, z: packIndex(index), n: 0, v: 'bench' }]);
    }
    if (recent.length > 0) await insertNew(connection.collection(RECENT_COLLECTION), recent.map(compact));
    if (day % 10 === 0 || day === opts.days) {
      const s = (performance.now() - started) / 1000;
      process.stdout.write(
        `  seeded ${written} logs (${day}/${opts.days} days, ${s.toFixed(0)} s, ${Math.round(written / s)} logs/s)\n`,
      );
    }
  }
}

/** The stored (compact) form of a row, as the writer inserts it. */
function compactRow(log: RequestLogRecord): RequestLogRecord {
  return compact(log) as unknown as RequestLogRecord;
}

async function seedRollups(connection: Connection, opts: Args, seeded: Seeded, end: number): Promise<void> {
  const started = performance.now();
  let buckets = 0;
  let rows = 0;
  let day = 0;
  for (const dayLogs of seededDays(opts, seeded, end)) {
    // A day's logs make exactly that day's hourly and daily buckets: insert them as the writer's
    // `$inc` upserts would have created them.
    const increments = buildRollups(dayLogs);
    const byCollection = new Map<string, Record<string, unknown>[]>();
    for (const bucket of bucketDocumentsOf(toBucketUpdates(increments))) {
      const docs = byCollection.get(bucket.collection) ?? [];
      docs.push({ ...bucket.doc, w: { bench: 1 } });
      byCollection.set(bucket.collection, docs);
    }
    for (const [name, docs] of byCollection) await insertNew(connection.collection(name), docs);
    rows += increments.length;
    buckets += [...byCollection.values()].reduce((n, d) => n + d.length, 0);
    day += 1;
    if (day % 10 === 0 || day === opts.days) {
      const s = (performance.now() - started) / 1000;
      process.stdout.write(
        `  seeded ${rows} rollup rows in ${buckets} buckets (${day}/${opts.days} days, ${s.toFixed(0)} s)\n`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring.

/**
 * A control pod loads the closed days its dashboard reads in the background from 10 s after boot
 * (RollupCacheWarmer): time that once, then measure the pod as it runs from then on.
 * `ANALYTICS_CACHE_MB=0` turns the cache off (every query reads the database).
 */
async function warmDashboardCache(app: NestFastifyApplication, what: string): Promise<void> {
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const loaded = await dashboardCache(app).warmer.warm();
  if (loaded === 0) {
    process.stdout.write('rollup day cache: off (ANALYTICS_CACHE_MB=0) or already warm\n');
    return;
  }
  const heap = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  process.stdout.write(
    `rollup day cache: warmed ${loaded} closed-day buckets ${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s (heap +${heap.toFixed(0)} MiB)\n`,
  );
}

function dashboardCache(app: NestFastifyApplication): {
  warmer: import('../src/modules/analytics-admin/rollup-cache-warmer').RollupCacheWarmer;
  cache: import('../src/modules/analytics/rollup-day-cache').RollupDayCache;
  digestJob: import('../src/modules/analytics-admin/rollup-digest-job').RollupDigestJob;
} {
  const { RollupDigestJob } = fromDist<typeof import('../src/modules/analytics-admin/rollup-digest-job')>(
    'modules/analytics-admin/rollup-digest-job.js',
  );
  const { RollupCacheWarmer } = fromDist<typeof import('../src/modules/analytics-admin/rollup-cache-warmer')>(
    'modules/analytics-admin/rollup-cache-warmer.js',
  );
  const { RollupDayCache } = fromDist<typeof import('../src/modules/analytics/rollup-day-cache')>(
    'modules/analytics/rollup-day-cache.js',
  );
  return {
    warmer: app.get(RollupCacheWarmer),
    cache: app.get(RollupDayCache),
    digestJob: app.get(RollupDigestJob),
  };
}

/** Drops the day digests (rollup-digests.ts): the next reads are the first ever of those days. */
async function dropDigests(connection: Connection): Promise<number> {
  const { DIGEST_COLLECTION_PREFIX } = fromDist<typeof import('../src/modules/analytics/rollup-digests')>(
    'modules/analytics/rollup-digests.js',
  );
  let dropped = 0;
  for (const { name } of await connection.db!.listCollections({}, { nameOnly: true }).toArray()) {
    if (!name.startsWith(DIGEST_COLLECTION_PREFIX)) continue;
    await connection.collection(name).drop();
    dropped += 1;
  }
  return dropped;
}

interface Result {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  target: number;
  extra?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

let timeoutMs = 120_000;
/** Set by the first timeout: the database still works on that query, so later timings would wait for it. */
let stalled = false;

class QueryTimeout extends Error {}

async function getJson(base: string, token: string, path: string): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await request(base + path, {
    headers: { authorization: `Bearer ${token}` },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code?.includes('TIMEOUT')) throw new QueryTimeout(path);
    throw error;
  });
  const text = await res.body.text();
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) as unknown };
}

/**
 * Times `runs` calls (plus one warm-up); `call(i)` varies the range so the 3 s cache never
 * answers. A call slower than the timeout ends the series (reported as "> timeout").
 */
async function timeIt(
  name: string,
  runs: number,
  target: number,
  call: (i: number) => Promise<number>,
): Promise<Result> {
  const samples: number[] = [];
  if (stalled) {
    process.stdout.write(`  ${name}: skipped (the database is still busy with a timed-out query)\n`);
    return { name, runs: 0, p50: NaN, p95: NaN, target };
  }
  try {
    await call(runs);
    for (let i = 0; i < runs; i += 1) samples.push(await call(i));
  } catch (error) {
    if (!(error instanceof QueryTimeout)) throw error;
    stalled = true;
    process.stdout.write(`  ${name}: slower than ${timeoutMs / 1000} s\n`);
    return { name, runs: samples.length, p50: Infinity, p95: Infinity, target };
  }
  samples.sort((a, b) => a - b);
  const result = { name, runs, p50: percentile(samples, 50), p95: percentile(samples, 95), target };
  process.stdout.write(`  ${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms\n`);
  return result;
}

const DASHBOARD_DIMENSIONS = ['tenant', 'model', 'provider', 'category', 'tier', 'user', 'key', 'errorType'];

function range30(end: number, shiftHours: number): string {
  const to = end - shiftHours * HOUR_MS;
  return `from=${new Date(to - 30 * DAY_MS).toISOString()}&to=${new Date(to).toISOString()}`;
}

async function exportFocus(base: string, token: string, end: number): Promise<Result> {
  const t0 = performance.now();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  const res = await request(`${base}/api/prism/admin/finops/focus.csv?${range30(end, 0)}`, {
    headers: { authorization: `Bearer ${token}` },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  const rows = Math.max(0, lines - 1);
  const rate = rows / seconds;
  const growth = (rssPeak - rssBefore) / 1024 / 1024;
  process.stdout.write(
    `  FOCUS export 30 d: ${rows} rows, ${(bytes / 1024 / 1024).toFixed(0)} MiB in ${seconds.toFixed(1)} s = ${Math.round(rate)} rows/s, RSS +${growth.toFixed(0)} MiB\n`,
  );
  return {
    name: 'FOCUS export 30 d (rows/s)',
    runs: 1,
    p50: rate,
    p95: rate,
    target: 20_000,
    extra: `${rows} rows, ${seconds.toFixed(1)} s, peak RSS +${growth.toFixed(0)} MiB`,
  };
}

async function measure(
  app: NestFastifyApplication,
  makeApp: () => Promise<NestFastifyApplication>,
  connection: Connection,
  opts: Args,
  seeded: Seeded,
  end: number,
): Promise<Result[]> {
  const { UsersService } = fromDist<typeof import('../src/modules/auth/users/users.service')>(
    'modules/auth/users/users.service.js',
  );
  const { AuthService } = fromDist<typeof import('../src/modules/auth/session/auth.service')>(
    'modules/auth/session/auth.service.js',
  );
  const admin = await app.get(UsersService).createLocal({
    username: `bench-${randomBytes(3).toString('hex')}`,
    password: randomBytes(12).toString('hex'),
    role: 'admin',
    mustChangePassword: false,
  });
  const token = app.get(AuthService).issueFor(admin).token;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const get = async (path: string): Promise<number> => (await getJson(base, token, path)).ms;
  const tenant = seeded.tenants[3]!;
  const results: Result[] = [];
  const r = opts.runs;

  const newPod = async (): Promise<FreshPod> => {
    const pod = await makeApp();
    await pod.init();
    const { warmer, cache } = dashboardCache(pod);
    // Measured before its warm-up (which would start a second after boot).
    warmer.stopSchedule();
    await pod.listen({ port: 0, host: '127.0.0.1' });
    const podAddress = pod.getHttpServer().address();
    const podBase = `http://127.0.0.1:${typeof podAddress === 'object' && podAddress ? podAddress.port : 0}`;
    return {
      get: async (path) => (await getJson(podBase, token, path)).ms,
      cache,
      close: () => pod.close(),
    };
  };
  if (!opts.logsOnly)
    results.push(...(await measureDashboard(app, connection, get, end, tenant, r, opts, newPod)));
  if (opts.dashboardOnly) return results;
  results.push(...(await measureLog(base, token, get, seeded, end, opts)));
  process.stdout.write('FOCUS export:\n');
  if (!stalled) results.push(await exportFocus(base, token, end));
  return results;
}

/** A second app instance on the same database (a pod that has just started). */
interface FreshPod {
  get: (path: string) => Promise<number>;
  cache: import('../src/modules/analytics/rollup-day-cache').RollupDayCache;
  close: () => Promise<void>;
}

async function measureDashboard(
  app: NestFastifyApplication,
  connection: Connection,
  get: (path: string) => Promise<number>,
  end: number,
  tenant: { id: string },
  r: number,
  opts: Args,
  newPod: () => Promise<FreshPod>,
): Promise<Result[]> {
  const dash = '/api/prism/admin/dashboard';
  const results: Result[] = [];
  const shapes: { name: string; target: number; path: (shift: number) => string }[] = [
    { name: 'summary', target: 200, path: (i) => `${dash}/summary?${range30(end, i)}` },
    {
      name: 'summary, one tenant',
      target: 200,
      path: (i) => `${dash}/summary?${range30(end, i)}&tenant=${tenant.id}`,
    },
    {
      name: 'timeseries day × model',
      target: 200,
      path: (i) => `${dash}/timeseries?${range30(end, i)}&interval=day&groupBy=model`,
    },
    {
      name: 'timeseries hour, total',
      target: 200,
      path: (i) => `${dash}/timeseries?${range30(end, i)}&interval=hour`,
    },
    ...DASHBOARD_DIMENSIONS.map((dimension) => ({
      name: `breakdown ${dimension}`,
      target: 300,
      path: (i: number) => `${dash}/breakdown?${range30(end, i)}&dimension=${dimension}`,
    })),
    {
      name: 'breakdown user, one tenant',
      target: 300,
      path: (i) => `${dash}/breakdown?${range30(end, i)}&dimension=user&tenant=${tenant.id}`,
    },
  ];

  const { warmer, cache, digestJob } = dashboardCache(app);
  warmer.stopSchedule();
  const once = async (label: string, shape: (typeof shapes)[number], ms: number): Promise<void> => {
    process.stdout.write(`  ${shape.name}: ${ms.toFixed(0)} ms\n`);
    results.push({ name: `${shape.name} (${label})`, runs: 1, p50: ms, p95: ms, target: shape.target });
  };

  // Optional: the first read of those days ever (every digest dropped before each request; the
  // previous request's digests still being written may fail with "no such table").
  if (opts.noDigestPass) {
    process.stdout.write('dashboard, fresh pod, no digests (one request each, 30 days):\n');
    for (const shape of shapes) {
      await new Promise((done) => setTimeout(done, 1500));
      await dropDigests(connection);
      cache.clear();
      await once('fresh pod, no digests', shape, await get(shape.path(0)));
    }
  }

  // What a running cluster keeps: the leased digest job's pass over the last 62 closed days
  // (it started at boot; this joins it). On an existing database the first pass writes them all.
  const jobStarted = performance.now();
  let pass = await digestJob.run();
  // The pass started at boot stops after its time budget; the next ones would follow every 10 min.
  while (!pass.done) pass = await digestJob.run(Date.now(), Infinity);
  process.stdout.write(
    `digest job: day and span digests current (last pass checked ${pass.checked}, wrote ${pass.written}; ${((performance.now() - jobStarted) / 1000).toFixed(1)} s)\n`,
  );

  // A fresh pod: a second app instance on the same database (this one keeps the job's lease).
  // Its very first request (connection pool and memory empty, before its warm-up) is the
  // summary; then every shape once with its memory emptied before each.
  const pod = await newPod();
  try {
    process.stdout.write('dashboard, fresh pod (new process, digests kept by the job; one request each):\n');
    for (const [i, shape] of shapes.entries()) {
      if (i > 0) pod.cache.clear();
      await once(
        i === 0 ? 'fresh pod, first request after boot' : 'fresh pod',
        shape,
        await pod.get(shape.path(1)),
      );
    }
  } finally {
    await pod.close();
  }
  cache.clear();
  await warmDashboardCache(app, 'from the digests');

  process.stdout.write('dashboard, warm (30 days, all tenants unless said):\n');
  for (const shape of shapes) {
    results.push(await timeIt(shape.name, r, shape.target, (i) => get(shape.path(i + 2))));
  }

  return results;
}

async function measureLog(
  base: string,
  token: string,
  get: (path: string) => Promise<number>,
  seeded: Seeded,
  end: number,
  opts: Args,
): Promise<Result[]> {
  const results: Result[] = [];
  const tenant = seeded.tenants[3]!;
  process.stdout.write('request log (30 days, page of 50, first page then the next):\n');
  const sample = (await getJson(base, token, `/api/prism/admin/requests?${range30(end, 0)}&limit=50`).catch(
    (error: unknown) => {
      if (error instanceof QueryTimeout) return { body: { items: [] } };
      throw error;
    },
  )) as { body: { items: { requestId: string }[] } };
  const sampleId = sample.body.items[0]?.requestId ?? 'none';
  const filters: [string, string][] = [
    ['no filter', ''],
    ['tenant', `tenant=${tenant.id}`],
    ['keyPrefix', `keyPrefix=${seeded.keys[5]![1]!.prefix}`],
    ['user', 'user=user-7-3'],
    ['session', `session=sess-${Math.floor((end - 2 * DAY_MS) / 600_000)}-0`],
    ['requestedModel', 'requestedModel=gpt-4o'],
    ['routedModel', 'routedModel=claude-opus-4'],
    ['provider', `provider=${PROVIDERS[3]!.id}`],
    ['category', 'category=math'],
    ['tier', 'tier=premium'],
    ['status error', 'status=error'],
    ['errorType', 'errorType=timeout'],
    ['streamed', 'streamed=true'],
    ['minLatencyMs', 'minLatencyMs=5000'],
    ['minCostUsd', 'minCostUsd=0.05'],
    ['requestId', `requestId=${sampleId}`],
  ];
  const list = '/api/prism/admin/requests';
  for (const [name, filter] of filters) {
    const q = (i: number): string => `${list}?${range30(end, i * 24)}&limit=50${filter ? `&${filter}` : ''}`;
    results.push(await timeIt(`log first page: ${name}`, opts.logRuns, 100, (i) => get(q(i))));
    results.push(
      await timeIt(`log next page: ${name}`, opts.logRuns, 100, async (i) => {
        const first = (await getJson(base, token, q(i))).body as { nextCursor: string | null };
        if (!first.nextCursor) return 0;
        return get(`${q(i)}&cursor=${encodeURIComponent(first.nextCursor)}`);
      }),
    );
  }

  // Detail look-ups of requests spread over the 90 days (the newest first page would be found in
  // the first hour walked), and of an id that is nowhere (walks every day).
  const ids: string[] = [];
  for (const daysAgo of [0, 3, 10, 25, 45, 60, 75, 88]) {
    const to = end - daysAgo * DAY_MS;
    const page = (await getJson(
      base,
      token,
      `${list}?from=${new Date(to - DAY_MS).toISOString()}&to=${new Date(to).toISOString()}&limit=3`,
    )) as { body: { items: { requestId: string }[] } };
    ids.push(...page.body.items.map((item) => item.requestId));
  }
  if (ids.length > 0) {
    results.push(
      await timeIt('request detail by id (0–88 days old)', opts.logRuns, 100, (i) =>
        get(`${list}/${encodeURIComponent(ids[(i * 7) % ids.length]!)}`),
      ),
    );
  }
  results.push(
    await timeIt('request detail, unknown id (404)', opts.logRuns, 100, async (i) => {
      const t0 = performance.now();
      const res = await request(`${base}${list}/no-such-request-${i}`, {
        headers: { authorization: `Bearer ${token}` },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      if (res.statusCode !== 404) throw new Error(`unknown request id answered ${res.statusCode}`);
      return performance.now() - t0;
    }),
  );
  return results;
}

function table(results: Result[]): string {
  const lines = [
    '| Query | Runs | p50 ms | p95 ms | Target (p95) | Meets |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.name.startsWith('FOCUS')) {
      lines.push(
        `| ${r.name} | 1 | ${Math.round(r.p50)} rows/s | — | > ${r.target} rows/s | ${r.p50 > r.target ? 'yes' : 'no'} (${r.extra}) |`,
      );
      continue;
    }
    if (Number.isNaN(r.p95)) {
      lines.push(`| ${r.name} | 0 | — | — | < ${r.target} ms | skipped |`);
      continue;
    }
    const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : `> ${timeoutMs}`);
    lines.push(
      `| ${r.name} | ${r.runs} | ${ms(r.p50)} | ${ms(r.p95)} | < ${r.target} ms | ${r.p95 < r.target ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = args();
  timeoutMs = opts.timeoutMs;
  if (!opts.skipBuild) {
    process.stdout.write('building dist/...\n');
    execFileSync('npx', ['nest', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const { startTestDatabase, startFerretDb } = await import('../test/support/test-database');
  const db =
    opts.dataDir && !process.env.MONGODB_URI ? await startFerretDb(opts.dataDir) : await startTestDatabase();
  const url = new URL(db.uri);
  url.pathname = '/bench_analytics';
  const { createApp } = fromDist<typeof import('../src/app.factory')>('app.factory.js');
  const { loadConfig } = fromDist<typeof import('../src/core/config')>('core/config/index.js');
  const { TenantsRepository } = fromDist<typeof import('../src/modules/tenants/tenants.repository')>(
    'modules/tenants/tenants.repository.js',
  );
  const { defaultTenantSettings } = fromDist<typeof import('../src/modules/tenants/tenant-defaults')>(
    'modules/tenants/tenant-defaults.js',
  );
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    NODE_ROLE: 'full',
    LOG_LEVEL: 'warn',
    // The benchmark sends hundreds of admin requests a minute from one address.
    ADMIN_RATE_LIMIT_PER_MIN: '1000000',
    MONGODB_URI: url.toString(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  const makeApp = (): Promise<NestFastifyApplication> => createApp(loadConfig(env));
  const app = await makeApp();
  try {
    await app.init();
    const tenantsRepo = app.get(TenantsRepository);
    const seeded: Seeded = { tenants: [], keys: [] };
    for (let i = 0; i < TENANTS; i += 1) {
      const slug = `bench-tenant-${i}`;
      const existing = await tenantsRepo.findBySlug(slug);
      const tenant =
        existing ??
        (await tenantsRepo.create({
          ...defaultTenantSettings(),
          slug,
          name: slug,
          isDefault: false,
          providerIds: [],
        }));
      seeded.tenants.push({ id: tenant._id.toString(), slug });
      seeded.keys.push(
        [...Array(KEYS_PER_TENANT).keys()].map((k) => ({
          id: fixedId(1000 + i * 10 + k),
          prefix: `omp-${(0x10000000 + i * 16 + k).toString(16)}`,
        })),
      );
    }
    const { getConnectionToken } = await import('@nestjs/mongoose');
    const connection = app.get<Connection>(getConnectionToken());
    const meta = connection.collection('bench_meta');
    const stored = await meta.findOne<{
      end: number;
      rows: number;
      logsDone?: boolean;
      logLayout?: string;
      rollups?: string;
    }>({
      _id: 'seed' as never,
    });
    const end = stored?.end ?? Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    if (!stored) await meta.insertOne({ _id: 'seed' as never, end, rows: opts.rows });
    if (opts.dashboardOnly) {
      process.stdout.write(`--dashboard-only: no request logs seeded\n`);
    } else if (stored?.logsDone && stored.logLayout === LOG_LAYOUT) {
      process.stdout.write(
        `reusing ${stored.rows} seeded request logs (layout ${LOG_LAYOUT}, up to ${new Date(end).toISOString()})\n`,
      );
    } else {
      process.stdout.write(
        `seeding ${opts.rows} request logs over ${opts.days} days (layout ${LOG_LAYOUT})...\n`,
      );
      await seedLogs(connection, opts, seeded, end);
      await meta.updateOne({ _id: 'seed' as never }, { $set: { logsDone: true, logLayout: LOG_LAYOUT } });
    }
    if (opts.logsOnly) {
      process.stdout.write('--logs-only: no rollups seeded, the dashboard not timed\n');
    } else if (stored?.rollups === ROLLUP_LAYOUT) {
      process.stdout.write(`reusing the seeded rollups (layout ${ROLLUP_LAYOUT})\n`);
    } else {
      process.stdout.write(`seeding the rollups of those logs (layout ${ROLLUP_LAYOUT})...\n`);
      await seedRollups(connection, opts, seeded, end);
      await meta.updateOne({ _id: 'seed' as never }, { $set: { rollups: ROLLUP_LAYOUT } });
    }
    const results = await measure(app, makeApp, connection, opts, seeded, end);
    process.stdout.write(
      `\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
        `database ${db.kind}, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n\n${table(results)}\n`,
    );
  } finally {
    await app.close();
    await db.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
