import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';

import { SecretBox } from '../../common/crypto/secret-box';
import {
  isObjectId,
  type RequestLogCursor,
  type RequestLogFilter,
  type RequestLogListRow,
  RequestLogRepository,
  type RecentSession,
  type RequestSessionRow,
  sessionKey,
} from '../analytics/request-log.repository';
import type { RequestLogRecord, RequestStatus } from '../analytics/request-log.schema';
import { AuditService } from '../audit/audit.service';
import { type AuthenticatedUser, Permission, roleHasPermission, tenantFilterFor } from '../auth/rbac';
import { toRoutingTraceResponse } from '../routing/dry-run/dry-run.service';
import { RoutingTraceRepository } from '../routing/trace/routing-trace.repository';
import { AnalyticsScopeResolver, resolveRange } from './analytics-scope';
import type {
  ListRequestSessionsQueryDto,
  ListRequestsQueryDto,
  RequestDetailDto,
  RequestLogItemDto,
  RequestLogFiltersDto,
  RequestLogPageDto,
  RequestPromptDto,
  RequestSessionDto,
  RequestSessionPageDto,
  RequestStatusFilter,
} from './dto/requests.dto';

const STATUS: Record<Exclude<RequestStatusFilter, 'failed'>, RequestStatus> = {
  ok: 'success',
  error: 'error',
  aborted: 'aborted',
};
const DEFAULT_PAGE = 50;
/** The sessions view walks at most this many of the newest matching rows to find its sessions. */
const SESSION_SCAN_ROWS = 50_000;
/** …and sums at most this many rows of the sessions it shows. */
const SESSION_ROWS = 100_000;

/** The request log: filtered pages with a stable cursor, and one request in full. */
@Injectable()
export class RequestLogService {
  constructor(
    private readonly logs: RequestLogRepository,
    private readonly scopes: AnalyticsScopeResolver,
    private readonly traces: RoutingTraceRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, query: ListRequestsQueryDto): Promise<RequestLogPageDto> {
    const filter = await this.filterOf(user, query);
    const limit = query.limit ?? DEFAULT_PAGE;
    // One row more than asked tells whether another page exists.
    const rows = await this.logs.page(
      filter,
      query.cursor ? decodeCursor(query.cursor) : undefined,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toItem),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** The filtered requests grouped by session, the most recently active session first. */
  async sessions(
    user: AuthenticatedUser,
    query: ListRequestSessionsQueryDto,
  ): Promise<RequestSessionPageDto> {
    const filter = await this.filterOf(user, query);
    const limit = query.limit ?? DEFAULT_PAGE;
    const recent = await this.logs.recentSessions(filter, query.offset ?? 0, limit + 1, SESSION_SCAN_ROWS);
    const page = recent.slice(0, limit);
    const rows = await this.logs.sessionRows(filter, page, SESSION_ROWS);
    return { items: summarizeSessions(page, rows), hasMore: recent.length > limit };
  }

  private async filterOf(user: AuthenticatedUser, query: RequestLogFiltersDto): Promise<RequestLogFilter> {
    const range = resolveRange(query);
    const { scope } = await this.scopes.resolve(user, query.tenant);
    const provider = query.provider;
    const byId = provider !== undefined && isObjectId(provider);
    return {
      ...range,
      tenantIds: scope.tenantIds,
      requestId: query.requestId,
      keyPrefix: query.keyPrefix,
      user: query.user,
      sessionId: query.session,
      requestedModel: query.requestedModel,
      routedModel: query.routedModel,
      providerId: byId ? provider : undefined,
      providerSlug: provider !== undefined && !byId ? provider : undefined,
      category: query.category,
      tier: query.tier,
      status: query.status && query.status !== 'failed' ? STATUS[query.status] : undefined,
      failed: query.status === 'failed' ? true : undefined,
      errorType: query.errorType,
      stream: query.streamed,
      minLatencyMs: query.minLatencyMs,
      minCostUsd: query.minCostUsd,
    };
  }

  async detail(
    user: AuthenticatedUser,
    requestId: string,
    includePrompt: boolean,
  ): Promise<RequestDetailDto> {
    if (includePrompt && !roleHasPermission(user.role, Permission.PromptsRead)) {
      await this.audit.record({
        action: 'request.prompt_view',
        target: { type: 'request', id: requestId },
        outcome: 'failure',
        details: { reason: 'missing prompts.read' },
      });
      throw new ForbiddenException({
        message: 'Viewing prompts requires the prompts.read permission',
        details: { code: 'permission_denied', permission: Permission.PromptsRead },
      });
    }
    const tenantIds = tenantFilterFor(user);
    const log = await this.logs.findByRequestId(requestId, tenantIds);
    if (!log) {
      throw new NotFoundException({
        message: `No request ${requestId} in the request log`,
        details: { code: 'request_not_found' },
      });
    }
    const traceRecord = log.routingTraceId ? await this.traces.findById(log.routingTraceId, tenantIds) : null;
    const detail: RequestDetailDto = {
      ...toItem(log),
      keyId: log.keyId ?? null,
      providerId: log.providerId ?? null,
      usageEstimated: log.usageEstimated === true,
      cachedInputTokens: log.cachedInputTokens ?? 0,
      baselineModel: log.baselineModel ?? null,
      baselineCostUsd: log.baselineCostUsd ?? 0,
      errorCode: log.errorCode ?? null,
      errorMessage: log.errorMessage ?? null,
      timings: {
        totalMs: log.latencyMs ?? 0,
        gatewayMs: log.overheadMs ?? 0,
        upstreamMs: log.upstreamMs ?? 0,
        ttftMs: log.ttftMs ?? null,
        routingMs: log.routingMs ?? null,
      },
      attempts: log.attempts ?? [],
      retries: Math.max(0, (log.attempts?.length ?? 0) - 1),
      contextFallback: log.contextFallback ?? null,
      routing: {
        autoRouted: log.autoRouted === true,
        category: log.category ?? null,
        tier: log.tier ?? null,
        confidence: log.confidence ?? null,
        reason: log.routingReason ?? null,
        overrides: log.overrides ?? [],
        traceId: log.routingTraceId ?? null,
        trace: traceRecord ? toRoutingTraceResponse(traceRecord, log.requestId) : null,
      },
      notes: log.notes ?? [],
      promptLogged: log.promptLogged === true,
    };
    if (includePrompt) detail.prompt = await this.prompt(log);
    return detail;
  }

  /** Decrypts the logged prompt; every view is audited (who looked at which request of which tenant). */
  private async prompt(log: RequestLogRecord): Promise<RequestPromptDto | null> {
    const stored =
      log.promptLogged && log.tenantId ? await this.logs.findPrompt(log._id, log.tenantId) : null;
    const prompt = stored ? (JSON.parse(this.box.decrypt(stored.data)) as RequestPromptDto) : null;
    await this.audit.record({
      action: 'request.prompt_view',
      target: { type: 'request', id: log.requestId, label: log.tenantSlug },
      details: { tenantId: log.tenantId, found: prompt !== null },
    });
    return prompt;
  }
}

function toItem(row: RequestLogListRow): RequestLogItemDto {
  return {
    id: row._id.toString(),
    timestamp: row.timestamp.toISOString(),
    requestId: row.requestId,
    tenantId: row.tenantId ?? null,
    tenantSlug: row.tenantSlug ?? null,
    keyPrefix: row.keyPrefix ?? null,
    user: row.user ?? null,
    sessionId: row.sessionId ?? null,
    endpoint: row.endpoint,
    stream: row.stream === true,
    requestedModel: row.requestedModel ?? null,
    routedModel: row.routedModel ?? null,
    providerSlug: row.providerSlug ?? null,
    autoRouted: row.autoRouted === true,
    category: row.category ?? null,
    tier: row.tier ?? null,
    inputTokens: row.inputTokens ?? 0,
    outputTokens: row.outputTokens ?? 0,
    costUsd: row.costUsd ?? 0,
    savedUsd: row.savedUsd ?? 0,
    latencyMs: row.latencyMs ?? 0,
    status: row.status,
    httpStatus: row.httpStatus,
    errorType: row.errorType ?? null,
    fallback: row.fallback === true,
  };
}

/** One summary per session of `page` (in its order) from the rows of those sessions. */
export function summarizeSessions(
  page: readonly RecentSession[],
  rows: readonly RequestSessionRow[],
): RequestSessionDto[] {
  const byKey = new Map<string, RequestSessionDto>();
  const models = new Map<string, Map<string | null, number>>();
  for (const s of page) {
    const key = sessionKey(s.tenantId, s.sessionId);
    models.set(key, new Map());
    byKey.set(key, {
      sessionId: s.sessionId,
      tenantId: s.tenantId,
      tenantSlug: null,
      requests: 0,
      errors: 0,
      costUsd: 0,
      inputTokens: 0,
      outputTokens: 0,
      firstAt: '',
      lastAt: '',
      models: [],
    });
  }
  for (const row of rows) {
    if (!row.sessionId) continue;
    const key = sessionKey(row.tenantId, row.sessionId);
    const session = byKey.get(key);
    const perModel = models.get(key);
    if (!session || !perModel) continue; // the same session id in a tenant outside the page
    const at = row.timestamp.toISOString();
    session.tenantSlug ??= row.tenantSlug ?? null;
    session.requests += 1;
    if (row.status !== 'success') session.errors += 1;
    session.costUsd += row.costUsd ?? 0;
    session.inputTokens += row.inputTokens ?? 0;
    session.outputTokens += row.outputTokens ?? 0;
    if (!session.firstAt || at < session.firstAt) session.firstAt = at;
    if (at > session.lastAt) session.lastAt = at;
    const model = row.routedModel ?? null;
    perModel.set(model, (perModel.get(model) ?? 0) + 1);
  }
  return [...byKey].map(([key, session]) => ({
    ...session,
    costUsd: Math.round(session.costUsd * 1e8) / 1e8,
    models: [...(models.get(key) ?? [])]
      .map(([model, requests]) => ({ model, requests }))
      .sort((a, b) => b.requests - a.requests),
  }));
}

/** The cursor names the last row's time (hence its day and hour) and `_id`: `<ms>_<hex id>`. */
export function encodeCursor(row: { timestamp: Date; _id: Types.ObjectId }): string {
  return `${row.timestamp.getTime()}_${row._id.toHexString()}`;
}

export function decodeCursor(cursor: string): RequestLogCursor {
  const [time, id] = cursor.split('_');
  return { timestamp: new Date(Number(time)), id: (id ?? '').toLowerCase() };
}
