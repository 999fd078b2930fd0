import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';

import { RequestLog, type RequestLogRecord, type RequestStatus } from './request-log.schema';
import { RequestPrompt } from './request-prompt.schema';

/** Filters of the request log list; every one optional except the range. Missing = any. */
export interface RequestLogFilter {
  from: Date;
  to: Date;
  /** Only these tenants; undefined = all (global roles). */
  tenantIds?: readonly string[];
  requestId?: string;
  keyPrefix?: string;
  user?: string;
  sessionId?: string;
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
}

/** Position after the last row of a page: rows are ordered by (timestamp, _id), newest first. */
export interface RequestLogCursor {
  timestamp: Date;
  id: Types.ObjectId;
}

/** The columns of the list (the detail reads the whole row). */
const LIST_FIELDS = {
  timestamp: 1,
  requestId: 1,
  tenantId: 1,
  tenantSlug: 1,
  keyPrefix: 1,
  user: 1,
  sessionId: 1,
  endpoint: 1,
  stream: 1,
  requestedModel: 1,
  routedModel: 1,
  providerSlug: 1,
  autoRouted: 1,
  category: 1,
  tier: 1,
  inputTokens: 1,
  outputTokens: 1,
  costUsd: 1,
  savedUsd: 1,
  latencyMs: 1,
  status: 1,
  httpStatus: 1,
  errorType: 1,
  fallback: 1,
} as const;

export type RequestLogListRow = Pick<RequestLogRecord, '_id' | keyof typeof LIST_FIELDS>;

/** A session of one tenant (the same `x-session-id` in two tenants is two sessions). */
export interface RecentSession {
  tenantId: string | null;
  sessionId: string;
}

const SESSION_FIELDS = {
  timestamp: 1,
  tenantId: 1,
  tenantSlug: 1,
  sessionId: 1,
  routedModel: 1,
  status: 1,
  costUsd: 1,
  inputTokens: 1,
  outputTokens: 1,
} as const;

export type RequestSessionRow = Pick<RequestLogRecord, keyof typeof SESSION_FIELDS>;

export function sessionKey(tenantId: string | null | undefined, sessionId: string): string {
  return `${tenantId ?? ''}\u0000${sessionId}`;
}

/**
 * Reads and retention of `request_logs` and `request_prompts` (writes: AnalyticsRepository).
 * Rows are stored compactly (fields at their default are absent), so "false"/"0" filters use
 * `$ne`/`$exists` rather than equality.
 */
@Injectable()
export class RequestLogRepository {
  constructor(
    @InjectModel(RequestLog.name) private readonly logs: Model<RequestLog>,
    @InjectModel(RequestPrompt.name) private readonly prompts: Model<RequestPrompt>,
  ) {}

  /** One page, newest first, after `cursor` (exclusive). */
  async page(
    filter: RequestLogFilter,
    cursor: RequestLogCursor | undefined,
    limit: number,
  ): Promise<RequestLogListRow[]> {
    if (filter.tenantIds && filter.tenantIds.length === 0) return [];
    const query = toQuery(filter);
    if (cursor) {
      query.$or = [
        { timestamp: { $lt: cursor.timestamp } },
        { timestamp: cursor.timestamp, _id: { $lt: cursor.id } },
      ];
      // The range's upper bound is implied by the cursor.
      query.timestamp = { $gte: filter.from, $lte: cursor.timestamp };
    }
    return this.logs
      .find(query)
      .sort({ timestamp: -1, _id: -1 })
      .limit(limit)
      .select(LIST_FIELDS)
      .lean<RequestLogListRow[]>()
      .exec();
  }

  /**
   * The (tenant, session) pairs of the filtered rows, the most recently active first, skipping
   * `offset` and returning at most `limit`. Walks the rows newest first (only three fields) and
   * stops at `scanLimit` rows: FerretDB's `$group` has no `$min`/`$max` to sort groups by time.
   */
  async recentSessions(
    filter: RequestLogFilter,
    offset: number,
    limit: number,
    scanLimit: number,
  ): Promise<RecentSession[]> {
    if (filter.tenantIds && filter.tenantIds.length === 0) return [];
    const query = toQuery(filter);
    if (filter.sessionId === undefined) query.sessionId = { $exists: true, $ne: null };
    const seen = new Set<string>();
    const found: RecentSession[] = [];
    const rows = this.logs
      .find(query)
      .sort({ timestamp: -1, _id: -1 })
      .limit(scanLimit)
      .select({ tenantId: 1, sessionId: 1, timestamp: 1 })
      .lean<Pick<RequestLogRecord, 'tenantId' | 'sessionId' | 'timestamp'>[]>()
      .batchSize(1000)
      .cursor();
    for await (const row of rows) {
      if (!row.sessionId) continue;
      const key = sessionKey(row.tenantId, row.sessionId);
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > offset) found.push({ tenantId: row.tenantId ?? null, sessionId: row.sessionId });
      if (found.length >= limit) break;
    }
    await rows.close();
    return found;
  }

  /** The filtered rows of these sessions (the fields a session summary needs), at most `limit`. */
  async sessionRows(
    filter: RequestLogFilter,
    sessions: readonly RecentSession[],
    limit: number,
  ): Promise<RequestSessionRow[]> {
    if (sessions.length === 0 || (filter.tenantIds && filter.tenantIds.length === 0)) return [];
    const query = toQuery(filter);
    query.sessionId = { $in: [...new Set(sessions.map((s) => s.sessionId))] };
    return this.logs.find(query).limit(limit).select(SESSION_FIELDS).lean<RequestSessionRow[]>().exec();
  }

  /** The newest row with this request id (the `x-request-id` a client saw), within the scope. */
  async findByRequestId(
    requestId: string,
    tenantIds: readonly string[] | undefined,
  ): Promise<RequestLogRecord | null> {
    if (tenantIds && tenantIds.length === 0) return null;
    return this.logs
      .findOne({ requestId, ...(tenantIds ? { tenantId: { $in: tenantIds } } : {}) })
      .sort({ timestamp: -1 })
      .lean<RequestLogRecord>()
      .exec();
  }

  /** The stored (encrypted) prompt of a request log, of its tenant. */
  async findPrompt(logId: Types.ObjectId, tenantId: string): Promise<RequestPrompt | null> {
    return this.prompts.findOne({ _id: logId, tenantId }).lean<RequestPrompt>().exec();
  }

  /** Rows of a range in time order, streamed from the database (FOCUS export). */
  streamRange(
    range: { from: Date; to: Date },
    tenantIds: readonly string[] | undefined,
    fields: Record<string, 1>,
  ): AsyncIterable<RequestLogRecord> {
    return this.logs
      .find({
        timestamp: { $gte: range.from, $lt: range.to },
        ...(tenantIds ? { tenantId: { $in: tenantIds } } : {}),
      })
      .select(fields)
      .lean<RequestLogRecord>()
      .batchSize(2000)
      .cursor();
  }

  /** Rows of a range, for rebuilding its rollups. */
  rangeRows(range: { from: Date; to: Date }): AsyncIterable<RequestLogRecord> {
    return this.logs
      .find({ timestamp: { $gte: range.from, $lt: range.to } })
      .lean<RequestLogRecord>()
      .batchSize(2000)
      .cursor();
  }

  /** Prompt retention: deletes logged prompts of requests older than `before` (the logs stay). */
  async deletePromptsBefore(before: Date): Promise<number> {
    const result = await this.prompts.deleteMany({ timestamp: { $lt: before } }).exec();
    return result.deletedCount;
  }

  /** Retention: deletes logs (and their prompts) older than `before`. */
  async deleteBefore(before: Date): Promise<number> {
    await this.prompts.deleteMany({ timestamp: { $lt: before } }).exec();
    const result = await this.logs.deleteMany({ timestamp: { $lt: before } }).exec();
    return result.deletedCount;
  }
}

function toQuery(f: RequestLogFilter): Record<string, unknown> {
  const q: Record<string, unknown> = { timestamp: { $gte: f.from, $lt: f.to } };
  if (f.tenantIds) q.tenantId = f.tenantIds.length === 1 ? f.tenantIds[0] : { $in: f.tenantIds };
  const equal: [keyof RequestLogFilter, string][] = [
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
  for (const [name, field] of equal) if (f[name] !== undefined) q[field] = f[name];
  if (f.failed) q.status = { $ne: 'success' };
  if (f.stream !== undefined) q.stream = f.stream ? true : { $ne: true };
  if (f.minLatencyMs !== undefined && f.minLatencyMs > 0) q.latencyMs = { $gte: f.minLatencyMs };
  if (f.minCostUsd !== undefined && f.minCostUsd > 0) q.costUsd = { $gte: f.minCostUsd };
  return q;
}

export function isObjectId(value: string): boolean {
  return value.length === 24 && Types.ObjectId.isValid(value);
}
