import { Injectable } from '@nestjs/common';

import { ProviderAdapterRegistry, UpstreamError, type UpstreamModel } from '../adapters/provider-adapter';
import {
  type DiscoveredModel,
  parseAzureDeployments,
  parseJson,
  parseOllamaTags,
  parseOpenAiModelList,
} from '../adapters/shared/model-list.parsers';
import {
  authHeaders,
  classifyNetworkError,
  dispatcherFor,
  httpCall,
  type HttpResult,
  joinUrl,
  timeoutOf,
} from '../provider-http';
import type { ResolvedProvider } from '../provider.types';
import type { CheckResult, ListModelsResult, ProbeStep } from './probe.types';

/** Probes answer within this, whatever the provider's request timeout (a check should feel quick). */
const PROBE_TIMEOUT_CAP_MS = 15_000;
const DEFAULT_AZURE_API_VERSION = '2024-10-21';
const AZURE_LIST_API_VERSION = '2022-12-01';

type Parser = (body: unknown) => DiscoveredModel[] | undefined;

interface Attempt {
  action: string;
  url: string;
  parser: Parser;
  apiPath?: string;
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
 * The admin check, discover and try endpoints. A one-off chat goes through the provider's adapter
 * (the same code the gateway calls), and so does Bedrock's model listing (the AWS SDK signs it).
 * The listings of HTTP vendors are probed here with a step log: several API paths, an https retry
 * and advice on what to fix, which a single adapter call cannot give.
 */
@Injectable()
export class ProviderProbe {
  constructor(private readonly adapters: ProviderAdapterRegistry) {}

  async check(provider: ResolvedProvider): Promise<CheckResult> {
    const { models: _models, ...result } = await this.listModels(provider);
    return result;
  }

  async listModels(provider: ResolvedProvider): Promise<ListModelsResult> {
    const started = performance.now();
    if (provider.type === 'bedrock') return this.listBedrock(provider, started);
    const steps: ProbeStep[] = [];
    const attempts = this.attemptsFor(provider);
    let lastHttp: { status: number; attempt: Attempt } | undefined;
    let firstNetworkCause: ProbeStep['cause'];

    for (const attempt of attempts) {
      const step = await this.tryList(provider, attempt);
      steps.push(step.step);
      if (step.models) {
        const suggestion = this.successSuggestion(provider, attempt);
        const azureExtra = this.azureConfiguredDeployments(provider, step.models);
        const models = [...step.models, ...azureExtra];
        return {
          ok: true,
          message: `Connected: ${models.length} model${models.length === 1 ? '' : 's'} listed`,
          apiPath: attempt.apiPath,
          modelCount: models.length,
          ...suggestion,
          latencyMs: elapsed(started),
          steps,
          models,
        };
      }
      if (step.step.status !== undefined) lastHttp = { status: step.step.status, attempt };
      else firstNetworkCause ??= step.step.cause;
      // Credentials rejected or a network problem: other paths on the same host will not help.
      if (step.step.cause === 'auth' || step.step.status === undefined) break;
    }

    // Azure without list rights: configured deployments still work if one answers a tiny chat.
    if (provider.type === 'azure' && (provider.options.deployments?.length ?? 0) > 0) {
      const deployment = provider.options.deployments?.[0] ?? '';
      const chat = await this.tryChat(provider, {
        model: deployment,
        messages: [{ role: 'user', content: 'ping' }],
        maxTokens: 1,
      });
      steps.push({
        action: `Send a 1-token chat to deployment ${deployment}`,
        method: 'POST',
        url: `${joinUrl(provider.baseUrl, `openai/deployments/${encodeURIComponent(deployment)}/chat/completions`)}?api-version=${encodeURIComponent(provider.options.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`,
        ok: chat.ok,
        status: chat.status ?? undefined,
        latencyMs: chat.latencyMs,
        cause: chat.ok
          ? undefined
          : chat.status === null
            ? 'network'
            : chat.status === 401 || chat.status === 403
              ? 'auth'
              : 'http',
        message: chat.ok ? 'Deployment answered' : (chat.error ?? 'Failed'),
      });
      if (chat.ok) {
        const models = this.azureConfiguredDeployments(provider, []);
        return {
          ok: true,
          message: `Connected: ${models.length} configured deployment(s)`,
          modelCount: models.length,
          latencyMs: elapsed(started),
          steps,
          models,
        };
      }
    }

    const failure = await this.failureAdvice(
      provider,
      steps,
      lastHttp?.status,
      lastHttp === undefined ? firstNetworkCause : undefined,
    );
    return { ok: false, ...failure, latencyMs: elapsed(started), steps, models: [] };
  }

  /** One chat through the provider's adapter, as the gateway would send it (without retries). */
  async tryChat(provider: ResolvedProvider, request: TryChatRequest): Promise<TryChatResult> {
    const started = performance.now();
    const failed = { ok: false, model: request.model, content: null, inputTokens: null, outputTokens: null };
    let adapter;
    try {
      adapter = this.adapters.get(provider.type);
    } catch (error) {
      return { ...failed, latencyMs: 0, status: null, error: (error as Error).message };
    }
    try {
      const { status, body } = await adapter.chat(provider, {
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
        latencyMs: elapsed(started),
        status,
        error: null,
      };
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.status === undefined) {
        return { ...failed, latencyMs: 0, status: null, error: (error as Error).message ?? String(error) };
      }
      const message = upstreamErrorMessage(error.upstreamBody, error.message);
      return {
        ...failed,
        latencyMs: elapsed(started),
        status: error.status,
        error: `HTTP ${error.status}: ${message}`,
      };
    }
  }

  /** Bedrock's model list through its adapter: the AWS SDK signs and sends it. */
  private async listBedrock(provider: ResolvedProvider, started: number): Promise<ListModelsResult> {
    const steps: ProbeStep[] = [];
    if (!hasAwsCredentials(provider)) {
      steps.push({
        action: 'Find AWS credentials',
        ok: false,
        cause: 'config',
        message: 'No access key configured and none in the environment',
      });
      const failure = await this.failureAdvice(provider, steps, undefined, undefined);
      return { ok: false, ...failure, latencyMs: elapsed(started), steps, models: [] };
    }
    const timeoutMs = Math.min(timeoutOf(provider), PROBE_TIMEOUT_CAP_MS);
    const region = provider.options.region ?? 'us-east-1';
    const step: ProbeStep = {
      action: `List Bedrock foundation models (${region})`,
      method: 'GET',
      url: joinUrl(provider.baseUrl || `https://bedrock.${region}.amazonaws.com`, 'foundation-models'),
      ok: false,
      message: '',
    };
    const stepStarted = performance.now();
    try {
      const listed = await this.adapters
        .get('bedrock')
        .listModels(provider, { signal: AbortSignal.timeout(timeoutMs), timeoutMs });
      // Inference profiles are left to the admin (added by hand), as before.
      const models = listed.filter((m) => m.ownedBy !== 'inference-profile').map(toDiscovered);
      const count = `${models.length} model${models.length === 1 ? '' : 's'}`;
      steps.push({
        ...step,
        ok: true,
        status: 200,
        latencyMs: elapsed(stepStarted),
        message: `${count} listed`,
      });
      return {
        ok: true,
        message: `Connected: ${count} listed`,
        modelCount: models.length,
        latencyMs: elapsed(started),
        steps,
        models,
      };
    } catch (error) {
      const failed = failedStep(step, error, elapsed(stepStarted), timeoutMs);
      steps.push(failed);
      const failure = await this.failureAdvice(
        provider,
        steps,
        failed.status,
        failed.status === undefined ? failed.cause : undefined,
      );
      return { ok: false, ...failure, latencyMs: elapsed(started), steps, models: [] };
    }
  }

  private attemptsFor(provider: ResolvedProvider): Attempt[] {
    const base = provider.baseUrl;
    switch (provider.type) {
      case 'azure':
        return [
          {
            action: 'List Azure OpenAI deployments',
            url: `${joinUrl(base, 'openai/deployments')}?api-version=${AZURE_LIST_API_VERSION}`,
            parser: parseAzureDeployments,
          },
        ];
      case 'anthropic':
        return [
          { action: 'List Anthropic models', url: joinUrl(base, 'v1/models'), parser: parseOpenAiModelList },
        ];
      case 'bedrock':
        return [];
      case 'ollama':
        return [
          { action: 'List Ollama models', url: joinUrl(base, 'api/tags'), parser: parseOllamaTags },
          ...this.openAiAttempts(provider),
        ];
      case 'openai':
      case 'vllm':
      case 'openrouter':
      case 'custom':
        return this.openAiAttempts(provider);
    }
  }

  /** The stored API path first, then `/v1`, `/api/v1` and the bare base URL. */
  private openAiAttempts(provider: ResolvedProvider): Attempt[] {
    const paths = [
      ...new Set(
        [provider.options.apiPath, '/v1', '/api/v1', ''].filter((p): p is string => p !== undefined),
      ),
    ];
    return paths.map((apiPath) => ({
      action: `List models at ${apiPath === '' ? 'the base URL' : apiPath}`,
      url: joinUrl(joinUrl(provider.baseUrl, apiPath), 'models'),
      parser: parseOpenAiModelList,
      apiPath,
    }));
  }

  private async tryList(
    provider: ResolvedProvider,
    attempt: Attempt,
  ): Promise<{ step: ProbeStep; models?: DiscoveredModel[] }> {
    const timeoutMs = Math.min(timeoutOf(provider), PROBE_TIMEOUT_CAP_MS);
    const headers = {
      ...authHeaders(provider),
      ...(provider.options.extraHeaders ?? {}),
    };
    const base: ProbeStep = {
      action: attempt.action,
      method: 'GET',
      url: attempt.url,
      ok: false,
      message: '',
    };
    let result: HttpResult;
    try {
      result = await httpCall(attempt.url, {
        headers,
        timeoutMs,
        dispatcher: dispatcherFor(provider.options),
        maxBodyBytes: 20 * 1024 * 1024,
      });
    } catch (error) {
      const { cause, message } = classifyNetworkError(error);
      return {
        step: { ...base, cause, message: cause === 'timeout' ? `No answer within ${timeoutMs} ms` : message },
      };
    }
    const step: ProbeStep = { ...base, status: result.status, latencyMs: result.latencyMs };
    if (result.status === 401 || result.status === 403) {
      return {
        step: {
          ...step,
          cause: 'auth',
          message: `Credentials rejected (HTTP ${result.status}): ${upstreamErrorMessage(parseJson(result.text), result.text)}`,
        },
      };
    }
    if (result.status === 404)
      return { step: { ...step, cause: 'not_found', message: 'Not found (HTTP 404)' } };
    if (result.status < 200 || result.status >= 300) {
      return {
        step: {
          ...step,
          cause: 'http',
          message: `HTTP ${result.status}: ${upstreamErrorMessage(parseJson(result.text), result.text)}`,
        },
      };
    }
    const models = attempt.parser(parseJson(result.text));
    if (!models) {
      const looksHtml = /^\s*</.test(result.text);
      return {
        step: {
          ...step,
          cause: 'bad_response',
          message: looksHtml
            ? 'Answered with HTML, not a model list (a web page or a proxy login?)'
            : 'Answered, but not with a model list',
        },
      };
    }
    return {
      step: { ...step, ok: true, message: `${models.length} model${models.length === 1 ? '' : 's'} listed` },
      models,
    };
  }

  private successSuggestion(
    provider: ResolvedProvider,
    attempt: Attempt,
  ): { suggestion?: string; suggestedBaseUrl?: string } {
    const base = provider.baseUrl.replace(/\/+$/, '');
    const match = /^(.*?)(\/(?:api\/)?v1)$/.exec(base);
    if (match && attempt.apiPath === '' && match[1]) {
      return {
        suggestion: `The base URL ends in ${match[2]}: drop the trailing ${match[2]} (Model Prism adds the API path itself). It works as is because the API path was set to empty.`,
        suggestedBaseUrl: match[1],
      };
    }
    return {};
  }

  private azureConfiguredDeployments(
    provider: ResolvedProvider,
    listed: DiscoveredModel[],
  ): DiscoveredModel[] {
    if (provider.type !== 'azure') return [];
    const known = new Set(listed.map((m) => m.modelId));
    return (provider.options.deployments ?? [])
      .filter((d) => !known.has(d))
      .map((d) => ({ modelId: d, name: d }));
  }

  private async failureAdvice(
    provider: ResolvedProvider,
    steps: ProbeStep[],
    lastStatus: number | undefined,
    networkCause: ProbeStep['cause'],
  ): Promise<{ message: string; suggestion?: string; suggestedBaseUrl?: string }> {
    const timeoutMs = Math.min(timeoutOf(provider), PROBE_TIMEOUT_CAP_MS);
    if (steps.some((s) => s.cause === 'config')) {
      return {
        message: 'Not checked: configuration incomplete',
        suggestion:
          'Set an AWS access key and secret for this provider (or use the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables).',
      };
    }
    if (steps.some((s) => s.cause === 'auth')) {
      return {
        message: 'The provider rejected the credentials',
        suggestion: 'Check the API key (and for Azure/Anthropic that the auth type is "api_key").',
      };
    }
    switch (networkCause) {
      case 'dns':
        return {
          message: 'The host name does not resolve',
          suggestion: 'Check the base URL for typos; behind a corporate proxy set the HTTP proxy option.',
        };
      case 'tls':
        return {
          message: 'TLS handshake failed',
          suggestion:
            'The certificate is not trusted: install the issuing CA on the pods, or enable "skip TLS verification" for this provider (in-house endpoints only).',
        };
      case 'timeout':
        return {
          message: 'The provider did not answer in time',
          suggestion: `Nothing answered within ${timeoutMs} ms: check firewalls, the proxy option, or whether the service is up.`,
        };
      case 'proxy':
        return {
          message: 'The HTTP proxy failed',
          suggestion: 'Check the proxy URL and that the proxy allows this host.',
        };
      case 'refused':
      case 'reset':
      case 'network': {
        const https = await this.tryHttps(provider, steps);
        if (https) return https;
        return {
          message: networkCause === 'refused' ? 'Connection refused' : 'The connection failed',
          suggestion:
            'Nothing usable listens at this address: check host and port, and that the service is running.',
        };
      }
      case undefined:
      case 'auth':
      case 'not_found':
      case 'http':
      case 'bad_response':
      case 'config':
        break;
    }
    if (
      steps.every((s) => s.cause === 'not_found' || s.status !== undefined) &&
      steps.some((s) => s.cause === 'not_found')
    ) {
      const base = provider.baseUrl.replace(/\/+$/, '');
      const endpoint = /\/(chat\/completions|completions|models|messages)$/.exec(base);
      if (endpoint) {
        return {
          message: 'No model list found',
          suggestion: `The base URL points at an endpoint (/${endpoint[1]}): use the server root instead.`,
          suggestedBaseUrl: base.slice(0, -endpoint[0].length),
        };
      }
      return {
        message: 'No model list found under the base URL',
        suggestion:
          'Check the base URL: it should be the server root (e.g. https://host or https://host/openai for a path-mounted gateway).',
      };
    }
    if (steps.some((s) => s.cause === 'bad_response')) {
      return {
        message: 'The server answered, but not like an LLM API',
        suggestion: 'Check the base URL and the provider type.',
      };
    }
    return { message: lastStatus ? `The provider answered HTTP ${lastStatus}` : 'The check failed' };
  }

  /** An `http://` URL that fails at connection level is retried once over https. */
  private async tryHttps(
    provider: ResolvedProvider,
    steps: ProbeStep[],
  ): Promise<{ message: string; suggestion: string; suggestedBaseUrl: string } | undefined> {
    if (!provider.baseUrl.startsWith('http://') || provider.type === 'bedrock') return undefined;
    const httpsBase = 'https://' + provider.baseUrl.slice('http://'.length);
    const attempt = this.attemptsFor({ ...provider, baseUrl: httpsBase })[0];
    if (!attempt) return undefined;
    const { step, models } = await this.tryList(
      { ...provider, baseUrl: httpsBase },
      { ...attempt, action: `Retry over https: ${attempt.action}` },
    );
    steps.push(step);
    if (!models && step.status === undefined) return undefined;
    return {
      message: 'The server does not speak plain http',
      suggestion: 'Use https:// in the base URL.',
      suggestedBaseUrl: httpsBase,
    };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** The upstream's error message (OpenAI, Anthropic, Bedrock shapes), cut to a readable length. */
export function upstreamErrorMessage(json: unknown, text: string): string {
  const body = json as
    { error?: { message?: unknown } | string; message?: unknown; Message?: unknown } | undefined;
  const candidate =
    (typeof body?.error === 'object' ? body.error.message : body?.error) ??
    body?.message ??
    body?.Message ??
    text;
  const message = typeof candidate === 'string' ? candidate : JSON.stringify(candidate);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300) || 'no details';
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

/** Keys on the provider or in the environment (the check does not wait on instance metadata). */
function hasAwsCredentials(provider: ResolvedProvider): boolean {
  const { accessKeyId, secretAccessKey } = provider.credentials;
  if (accessKeyId && secretAccessKey) return true;
  return Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
}

function toDiscovered(model: UpstreamModel): DiscoveredModel {
  const discovered: DiscoveredModel = { modelId: model.id };
  if (model.name) discovered.name = model.name;
  if (model.ownedBy) discovered.ownedBy = model.ownedBy;
  if (model.contextWindow) discovered.contextWindow = model.contextWindow;
  if (model.maxOutputTokens) discovered.maxOutputTokens = model.maxOutputTokens;
  if (model.capabilities) discovered.capabilities = model.capabilities;
  if (model.apiType) discovered.apiType = model.apiType;
  return discovered;
}

/** A probe step from an adapter's failure: HTTP answers by status, transport failures by cause. */
function failedStep(step: ProbeStep, error: unknown, latencyMs: number, timeoutMs: number): ProbeStep {
  const upstream = error instanceof UpstreamError ? error : undefined;
  const status = upstream?.status;
  if (status !== undefined) {
    const detail = upstreamErrorMessage(upstream?.upstreamBody, upstream?.message ?? '');
    if (status === 401 || status === 403)
      return {
        ...step,
        status,
        latencyMs,
        cause: 'auth',
        message: `Credentials rejected (HTTP ${status}): ${detail}`,
      };
    if (status === 404)
      return { ...step, status, latencyMs, cause: 'not_found', message: 'Not found (HTTP 404)' };
    return { ...step, status, latencyMs, cause: 'http', message: `HTTP ${status}: ${detail}` };
  }
  if (upstream?.kind === 'timeout' || upstream?.kind === 'aborted')
    return { ...step, cause: 'timeout', message: `No answer within ${timeoutMs} ms` };
  const message = error instanceof Error ? error.message : String(error);
  const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(message)?.[1];
  const classified = classifyNetworkError({ code, message });
  return { ...step, cause: classified.cause, message: classified.message };
}
