import type { CostMode } from '../../../common/routing-vocabulary';
import type { Tier } from '../../../common/tiers';
import type { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import { costOf, priceOf } from '../../providers/pricing';
import type { ProviderCatalog } from '../../providers/provider-catalog.service';
import type { ModelView } from '../../providers/provider.types';
import type { TenantView } from '../../tenants/tenant.types';
import { toModelCandidates } from '../catalog/model-candidates';
import type { RoutingCatalogSource } from '../catalog/routing-catalog';
import type { RoutingEngine } from '../engine';
import { firstChoiceText } from '../engine/model-answer';
import type {
  LlmClassify,
  ModelCandidate,
  RoutingContext,
  RoutingDecision,
  RoutingEvidence,
  RoutingInput,
  RuleSet,
} from '../router.interface';
import type { RoutingTraceSink } from '../trace/routing-trace.types';
import type { TenantModels } from './tenant-models';

const SESSION_FILL_ENTRIES = 20_000;
const CLASSIFIER_MAX_CHARS = 20_000;

/** What a caller hands the router for one request (the gateway per request, the admin tools per case). */
export interface RouteRequest {
  tenant: TenantView;
  /** The request body as the client sent it (opt-out token already removed). */
  body: Readonly<Record<string, unknown>>;
  /** The concrete model the client named when strictness forced routing; null for `auto`. */
  userModel: string | null;
  /** The tenant's allowed, visible models (candidates) with their tiers, windows and prices. */
  models: TenantModels;
  /** Budget guard's cost mode when active, else undefined (tenant/rule-set setting applies). */
  costMode?: CostMode;
  /** Tiers the budget guard refuses (selection moves past them). */
  blockedTiers?: readonly Tier[];
  sessionId?: string;
}

/** A production decision and the id of its stored trace (when a trace was recorded). */
export interface RoutedRequest {
  decision: RoutingDecision;
  traceId?: string;
}

export interface DecideOptions {
  /** Admin dry run: marks the trace, reads no session memory, LLM classifier only with `llmClassifier`. */
  dryRun?: boolean;
  llmClassifier?: boolean;
}

/** The catalog as the router reads it, with the one engine it shares (RoutingCatalog in production). */
export type RouterCatalog = RoutingCatalogSource & { readonly engine: RoutingEngine };

/** Where the router finds a classifier model's deployment and credentials (ProviderCatalog in production). */
export type ClassifierProviders = Pick<ProviderCatalog, 'findModelsById' | 'resolveProvider'>;

/**
 * The one tenant-facing router of a process (DESIGN.md §4), injected into the gateway, the dry run,
 * the suites and replay: builds the engine's context from the tenant (settings, candidates, budget
 * state, previous session fill) and runs the catalog's shared engine, so every caller uses one
 * engine instance and one classifier cache. LLM classifier calls go through the same provider
 * adapters as client traffic. Plain class (RoutingModule provides it) so scripts and specs can build
 * one without Nest or Mongoose.
 */
export class EngineRouter {
  private readonly candidates = new WeakMap<TenantModels, ModelCandidate[]>();
  /** Last context-window fill (0..1) per session, for the session-fill override. */
  private readonly sessionFill = new Map<string, number>();
  private readonly engine: RoutingEngine;

  constructor(
    private readonly catalog: RouterCatalog,
    private readonly providers: ClassifierProviders,
    private readonly adapters: Pick<ProviderAdapterRegistry, 'get'>,
    /** Stores each production decision's trace (batched, off the request path); never the dry run's. */
    private readonly traces?: RoutingTraceSink,
  ) {
    this.engine = catalog.engine;
  }

  /** Trains the local classifier now, so no request pays for it. */
  prepare(): void {
    this.engine.prepare(this.catalog.categories(), this.catalog.trainingExamples());
  }

  /** A production decision: reads the session memory and records the trace. */
  async route(request: RouteRequest): Promise<RoutedRequest> {
    const decision = await this.decide(request);
    const traceId = this.traces?.record(request.tenant.id, decision);
    return traceId ? { decision, traceId } : { decision };
  }

  /**
   * The engine's decision for a request: the one code path shared by production and the admin dry
   * run (`options.dryRun`: no session memory is read, the LLM classifier only when asked).
   */
  decide(request: RouteRequest, options: DecideOptions = {}): Promise<RoutingDecision> {
    const input = { ...request.body, model: request.userModel ?? 'auto' } as unknown as RoutingInput;
    return this.engine.route(input, this.contextFor(request, options));
  }

  /** Re-routes a logged request from its recorded evidence (replay; never calls the LLM classifier). */
  replay(
    evidence: RoutingEvidence,
    request: Pick<RouteRequest, 'tenant' | 'models'>,
    ruleSet?: RuleSet,
  ): Promise<RoutingDecision> {
    const full: RouteRequest = { ...request, body: {}, userModel: evidence.userModel };
    return this.engine.replay(evidence, this.contextFor(full, { dryRun: true, ruleSet }));
  }

  /** The engine context of a request: tenant settings, rule set, catalog, candidates, budget state. */
  private contextFor(request: RouteRequest, options: DecideOptions & { ruleSet?: RuleSet }): RoutingContext {
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
  candidatesFor(models: TenantModels): readonly ModelCandidate[] {
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

  private candidatesOf(models: TenantModels): ModelCandidate[] {
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
      const provider = this.providers.resolveProvider(deployment.providerId);
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
      const usage = (answer.body as { usage?: { prompt_tokens?: number; completion_tokens?: number } }).usage;
      const inputTokens = usage?.prompt_tokens ?? 0;
      const outputTokens = usage?.completion_tokens ?? 0;
      return {
        text: firstChoiceText(answer.body) ?? '',
        inputTokens,
        outputTokens,
        costUsd: costOf(priceOf(tenant, deployment), inputTokens, outputTokens),
      };
    };
  }

  private classifierDeployment(model: string, providerId?: string): ModelView | undefined {
    const rows = this.providers.findModelsById(model);
    return (providerId ? rows.find((m) => m.providerId === providerId) : undefined) ?? rows[0];
  }
}
