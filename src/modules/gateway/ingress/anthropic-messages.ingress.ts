import { anthropicErrorBody } from '../../../core/http/error-shapes';
import { GatewayHttpError } from '../../../core/http/gateway-http.error';
import { openAIErrorToAnthropic } from '../../providers/adapters/anthropic/translate/anthropic-errors';
import { anthropicRequestToOpenAI } from '../../providers/adapters/anthropic/translate/anthropic-request-to-openai';
import { openAIResponseToAnthropic } from '../../providers/adapters/anthropic/translate/openai-response-to-anthropic';
import { OpenAIToAnthropicStreamTranslator } from '../../providers/adapters/anthropic/translate/openai-stream-to-anthropic';
import type { UpstreamUsage } from '../../providers/adapters/provider-adapter';
import type {
  AnthropicErrorBody,
  AnthropicMessagesRequest,
  AnthropicStreamEvent,
} from '../../providers/adapters/wire/anthropic.types';
import type {
  OpenAIChatCompletionResponse,
  OpenAIStreamItem,
  OpenAIUsage,
} from '../../providers/adapters/wire/openai.types';
import { GatewayErrors } from '../gateway.errors';
import type { GatewayContext } from '../pipeline/gateway-context';
import { dataOf, type SseProcessor } from '../streaming/sse-processor';
import { type AnthropicValidationOptions, validateAnthropicRequest } from './anthropic-messages.validation';
import type { GatewayIngress, IngressRoute, IngressStreamProcessor } from './gateway-ingress';

/** Gateway additions to a chat completion, kept on the Anthropic answer as extension fields. */
const EXTENSION_FIELDS = ['cost_info', 'auto_routing', 'context_fallback'] as const;

/**
 * Validates an Anthropic Messages body and translates it to the OpenAI chat body the pipeline runs
 * on. Throws the gateway's 400 (`invalid_request`) on invalid input.
 */
export function anthropicBodyToOpenAI(
  raw: unknown,
  options?: AnthropicValidationOptions,
): Record<string, unknown> {
  validateAnthropicRequest(raw, options);
  try {
    return anthropicRequestToOpenAI(raw as unknown as AnthropicMessagesRequest) as unknown as Record<
      string,
      unknown
    >;
  } catch (error) {
    if (error instanceof GatewayHttpError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw GatewayErrors.invalidRequest(
      `The request could not be read as an Anthropic Messages request: ${detail}`,
    );
  }
}

/** Anthropic `{type:'error', error:{type, message}}` for a gateway error (503 → 529 overloaded). */
export function anthropicErrorResponse(error: GatewayHttpError): {
  status: number;
  body: AnthropicErrorBody;
} {
  return openAIErrorToAnthropic(error.status, { error: { message: error.message } });
}

/** One Anthropic SSE event on the wire. */
export function anthropicEvent(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The Anthropic Messages ingress (`POST …/v1/messages`): Claude Code and the Anthropic SDKs talk
 * to the same pipeline as OpenAI clients, whatever the upstream provider is.
 */
export const ANTHROPIC_MESSAGES_INGRESS: GatewayIngress = {
  endpoint: 'messages',
  rawDialect: 'anthropic',

  /** Never throws: the service calls it before its error handling starts. */
  prepare(raw) {
    try {
      return { body: anthropicBodyToOpenAI(raw) };
    } catch (error) {
      const readable = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const body: Record<string, unknown> = { stream: readable.stream === true };
      if (typeof readable.model === 'string') body.model = readable.model;
      return {
        body,
        error:
          error instanceof GatewayHttpError
            ? error
            : GatewayErrors.invalidRequest('The request is not a valid Anthropic Messages request.'),
      };
    }
  },

  renderJson(body, usage) {
    const response = body as unknown as OpenAIChatCompletionResponse;
    const upstreamUsage: OpenAIUsage = response.usage ?? {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    };
    const message: Record<string, unknown> = {
      ...openAIResponseToAnthropic({ ...response, usage: upstreamUsage }),
    };
    for (const field of EXTENSION_FIELDS) if (body[field] !== undefined) message[field] = body[field];
    return message;
  },

  wrapStream(processor, ctx) {
    return new AnthropicStreamProcessor(processor, ctx);
  },

  streamError(message) {
    return anthropicEvent(anthropicErrorBody(500, message));
  },

  errorResponse: anthropicErrorResponse,
};

/** `POST …/v1/messages`: Anthropic in, the chat pipeline behind it. */
export const ANTHROPIC_MESSAGES_ROUTE: IngressRoute = {
  endpoint: 'chat',
  ingress: ANTHROPIC_MESSAGES_INGRESS,
};

/**
 * Turns the OpenAI SSE text the {@link SseProcessor} lets through (complete events, the usage chunk
 * the ingress always asks for, `[DONE]`) into Anthropic events: `message_start` (then a `ping`),
 * content blocks with `text_delta` / `input_json_delta`, `message_delta` with the stop reason and
 * usage, `message_stop`; an upstream error event becomes an `error` event.
 */
export class AnthropicStreamProcessor implements IngressStreamProcessor {
  private readonly translator: OpenAIToAnthropicStreamTranslator;

  constructor(
    private readonly inner: SseProcessor,
    ctx: Pick<GatewayContext, 'estimatedInputTokens'>,
  ) {
    this.translator = new OpenAIToAnthropicStreamTranslator({ inputTokens: ctx.estimatedInputTokens });
  }

  get usage(): UpstreamUsage | undefined {
    return this.inner.usage;
  }

  get upstreamError(): string | undefined {
    return this.inner.upstreamError;
  }

  estimatedCompletionTokens(): number {
    return this.inner.estimatedCompletionTokens();
  }

  push(chunk: Uint8Array): string {
    return this.encode(this.inner.push(chunk));
  }

  finish(estimate: () => UpstreamUsage): string {
    return this.encode(this.inner.finish(estimate));
  }

  private encode(text: string): string {
    if (text === '') return '';
    let out = '';
    for (const block of text.split('\n\n')) {
      const data = block === '' ? undefined : dataOf(block);
      if (data === undefined) continue;
      let events: AnthropicStreamEvent[];
      if (data === '[DONE]') events = this.translator.end();
      else {
        let item: OpenAIStreamItem;
        try {
          item = JSON.parse(data) as OpenAIStreamItem;
        } catch {
          continue;
        }
        if (typeof item !== 'object' || item === null) continue;
        if (!('error' in item) && !Array.isArray((item as { choices?: unknown }).choices)) continue;
        events = this.translator.push(item);
      }
      for (const event of events) {
        out += anthropicEvent(event);
        if (event.type === 'message_start') out += anthropicEvent({ type: 'ping' });
      }
    }
    return out;
  }
}
