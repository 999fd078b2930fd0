import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';

/** One attempt at one upstream (the dispatcher may try several). */
export class RequestAttempt {
  provider!: string;
  model!: string;
  /** `ok`, a failure kind (`server`, `timeout`, `rate_limited`, ...) or `circuit_open`. */
  outcome!: string;
  status?: number;
  ms!: number;
}

export const REQUEST_STATUSES = ['success', 'error', 'aborted'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * One gateway request, successful or not (DESIGN.md §3 step 12). Written in batches off the
 * request path into `request_logs_recent`, from where a leased job packs them into per-day hour
 * chunks every ~30 s (request-log.chunks.ts). Prompts are never here: see RequestPrompt (only with
 * prompt logging on). Stored compactly: fields at their default (null, false, 0, []) are left out
 * of the document, so readers treat a missing field as its default.
 */
@Schema({ collection: 'request_logs_recent', versionKey: false })
export class RequestLog {
  @Prop({ required: true })
  timestamp!: Date;

  @Prop({ required: true })
  requestId!: string;

  /** Tenant id (string form); null when the request failed before auth. */
  @Prop({ type: String, default: null })
  tenantId!: string | null;

  @Prop({ type: String, default: null })
  tenantSlug!: string | null;

  @Prop({ type: String, default: null })
  keyId!: string | null;

  /** Display prefix of the key (`omp-1a2b3c4d`), never the key. */
  @Prop({ type: String, default: null })
  keyPrefix!: string | null;

  @Prop({ type: String, default: null })
  user!: string | null;

  @Prop({ type: String, default: null })
  sessionId!: string | null;

  /** `chat`, `completions` or `embeddings`. */
  @Prop({ required: true })
  endpoint!: string;

  @Prop({ default: false })
  stream!: boolean;

  @Prop({ type: String, default: null })
  requestedModel!: string | null;

  @Prop({ type: String, default: null })
  routedModel!: string | null;

  @Prop({ type: String, default: null })
  providerId!: string | null;

  @Prop({ type: String, default: null })
  providerSlug!: string | null;

  @Prop({ default: false })
  autoRouted!: boolean;

  @Prop({ type: String, default: null })
  category!: string | null;

  @Prop({ type: String, default: null })
  tier!: string | null;

  @Prop({ type: Number, default: null })
  confidence!: number | null;

  @Prop({ type: String, default: null })
  routingReason!: string | null;

  @Prop({ type: [String], default: [] })
  overrides!: string[];

  @Prop({ type: Number, default: null })
  routingMs!: number | null;

  @Prop({ default: 0 })
  inputTokens!: number;

  @Prop({ default: 0 })
  outputTokens!: number;

  /** Input tokens the provider served from its prompt cache (0 or absent when it reports none). */
  @Prop({ default: 0 })
  cachedInputTokens?: number;

  /** The provider reported no usage; tokens are the gateway's estimate. */
  @Prop({ default: false })
  usageEstimated!: boolean;

  @Prop({ default: 0 })
  costUsd!: number;

  @Prop({ type: String, default: null })
  baselineModel!: string | null;

  @Prop({ default: 0 })
  baselineCostUsd!: number;

  /** baseline − actual; negative when the request cost more than the baseline. */
  @Prop({ default: 0 })
  savedUsd!: number;

  /** Arrival to last byte. */
  @Prop({ default: 0 })
  latencyMs!: number;

  /** Time spent in the gateway itself (latency minus upstream time). */
  @Prop({ default: 0 })
  overheadMs!: number;

  @Prop({ default: 0 })
  upstreamMs!: number;

  /** Streams: arrival to the first byte sent to the client. */
  @Prop({ type: Number, default: null })
  ttftMs!: number | null;

  @Prop({ type: String, required: true, enum: REQUEST_STATUSES })
  status!: RequestStatus;

  @Prop({ required: true })
  httpStatus!: number;

  @Prop({ type: String, default: null })
  errorType!: string | null;

  @Prop({ type: String, default: null })
  errorCode!: string | null;

  @Prop({ type: String, default: null })
  errorMessage!: string | null;

  @Prop({ type: [Object], default: [] })
  attempts!: RequestAttempt[];

  /** Served by another target than the first one tried, or by a larger model. */
  @Prop({ default: false })
  fallback!: boolean;

  @Prop({ type: Object, default: null })
  contextFallback!: { original_model: string; fallback_model: string; reason: string } | null;

  @Prop({ type: String, default: null })
  routingTraceId!: string | null;

  @Prop({ type: [String], default: [] })
  notes!: string[];

  /** A RequestPrompt document exists for this request. */
  @Prop({ default: false })
  promptLogged!: boolean;
}

export type RequestLogDocument = HydratedDocument<RequestLog>;
export type RequestLogRecord = RequestLog & { _id: Types.ObjectId };
export const RequestLogSchema = SchemaFactory.createForClass(RequestLog);
/*
 * The recent rows are few (a minute or two of traffic): readers query them with the filter and
 * MongoDB uses the page-order index; FerretDB scans the small collection. Every insert pays for
 * each index, so only this one (docs/analytics.md, "Request log storage").
 */
RequestLogSchema.index({ timestamp: -1, _id: -1 });
