import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';

import type { UsageSource, UsageTotals } from '../limits/usage-ledger';
import { RequestLog, type RequestLogRecord } from './request-log.schema';
import { RequestPrompt } from './request-prompt.schema';
import { fromE8, type RollupIncrement } from './rollups';
import { UsageRollup } from './usage-rollup.schema';

/** Which writer applies a rollup batch, and its sequence number (see `applyRollups`). */
export interface RollupBatchId {
  writer: string;
  seq: number;
}

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

/** Writes of `request_logs`, `usage_rollups` and `request_prompts`, and the reads budgets and routing use. */
@Injectable()
export class AnalyticsRepository implements UsageSource {
  constructor(
    @InjectModel(RequestLog.name) private readonly logs: Model<RequestLog>,
    @InjectModel(UsageRollup.name) private readonly rollups: Model<UsageRollup>,
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

  /**
   * `$inc` upserts of rollup increments, idempotent per batch: each row remembers the last
   * sequence number every writer applied to it (`w.<writer>`), and the upsert only matches a row
   * that has not seen this batch. Re-applying a batch (a retry after a partial failure) then hits
   * the unique index instead of counting twice; such duplicate-key answers are checked once more
   * one by one, because two pods creating the same row at the same moment also collide.
   */
  async applyRollups(increments: readonly RollupIncrement[], batch: RollupBatchId): Promise<void> {
    if (increments.length === 0) return;
    const guard = `w.${batch.writer}`;
    const ops = increments.map((r) => ({
      updateOne: {
        filter: {
          dimension: r.dimension,
          grain: r.grain,
          period: r.period,
          tenantId: r.tenantId,
          key: r.key,
          [guard]: { $ne: batch.seq },
        },
        update: {
          $inc: r.inc,
          $set: { [guard]: batch.seq, ...(r.label !== undefined ? { label: r.label } : {}) },
        },
        upsert: true,
      },
    }));
    const collided = await duplicateIndexes(this.rollups.collection.bulkWrite(ops, { ordered: false }));
    for (const index of collided) {
      const op = ops[index]!.updateOne;
      // Already applied (our sequence number is on the row) or lost a creation race (now it matches).
      await ignoreDuplicates(this.rollups.collection.updateOne(op.filter, op.update, { upsert: true }));
    }
  }

  /** Per-day totals of a tenant (budgets and quotas), `YYYY-MM-DD` inclusive. */
  async dailyTotals(
    tenantId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ day: string; totals: UsageTotals }[]> {
    const rows = await this.rollups
      .find({
        dimension: 'all',
        grain: 'day',
        period: { $gte: new Date(`${fromDay}T00:00:00Z`), $lte: new Date(`${toDay}T00:00:00Z`) },
        tenantId,
      })
      .select({ period: 1, requests: 1, inputTokens: 1, outputTokens: 1, costE8: 1 })
      .lean<Pick<UsageRollup, 'period' | 'requests' | 'inputTokens' | 'outputTokens' | 'costE8'>[]>()
      .exec();
    return rows.map((r) => ({
      day: r.period.toISOString().slice(0, 10),
      totals: {
        costUsd: fromE8(r.costE8 ?? 0),
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
  await duplicateIndexes(write);
}

/** Awaits a write; returns the operation indexes that failed only with duplicate keys, rethrows anything else. */
async function duplicateIndexes(write: Promise<unknown>): Promise<number[]> {
  try {
    await write;
    return [];
  } catch (error) {
    const e = error as { code?: number; writeErrors?: { code?: number; index?: number }[] };
    const errors = e.writeErrors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((w) => w.code === 11000)) {
      return errors.map((w) => w.index ?? -1).filter((i) => i >= 0);
    }
    if (e.code === 11000 && !errors) return [0];
    throw error;
  }
}
