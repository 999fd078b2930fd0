import { computed, inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { routingDryRunTrace } from '../../api/fn/routing/routing-dry-run-trace';
import { type RoutingTraceResponseDto } from '../../api/models/routing-trace-response-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';
import { type RoutingDecisionView } from '../../shared/routing-decision/routing-decision';

/** A stored trace in the shape the shared decision view shows; the facts only a trace has go last. */
export function traceDecisionView(trace: RoutingTraceResponseDto): RoutingDecisionView {
  const classifier: Readonly<Record<string, unknown>> = trace.classifier;
  const classifierModel = typeof classifier['model'] === 'string' ? classifier['model'] : null;
  return {
    routed: trace.routed,
    model: trace.model,
    provider: trace.providerId,
    tier: trace.tier,
    category: trace.category,
    confidence: trace.confidence,
    source: trace.source,
    selectionMethod: trace.selectionMethod,
    routingMs: trace.routingMs,
    reason: trace.reason,
    overrides: trace.overrides,
    classifier: classifierModel,
    extra: [
      { label: 'Routed at', value: trace.timestamp },
      { label: 'Request', value: trace.requestId ?? '—' },
      { label: 'Trace', value: trace.id },
      { label: 'Tenant', value: trace.tenantId ?? '—' },
    ],
  };
}

/**
 * Looks up the routing trace stored for a production request, by trace id, request-log id or the
 * `x-request-id` the client saw. A 404 is an answer ("no trace for this id"), not an error.
 */
@Injectable()
export class RoutingTraceStore {
  private readonly api = inject(Api);

  readonly lookup$ = new AsyncTask();
  /** The id of the last lookup (trimmed), whatever its outcome. */
  readonly id = signal<string | null>(null);
  readonly trace = signal<RoutingTraceResponseDto | null>(null);
  /** The last lookup found no trace for its id. */
  readonly notFound = computed(() => this.lookup$.problem()?.status === 404);
  /** A failure other than "not found" (permission, server, network). */
  readonly problem = computed(() => {
    const problem = this.lookup$.problem();
    return problem && problem.status !== 404 ? problem : null;
  });

  async lookup(id: string): Promise<TaskResult<RoutingTraceResponseDto> | null> {
    const trimmed = id.trim();
    if (!trimmed) return null;
    this.id.set(trimmed);
    this.trace.set(null);
    const result = await this.lookup$.run(() => this.api.invoke(routingDryRunTrace, { id: trimmed }));
    // A slower, older lookup must not replace the answer to a newer one.
    if (this.id() === trimmed) this.trace.set(result.ok ? result.value : null);
    return result;
  }
}
