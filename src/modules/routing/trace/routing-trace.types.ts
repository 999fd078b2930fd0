import type { OverrideRecord, RoutingDecision, RoutingEvidence, TraceStep } from '../router.interface';

/** What is stored per auto-routed request (bounded: see `compactTrace`). */
export interface StoredRoutingTrace {
  routed: boolean;
  category: string | null;
  tier: string;
  model: string | null;
  providerId: string | null;
  confidence: number;
  source: string;
  selectionMethod: string;
  domain: string | null;
  reason: string;
  overrides: OverrideRecord[];
  routingMs: number;
  classifier: { model: string | null; attempts: number; costUsd: number };
  steps: TraceStep[];
  evidence: RoutingEvidence;
  /** Parts were cut to keep the trace under its size limit. */
  truncated: boolean;
}

/** Where the gateway's router hands traces (batched and written off the request path). */
export interface RoutingTraceSink {
  /** Queues a trace; returns its id (the request log's `routingTraceId`) or undefined when dropped. */
  record(tenantId: string | null, decision: RoutingDecision): string | undefined;
}
