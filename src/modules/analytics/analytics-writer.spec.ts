import { register } from 'prom-client';

import { SecretBox } from '../../common/crypto/secret-box';
import type { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { AnalyticsWriter, MAX_STORED_PROMPT_BYTES } from './analytics-writer.service';
import type { AnalyticsRepository } from './analytics.repository';
import type { InsertAnswers } from './insert-answers';
import { bucketOf } from './latency-histogram';
import { decodeDocuments } from './request-log.bson';
import { buildRollups, type RollupIncrement } from './rollups';
import { requestLogRow as log } from './testing/log-rows';

class FakeRepository {
  logs: unknown[] = [];
  prompts: unknown[] = [];
  rollups: unknown[] = [];
  failures = 0;
  insertEncodedLogs(bytes: Buffer): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('database down'));
    }
    this.logs.push(...decodeDocuments(bytes));
    return Promise.resolve();
  }
  promptFailures = 0;
  insertPrompts(docs: unknown[], answers: InsertAnswers): Promise<void> {
    if (this.promptFailures > 0) {
      this.promptFailures -= 1;
      return Promise.reject(new Error('database down'));
    }
    this.prompts.push(...docs);
    answers.answered(0, docs.length, []);
    return Promise.resolve();
  }
  applyRollups(docs: unknown[], _batch: { writer: string; seq: number }): Promise<void> {
    this.rollups.push(...docs);
    return Promise.resolve();
  }
}

const box = new SecretBox(Buffer.alloc(32, 7));
const writer = (repo: FakeRepository, settings = {}) =>
  new AnalyticsWriter(repo as unknown as AnalyticsRepository, box, { flushIntervalMs: 60_000, ...settings });
const dropped = async (): Promise<number> =>
  (await register.getSingleMetric('prism_analytics_dropped_total')?.get())?.values[0]?.value ?? 0;

describe('buildRollups', () => {
  it('merges a batch into one increment per grain, period, tenant, dimension and key', () => {
    const rollups = buildRollups([log(), log({ user: 'bob' }), log({ status: 'error', tenantId: null })]);
    const total = (grain: string) =>
      rollups.find((r) => r.dimension === 'all' && r.grain === grain && r.tenantId === 't1');
    expect(total('day')).toMatchObject({
      period: new Date('2025-01-15T00:00:00Z'),
      key: '',
      label: 'team',
      inc: { requests: 2, inputTokens: 20, costE8: 200_000 },
    });
    expect(total('hour')).toMatchObject({ period: new Date('2025-01-15T10:00:00Z'), inc: { requests: 2 } });
    expect(total('day')?.inc['hLatency.b' + String(bucketOf(12))]).toBe(2);
    expect(
      rollups
        .filter((r) => r.dimension === 'user' && r.grain === 'day' && r.tenantId === 't1')
        .map((r) => r.key)
        .sort(),
    ).toEqual(['alice', 'bob']);
    expect(rollups.find((r) => r.dimension === 'category' && r.grain === 'day')?.inc.requests).toBe(2);
    // Refused before a tenant was known: counted under tenant '', with its error type.
    const refused = rollups.find((r) => r.dimension === 'errorType' && r.grain === 'day');
    expect(refused).toMatchObject({ tenantId: '', key: 'error', inc: { requests: 1, errorCount: 1 } });
  });

  it('gives every dimension a row (key "" for none), so each dimension adds up to the total', () => {
    const rollups = buildRollups([log({ category: null, user: null, keyId: null })]);
    const day = rollups.filter((r) => r.grain === 'day');
    expect(day.map((r) => r.dimension).sort()).toEqual(
      ['all', 'category', 'key', 'model', 'provider', 'tier', 'user'].sort(),
    );
    expect(day.find((r) => r.dimension === 'user')?.key).toBe('');
  });
});

describe('AnalyticsWriter', () => {
  it('writes queued logs, rollups and encrypted prompts in one flush', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    w.enqueue({ log: log() });
    w.enqueue({
      log: log({ promptLogged: true }),
      prompt: { request: [{ role: 'user', content: 'secret' }], response: 'answer' },
    });
    await w.flush();
    expect(repo.logs).toHaveLength(2);
    expect(repo.rollups.length).toBeGreaterThan(0);
    const prompt = repo.prompts[0] as { data: string; expiresAt: Date };
    expect(prompt.data).toMatch(/^enc:/);
    expect(JSON.parse(box.decrypt(prompt.data))).toEqual({
      request: [{ role: 'user', content: 'secret' }],
      response: 'answer',
    });
    expect(prompt.expiresAt.getTime()).toBe(log().timestamp.getTime() + 7 * 86_400_000);
  });

  it('dates prompts with the runtime prompt retention when the settings service is there', async () => {
    const repo = new FakeRepository();
    const runtime = { get: () => 3 } as unknown as RuntimeSettingsService;
    const w = new AnalyticsWriter(
      repo as unknown as AnalyticsRepository,
      box,
      { flushIntervalMs: 60_000 },
      runtime,
    );
    w.enqueue({ log: log({ promptLogged: true }), prompt: { request: [], response: null } });
    await w.flush();
    const prompt = repo.prompts[0] as { expiresAt: Date };
    expect(prompt.expiresAt.getTime()).toBe(log().timestamp.getTime() + 3 * 86_400_000);
    await w.close();
  });

  it('stores the request log but not a prompt above the stored-prompt limit, and counts it', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    const refused = async (): Promise<number> =>
      (await register.getSingleMetric('prism_analytics_refused_total')?.get())?.values.find(
        (v) => v.labels.what === 'prompt',
      )?.value ?? 0;
    const before = await refused();
    w.enqueue({
      log: log({ promptLogged: true }),
      prompt: { request: [{ role: 'user', content: 'x'.repeat(MAX_STORED_PROMPT_BYTES) }], response: null },
    });
    w.enqueue({ log: log({ promptLogged: true }), prompt: { request: [], response: 'small' } });
    await w.flush();
    expect(repo.logs).toHaveLength(2);
    expect(repo.prompts).toHaveLength(1);
    expect(await refused()).toBe(before + 1);
    expect(w.queued).toBe(0);
  });

  it('counts stored rows and their rollups once when only the prompt insert fails', async () => {
    const repo = new FakeRepository();
    repo.promptFailures = 1;
    const w = writer(repo);
    const lost = await dropped();
    w.enqueue({ log: log({ promptLogged: true }), prompt: { request: [], response: 'kept' } });
    await w.flush();
    expect(repo.logs).toHaveLength(1);
    expect(repo.prompts).toHaveLength(0);
    await w.flush();
    expect(repo.logs).toHaveLength(1);
    expect(repo.prompts).toHaveLength(1);
    const requests = (repo.rollups as RollupIncrement[]).filter(
      (r) => r.grain === 'hour' && r.dimension === 'all',
    );
    expect(requests.reduce((sum, r) => sum + (r.inc.requests ?? 0), 0)).toBe(1);
    expect(await dropped()).toBe(lost);
    await w.close();
  });

  it('keeps a failed batch and writes it on the next flush', async () => {
    const repo = new FakeRepository();
    repo.failures = 1;
    const w = writer(repo);
    w.enqueue({ log: log() });
    await w.flush();
    expect(repo.logs).toHaveLength(0);
    expect(w.queued).toBe(1);
    await w.flush();
    expect(repo.logs).toHaveLength(1);
  });

  it('drops rows refused one by one as well as together only once that answer keeps coming', async () => {
    const repo = new FakeRepository();
    let attempts = 0;
    // Two rows the server refuses together and alone, on every attempt.
    repo.insertEncodedLogs = (_bytes: Buffer, answers?: InsertAnswers) => {
      attempts++;
      if (!answers!.trustWholeRefusal) {
        answers!.wholeRefusal = true;
        return Promise.reject(new Error('BadValue'));
      }
      for (let i = 0; i < answers!.documents; i++) answers!.refuse(i, { code: 2, message: 'BadValue' });
      return Promise.resolve();
    };
    const w = writer(repo);
    const lost = await dropped();
    w.enqueue({ log: log() });
    w.enqueue({ log: log({ user: 'bob' }) });
    for (let i = 0; i < 8; i++) await w.flush();
    // Kept while the answer could still be the server's refusal of any insert.
    expect(w.queued).toBe(2);
    expect(await dropped()).toBe(lost);
    await w.flush();
    expect(attempts).toBe(9);
    expect(w.queued).toBe(0);
    expect(await dropped()).toBe(lost + 2);
    expect(repo.rollups).toHaveLength(0);
    await w.close();
  });

  it('counts rows and prompts stored without their write concern confirmed, and does not resend them', async () => {
    const repo = new FakeRepository();
    const unmet = { code: 64, errmsg: 'waiting for replication timed out' };
    let inserts = 0;
    repo.insertEncodedLogs = (bytes: Buffer, answers?: InsertAnswers) => {
      inserts++;
      repo.logs.push(...decodeDocuments(bytes));
      answers!.answered(0, answers!.documents, []);
      answers!.takeUnmetWriteConcern(unmet);
      return Promise.resolve();
    };
    repo.insertPrompts = (docs: unknown[], answers: InsertAnswers) => {
      repo.prompts.push(...docs);
      answers.answered(0, docs.length, []);
      answers.takeUnmetWriteConcern(unmet);
      return Promise.resolve();
    };
    const counted = async (): Promise<number> =>
      (await register.getSingleMetric('prism_analytics_write_concern_unmet_total')?.get())?.values[0]
        ?.value ?? 0;
    const before = await counted();
    const w = writer(repo);
    w.enqueue({ log: log({ promptLogged: true }), prompt: { request: [], response: 'kept' } });
    await w.flush();
    await w.flush();
    expect(inserts).toBe(1);
    expect(w.queued).toBe(0);
    expect(repo.prompts).toHaveLength(1);
    expect((await counted()) - before).toBe(2);
    await w.close();
  });

  it('folds rollups across full-batch writes and upserts them on flush, once per key', async () => {
    const repo = new FakeRepository();
    const w = writer(repo, { batchSize: 1, rollupIntervalMs: 60_000 });
    w.enqueue({ log: log() }); // a full batch: written right away, rollups held back
    w.enqueue({ log: log({ user: 'bob' }) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(repo.logs).toHaveLength(2);
    expect(repo.rollups).toHaveLength(0);
    await w.flush();
    const rollups = repo.rollups as RollupIncrement[];
    const totals = rollups.filter((r) => r.dimension === 'all' && r.grain === 'day');
    expect(totals).toHaveLength(1);
    expect(totals[0]?.inc.requests).toBe(2);
  });

  it('retries a failed rollup batch unchanged (same batch id), then writes what arrived meanwhile', async () => {
    const repo = new FakeRepository();
    let failRollups = true;
    const calls: { seq: number; requests: number }[] = [];
    const apply = repo.applyRollups.bind(repo);
    repo.applyRollups = (docs, batch) => {
      const total = (docs as RollupIncrement[]).find((r) => r.dimension === 'all' && r.grain === 'day');
      calls.push({ seq: batch.seq, requests: total?.inc.requests ?? 0 });
      return failRollups ? Promise.reject(new Error('down')) : apply(docs, batch);
    };
    const w = writer(repo);
    w.enqueue({ log: log() });
    await w.flush();
    failRollups = false;
    w.enqueue({ log: log() });
    await w.flush();
    expect(calls).toEqual([
      { seq: 1, requests: 1 },
      { seq: 1, requests: 1 },
      { seq: 2, requests: 1 },
    ]);
    const totals = (repo.rollups as RollupIncrement[]).filter(
      (r) => r.dimension === 'all' && r.grain === 'day',
    );
    expect(totals.map((r) => r.inc.requests)).toEqual([1, 1]);
  });

  it('drops (and counts) events beyond the bounded queue', async () => {
    const before = await dropped();
    const w = writer(new FakeRepository(), { maxQueue: 2, batchSize: 100 });
    expect([w.enqueue({ log: log() }), w.enqueue({ log: log() }), w.enqueue({ log: log() })]).toEqual([
      true,
      true,
      false,
    ]);
    expect((await dropped()) - before).toBe(1);
  });

  it('flushes everything on close, and writes late events immediately', async () => {
    const repo = new FakeRepository();
    const w = writer(repo);
    w.enqueue({ log: log() });
    await w.close();
    expect(repo.logs).toHaveLength(1);
    w.enqueue({ log: log() });
    await w.flush();
    expect(repo.logs).toHaveLength(2);
  });
});
