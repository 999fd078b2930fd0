import { Injectable } from '@nestjs/common';

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
import { type AwsCredentials, signAwsRequest } from './aws-sigv4';
import {
  parseAzureDeployments,
  parseBedrockFoundationModels,
  parseJson,
  parseOllamaTags,
  parseOpenAiModelList,
} from './model-list.parsers';
import type { CheckResult, DiscoveredModel, ListModelsResult, ProbeStep } from './probe.types';

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
  /** Extra headers (AWS signature) computed per URL. */
  sign?: (url: string) => Record<string, string>;
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
  url: string;
}

/**
 * Connection check, model listing and one-off chat for every provider type over plain HTTP
 * (undici with the provider's proxy, skip-TLS and timeout). Used by the admin check, discover and
 * try endpoints; the gateway calls providers through the adapters instead.
 */
@Injectable()
export class ProviderProbe {
  async check(provider: ResolvedProvider): Promise<CheckResult> {
    const { models: _models, ...result } = await this.listModels(provider);
    return result;
  }

  async listModels(provider: ResolvedProvider): Promise<ListModelsResult> {
    const started = performance.now();
    const steps: ProbeStep[] = [];
    const attempts = this.attemptsFor(provider, steps);
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
        url: chat.url,
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

  async tryChat(provider: ResolvedProvider, request: TryChatRequest): Promise<TryChatResult> {
    const timeoutMs = timeoutOf(provider);
    const dispatcher = dispatcherFor(provider.options);
    const base = provider.baseUrl;
    let url: string;
    let body: unknown;
    let headers: Record<string, string> = {
      ...authHeaders(provider),
      ...(provider.options.extraHeaders ?? {}),
    };
    switch (provider.type) {
      case 'azure':
        url = `${joinUrl(base, `openai/deployments/${encodeURIComponent(request.model)}/chat/completions`)}?api-version=${encodeURIComponent(provider.options.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`;
        body = { messages: request.messages, max_tokens: request.maxTokens };
        break;
      case 'anthropic': {
        const system = request.messages
          .filter((m) => m.role === 'system')
          .map((m) => m.content)
          .join('\n');
        url = joinUrl(base, 'v1/messages');
        body = {
          model: request.model,
          max_tokens: request.maxTokens,
          messages: request.messages.filter((m) => m.role !== 'system'),
          ...(system ? { system } : {}),
        };
        break;
      }
      case 'bedrock': {
        url = joinUrl(
          this.bedrockRuntimeBase(provider),
          `model/${encodeURIComponent(request.model)}/converse`,
        );
        const system = request.messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
        body = {
          messages: request.messages
            .filter((m) => m.role !== 'system')
            .map((m) => ({ role: m.role, content: [{ text: m.content }] })),
          inferenceConfig: { maxTokens: request.maxTokens },
          ...(system.length > 0 ? { system } : {}),
        };
        const credentials = this.awsCredentials(provider);
        if (credentials) {
          headers = {
            ...headers,
            ...signAwsRequest(
              {
                method: 'POST',
                url: new URL(url),
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(body),
              },
              credentials,
              this.region(provider),
              'bedrock',
            ),
          };
        }
        break;
      }
      case 'openai':
      case 'ollama':
      case 'vllm':
      case 'openrouter':
      case 'custom':
        url = joinUrl(joinUrl(base, provider.options.apiPath ?? '/v1'), 'chat/completions');
        body = {
          model: request.model,
          messages: request.messages,
          max_tokens: request.maxTokens,
          stream: false,
        };
        break;
    }
    let result: HttpResult;
    try {
      result = await httpCall(url, { method: 'POST', headers, body, timeoutMs, dispatcher });
    } catch (error) {
      const { message } = classifyNetworkError(error);
      return {
        ok: false,
        model: request.model,
        content: null,
        inputTokens: null,
        outputTokens: null,
        latencyMs: 0,
        status: null,
        error: message,
        url,
      };
    }
    const json = parseJson(result.text);
    if (result.status < 200 || result.status >= 300) {
      return {
        ok: false,
        model: request.model,
        content: null,
        inputTokens: null,
        outputTokens: null,
        latencyMs: result.latencyMs,
        status: result.status,
        error: `HTTP ${result.status}: ${upstreamErrorMessage(json, result.text)}`,
        url,
      };
    }
    const reply = extractReply(provider.type, json);
    return {
      ok: true,
      model: reply.model ?? request.model,
      content: reply.content,
      inputTokens: reply.inputTokens,
      outputTokens: reply.outputTokens,
      latencyMs: result.latencyMs,
      status: result.status,
      error: null,
      url,
    };
  }

  private attemptsFor(provider: ResolvedProvider, steps: ProbeStep[]): Attempt[] {
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
      case 'bedrock': {
        const credentials = this.awsCredentials(provider);
        if (!credentials) {
          steps.push({
            action: 'Find AWS credentials',
            ok: false,
            cause: 'config',
            message:
              'No access key configured and none in the environment; the check signs requests with explicit keys only',
          });
          return [];
        }
        const url = `${joinUrl(this.bedrockControlBase(provider), 'foundation-models')}`;
        return [
          {
            action: `List Bedrock foundation models (${this.region(provider)})`,
            url,
            parser: parseBedrockFoundationModels,
            sign: (target) =>
              signAwsRequest(
                { method: 'GET', url: new URL(target), headers: {}, body: '' },
                credentials,
                this.region(provider),
                'bedrock',
              ),
          },
        ];
      }
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
      ...(attempt.sign?.(attempt.url) ?? {}),
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
    const attempt = this.attemptsFor({ ...provider, baseUrl: httpsBase }, steps)[0];
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

  private region(provider: ResolvedProvider): string {
    return provider.options.region ?? 'us-east-1';
  }

  private bedrockControlBase(provider: ResolvedProvider): string {
    return provider.baseUrl || `https://bedrock.${this.region(provider)}.amazonaws.com`;
  }

  private bedrockRuntimeBase(provider: ResolvedProvider): string {
    return provider.baseUrl || `https://bedrock-runtime.${this.region(provider)}.amazonaws.com`;
  }

  private awsCredentials(provider: ResolvedProvider): AwsCredentials | undefined {
    const { accessKeyId, secretAccessKey, sessionToken } = provider.credentials;
    if (accessKeyId && secretAccessKey)
      return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    const envKey = process.env.AWS_ACCESS_KEY_ID;
    const envSecret = process.env.AWS_SECRET_ACCESS_KEY;
    if (envKey && envSecret) {
      return {
        accessKeyId: envKey,
        secretAccessKey: envSecret,
        ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
      };
    }
    return undefined;
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

/** Pulls the text and token counts out of an OpenAI, Anthropic or Bedrock Converse reply. */
export function extractReply(type: ResolvedProvider['type'], json: unknown): Reply {
  const body = (json ?? {}) as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  if (type === 'anthropic') {
    const content = Array.isArray(body.content)
      ? (body.content as { type?: string; text?: string }[])
          .filter((c) => c.type === 'text')
          .map((c) => c.text ?? '')
          .join('')
      : null;
    const usage = (body.usage ?? {}) as Record<string, unknown>;
    return {
      model: typeof body.model === 'string' ? body.model : undefined,
      content,
      inputTokens: num(usage.input_tokens),
      outputTokens: num(usage.output_tokens),
    };
  }
  if (type === 'bedrock') {
    const output = (body.output ?? {}) as { message?: { content?: { text?: string }[] } };
    const content = output.message?.content?.map((c) => c.text ?? '').join('') ?? null;
    const usage = (body.usage ?? {}) as Record<string, unknown>;
    return { content, inputTokens: num(usage.inputTokens), outputTokens: num(usage.outputTokens) };
  }
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
