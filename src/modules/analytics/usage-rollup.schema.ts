import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

import type { Histogram } from './latency-histogram';

export const ROLLUP_GRAINS = ['hour', 'day'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/**
 * What one rollup row is about besides period and tenant: `all` is the tenant's total; the others
 * split it by one attribute of the request (the key '' collects requests without that attribute,
 * so every dimension adds up to `all`).
 */
export const ROLLUP_DIMENSIONS = [
  'all',
  'model',
  'provider',
  'category',
  'tier',
  'user',
  'key',
  'errorType',
] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/** Counters every rollup row carries; incremented with `$inc` upserts. Money in 1e-8 USD (integers add exactly). */
export const ROLLUP_COUNTERS = [
  'requests',
  'errorCount',
  'streamed',
  'autoRouted',
  'fallbacks',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'costE8',
  'baselineCostE8',
  'savedE8',
  'latencyMsSum',
  'overheadMsSum',
  'upstreamMsSum',
  'ttftMsSum',
  'ttftCount',
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

/** Latency histograms (see latency-histogram.ts): total, gateway overhead, time to first token. */
export const ROLLUP_HISTOGRAMS = ['hLatency', 'hOverhead', 'hTtft'] as const;
export type RollupHistogram = (typeof ROLLUP_HISTOGRAMS)[number];

/**
 * Pre-aggregated usage per period (UTC hour or day), tenant and one dimension value
 * (docs/analytics.md, "Rollup grain"). Dashboards, budgets and the portal read these, never the log.
 */
@Schema({ collection: 'usage_rollups', versionKey: false })
export class UsageRollup {
  @Prop({ type: String, required: true, enum: ROLLUP_GRAINS })
  grain!: RollupGrain;

  /** Start of the hour or day (UTC). */
  @Prop({ required: true })
  period!: Date;

  /** '' for requests refused before a tenant was known (bad key). */
  @Prop({ required: true })
  tenantId!: string;

  @Prop({ type: String, required: true, enum: ROLLUP_DIMENSIONS })
  dimension!: RollupDimension;

  /** Model id, provider id, category, tier, user, key id or error type; '' for `all` and "none". */
  @Prop({ default: '' })
  key!: string;

  /** Display name last seen for the key (tenant slug, provider slug, key prefix). */
  @Prop({ type: String })
  label?: string;

  @Prop({ default: 0 }) requests!: number;
  @Prop({ default: 0 }) errorCount!: number;
  @Prop({ default: 0 }) streamed!: number;
  @Prop({ default: 0 }) autoRouted!: number;
  @Prop({ default: 0 }) fallbacks!: number;
  @Prop({ default: 0 }) inputTokens!: number;
  @Prop({ default: 0 }) outputTokens!: number;
  @Prop({ default: 0 }) cachedInputTokens!: number;
  @Prop({ default: 0 }) costE8!: number;
  @Prop({ default: 0 }) baselineCostE8!: number;
  @Prop({ default: 0 }) savedE8!: number;
  @Prop({ default: 0 }) latencyMsSum!: number;
  @Prop({ default: 0 }) overheadMsSum!: number;
  @Prop({ default: 0 }) upstreamMsSum!: number;
  @Prop({ default: 0 }) ttftMsSum!: number;
  @Prop({ default: 0 }) ttftCount!: number;

  @Prop({ type: Object }) hLatency?: Histogram;
  @Prop({ type: Object }) hOverhead?: Histogram;
  @Prop({ type: Object }) hTtft?: Histogram;

  /**
   * Idempotence guard: the last batch sequence number each writer applied to this row
   * (`w.<writerId>`), so a retried batch is not counted twice.
   */
  @Prop({ type: Object })
  w?: Record<string, number>;
}

export type UsageRollupDocument = HydratedDocument<UsageRollup>;
export type UsageRollupRecord = UsageRollup & { _id: Types.ObjectId };
export const UsageRollupSchema = SchemaFactory.createForClass(UsageRollup);
// One row per (dimension, grain, period, tenant, key); the same index serves every dashboard
// read: equality on dimension and grain, a range on period, then the tenant scope.
UsageRollupSchema.index({ dimension: 1, grain: 1, period: 1, tenantId: 1, key: 1 }, { unique: true });
