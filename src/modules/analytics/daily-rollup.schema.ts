import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/** What a rollup row is grouped by besides day and tenant. */
export const ROLLUP_DIMENSIONS = ['tenant', 'model', 'category', 'user'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/** Counters every rollup row carries; incremented with `$inc` upserts. */
export const ROLLUP_COUNTERS = [
  'requests',
  'errorCount',
  'streamed',
  'autoRouted',
  'fallbacks',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'baselineCostUsd',
  'savedUsd',
  'latencyMsTotal',
  'overheadMsTotal',
  'upstreamMsTotal',
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];

/**
 * Pre-aggregated usage per UTC day, tenant and one dimension (the whole tenant, a routed model, a
 * category, a user), so dashboards and budgets read a handful of documents instead of the log.
 */
@Schema({ collection: 'daily_rollups', versionKey: false })
export class DailyRollup {
  /** `YYYY-MM-DD` (UTC). */
  @Prop({ required: true })
  day!: string;

  @Prop({ required: true })
  tenantId!: string;

  @Prop({ type: String, required: true, enum: ROLLUP_DIMENSIONS })
  dimension!: RollupDimension;

  /** Model id, category key or user name; '' for the `tenant` dimension. */
  @Prop({ default: '' })
  key!: string;

  @Prop({ default: 0 }) requests!: number;
  @Prop({ default: 0 }) errorCount!: number;
  @Prop({ default: 0 }) streamed!: number;
  @Prop({ default: 0 }) autoRouted!: number;
  @Prop({ default: 0 }) fallbacks!: number;
  @Prop({ default: 0 }) inputTokens!: number;
  @Prop({ default: 0 }) outputTokens!: number;
  @Prop({ default: 0 }) costUsd!: number;
  @Prop({ default: 0 }) baselineCostUsd!: number;
  @Prop({ default: 0 }) savedUsd!: number;
  @Prop({ default: 0 }) latencyMsTotal!: number;
  @Prop({ default: 0 }) overheadMsTotal!: number;
  @Prop({ default: 0 }) upstreamMsTotal!: number;
}

export type DailyRollupDocument = HydratedDocument<DailyRollup>;
export type DailyRollupRecord = DailyRollup & { _id: Types.ObjectId };
export const DailyRollupSchema = SchemaFactory.createForClass(DailyRollup);
DailyRollupSchema.index({ day: 1, tenantId: 1, dimension: 1, key: 1 }, { unique: true });
DailyRollupSchema.index({ tenantId: 1, dimension: 1, day: 1 });
