import { GatewayErrors } from '../../gateway.errors';
import type { GatewayRouter } from '../../routing/gateway-router';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

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
    const decision = this.router.route({
      tenant: ctx.tenant,
      endpoint: ctx.endpoint,
      body: ctx.body,
      userModel: ctx.userModel,
      models: ctx.models,
      costMode: ctx.costMode,
      blockedTiers: ctx.blockedTiers,
      sessionId: ctx.sessionId,
      estimatedInputTokens: ctx.estimatedInputTokens,
    });
    if (decision instanceof Promise) {
      return decision.then((route) => {
        ctx.route = route;
        this.take(ctx, route.modelId, route.providerId);
      });
    }
    ctx.route = decision;
    this.take(ctx, decision.modelId, decision.providerId);
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
