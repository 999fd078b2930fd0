import type { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import type { ModelView } from '../../providers/provider.types';
import { RoutingEngine } from '../../routing/engine';
import type {
  LlmClassify,
  ModelCandidate,
  RoutingContext,
  RoutingDecision,
  RoutingEvidence,
  RoutingInput,
  RuleSet,
} from '../../routing/router.interface';
import { toModelCandidates } from '../../routing/catalog/model-candidates';
import type { RoutingCatalogSource } from '../../routing/catalog/routing-catalog';
import type { RoutingTraceSink } from '../../routing/trace/routing-trace.types';
import type { TenantView } from '../../tenants/tenant.types';
import type { GatewayConfigSource } from '../config/gateway-config.source';
import type { TenantModelIndex } from '../config/tenant-model-index';
import { computeCost } from '../cost/cost-calculator';
import { GatewayErrors } from '../gateway.errors';
import type { RoutingOutcome } from '../pipeline/gateway-context';
import type { GatewayRouteRequest, GatewayRouter } from './gateway-router';

export type { RoutingCatalogSource };

const SESSION_FILL_ENTRIES = 20_000;
const CLASSIFIER_MAX_CHARS = 20_000;

/**
 * The gateway's router backed by the routing engine (DESIGN.md §4): builds the engine's context
 * from the tenant (settings, candidates, budget state, previous session fill) and turns the
 * decision into a RoutingOutcome. LLM classifier calls go through the same provider adapters.
 */
export class EngineRouter implements GatewayRouter {
  private readonly candidates = new WeakMap<TenantModelIndex, ModelCandidate[]>();
  /** Last context-window fill (0..1) per session, for the session-fill override. */
  private readonly sessionFill = new Map<string, number>();

  constructor(
    private readonly catalog: RoutingCatalogSource,
    private readonly source: GatewayConfigSource,
    private readonly adapters: ProviderAdapterRegistry,
    /** Shared with the catalog, so its retraining on config changes warms this router's cache. */
    private readonly engine: RoutingEngine = new RoutingEngine(),
    /** Stores each decision's trace (batched, off the request path); none in the dry run. */
    private readonly traces?: RoutingTraceSink,
  ) {}

  /** Trains the local classifier now, so no request pays for it. */
  prepare(): void {
    this.engine.prepare(this.catalog.categories(), this.catalog.trainingExamples());
  }

  async route(request: GatewayRouteRequest): Promise<RoutingOutcome> {
    const decision = await this.decide(request);
    const outcome = toOutcome(decision, request);
    const traceId = this.traces?.record(request.tenant.id, decision);
    return traceId ? { ...outcome, traceId } : outcome;
  }

  /**
   * The engine's decision for a gateway request: the one code path shared by production and the
   * admin dry run (`options.dryRun`: no session memory is read, the LLM classifier only when asked).
   */
  decide(request: GatewayRouteRequest, options: DecideOptions = {}): Promise<RoutingDecision> {
    const input = { ...request.body, model: request.userModel ?? 'auto' } as unknown as RoutingInput;
    return this.engine.route(input, this.contextFor(request, options));
  }

  /** Re-routes a logged request from its recorded evidence (replay; never calls the LLM classifier). */
  replay(
    evidence: RoutingEvidence,
    request: Pick<GatewayRouteRequest, 'tenant' | 'models'>,
    ruleSet?: RuleSet,
  ): Promise<RoutingDecision> {
    const full: GatewayRouteRequest = {
      ...request,
      endpoint: 'chat',
      body: {},
      userModel: evidence.userModel,
      estimatedInputTokens: evidence.signals.tokens.total,
    };
    return this.engine.replay(evidence, this.contextFor(full, { dryRun: true, ruleSet }));
  }

  /** The engine context of a request: tenant settings, rule set, catalog, candidates, budget state. */
  private contextFor(
    request: GatewayRouteRequest,
    options: DecideOptions & { ruleSet?: RuleSet },
  ): RoutingContext {
    const { tenant, models } = request;
    const routing = tenant.routing;
    const useLlm = routing.classifierChain.length > 0 && (!options.dryRun || options.llmClassifier === true);
    const context: RoutingContext = {
      tenantId: tenant.id,
      settings: {
        strictness: routing.strictness,
        overrides: routing.overrides,
        classifierChain: routing.classifierChain,
      },
      ruleSet: options.ruleSet
        ? { ...options.ruleSet, costMode: routing.costMode ?? options.ruleSet.costMode }
        : this.catalog.ruleSetFor(tenant),
      categories: this.catalog.categories(),
      trainingExamples: this.catalog.trainingExamples(),
      models: this.candidatesOf(models),
      llmClassify: useLlm ? this.classifierFor(tenant) : undefined,
      previousSessionFill:
        request.sessionId && !options.dryRun ? this.sessionFill.get(request.sessionId) : undefined,
      budget: request.costMode
        ? { costMode: request.costMode, blockedTiers: request.blockedTiers, source: 'budget_guard' }
        : undefined,
      ...(options.dryRun ? { dryRun: true } : {}),
    };
    return context;
  }

  /** The tenant's candidate models as the engine sees them (also used by replay). */
  candidatesFor(models: TenantModelIndex): readonly ModelCandidate[] {
    return this.candidatesOf(models);
  }

  /** Remembers how full the session's context was, for the next request of that session. */
  recordSessionFill(sessionId: string, promptTokens: number, contextWindow: number | null): void {
    if (!contextWindow || contextWindow <= 0) return;
    if (this.sessionFill.size >= SESSION_FILL_ENTRIES) {
      const oldest = this.sessionFill.keys().next();
      if (!oldest.done) this.sessionFill.delete(oldest.value);
    }
    this.sessionFill.delete(sessionId);
    this.sessionFill.set(sessionId, Math.min(1, promptTokens / contextWindow));
  }

  private candidatesOf(models: TenantModelIndex): ModelCandidate[] {
    let list = this.candidates.get(models);
    if (!list) {
      list = toModelCandidates(models.allowed);
      this.candidates.set(models, list);
    }
    return list;
  }

  /** One upstream call per classifier attempt, through the same adapters as client traffic. */
  private classifierFor(tenant: TenantView): LlmClassify {
    return async (request) => {
      const deployment = this.classifierDeployment(request.classifier.model, request.classifier.providerId);
      if (!deployment) throw new Error(`Classifier model '${request.classifier.model}' is not available`);
      const provider = this.source.resolvedProvider(deployment.providerId);
      if (!provider) throw new Error(`Provider of classifier '${request.classifier.model}' is not available`);
      const answer = await this.adapters.get(provider.type).chat(
        provider,
        {
          model: deployment.modelId,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user.slice(0, CLASSIFIER_MAX_CHARS) },
          ],
          max_tokens: request.maxTokens,
          temperature: request.temperature,
        },
        { signal: request.signal },
      );
      const body = answer.body as {
        choices?: { message?: { content?: unknown } }[];
        usage?: { prompt_tokens?: number; completion_tokens?: number };
      };
      const text = body.choices?.[0]?.message?.content;
      const inputTokens = body.usage?.prompt_tokens ?? 0;
      const outputTokens = body.usage?.completion_tokens ?? 0;
      const cost = computeCost({
        tenant,
        routed: deployment,
        inputTokens,
        outputTokens,
        baselineModel: deployment.modelId,
        baseline: deployment,
      });
      return {
        text: typeof text === 'string' ? text : '',
        inputTokens,
        outputTokens,
        costUsd: cost.cost_usd,
      };
    };
  }

  private classifierDeployment(model: string, providerId?: string): ModelView | undefined {
    const rows = this.source.modelsById(model);
    return (providerId ? rows.find((m) => m.providerId === providerId) : undefined) ?? rows[0];
  }
}

export interface DecideOptions {
  /** Admin dry run: marks the trace, reads no session memory, LLM classifier only with `llmClassifier`. */
  dryRun?: boolean;
  llmClassifier?: boolean;
}

/** The gateway's view of a decision (what the pipeline and the request log use). */
export function toOutcome(decision: RoutingDecision, request: GatewayRouteRequest): RoutingOutcome {
  const modelId = decision.routed ? decision.model?.id : (request.userModel ?? decision.model?.id);
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
