import { Injectable } from '@nestjs/common';

import {
  type DiscoveredModel,
  type ModelListing,
  type ProbeStep,
  type ProviderAdapter,
  ProviderAdapterRegistry,
  UpstreamError,
} from '../adapters/provider-adapter';
import {
  classifyNetworkError,
  elapsedSince,
  modelCount,
  readableErrorMessage,
} from '../adapters/shared/probe-steps';
import { DEFAULT_PROVIDER_TIMEOUT_MS, type ResolvedProvider } from '../provider.types';
import { failureAdvice, httpsVariant, successAdvice, wantsHttpsRetry } from './check-advice';

/** A check should feel quick, whatever the provider's request timeout. */
const CHECK_TIMEOUT_CAP_MS = 15_000;

export interface CheckResult {
  ok: boolean;
  message: string;
  /** The path that answered (`/v1`, `/api/v1`, `''`); stored on the provider. */
  apiPath?: string;
  modelCount?: number;
  suggestion?: string;
  suggestedBaseUrl?: string;
  latencyMs: number;
  steps: ProbeStep[];
}

export interface ListModelsResult extends CheckResult {
  models: DiscoveredModel[];
}

export interface TryChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  maxTokens: number;
}

export interface TryChatResult {
  ok: boolean;
  model: string;
  content: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number;
  status: number | null;
  error: string | null;
}

/**
 * The admin check, discover and try endpoints, all through the provider's adapter (the code the
 * gateway calls). The adapter logs each request of its listing; this service adds the verdict and
 * the advice. Checks use their own connection pool (released afterwards), so a check with changed
 * settings never replaces the gateway's pool of that provider.
 */
@Injectable()
export class ProviderCheckService {
  constructor(private readonly adapters: ProviderAdapterRegistry) {}

  async check(provider: ResolvedProvider): Promise<CheckResult> {
    const { models: _models, ...result } = await this.listModels(provider);
    return result;
  }

  async listModels(provider: ResolvedProvider): Promise<ListModelsResult> {
    const started = performance.now();
    const adapter = this.adapters.get(provider.type);
    const probe = { ...provider, id: `${provider.id}#check` };
    const timeoutMs = Math.min(
      provider.options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
      CHECK_TIMEOUT_CAP_MS,
    );
    const steps: ProbeStep[] = [];
    try {
      const listing = await adapter.listModels(probe, { timeoutMs, log: (step) => steps.push(step) });
      return {
        ...success(provider, listing),
        latencyMs: elapsedSince(started),
        steps,
        models: listing.models,
      };
    } catch (error) {
      if (steps.length === 0)
        steps.push({ action: 'List models', ok: false, ...classifyNetworkError(error) });
      let httpsAnswered = false;
      const retried: ProbeStep[] = [];
      if (wantsHttpsRetry(provider, steps)) {
        httpsAnswered = await this.listOverHttps(adapter, probe, timeoutMs, retried);
      }
      const advice = failureAdvice(provider, steps, timeoutMs, httpsAnswered);
      steps.push(...retried);
      return { ok: false, ...advice, latencyMs: elapsedSince(started), steps, models: [] };
    } finally {
      await adapter.release?.(probe.id);
    }
  }

  /** One chat through the provider's adapter, as the gateway would send it (without retries). */
  async tryChat(provider: ResolvedProvider, request: TryChatRequest): Promise<TryChatResult> {
    const started = performance.now();
    const failed = { ok: false, model: request.model, content: null, inputTokens: null, outputTokens: null };
    try {
      const { status, body } = await this.adapters.get(provider.type).chat(provider, {
        model: request.model,
        messages: request.messages,
        max_tokens: request.maxTokens,
        stream: false,
      });
      const reply = openAIReply(body);
      return {
        ok: true,
        model: reply.model ?? request.model,
        content: reply.content,
        inputTokens: reply.inputTokens,
        outputTokens: reply.outputTokens,
        latencyMs: elapsedSince(started),
        status,
        error: null,
      };
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.status === undefined) {
        return { ...failed, latencyMs: 0, status: null, error: (error as Error).message ?? String(error) };
      }
      const message = readableErrorMessage(error.upstreamBody, error.message);
      return {
        ...failed,
        latencyMs: elapsedSince(started),
        status: error.status,
        error: `HTTP ${error.status}: ${message}`,
      };
    }
  }

  /** The first listing request again over https; true when the server answered there. */
  private async listOverHttps(
    adapter: ProviderAdapter,
    probe: ResolvedProvider,
    timeoutMs: number,
    steps: ProbeStep[],
  ): Promise<boolean> {
    await adapter
      .listModels(
        { ...probe, baseUrl: httpsVariant(probe.baseUrl) },
        {
          timeoutMs,
          firstAttemptOnly: true,
          log: (step) => steps.push({ ...step, action: `Retry over https: ${step.action}` }),
        },
      )
      .catch(() => undefined);
    return steps.some((step) => step.ok || step.status !== undefined);
  }
}

function success(
  provider: ResolvedProvider,
  listing: ModelListing,
): Omit<CheckResult, 'latencyMs' | 'steps'> {
  const count = listing.models.length;
  if (listing.source === 'configured') {
    return { ok: true, message: `Connected: ${count} configured deployment(s)`, modelCount: count };
  }
  return {
    ok: true,
    message: `Connected: ${modelCount(count)} listed`,
    apiPath: listing.apiPath,
    modelCount: count,
    ...successAdvice(provider.baseUrl, listing.apiPath),
  };
}

interface Reply {
  model?: string;
  content: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** Text and token counts of the OpenAI-shaped chat completion every adapter returns. */
export function openAIReply(json: unknown): Reply {
  const body = (json ?? {}) as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const choices = Array.isArray(body.choices) ? (body.choices as { message?: { content?: unknown } }[]) : [];
  const raw = choices[0]?.message?.content;
  const usage = (body.usage ?? {}) as Record<string, unknown>;
  return {
    model: typeof body.model === 'string' ? body.model : undefined,
    content: typeof raw === 'string' ? raw : null,
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
  };
}
