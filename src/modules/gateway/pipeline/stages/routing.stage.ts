import type { RoutingDecision } from '../../../routing/router.interface';
import type { EngineRouter } from '../../../routing/router/engine-router';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext, RoutingOutcome } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/** The router as the gateway uses it: the routing module's EngineRouter (a fake in stage specs). */
export interface GatewayRouter {
  route: EngineRouter['route'];
  /** Called after an answer: how full the model's window was, for the next request of the session. */
  recordSessionFill?: EngineRouter['recordSessionFill'];
}

export const GATEWAY_ROUTER = Symbol('GATEWAY_ROUTER');

/**
 * Auto-routing (DESIGN.md §3 step 6): asks the router for a model, then takes that model's allowed
 * deployments. A routed model the tenant cannot use is an error, never a silent substitution.
 */
export class RoutingStage implements GatewayStage {
  readonly name = 'routing';
  readonly endpoints = ['chat', 'completions'] as const;

  constructor(private readonly router: GatewayRouter) {}

  run(ctx: GatewayContext): void | Promise<void> {
    if (!ctx.auto || !ctx.tenant || !ctx.models) return;
    const routing = ctx.tenant.routing;
    if (!routing.enabled) {
      // Auto-routing off: `auto` means the tenant's default model, nothing else is forced.
      if (ctx.userModel) {
        ctx.auto = false;
        return;
      }
      if (!routing.defaultModel) {
        throw GatewayErrors.modelNotFound(
          ctx.requestedModel,
          ' Auto-routing is off for this tenant and it has no default model.',
        );
      }
      this.take(ctx, routing.defaultModel, undefined);
      ctx.route = {
        category: null,
        tier: ctx.primary?.tier ?? null,
        modelId: routing.defaultModel,
        confidence: null,
        reason: 'routing_disabled_default_model',
        overrides: [],
        routingMs: 0,
      };
      return;
    }
    const userModel = ctx.userModel;
    return this.router
      .route({
        tenant: ctx.tenant,
        body: ctx.body,
        userModel,
        models: ctx.models,
        costMode: ctx.costMode,
        blockedTiers: ctx.blockedTiers,
        sessionId: ctx.sessionId,
      })
      .then(({ decision, traceId }) => {
        const route = toOutcome(decision, userModel);
        ctx.route = traceId ? { ...route, traceId } : route;
        this.take(ctx, route.modelId, route.providerId);
      });
  }

  private take(ctx: GatewayContext, modelId: string, providerId: string | undefined): void {
    const deployments = ctx.models?.deploymentsOf(modelId, providerId) ?? [];
    if (deployments.length === 0) {
      throw GatewayErrors.modelNotFound(
        modelId,
        ' Auto-routing chose it, but it is not available to this tenant.',
      );
    }
    ctx.deployments = deployments;
    ctx.body.model = modelId;
  }
}

/** The gateway's view of a decision (what the pipeline and the request log use). */
export function toOutcome(decision: RoutingDecision, userModel: string | null): RoutingOutcome {
  const modelId = decision.routed ? decision.model?.id : (userModel ?? decision.model?.id);
  if (!modelId) {
    throw GatewayErrors.modelNotFound('auto', ' No model available to this API key fits the request.');
  }
  return {
    category: decision.category,
    tier: decision.tier,
    modelId,
    providerId: decision.routed ? (decision.model?.providerId ?? undefined) : undefined,
    confidence: decision.confidence,
    reason: decision.reason,
    overrides: decision.overrides.map((o) => `${o.code}:${o.from}->${o.to}`),
    overrideDetails: decision.overrides.map((o) => ({ ...o })),
    routingMs: decision.routingMs,
    systemPrompt: decision.systemPrompt,
    routingCostUsd: decision.classifier.costUsd,
  };
}
