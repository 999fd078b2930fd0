import type { Dialect } from './types';

/** A complete non-stream HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ErrorSpec {
  status: number;
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
  retryAfter?: number;
  retryAfterMs?: number;
  headers?: Record<string, string>;
}

const JSON_TYPE = 'application/json';

const OPENAI_DEFAULTS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'permission_error', code: null, message: 'You are not allowed to use this model.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: {
    type: 'server_error',
    code: 'service_unavailable',
    message: 'The engine is currently overloaded, please try again later.',
  },
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const BEDROCK_EXCEPTIONS: Record<number, { name: string; message: string }> = {
  400: { name: 'ValidationException', message: 'The provided request is not valid.' },
  403: {
    name: 'AccessDeniedException',
    message: "You don't have access to the model with the specified model ID.",
  },
  404: { name: 'ResourceNotFoundException', message: 'The requested resource could not be found.' },
  408: { name: 'ModelTimeoutException', message: 'Model has timed out in processing the request.' },
  424: { name: 'ModelErrorException', message: 'The model returned an error.' },
  429: { name: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  500: { name: 'InternalServerException', message: 'The server encountered an internal error.' },
  503: { name: 'ServiceUnavailableException', message: 'The service is temporarily unavailable.' },
};

export function bedrockExceptionName(status: number): string {
  return (BEDROCK_EXCEPTIONS[status] ?? BEDROCK_EXCEPTIONS[500]!).name;
}

export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Body of an OpenAI-shaped error (also used for SSE error events). */
export function openAiErrorObject(spec: ErrorSpec): Record<string, unknown> {
  const d = OPENAI_DEFAULTS[spec.status] ?? OPENAI_DEFAULTS[spec.status >= 500 ? 500 : 400]!;
  return {
    message: spec.message ?? d.message,
    type: spec.type ?? d.type,
    param: spec.param ?? null,
    code: spec.code === undefined ? d.code : spec.code,
  };
}

export function renderError(dialect: Dialect, spec: ErrorSpec): HttpAnswer {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE, ...spec.headers };
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  if (spec.retryAfterMs !== undefined) headers['retry-after-ms'] = String(spec.retryAfterMs);
  let body: unknown;
  switch (dialect) {
    case 'anthropic':
      body = {
        type: 'error',
        error: { type: spec.type ?? anthropicErrorType(spec.status), message: spec.message ?? 'Error' },
      };
      break;
    case 'bedrock': {
      const d = BEDROCK_EXCEPTIONS[spec.status] ?? BEDROCK_EXCEPTIONS[spec.status >= 500 ? 500 : 400]!;
      const name = spec.type ?? d.name;
      headers['x-amzn-errortype'] = `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`;
      headers['x-amzn-requestid'] = 'mock-request-id';
      body = { message: spec.message ?? d.message };
      break;
    }
    case 'azure':
      if (spec.status === 401 || spec.status === 429) {
        body = {
          error: { code: spec.code ?? String(spec.status), message: spec.message ?? azureMessage(spec) },
        };
        break;
      }
      body = { error: openAiErrorObject(spec) };
      break;
    case 'openai':
    case 'ollama':
      body = { error: openAiErrorObject(spec) };
      break;
  }
  return { status: spec.status, headers, body: JSON.stringify(body) };
}

function azureMessage(spec: ErrorSpec): string {
  if (spec.status === 401) {
    return 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
  }
  const seconds = spec.retryAfter ?? 1;
  return `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2025-04-01-preview have exceeded token rate limit of your current tier. Please retry after ${seconds} second.`;
}

export function authError(dialect: Dialect): HttpAnswer {
  switch (dialect) {
    case 'anthropic':
      return renderError(dialect, { status: 401, message: 'invalid x-api-key' });
    case 'bedrock':
      return renderError(dialect, {
        status: 403,
        type: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
    case 'azure':
      return renderError(dialect, { status: 401 });
    case 'openai':
    case 'ollama':
      return renderError(dialect, {
        status: 401,
        message:
          'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      });
  }
}

export function contextOverflowError(
  dialect: Dialect,
  model: string,
  window: number,
  promptTokens: number,
  maxTokens: number | undefined,
): HttpAnswer {
  const overByPrompt = promptTokens > window;
  switch (dialect) {
    case 'anthropic':
      return renderError(dialect, {
        status: 400,
        message: overByPrompt
          ? `prompt is too long: ${promptTokens} tokens > ${window} maximum`
          : `input length and \`max_tokens\` exceed context limit: ${promptTokens} + ${maxTokens ?? 0} > ${window}, decrease input length or \`max_tokens\` and try again`,
      });
    case 'bedrock':
      return renderError(dialect, {
        status: 400,
        message: /anthropic|claude/i.test(model)
          ? `The model returned the following errors: prompt is too long: ${promptTokens + (overByPrompt ? 0 : (maxTokens ?? 0))} tokens > ${window} maximum`
          : 'Input is too long for requested model.',
      });
    case 'azure':
    case 'openai':
    case 'ollama':
      return renderError(dialect, {
        status: 400,
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
        param: 'messages',
        message: overByPrompt
          ? `This model's maximum context length is ${window} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
          : `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens + (maxTokens ?? 0)} tokens (${promptTokens} in the messages, ${maxTokens ?? 0} in the completion). Please reduce the length of the messages or completion.`,
      });
  }
}

export function maxOutputError(
  dialect: Dialect,
  model: string,
  requested: number,
  limit: number,
): HttpAnswer {
  switch (dialect) {
    case 'anthropic':
      return renderError(dialect, {
        status: 400,
        message: `max_tokens: ${requested} > ${limit}, which is the maximum allowed number of output tokens for ${model}`,
      });
    case 'bedrock':
      return renderError(dialect, {
        status: 400,
        message: `The maximum tokens you requested exceeds the model limit of ${limit}. Try again with a maximum tokens value that is lower than ${limit}.`,
      });
    case 'azure':
    case 'openai':
    case 'ollama':
      return renderError(dialect, {
        status: 400,
        code: 'invalid_value',
        param: 'max_tokens',
        message: `max_tokens is too large: ${requested}. This model supports at most ${limit} completion tokens, whereas you provided ${requested}.`,
      });
  }
}

export function validationError(dialect: Dialect, message: string, param?: string): HttpAnswer {
  return renderError(dialect, { status: 400, message, param: param ?? null });
}
