import { type Model, Types } from 'mongoose';

import type { LeasedJob, LeasedJobsService } from '../system/jobs/leased-jobs.service';
import type { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { AnalyticsRetention } from './analytics-retention.service';
import { AnalyticsRepository } from './analytics.repository';
import type { RequestLogRepository } from './request-log.repository';
import type { RequestPrompt } from './request-prompt.schema';
import type { UsageRollupRepository } from './usage-rollup.repository';

const DAY_MS = 86_400_000;

/**
 * `request_prompts` as the sweep uses it: a find of ids (every stored prompt is past retention
 * here; the filter is recorded) and a delete by id.
 */
class FakePrompts {
  ids: Types.ObjectId[] = [];
  readonly filters: unknown[] = [];
  /** Called after each delete (a test sets its stopping signal there, mid-sweep). */
  afterDelete: () => void = () => undefined;

  find(filter: unknown) {
    this.filters.push(filter);
    const query = {
      select: () => query,
      limit: (n: number) => ({
        lean: () => ({ exec: () => Promise.resolve(this.ids.slice(0, n).map((_id) => ({ _id }))) }),
      }),
    };
    return query;
  }

  deleteMany(filter: { _id: { $in: Types.ObjectId[] } }) {
    const gone = new Set(filter._id.$in.map(String));
    const before = this.ids.length;
    this.ids = this.ids.filter((id) => !gone.has(String(id)));
    const deletedCount = before - this.ids.length;
    this.afterDelete();
    return { exec: () => Promise.resolve({ deletedCount }) };
  }
}

function setup() {
  const prompts = new FakePrompts();
  const analytics = new AnalyticsRepository(
    undefined as never,
    undefined as never,
    prompts as unknown as Model<RequestPrompt>,
    undefined as never,
    undefined as never,
  );
  const jobs = new Map<string, LeasedJob>();
  const retention = new AnalyticsRetention(
    { register: (job: LeasedJob) => jobs.set(job.name, job) } as unknown as LeasedJobsService,
    { get: () => 30 } as unknown as RuntimeSettingsService,
    {} as RequestLogRepository,
    analytics,
    {} as UsageRollupRepository,
  );
  retention.onModuleInit();
  return { prompts, retention, sweep: jobs.get('analytics.prompt-retention')! };
}

describe('AnalyticsRetention prompt sweep', () => {
  it('deletes prompts past their expiresAt or the current retention, 1000 a batch', async () => {
    const { prompts, retention } = setup();
    prompts.ids = Array.from({ length: 2500 }, () => new Types.ObjectId());
    const now = new Date('2026-03-10T00:00:00Z');
    expect(await retention.purgePrompts(now)).toBe(2500);
    expect(prompts.ids).toHaveLength(0);
    expect(prompts.filters).toHaveLength(3);
    expect(prompts.filters[0]).toEqual({
      $or: [{ expiresAt: { $lte: now } }, { timestamp: { $lt: new Date(now.getTime() - 30 * DAY_MS) } }],
    });
  });

  it('stops at shutdown between batches; the next sweep deletes the rest', async () => {
    const { prompts, retention, sweep } = setup();
    prompts.ids = Array.from({ length: 2500 }, () => new Types.ObjectId());
    const stopping = new AbortController();
    prompts.afterDelete = () => stopping.abort();
    await sweep.run(stopping.signal);
    expect(prompts.ids).toHaveLength(1500);
    expect(prompts.filters).toHaveLength(1);

    prompts.afterDelete = () => undefined;
    expect(await retention.purgePrompts()).toBe(1500);
  });
});

describe('AnalyticsRetention request-log and rollup purges', () => {
  it('pass the stop signal on: at shutdown they stop between day collections', async () => {
    const jobs = new Map<string, LeasedJob>();
    const calls: string[] = [];
    const stopping = new AbortController();
    const rollups = {
      deleteBefore: (grain: string, _before: Date, signal?: AbortSignal) => {
        calls.push(`rollups ${grain} ${signal?.aborted ?? 'no signal'}`);
        // Shutdown begins while the hourly buckets are deleted.
        stopping.abort();
        return Promise.resolve(1);
      },
    };
    const logs = {
      deleteBefore: (_before: Date, signal?: AbortSignal) => {
        calls.push(`logs ${signal?.aborted ?? 'no signal'}`);
        return Promise.resolve(0);
      },
    };
    const retention = new AnalyticsRetention(
      { register: (job: LeasedJob) => jobs.set(job.name, job) } as unknown as LeasedJobsService,
      { get: () => 30 } as unknown as RuntimeSettingsService,
      logs as unknown as RequestLogRepository,
      {} as AnalyticsRepository,
      rollups as unknown as UsageRollupRepository,
    );
    retention.onModuleInit();
    await jobs.get('analytics.rollup-retention')!.run(stopping.signal);
    // The daily buckets are left for the next run.
    expect(calls).toEqual(['rollups hour false']);
    await jobs.get('analytics.request-log-retention')!.run(stopping.signal);
    expect(calls).toEqual(['rollups hour false', 'logs true']);
  });
});
