import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';

import type { UsageSource, UsageTotals } from '../limits/usage-ledger';
import { DailyRollup } from './daily-rollup.schema';
import { RequestLog, type RequestLogRecord } from './request-log.schema';
import { RequestPrompt } from './request-prompt.schema';
import type { RollupIncrement } from './rollups';

/** What routing replay and the trace endpoint read from a request log. */
export type RoutedLogRow = Pick<
  RequestLogRecord,
  | '_id'
  | 'timestamp'
  | 'requestId'
  | 'tenantId'
  | 'tenantSlug'
  | 'routedModel'
  | 'providerId'
  | 'category'
  | 'tier'
  | 'routingTraceId'
  | 'inputTokens'
  | 'outputTokens'
  | 'costUsd'
>;
const ROUTED_LOG_FIELDS = {
  timestamp: 1,
  requestId: 1,
  tenantId: 1,
  tenantSlug: 1,
  routedModel: 1,
  providerId: 1,
  category: 1,
  tier: 1,
  routingTraceId: 1,
  inputTokens: 1,
  outputTokens: 1,
  costUsd: 1,
};

/** The only code touching `request_logs`, `daily_rollups` and `request_prompts`. */
@Injectable()
export class AnalyticsRepository implements UsageSource {
  constructor(
    @InjectModel(RequestLog.name) private readonly logs: Model<RequestLog>,
    @InjectModel(DailyRollup.name) private readonly rollups: Model<DailyRollup>,
    @InjectModel(RequestPrompt.name) private readonly prompts: Model<RequestPrompt>,
  ) {}

  /** Inserts complete documents; ids already present (a retried batch) are skipped, not errors. */
  async insertLogs(docs: readonly RequestLogRecord[]): Promise<void> {
    if (docs.length === 0) return;
    await ignoreDuplicates(this.logs.collection.insertMany(docs, { ordered: false }));
  }

  async insertPrompts(docs: readonly RequestPrompt[]): Promise<void> {
    if (docs.length === 0) return;
    await ignoreDuplicates(this.prompts.collection.insertMany(docs, { ordered: false }));
  }

  async applyRollups(increments: readonly RollupIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    await this.rollups.collection.bulkWrite(
      increments.map((r) => ({
        updateOne: {
          filter: { day: r.day, tenantId: r.tenantId, dimension: r.dimension, key: r.key },
          update: { $inc: r.inc },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Per-day totals of the tenant dimension, for budgets and quotas. */
  async dailyTotals(
    tenantId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ day: string; totals: UsageTotals }[]> {
    const rows = await this.rollups
      .find({ tenantId, dimension: 'tenant', key: '', day: { $gte: fromDay, $lte: toDay } })
      .select({ day: 1, requests: 1, inputTokens: 1, outputTokens: 1, costUsd: 1 })
      .lean<Pick<DailyRollup, 'day' | 'requests' | 'inputTokens' | 'outputTokens' | 'costUsd'>[]>()
      .exec();
    return rows.map((r) => ({
      day: r.day,
      totals: {
        costUsd: r.costUsd ?? 0,
        tokens: (r.inputTokens ?? 0) + (r.outputTokens ?? 0),
        requests: r.requests ?? 0,
      },
    }));
  }

  /** Newest auto-routed requests that have a routing trace (replay), optionally of one tenant. */
  async recentRoutedLogs(tenantId: string | null, limit: number): Promise<RoutedLogRow[]> {
    return this.logs
      .find({ ...(tenantId ? { tenantId } : {}), autoRouted: true, routingTraceId: { $exists: true } })
      .sort({ timestamp: -1 })
      .limit(limit)
      .select(ROUTED_LOG_FIELDS)
      .lean<RoutedLogRow[]>()
      .exec();
  }

  /** One request log by its id or by its request id (routing trace look-up). */
  async findRoutedLog(id: string): Promise<RoutedLogRow | null> {
    const filter =
      Types.ObjectId.isValid(id) && id.length === 24 ? { _id: new Types.ObjectId(id) } : { requestId: id };
    return this.logs
      .findOne(filter)
      .sort({ timestamp: -1 })
      .select(ROUTED_LOG_FIELDS)
      .lean<RoutedLogRow>()
      .exec();
  }

  /** Deletes stored prompts past their retention (for servers without TTL indexes). */
  async deleteExpiredPrompts(now: Date): Promise<number> {
    const result = await this.prompts.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}

async function ignoreDuplicates(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    const e = error as { code?: number; writeErrors?: { code?: number }[] };
    const errors = e.writeErrors;
    const onlyDuplicates =
      e.code === 11000 && (!errors || errors.every((w) => w.code === 11000))
        ? true
        : Array.isArray(errors) && errors.length > 0 && errors.every((w) => w.code === 11000);
    if (!onlyDuplicates) throw error;
  }
}
