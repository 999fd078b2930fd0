import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';

import { SecretBox } from '../../common/crypto/secret-box';
import {
  type RequestLogCursor,
  RequestLogRepository,
  type RequestLogListRow,
} from '../analytics/request-log.repository';
import type { RequestLogRecord, RequestStatus } from '../analytics/request-log.schema';
import { AuditService } from '../audit/audit.service';
import { type AuthenticatedUser, Permission, roleHasPermission, tenantFilterFor } from '../auth/rbac';
import { toRoutingTraceResponse } from '../routing/dry-run/dry-run.service';
import { RoutingTraceRepository } from '../routing/trace/routing-trace.repository';
import { AnalyticsScopeResolver, resolveRange } from './analytics-scope';
import type {
  ListRequestsQueryDto,
  RequestDetailDto,
  RequestLogItemDto,
  RequestLogPageDto,
  RequestPromptDto,
  RequestStatusFilter,
} from './dto/requests.dto';

const STATUS: Record<RequestStatusFilter, RequestStatus> = {
  ok: 'success',
  error: 'error',
  aborted: 'aborted',
};
const DEFAULT_PAGE = 50;

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
    const range = resolveRange(query);
    const { scope } = await this.scopes.resolve(user, query.tenant);
    const limit = query.limit ?? DEFAULT_PAGE;
    const provider = query.provider;
    const byId = provider !== undefined && Types.ObjectId.isValid(provider) && provider.length === 24;
    // One row more than asked tells whether another page exists.
    const rows = await this.logs.page(
      {
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
        status: query.status ? STATUS[query.status] : undefined,
        errorType: query.errorType,
        stream: query.streamed,
        minLatencyMs: query.minLatencyMs,
        minCostUsd: query.minCostUsd,
      },
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
    const log = await this.logs.findByRequestId(requestId, tenantFilterFor(user));
    if (!log) {
      throw new NotFoundException({
        message: `No request ${requestId} in the request log`,
        details: { code: 'request_not_found' },
      });
    }
    const traceRecord = log.routingTraceId ? await this.traces.findById(log.routingTraceId) : null;
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

export function encodeCursor(row: { timestamp: Date; _id: Types.ObjectId }): string {
  return `${row.timestamp.getTime()}_${row._id.toHexString()}`;
}

export function decodeCursor(cursor: string): RequestLogCursor {
  const [time, id] = cursor.split('_');
  return { timestamp: new Date(Number(time)), id: new Types.ObjectId(id) };
}
