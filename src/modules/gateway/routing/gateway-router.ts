import type { CostMode } from '../../routing/engine/routing.types';
import type { Tier } from '../../routing/engine/tiers';
import type { TenantView } from '../../tenants/tenant.types';
import type { TenantModelIndex } from '../config/tenant-model-index';
import type { GatewayEndpoint, RoutingOutcome } from '../pipeline/gateway-context';

/** What the gateway hands the routing engine for one request (DESIGN.md §3 step 6). */
export interface GatewayRouteRequest {
  tenant: TenantView;
  endpoint: GatewayEndpoint;
  /** The request body as the client sent it (opt-out token already removed). */
  body: Readonly<Record<string, unknown>>;
  /** The concrete model the client named when strictness forced routing; null for `auto`. */
  userModel: string | null;
  /** The tenant's allowed, visible models (candidates) with their tiers, windows and prices. */
  models: TenantModelIndex;
  /** Budget guard's cost mode when active, else undefined (tenant/rule-set setting applies). */
  costMode?: CostMode;
  /** Tiers the budget guard refuses (selection moves past them). */
  blockedTiers?: readonly Tier[];
  sessionId?: string;
  estimatedInputTokens: number;
  signal?: AbortSignal;
}

/** Chooses the model for an auto-routed request. */
export interface GatewayRouter {
  route(request: GatewayRouteRequest): RoutingOutcome | Promise<RoutingOutcome>;
  /** Called after an answer: how full the model's window was, for the next request of the session. */
  recordSessionFill?(sessionId: string, promptTokens: number, contextWindow: number | null): void;
}

export const GATEWAY_ROUTER = Symbol('GATEWAY_ROUTER');

/**
 * Until the routing engine is wired in: `auto` goes to the tenant's default model (else its
 * highest-priority chat model); with strictness `fim_only`/`smart` the client's model is kept,
 * with `all` it is replaced by the default model.
 */
export class DefaultModelRouter implements GatewayRouter {
  route(request: GatewayRouteRequest): RoutingOutcome {
    const started = performance.now();
    const { tenant, userModel, models } = request;
    if (userModel && tenant.routing.strictness !== 'all') {
      return outcome(userModel, 'strictness_keep_user_model', started, request);
    }
    const fallback = models.allowed.find((m) => !m.capabilities.embeddings && m.apiType !== 'embeddings');
    const modelId = tenant.routing.defaultModel ?? fallback?.modelId;
    if (!modelId) return outcome(userModel ?? '', 'no_model_available', started, request);
    return outcome(
      modelId,
      tenant.routing.defaultModel ? 'tenant_default_model' : 'highest_priority_model',
      started,
      request,
    );
  }
}

function outcome(
  modelId: string,
  reason: string,
  started: number,
  request: GatewayRouteRequest,
): RoutingOutcome {
  const tier = request.models.deploymentsOf(modelId)[0]?.tier ?? null;
  return {
    category: null,
    tier,
    modelId,
    confidence: null,
    reason,
    overrides: [],
    routingMs: performance.now() - started,
  };
}
