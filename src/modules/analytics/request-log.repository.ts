import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';

import type { RequestLogFilter } from './request-log.chunks';
import type { RequestLogRecord } from './request-log.schema';
import { type RequestLogCursor, RequestLogStore } from './request-log.store';
import { RequestPrompt } from './request-prompt.schema';

export type { RequestLogFilter } from './request-log.chunks';
export type { RequestLogCursor } from './request-log.store';

/** The columns of the list (the detail reads the whole row). */
type ListFields =
  | 'timestamp'
  | 'requestId'
  | 'tenantId'
  | 'tenantSlug'
  | 'keyPrefix'
  | 'user'
  | 'sessionId'
  | 'endpoint'
  | 'stream'
  | 'requestedModel'
  | 'routedModel'
  | 'providerSlug'
  | 'autoRouted'
  | 'category'
  | 'tier'
  | 'inputTokens'
  | 'outputTokens'
  | 'costUsd'
  | 'savedUsd'
  | 'latencyMs'
  | 'status'
  | 'httpStatus'
  | 'errorType'
  | 'fallback';

export type RequestLogListRow = Pick<RequestLogRecord, '_id' | ListFields>;

/** A session of one tenant (the same `x-session-id` in two tenants is two sessions). */
export interface RecentSession {
  tenantId: string | null;
  sessionId: string;
}

type SessionFields =
  | 'timestamp'
  | 'tenantId'
  | 'tenantSlug'
  | 'sessionId'
  | 'routedModel'
  | 'status'
  | 'costUsd'
  | 'inputTokens'
  | 'outputTokens';

export type RequestSessionRow = Pick<RequestLogRecord, SessionFields>;

export function sessionKey(tenantId: string | null | undefined, sessionId: string): string {
  return `${tenantId ?? ''}\u0000${sessionId}`;
}

/** An open end for look-ups by id (the stored days bound the walk). */
const FAR_FUTURE = new Date(8.64e15);

/**
 * Reads and retention of the request log (RequestLogStore: recent rows, day directories and
 * hour chunks) and of `request_prompts`. Stored rows are compact (fields at their default are
 * absent); readers treat a missing field as its default.
 */
@Injectable()
export class RequestLogRepository {
  constructor(
    private readonly store: RequestLogStore,
    @InjectModel(RequestPrompt.name) private readonly prompts: Model<RequestPrompt>,
  ) {}

  /** One page, newest first, after `cursor` (exclusive); the list's columns (and the filterable fields). */
  page(
    filter: RequestLogFilter,
    cursor: RequestLogCursor | undefined,
    limit: number,
  ): Promise<RequestLogListRow[]> {
    return this.store.page(filter, cursor, limit, true);
  }

  /**
   * The (tenant, session) pairs of the filtered rows, the most recently active first, skipping
   * `offset` and returning at most `limit`. Walks the rows newest first and stops at `scanLimit`
   * rows (FerretDB's `$group` has no `$min`/`$max` to sort groups by time).
   */
  async recentSessions(
    filter: RequestLogFilter,
    offset: number,
    limit: number,
    scanLimit: number,
  ): Promise<RecentSession[]> {
    const seen = new Set<string>();
    const found: RecentSession[] = [];
    let scanned = 0;
    for await (const rows of this.store.hours({ ...filter, inSession: true })) {
      for (const row of rows) {
        if (++scanned > scanLimit || found.length >= limit) return found;
        if (!row.sessionId) continue;
        const key = sessionKey(row.tenantId, row.sessionId);
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > offset) found.push({ tenantId: row.tenantId ?? null, sessionId: row.sessionId });
      }
    }
    return found;
  }

  /** The filtered rows of these sessions (the fields a session summary needs), at most `limit`. */
  async sessionRows(
    filter: RequestLogFilter,
    sessions: readonly RecentSession[],
    limit: number,
  ): Promise<RequestSessionRow[]> {
    if (sessions.length === 0) return [];
    const out: RequestSessionRow[] = [];
    const sessionIds = [...new Set(sessions.map((s) => s.sessionId))];
    for await (const rows of this.store.hours({ ...filter, sessionIds })) {
      out.push(...rows.slice(0, limit - out.length));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The newest row with this request id (the `x-request-id` a client saw), within the scope. */
  async findByRequestId(
    requestId: string,
    tenantIds: readonly string[] | undefined,
  ): Promise<RequestLogRecord | null> {
    const [row] = await this.store.page(
      { from: new Date(0), to: FAR_FUTURE, requestId, tenantIds },
      undefined,
      1,
    );
    return row ?? null;
  }

  /** The stored (encrypted) prompt of a request log, of its tenant. */
  async findPrompt(logId: Types.ObjectId, tenantId: string): Promise<RequestPrompt | null> {
    return this.prompts.findOne({ _id: logId, tenantId }).lean<RequestPrompt>().exec();
  }

  /** Rows of a range, oldest hour first, read one hour at a time (FOCUS export, rollup rebuild). */
  async *streamRange(
    range: { from: Date; to: Date },
    tenantIds?: readonly string[],
  ): AsyncGenerator<RequestLogRecord> {
    for await (const rows of this.store.hours({ ...range, tenantIds }, { ascending: true })) yield* rows;
  }

  /** Rows of a range, for rebuilding its rollups. */
  rangeRows(range: { from: Date; to: Date }): AsyncIterable<RequestLogRecord> {
    return this.streamRange(range);
  }

  /** Retention: deletes logs (whole days, and recent rows) older than `before`, and their prompts. */
  async deleteBefore(before: Date, stopping?: AbortSignal): Promise<number> {
    if (stopping?.aborted) return 0;
    await this.prompts.deleteMany({ timestamp: { $lt: before } }).exec();
    return this.store.deleteBefore(before, stopping);
  }
}

export function isObjectId(value: string): boolean {
  return value.length === 24 && Types.ObjectId.isValid(value);
}
