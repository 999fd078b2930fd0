import type { CostMode } from '../../../common/routing-vocabulary';
import type { Tier } from '../../../common/tiers';
import type { ModelView } from '../../providers/provider.types';
import type { ApiKeyView, TenantView } from '../../tenants/tenant.types';
import type { TenantModelIndex } from '../config/tenant-model-index';
import type { GatewayIngress } from '../ingress/gateway-ingress';
import { NOOP_REQUEST_TRACE, type RequestTrace } from '../telemetry/request-trace';

export type GatewayEndpoint = 'chat' | 'completions' | 'embeddings';

/** What auto-routing decided (DESIGN.md §3 step 6), reported as `auto_routing` and in analytics. */
export interface RoutingOutcome {
  category: string | null;
  tier: Tier | null;
  modelId: string;
  providerId?: string;
  confidence: number | null;
  reason: string;
  /** Compact form for analytics (`code:from->to`). */
  overrides: string[];
  /** Structured overrides for the `auto_routing` response block, when the engine gives them. */
  overrideDetails?: { code: string; from: string; to: string; detail?: string }[];
  routingMs: number;
  /** System prompt of the category, injected before dispatch. */
  systemPrompt?: string | null;
  /** Id of the routing trace (dry-run and replay can look it up). */
  traceId?: string;
  /** Extra USD spent on routing (LLM classifier), added to the request's cost. */
  routingCostUsd?: number;
}

export interface ContextFallback {
  original_model: string;
  fallback_model: string;
  reason: 'context_preflight' | 'context_length_exceeded';
}

/**
 * A signed-in console user sending a playground request: the tenant is chosen in the console (and
 * checked against the user's access) instead of being resolved from an API key.
 */
export interface SessionPrincipal {
  readonly tenant: TenantView;
  readonly username: string;
}

/** The inbound request as the HTTP layer hands it to the pipeline. */
export interface GatewayRequestInput {
  requestId: string;
  endpoint: GatewayEndpoint;
  /** From `/api/:tenant/v1`; undefined on `/api/v1` and `/v1` (tenant comes from the key). */
  tenantSlug?: string;
  authorization?: string;
  /** `x-api-key` (Anthropic-style clients). */
  apiKeyHeader?: string;
  clientIp: string;
  /**
   * The client's connection (its socket): requests on one keep-alive connection usually present
   * the same key, so the key's hash is remembered per connection (auth stage).
   */
  connection?: object;
  userHeader?: string;
  sessionHeader?: string;
  body: Record<string, unknown>;
  /** The client's protocol (OpenAI, Anthropic Messages, playground); `body` is already translated. */
  ingress: GatewayIngress;
  /** Set for the console's playground: no key, the tenant comes from here. */
  principal?: SessionPrincipal;
}

/**
 * Everything one gateway request accumulates on its way through the stages. Stages read what earlier
 * stages wrote and add their own results; the dispatcher, enrichment and analytics read the rest.
 */
export class GatewayContext {
  /** performance.now() at arrival. */
  readonly startedAt = performance.now();
  readonly receivedAt = new Date();
  readonly requestId: string;
  readonly endpoint: GatewayEndpoint;
  readonly tenantSlug: string | undefined;
  readonly authorization: string | undefined;
  readonly apiKeyHeader: string | undefined;
  readonly clientIp: string;
  readonly connection: object | undefined;
  readonly userHeader: string | undefined;
  readonly sessionHeader: string | undefined;
  /** The body sent upstream; stages edit it in place (model, max_tokens, system prompt, token). */
  readonly body: Record<string, unknown>;
  readonly stream: boolean;
  /** What the client sent as `model`. */
  readonly requestedModel: string;
  readonly ingress: GatewayIngress;
  /** Recorded in analytics and metrics: the ingress's endpoint (`messages`) or `endpoint`. */
  readonly endpointLabel: string;
  /** A console session, not an API key, authenticated this request (the playground). */
  readonly principal: SessionPrincipal | undefined;

  tenant?: TenantView;
  key?: ApiKeyView;
  models?: TenantModelIndex;
  user?: string;
  sessionId?: string;

  /** The request goes through auto-routing (model auto, or forced by strictness). */
  auto = false;
  /** Concrete model the client asked for (null for auto) — the default cost baseline. */
  userModel: string | null = null;
  /** The opt-out token was present: keep the client's model. */
  optedOut = false;
  /** Candidate deployments of the chosen model, in balancer order once dispatch starts. */
  deployments: readonly ModelView[] = [];
  /** The client named the provider explicitly. */
  pinned = false;
  route?: RoutingOutcome;
  contextFallback?: ContextFallback;
  /** Budget guard active: routing economises and these tiers are refused. */
  costMode?: CostMode;
  blockedTiers?: readonly Tier[];
  /** Upstream attempts made by the dispatcher (kept on failure too, for analytics). */
  readonly attempts: {
    provider: string;
    model: string;
    outcome: string;
    status?: number;
    ms: number;
  }[] = [];
  /** Rate-limit keys to charge with the real token count after the answer. */
  tokenLimitKeys: string[] = [];
  /** Headers every response of this request carries (rate limits, budget warnings). */
  readonly responseHeaders: Record<string, string> = {};
  /** Non-fatal notes (soft budget/quota warnings, clamps) for analytics. */
  readonly notes: string[] = [];
  /** OpenTelemetry hooks of this request (the shared no-op when telemetry is off). */
  trace: RequestTrace = NOOP_REQUEST_TRACE;

  private inputTokenEstimate: number | undefined;
  private readonly estimator: (body: Record<string, unknown>, endpoint: GatewayEndpoint) => number;

  constructor(
    input: GatewayRequestInput,
    estimator: (body: Record<string, unknown>, endpoint: GatewayEndpoint) => number,
  ) {
    this.requestId = input.requestId;
    this.endpoint = input.endpoint;
    this.tenantSlug = input.tenantSlug;
    this.authorization = input.authorization;
    this.apiKeyHeader = input.apiKeyHeader;
    this.clientIp = input.clientIp;
    this.connection = input.connection;
    this.userHeader = input.userHeader;
    this.sessionHeader = input.sessionHeader;
    this.body = input.body;
    this.stream = input.body.stream === true;
    this.requestedModel = typeof input.body.model === 'string' ? input.body.model : '';
    this.ingress = input.ingress;
    this.endpointLabel = input.ingress.endpoint ?? input.endpoint;
    this.principal = input.principal;
    if (input.principal) {
      this.tenant = input.principal.tenant;
      this.user = input.principal.username;
    }
    this.estimator = estimator;
  }

  /** Estimated prompt tokens of the current body (cached; reset after edits with `invalidateEstimate`). */
  get estimatedInputTokens(): number {
    this.inputTokenEstimate ??= this.estimator(this.body, this.endpoint);
    return this.inputTokenEstimate;
  }

  invalidateEstimate(): void {
    this.inputTokenEstimate = undefined;
  }

  /** The deployment that will be tried first. */
  get primary(): ModelView | undefined {
    return this.deployments[0];
  }
}
