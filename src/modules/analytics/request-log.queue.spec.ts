import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Logger } from '@nestjs/common';
import { mongo } from 'mongoose';
import { register } from 'prom-client';

import { SecretBox } from '../../common/crypto/secret-box';
import { AnalyticsWriter } from './analytics-writer.service';
import type { AnalyticsRepository } from './analytics.repository';
import type { InsertAnswers } from './insert-answers';
import { decodeDocuments, DRIVER_OPTIONS } from './request-log.bson';
import type { CompactRequestLog } from './request-log.mapper';
import { RequestLogQueue } from './request-log.queue';
import { buildRollups, mergeRollups, type RollupIncrement } from './rollups';
import { randomGatewayRows } from './testing/random-rows';

const driverBytes = (doc: object): Buffer => Buffer.from(mongo.BSON.serialize(doc, DRIVER_OPTIONS));
const idOf = (doc: { _id?: unknown }): string => String(doc._id);

/**
 * A request-log collection with a unique `_id`: a re-sent row is skipped, as the database does.
 * `failNext` makes the next inserts fail after storing the first `storedBeforeFailure` rows of
 * the call (a partial insert, then an error; `answeredBeforeFailure`: the command that stored
 * them answered, as when a later command of the insert fails). `refuse` answers a document with
 * a per-document write error instead of storing it.
 */
class FakeRepository {
  stored = new Map<string, Buffer>();
  calls: { bytes: Buffer; copy: Buffer }[] = [];
  prompts: { _id: unknown }[] = [];
  rollups: RollupIncrement[] = [];
  failNext = 0;
  /** Per failing call (a list: one entry per call, then 0). */
  storedBeforeFailure: number | number[] = 0;
  answeredBeforeFailure = false;
  refuse: ((doc: Record<string, unknown>) => { code: number; errmsg: string } | undefined) | undefined;
  refusePrompt: ((doc: { _id: unknown }) => boolean) | undefined;
  /** Resolves the pending insert (set while one waits). */
  release: (() => void) | undefined;
  hold = false;

  async insertEncodedLogs(bytes: Buffer, answers?: InsertAnswers): Promise<void> {
    const call = { bytes, copy: Buffer.from(bytes) };
    this.calls.push(call);
    if (this.hold) await new Promise<void>((resolve) => (this.release = resolve));
    const docs = decodeDocuments(bytes);
    if (this.failNext > 0) {
      this.failNext -= 1;
      const stored = Array.isArray(this.storedBeforeFailure)
        ? (this.storedBeforeFailure.shift() ?? 0)
        : this.storedBeforeFailure;
      for (const doc of docs.slice(0, stored)) this.store(doc);
      if (this.answeredBeforeFailure) answers?.answered(0, stored, []);
      throw new Error('database down');
    }
    const writeErrors: { index: number; code: number; errmsg: string }[] = [];
    docs.forEach((doc, index) => {
      const refused = this.refuse?.(doc);
      if (refused) writeErrors.push({ index, ...refused });
      else this.store(doc);
    });
    if (!answers) {
      if (writeErrors.length > 0) throw Object.assign(new Error('write errors'), { writeErrors });
      return;
    }
    answers.answered(0, docs.length, writeErrors);
    if (!answers.settled) throw new Error('refused for now');
  }

  insertPrompts(docs: readonly { _id: unknown }[], answers: InsertAnswers): Promise<void> {
    docs.forEach((doc, index) => {
      if (this.refusePrompt?.(doc)) answers.refuse(index, { code: 2, message: 'refused' });
      else {
        this.prompts.push(doc);
        answers.answered(index, index + 1, []);
      }
    });
    return Promise.resolve();
  }

  applyRollups(increments: readonly RollupIncrement[]): Promise<void> {
    this.rollups.push(...increments);
    return Promise.resolve();
  }

  private store(doc: Record<string, unknown>): void {
    const id = idOf(doc);
    if (!this.stored.has(id)) this.stored.set(id, driverBytes(doc));
  }
}

const box = new SecretBox(Buffer.alloc(32, 7));
const writer = (repo: FakeRepository, settings = {}) =>
  new AnalyticsWriter(repo as unknown as AnalyticsRepository, box, {
    flushIntervalMs: 60_000,
    rollupIntervalMs: 60_000,
    ...settings,
  });
const metric = async (name: string): Promise<number> =>
  (await register.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
const refusedMetric = async (what: string): Promise<number> =>
  (await register.getSingleMetric('prism_analytics_refused_total')?.get())?.values.find(
    (v) => v.labels.what === what,
  )?.value ?? 0;

/** Rollups as one canonical string: increments merged by their key, sorted. */
function canonical(increments: Iterable<RollupIncrement>): string {
  const merged = [...mergeRollups(new Map(), increments).values()].map((r) => ({
    ...r,
    period: r.period.getTime(),
    inc: Object.fromEntries(Object.entries(r.inc).sort(([a], [b]) => a.localeCompare(b))),
  }));
  return JSON.stringify(
    merged.sort((a, b) =>
      `${a.grain}|${a.period}|${a.tenantId}|${a.dimension}|${a.key}`.localeCompare(
        `${b.grain}|${b.period}|${b.tenantId}|${b.dimension}|${b.key}`,
      ),
    ),
  );
}

/** What the writer stored before the byte queue: rows in batches of `size`, rollups folded per batch. */
function perBatchRollups(rows: readonly CompactRequestLog[], size: number): RollupIncrement[] {
  const into = new Map<string, RollupIncrement>();
  for (let i = 0; i < rows.length; i += size) mergeRollups(into, buildRollups(rows.slice(i, i + size)));
  return [...into.values()];
}

beforeAll(() => Logger.overrideLogger(false));

describe('RequestLogQueue', () => {
  const queue = (rowsPerSegment = 3, bytesPerSegment?: number) =>
    new RequestLogQueue({ rowsPerSegment, bytesPerSegment, prompt: () => undefined });

  it('holds rows as their BSON bytes, in segments of at most rowsPerSegment rows', () => {
    const rows = randomGatewayRows(7, 5);
    const q = queue();
    for (const log of rows) q.push({ log });
    expect(q.size).toBe(7);
    const segments = [];
    for (let segment = q.take(); segment; segment = q.take()) {
      segments.push({ rows: segment.rows, bytes: Buffer.from(segment.bytes) });
      q.done(segment);
    }
    expect(segments.map((s) => s.rows)).toEqual([3, 3, 1]);
    expect(Buffer.concat(segments.map((s) => s.bytes)).equals(Buffer.concat(rows.map(driverBytes)))).toBe(
      true,
    );
    expect(q.size).toBe(0);
  });

  it('starts a new segment once one reaches its byte size', () => {
    const q = queue(100, 1);
    for (const log of randomGatewayRows(3, 6)) q.push({ log });
    expect(q.take()?.rows).toBe(1);
  });

  it('seals a taken segment: later rows go to a new one and its bytes do not change', () => {
    const q = queue(10);
    const [a, b, c] = randomGatewayRows(3, 7);
    q.push({ log: a! });
    const taken = q.take()!;
    const before = Buffer.from(taken.bytes);
    q.push({ log: b! });
    q.push({ log: c! });
    expect(taken.rows).toBe(1);
    expect(taken.bytes.equals(before)).toBe(true);
    expect(q.take()).toBe(taken); // not done yet: still the front
    expect(q.retry()).toBe(0);
    q.done(taken);
    expect(q.take()?.rows).toBe(2);
  });

  it('adds nothing for a row it cannot encode', () => {
    const q = queue();
    const bad = { ...randomGatewayRows(1, 8)[0]!, ['bad\u0000key']: 1 } as CompactRequestLog;
    expect(() => q.push({ log: bad })).toThrow(/null bytes/);
    expect(q.size).toBe(0);
    expect(q.take()).toBeUndefined();
    const [good] = randomGatewayRows(1, 9);
    q.push({ log: good! });
    expect(() => q.push({ log: bad })).toThrow();
    const segment = q.take()!;
    expect(segment.rows).toBe(1);
    expect(segment.bytes.equals(driverBytes(good!))).toBe(true);
    expect(segment.rollups.count).toBe(1);
  });
});

describe('AnalyticsWriter with the byte queue', () => {
  it('stores random rows byte for byte as the driver serialises them, and the same rollups as per-batch folds', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 1000 });
    const rows = randomGatewayRows(2500, 11);
    const expected = rows.map((row) => [idOf(row), driverBytes(row)] as const);
    const rollups = canonical(perBatchRollups(rows, 1000));
    for (const log of rows) expect(w.enqueue({ log })).toBe(true);
    await w.flush();
    expect(repo.calls.map((c) => decodeDocuments(c.bytes).length)).toEqual([1000, 1000, 500]);
    expect(repo.stored.size).toBe(2500);
    for (const [id, bytes] of expected) expect(repo.stored.get(id)?.equals(bytes)).toBe(true);
    expect(canonical(repo.rollups)).toBe(rollups);
  });

  it('retries a failed (partly stored) segment: every row stored once, rollups counted once', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 100 });
    const rows = randomGatewayRows(250, 12);
    repo.failNext = 2;
    repo.storedBeforeFailure = 40;
    const failuresBefore = await metric('prism_analytics_flush_failures_total');
    for (const log of rows) w.enqueue({ log });
    // The full segment's own drain and this flush: both attempts at the first segment fail
    // (40 of its rows stored each time), and the drain stops there.
    await w.flush();
    expect(repo.calls).toHaveLength(2);
    expect(w.queued).toBe(250);
    expect(repo.stored.size).toBe(40);
    expect(repo.rollups).toHaveLength(0);
    await w.flush();
    expect(w.queued).toBe(0);
    expect(repo.stored.size).toBe(250);
    for (const row of rows) expect(repo.stored.get(idOf(row))?.equals(driverBytes(row))).toBe(true);
    // The retried segment was sent with the same bytes each time.
    expect(repo.calls[0]!.copy.equals(repo.calls[1]!.copy)).toBe(true);
    expect(repo.calls[1]!.copy.equals(repo.calls[2]!.copy)).toBe(true);
    expect(canonical(repo.rollups)).toBe(canonical(perBatchRollups(rows, 100)));
    expect((await metric('prism_analytics_flush_failures_total')) - failuresBefore).toBe(2);
    await w.close();
  });

  it('keeps a segment being written unchanged while new rows arrive', async () => {
    const repo = new FakeRepository();
    repo.hold = true;
    const w = writer(repo, { batchSize: 10 });
    const rows = randomGatewayRows(30, 13);
    for (const log of rows.slice(0, 10)) w.enqueue({ log });
    const flushing = w.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(repo.calls).toHaveLength(1);
    for (const log of rows.slice(10)) w.enqueue({ log }); // into new segments
    expect(repo.calls[0]!.bytes.equals(repo.calls[0]!.copy)).toBe(true);
    repo.hold = false;
    repo.release!();
    await flushing;
    await w.flush();
    expect(repo.stored.size).toBe(30);
    for (const row of rows) expect(repo.stored.get(idOf(row))?.equals(driverBytes(row))).toBe(true);
  });

  it('bounds the queue (rows being written count): new rows are dropped and counted', async () => {
    const repo = new FakeRepository();
    repo.hold = true;
    const w = writer(repo, { batchSize: 2, maxQueue: 3 });
    const before = await metric('prism_analytics_dropped_total');
    const rows = randomGatewayRows(5, 14);
    const flushing = w.flush();
    const accepted = rows.map((log) => w.enqueue({ log }));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(w.queued).toBe(3);
    expect((await metric('prism_analytics_dropped_total')) - before).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    repo.hold = false;
    repo.release?.();
    await flushing;
    await w.flush();
    expect(repo.stored.size).toBe(3);
  });

  it('drops (and counts) a row it cannot encode, and writes the others', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    const before = await metric('prism_analytics_dropped_total');
    const [a, b] = randomGatewayRows(2, 15);
    w.enqueue({ log: a! });
    expect(w.enqueue({ log: { ...b!, ['x\u0000']: 1 } as CompactRequestLog })).toBe(false);
    await w.flush();
    expect([...repo.stored.keys()]).toEqual([idOf(a!)]);
    expect((await metric('prism_analytics_dropped_total')) - before).toBe(1);
    expect(repo.rollups.find((r) => r.dimension === 'all' && r.grain === 'day')?.inc.requests).toBe(1);
  });

  it('stores prompts encrypted, only for rows with a tenant', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    const [a, b] = randomGatewayRows(2, 16);
    const prompt = { request: [{ role: 'user', content: 'secret' }], response: 'answer' };
    w.enqueue({ log: { ...a!, tenantId: 't1' }, prompt });
    w.enqueue({ log: { ...b!, tenantId: undefined }, prompt });
    await w.flush();
    expect(repo.prompts).toHaveLength(1);
    const stored = repo.prompts[0] as unknown as { _id: unknown; data: string };
    expect(stored._id).toBe(a!._id);
    expect(JSON.parse(box.decrypt(stored.data))).toEqual(prompt);
  });

  it('on shutdown writes every queued row; rows the database refuses are dropped and counted', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 50 });
    const rows = randomGatewayRows(120, 17);
    for (const log of rows) w.enqueue({ log });
    await w.close();
    expect(repo.stored.size).toBe(120);
    expect(canonical(repo.rollups)).toBe(canonical(perBatchRollups(rows, 50)));

    const down = new FakeRepository();
    down.failNext = 100;
    const w2 = writer(down, { batchSize: 50 });
    const before = await metric('prism_analytics_dropped_total');
    for (const log of rows) w2.enqueue({ log });
    await w2.close();
    expect(w2.queued).toBe(0);
    expect((await metric('prism_analytics_dropped_total')) - before).toBe(120);
    expect(down.rollups).toHaveLength(0);
  });

  it('drops a row the database refuses for good (counted, logged) and stores the others, rollups exact', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 50 });
    const rows = randomGatewayRows(120, 21).map((row) => ({ ...row, tenantId: 't1' }));
    const bad = new Set([idOf(rows[3]!), idOf(rows[77]!)]);
    repo.refuse = (doc) => (bad.has(idOf(doc)) ? { code: 2, errmsg: 'invalid key' } : undefined);
    const before = {
      dropped: await metric('prism_analytics_dropped_total'),
      written: await metric('prism_analytics_written_total'),
    };
    const refusedBefore = await refusedMetric('request_log');
    const prompt = { request: [{ role: 'user', content: 'p' }], response: 'a' };
    for (const log of rows) w.enqueue({ log, prompt });
    await w.flush();
    // Nothing left to retry: the queue moved on.
    expect(w.queued).toBe(0);
    expect(repo.calls).toHaveLength(3);
    await w.flush();
    expect(repo.calls).toHaveLength(3);
    const good = rows.filter((row) => !bad.has(idOf(row)));
    expect([...repo.stored.keys()].sort()).toEqual(good.map(idOf).sort());
    expect(repo.prompts.map(idOf).sort()).toEqual(good.map(idOf).sort());
    const perSegment = [0, 50, 100].flatMap((at) =>
      buildRollups(rows.slice(at, at + 50).filter((row) => !bad.has(idOf(row)))),
    );
    expect(canonical(repo.rollups)).toBe(canonical(perSegment));
    expect((await metric('prism_analytics_dropped_total')) - before.dropped).toBe(2);
    expect((await metric('prism_analytics_written_total')) - before.written).toBe(118);
    expect((await refusedMetric('request_log')) - refusedBefore).toBe(2);
  });

  it('drops a prompt the database refuses for good, keeps its row', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    const rows = randomGatewayRows(3, 22).map((row) => ({ ...row, tenantId: 't1' }));
    repo.refusePrompt = (doc) => idOf(doc) === idOf(rows[1]!);
    const before = await refusedMetric('prompt');
    for (const log of rows) w.enqueue({ log, prompt: { request: [], response: null } });
    await w.flush();
    expect(w.queued).toBe(0);
    expect(repo.stored.size).toBe(3);
    expect(repo.prompts.map(idOf)).toEqual([idOf(rows[0]!), idOf(rows[2]!)]);
    expect((await refusedMetric('prompt')) - before).toBe(1);
  });

  it('keeps a row refused for now (transient) and sends only it again; rollups count each row once', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 50 });
    const rows = randomGatewayRows(50, 23);
    let refusals = 1;
    repo.refuse = (doc) =>
      idOf(doc) === idOf(rows[10]!) && refusals-- > 0
        ? { code: 11602, errmsg: 'InterruptedDueToReplStateChange' }
        : undefined;
    for (const log of rows) w.enqueue({ log });
    // The full segment's own drain (49 rows stored, one refused for now) and this flush.
    await w.flush();
    expect(w.queued).toBe(0);
    expect(repo.calls).toHaveLength(2);
    expect(decodeDocuments(repo.calls[1]!.bytes).map(idOf)).toEqual([idOf(rows[10]!)]);
    expect(repo.stored.size).toBe(50);
    // Folded as they were stored: the 49, then the one (the same sums in the same order).
    const first = rows.filter((_, i) => i !== 10);
    expect(canonical(repo.rollups)).toBe(canonical([...buildRollups(first), ...buildRollups([rows[10]!])]));
  });

  it('a segment partly stored, then refused until shutdown: stored rows written and in the rollups, only the rest dropped', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 100 });
    const rows = randomGatewayRows(100, 24);
    repo.failNext = 1000;
    repo.storedBeforeFailure = [40];
    repo.answeredBeforeFailure = true;
    const before = {
      dropped: await metric('prism_analytics_dropped_total'),
      written: await metric('prism_analytics_written_total'),
    };
    for (const log of rows) w.enqueue({ log });
    await w.close();
    expect(w.queued).toBe(0);
    expect(repo.stored.size).toBe(40);
    // Later attempts sent only the 60 rows without an answer.
    expect(repo.calls.slice(1).map((c) => decodeDocuments(c.bytes).length)).toEqual(
      repo.calls.slice(1).map(() => 60),
    );
    expect((await metric('prism_analytics_written_total')) - before.written).toBe(40);
    expect((await metric('prism_analytics_dropped_total')) - before.dropped).toBe(60);
    expect(canonical(repo.rollups)).toBe(canonical(buildRollups(rows.slice(0, 40))));
  });

  it('writes an event queued after close at once', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    await w.close();
    const [row] = randomGatewayRows(1, 18);
    w.enqueue({ log: row! });
    await w.flush();
    expect(repo.stored.has(idOf(row!))).toBe(true);
  });
});

describe('a queued event', () => {
  it('is not kept by the queue (its row is bytes, its counters folded)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const q = new RequestLogQueue({ rowsPerSegment: 10, prompt: () => undefined });
    const queueOne = (seed: number): WeakRef<object> => {
      const log = randomGatewayRows(1, seed)[0]!;
      q.push({ log });
      return new WeakRef(log);
    };
    const refs = [queueOne(19), queueOne(20), queueOne(21)];
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(refs.map((ref) => ref.deref())).toEqual([undefined, undefined, undefined]);
    expect(q.size).toBe(3);
  });
});
