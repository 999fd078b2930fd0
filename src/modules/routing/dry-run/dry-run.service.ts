import { Injectable } from '@nestjs/common';

import { AnalyticsRepository } from '../../analytics/analytics.repository';
import { RoutingTraceRepository } from '../trace/routing-trace.repository';
import type { RoutingTraceRecord } from '../trace/routing-trace.schema';
import type { StoredRoutingTrace } from '../trace/routing-trace.types';
import { toDecisionDto } from './decision-response';
import type { RoutingDryRunDto, RoutingDryRunResponseDto, RoutingTraceResponseDto } from './dto/dry-run.dto';
import { benchMessages, RoutingBench } from './routing-bench.service';
import { RoutingInputError, RoutingTraceNotFoundError } from './routing-tools.errors';

@Injectable()
export class RoutingDryRunService {
  constructor(
    private readonly bench: RoutingBench,
    private readonly traces: RoutingTraceRepository,
    private readonly logs: AnalyticsRepository,
  ) {}

  async dryRun(dto: RoutingDryRunDto): Promise<RoutingDryRunResponseDto> {
    const messages = benchMessages(dto);
    if (!messages.some((m) => m.role === 'user')) {
      throw new RoutingInputError('Give a prompt or messages with at least one user message', {
        field: 'prompt',
      });
    }
    const tenant = this.bench.tenant(dto.tenant);
    const decision = await this.bench.dryRun(tenant, messages, {
      llmClassifier: dto.useLlmClassifier === true,
    });
    return { tenantId: tenant.id, tenantSlug: tenant.slug, dryRun: true, ...toDecisionDto(decision) };
  }

  /**
   * `id`: the trace id, the request log's id or its request id. `tenantIds`: the caller's tenants
   * (tenant roles); a trace of another tenant is reported as not found.
   */
  async trace(id: string, tenantIds?: readonly string[]): Promise<RoutingTraceResponseDto> {
    let record = await this.traces.findById(id, tenantIds);
    let requestId: string | null | undefined;
    if (!record) {
      const log = await this.logs.findRoutedLog(id, tenantIds);
      if (log?.routingTraceId) record = await this.traces.findById(log.routingTraceId, tenantIds);
      requestId = log?.requestId;
    }
    if (!record) {
      throw new RoutingTraceNotFoundError(id);
    }
    return toRoutingTraceResponse(record, requestId);
  }
}

/** The API view of a stored routing trace (also shown in the request-log detail). */
export function toRoutingTraceResponse(
  record: RoutingTraceRecord,
  requestId?: string | null,
): RoutingTraceResponseDto {
  const trace = JSON.parse(record.data) as StoredRoutingTrace;
  return {
    id: record._id.toString(),
    tenantId: record.tenantId,
    timestamp: record.timestamp.toISOString(),
    ...(requestId !== undefined ? { requestId } : {}),
    routed: trace.routed,
    category: trace.category,
    tier: trace.tier,
    model: trace.model,
    providerId: trace.providerId,
    confidence: trace.confidence,
    source: trace.source,
    selectionMethod: trace.selectionMethod,
    domain: trace.domain,
    reason: trace.reason,
    overrides: trace.overrides,
    routingMs: trace.routingMs,
    classifier: trace.classifier,
    steps: trace.steps,
    evidence: { ...trace.evidence },
    truncated: trace.truncated,
  };
}
