import type { RateLimiter } from '../limits/rate-limiter';
import type { UsageLedger } from '../limits/usage-ledger';
import type { FastCounter } from '../system/fast-counter';
import type { GatewayConfigSource } from './config/gateway-config.source';
import type { TenantModelIndexes } from './config/tenant-model-indexes';
import type { GatewayStage } from './pipeline/gateway-stage';
import { AuthStage } from './pipeline/stages/auth.stage';
import { BudgetGuardStage } from './pipeline/stages/budget-guard.stage';
import { BudgetStage } from './pipeline/stages/budget.stage';
import { ContextPreflightStage } from './pipeline/stages/context-preflight.stage';
import { IdentifyStage } from './pipeline/stages/identify.stage';
import { IpLimitStage } from './pipeline/stages/ip-limit.stage';
import { MaxTokensStage } from './pipeline/stages/max-tokens.stage';
import { ModelResolutionStage } from './pipeline/stages/model-resolution.stage';
import { RateLimitStage } from './pipeline/stages/rate-limit.stage';
import { RoutingStage } from './pipeline/stages/routing.stage';
import type { GatewayRouter } from './pipeline/stages/routing.stage';
import { StrictnessStage } from './pipeline/stages/strictness.stage';
import { SystemPromptStage } from './pipeline/stages/system-prompt.stage';

export interface GatewayStageDeps {
  source: GatewayConfigSource;
  limiter: RateLimiter;
  ledger: UsageLedger;
  router: GatewayRouter;
  indexes: TenantModelIndexes;
  ipRequestsPerMinute: () => number;
  cacheLookups?: FastCounter<'cache' | 'result'>;
}

/**
 * The gateway pipeline in the order of DESIGN.md §3 (the numbers are the design's steps). Steps
 * 9–12 (dispatch, streaming, enrichment, analytics) depend on how the answer travels back and run
 * in GatewayService after these stages.
 */
export function buildGatewayStages(deps: GatewayStageDeps): GatewayStage[] {
  return [
    new IpLimitStage(deps.limiter, deps.ipRequestsPerMinute), // 2. outer per-IP limit (before any key work)
    new AuthStage(deps.source, deps.cacheLookups), //            1. tenant auth
    new IdentifyStage(), //                                       (user and session for analytics)
    new RateLimitStage(deps.limiter), //                          2. tenant and key requests/tokens per minute
    new BudgetStage(deps.ledger), //                              3. budgets, quotas, budget guard
    new ModelResolutionStage(deps.indexes), //                    4. prefix, alias, allow/deny list
    new StrictnessStage(), //                                     5. force-route strictness, opt-out token
    new RoutingStage(deps.router), //                             6. auto-routing
    new SystemPromptStage(), //                                   6. tenant and category system prompts
    new ContextPreflightStage(), //                               7. context pre-flight
    new MaxTokensStage(), //                                      8. max_tokens clamp
    new BudgetGuardStage(), //                                    3. guard: blocked tiers of the final model
  ];
}
