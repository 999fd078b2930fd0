import type {
  CancelSignal,
  OpenAIRequestBody,
  ProviderAdapter,
  ProviderAdapterRegistry,
  ProviderConnection,
  UpstreamError,
} from '../../providers/adapters/provider-adapter';
import { errorFromTransport } from '../../providers/adapters/upstream-errors';
import type { ModelView } from '../../providers/provider.types';
import type { FastCounter } from '../../system/fast-counter';
import type { FallbackChain } from '../../tenants/tenant.types';
import type { GatewayConfigSource } from '../config/gateway-config.source';
import { GatewayErrors } from '../gateway.errors';
import type { GatewayContext } from '../pipeline/gateway-context';
import { backoffDelayMs, type RetrySettings } from './backoff';
import type { CircuitBreakers } from './circuit-breaker';
import { orderCandidates, type TargetStatistics } from './load-balancer';

/** One place the request can go: a model row and its provider's connection. */
export interface DispatchTarget {
  /** `providerId/modelId`: breaker and statistics key. */
  key: string;
  providerId: string;
  priority: number;
  deployment: ModelView;
  provider: ProviderConnection;
}

export interface AttemptRecord {
  provider: string;
  model: string;
  /** `ok`, an UpstreamFailureKind, or `circuit_open` when the breaker skipped it. */
  outcome: string;
  status?: number;
  ms: number;
}

export interface DispatchResult<T> {
  value: T;
  target: DispatchTarget;
  attempts: AttemptRecord[];
  /** Milliseconds spent waiting on upstreams (all attempts and backoff pauses). */
  upstreamMs: number;
}

/**
 * Makes one upstream call; receives the body with `model` set to the target's upstream id, and the
 * trace-context headers to send along (undefined when telemetry is off).
 */
export type UpstreamCall<T> = (
  adapter: ProviderAdapter,
  provider: ProviderConnection,
  body: OpenAIRequestBody,
  signal: CancelSignal,
  traceHeaders?: Record<string, string>,
) => Promise<T>;

export interface DispatcherDeps {
  adapters: ProviderAdapterRegistry;
  source: Pick<GatewayConfigSource, 'resolvedProvider' | 'provider' | 'modelsOf'>;
  breakers: CircuitBreakers;
  stats: TargetStatistics;
  retry: () => RetrySettings;
  upstreamErrors?: FastCounter<'provider' | 'kind'>;
  sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
  random?: () => number;
}

const TARGET_KEYS = new WeakMap<ModelView, string>();

/**
 * `providerId/modelId` of a deployment, built once per model view (views are read-only and
 * replaced when the registry changes): the statistics and breaker maps then look up the same string on every
 * request, whose hash V8 keeps, instead of hashing a new one several times per request.
 */
function targetKey(deployment: ModelView): string {
  let key = TARGET_KEYS.get(deployment);
  if (key === undefined) {
    key = `${deployment.providerId}/${deployment.modelId}`;
    TARGET_KEYS.set(deployment, key);
  }
  return key;
}

/** Thrown when the client went away; nothing is sent, the request is logged as aborted. */
export class ClientAbortedError extends Error {
  constructor() {
    super('The client closed the connection');
    this.name = 'ClientAbortedError';
  }
}

/**
 * Dispatch with resilience (DESIGN.md §3 step 9). Targets: the deployments of the chosen model in
 * the tenant's balancing order, then the tenant's fallback chain for that model. Each round tries
 * every target once (skipping open circuits); retryable failures (429, 5xx, connect, timeout) move
 * on to the next target at once, and further rounds follow after a jittered backoff that honours
 * Retry-After. A prompt too long for the model moves to a larger-window model once and is reported
 * as `context_fallback`. Client errors (other 4xx) are returned without retrying.
 */
export class ResilientDispatcher {
  private readonly sleep: (ms: number, signal: CancelSignal) => Promise<void>;

  constructor(private readonly deps: DispatcherDeps) {
    this.sleep = deps.sleep ?? abortableSleep;
  }

  async dispatch<T>(
    ctx: GatewayContext,
    call: UpstreamCall<T>,
    signal: CancelSignal,
  ): Promise<DispatchResult<T>> {
    const attempts: AttemptRecord[] = ctx.attempts;
    let upstreamMs = 0;
    let contextRetried = false;
    let chain = this.chainFor(ctx);
    let plan = this.plan(ctx, chain);
    const settings = this.deps.retry();
    let lastError: UpstreamError | undefined;
    let retryAfter: number | undefined;
    // Targets not to try again (auth, not found); built on the first such failure only.
    let excluded: Set<string> | undefined;

    for (let round = 0; round <= (chain?.maxRetries ?? settings.maxRetries); round++) {
      if (round > 0) {
        if (!lastError?.retryable || plan.every((t) => excluded?.has(t.key))) break;
        const delay = backoffDelayMs(round, settings, retryAfter, this.deps.random);
        if (delay === undefined) break;
        const pauseStarted = performance.now();
        await this.sleep(delay, signal);
        upstreamMs += performance.now() - pauseStarted;
        retryAfter = undefined;
      }
      for (let i = 0; i < plan.length; i++) {
        const target = plan[i] as DispatchTarget;
        if (excluded?.has(target.key)) continue;
        if (signal.aborted) throw new ClientAbortedError();
        let permit = this.deps.breakers.acquire(target.key);
        // Only a half-open probe asks Redis (for the cluster's probe lease); calls never do.
        if (permit === 'probe' && !(await this.deps.breakers.claimProbe(target.key))) permit = false;
        if (!permit) {
          attempts.push({
            provider: target.provider.slug,
            model: target.deployment.modelId,
            outcome: 'circuit_open',
            ms: 0,
          });
          continue;
        }
        const started = performance.now();
        this.deps.stats.started(target.key);
        const adapter = this.deps.adapters.get(target.provider.type);
        const span = ctx.trace.upstream(target.provider.slug, target.deployment.modelId);
        try {
          const body = { ...ctx.body, model: target.deployment.modelId } as OpenAIRequestBody;
          const value = await call(adapter, target.provider, body, signal, span.headers);
          span.end('ok');
          const ms = performance.now() - started;
          upstreamMs += ms;
          this.deps.stats.recordLatency(target.key, ms);
          this.deps.breakers.success(target.key);
          attempts.push({
            provider: target.provider.slug,
            model: target.deployment.modelId,
            outcome: 'ok',
            ms,
          });
          return { value, target, attempts, upstreamMs };
        } catch (thrown) {
          const ms = performance.now() - started;
          upstreamMs += ms;
          const error = errorFromTransport(thrown, target.provider.slug, signal);
          span.end(error.kind, error.status);
          attempts.push({
            provider: target.provider.slug,
            model: target.deployment.modelId,
            outcome: error.kind,
            status: error.status,
            ms,
          });
          if (error.kind !== 'aborted')
            this.deps.upstreamErrors?.inc({ provider: target.provider.slug, kind: error.kind });
          switch (error.kind) {
            case 'aborted':
              this.deps.breakers.release(target.key, permit);
              throw new ClientAbortedError();
            case 'bad_request':
              this.deps.breakers.success(target.key);
              throw GatewayErrors.upstreamBadRequest(error.status ?? 400, error.message);
            case 'context_overflow': {
              this.deps.breakers.success(target.key);
              if (
                contextRetried ||
                ctx.pinned ||
                ctx.optedOut ||
                !this.moveToLargerModel(ctx, target.deployment)
              ) {
                throw GatewayErrors.contextLengthExceeded(
                  `The prompt does not fit the context window of '${target.deployment.modelId}' and no larger model is available. ` +
                    'Shorten the conversation or start a new session.',
                );
              }
              contextRetried = true;
              chain = this.chainFor(ctx);
              plan = this.plan(ctx, chain);
              excluded?.clear();
              i = -1;
              continue;
            }
            case 'auth':
            case 'not_found':
              this.deps.breakers.failure(target.key, permit);
              (excluded ??= new Set()).add(target.key);
              break;
            case 'rate_limited':
              // The upstream is alive and pushing back; that is not a reason to open its circuit.
              this.deps.breakers.release(target.key, permit);
              break;
            case 'connect':
            case 'timeout':
            case 'server':
              this.deps.breakers.failure(target.key, permit);
              break;
          }
          lastError = error;
          if (error.retryAfterSeconds !== undefined) {
            retryAfter = Math.max(retryAfter ?? 0, error.retryAfterSeconds);
          }
        } finally {
          this.deps.stats.finished(target.key);
        }
      }
    }
    throw this.finalError(plan, attempts, lastError, retryAfter);
  }

  /** The ordered targets for the current model: balanced deployments, then the fallback chain. */
  plan(ctx: GatewayContext, chain: FallbackChain | undefined): DispatchTarget[] {
    const targets: DispatchTarget[] = [];
    const seen = new Set<string>();
    const add = (deployment: ModelView): void => {
      const key = targetKey(deployment);
      if (seen.has(key)) return;
      const provider = this.deps.source.resolvedProvider(deployment.providerId);
      if (!provider || !provider.enabled || !this.deps.adapters.has(provider.type)) return;
      seen.add(key);
      targets.push({
        key,
        providerId: deployment.providerId,
        priority: deployment.priority,
        deployment,
        provider,
      });
    };
    const tenant = ctx.tenant;
    const candidates = ctx.deployments.map((d) => ({
      key: targetKey(d),
      providerId: d.providerId,
      priority: d.priority,
      deployment: d,
    }));
    const balancing = tenant?.loadBalancing;
    const ordered = orderCandidates(candidates, this.deps.stats, {
      strategy: balancing?.strategy ?? 'priority',
      // Only the weighted strategy reads weights: no Map per request for the others.
      weights:
        balancing?.strategy === 'weighted'
          ? new Map(balancing.weights.map((w) => [w.providerId, w.weight]))
          : undefined,
      random: this.deps.random,
    });
    for (const candidate of ordered) add(candidate.deployment);
    for (const step of chain?.targets ?? []) {
      const modelId = step.model ?? ctx.primary?.modelId;
      if (!modelId) continue;
      const provider = this.deps.source.provider(step.providerId);
      if (!provider) continue;
      const deployment = this.deps.source.modelsOf(provider.id).find((m) => m.modelId === modelId);
      if (deployment) add(deployment);
    }
    return targets;
  }

  private chainFor(ctx: GatewayContext): FallbackChain | undefined {
    const modelId = ctx.primary?.modelId;
    const chains = ctx.tenant?.fallbackChains;
    if (!modelId || !chains || chains.length === 0) return undefined;
    return (
      chains.find((c) => c.modelPattern === modelId) ??
      chains.find((c) => c.modelPattern !== '*' && globMatches(c.modelPattern, modelId)) ??
      chains.find((c) => c.modelPattern === '*')
    );
  }

  private moveToLargerModel(ctx: GatewayContext, current: ModelView): boolean {
    const window = current.contextWindow ?? ctx.estimatedInputTokens;
    const larger = ctx.models?.largerWindowModel(current, Math.max(window, ctx.estimatedInputTokens) + 1);
    if (!larger || !ctx.models) return false;
    const deployments = ctx.models.deploymentsOf(larger.modelId);
    if (deployments.length === 0) return false;
    ctx.contextFallback = {
      original_model: ctx.contextFallback?.original_model ?? current.modelId,
      fallback_model: larger.modelId,
      reason: 'context_length_exceeded',
    };
    ctx.deployments = deployments;
    ctx.body.model = larger.modelId;
    return true;
  }

  private finalError(
    plan: readonly DispatchTarget[],
    attempts: readonly AttemptRecord[],
    lastError: UpstreamError | undefined,
    retryAfter: number | undefined,
  ): Error {
    if (plan.length === 0) {
      return GatewayErrors.providersUnavailable('No enabled provider serves this model right now.', {
        'retry-after': '30',
      });
    }
    if (!lastError) {
      const waitMs = Math.min(...plan.map((t) => this.deps.breakers.retryInMs(t.key)));
      return GatewayErrors.providersUnavailable(
        'Every provider for this model is failing (circuit open). Retry later.',
        { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      );
    }
    const tried = attempts.filter((a) => a.outcome !== 'circuit_open').length;
    const summary = `${lastError.message} (after ${tried} attempt${tried === 1 ? '' : 's'})`;
    switch (lastError.kind) {
      case 'rate_limited':
        return GatewayErrors.upstreamRateLimited(summary, {
          'retry-after': String(Math.max(1, Math.ceil(retryAfter ?? lastError.retryAfterSeconds ?? 1))),
        });
      case 'timeout':
        return GatewayErrors.upstreamTimeout(summary);
      case 'aborted':
        return new ClientAbortedError();
      case 'connect':
      case 'server':
      case 'auth':
      case 'not_found':
      case 'bad_request':
      case 'context_overflow':
        return GatewayErrors.upstreamError(summary);
    }
  }
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}

function abortableSleep(ms: number, signal: CancelSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new ClientAbortedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ClientAbortedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
