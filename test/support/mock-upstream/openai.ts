/** OpenAI chat completions and legacy completions (also served under Azure deployments). */
import { type Answer, type RequestInfo, type ToolDecl, toolCallId } from './answer';
import { type MockContext, send, SSE_TYPE, sseFrame, writeStream } from './context';
import { type HttpAnswer, openAiErrorObject, validationError } from './errors';
import {
  contentText,
  defaultCompletion,
  defaultReply,
  estimateTokens,
  splitArguments,
  splitText,
} from './text';
import type { Dialect } from './types';

const JSON_HEADERS = { 'content-type': 'application/json' };
const DEFAULT_CHUNK = 10;
const PER_MESSAGE_TOKENS = 3;

/** `model` from the body, or the Azure deployment when given. */
function modelOf(ctx: MockContext, deployment: string | undefined, dialect: Dialect): string | HttpAnswer {
  if (deployment !== undefined) return deployment;
  const model: unknown = ctx.body?.model;
  if (typeof model === 'string' && model.length > 0) return model;
  return validationError(dialect, 'you must provide a model parameter', 'model');
}

function chatTools(tools: unknown): ToolDecl[] {
  if (!Array.isArray(tools)) return [];
  const out: ToolDecl[] = [];
  for (const t of tools as { function?: { name?: unknown; parameters?: unknown } }[]) {
    if (typeof t?.function?.name === 'string')
      out.push({ name: t.function.name, parameters: t.function.parameters });
  }
  return out;
}

function maxTokensOf(body: Record<string, unknown>): number | undefined {
  const v = body.max_completion_tokens ?? body.max_tokens;
  return typeof v === 'number' ? v : undefined;
}

export function inspectChat(
  ctx: MockContext,
  dialect: Dialect,
  deployment?: string,
): RequestInfo | HttpAnswer {
  const model = modelOf(ctx, deployment, dialect);
  if (typeof model !== 'string') return model;
  const messages: unknown = ctx.body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return validationError(dialect, "Missing required parameter: 'messages'.", 'messages');
  }
  let chars = 0;
  let lastUser = '';
  for (const m of messages as { role?: unknown; content?: unknown; tool_calls?: unknown }[]) {
    const text = contentText(m?.content);
    chars += text.length;
    if (m?.role === 'user') lastUser = text;
    if (m?.tool_calls !== undefined) chars += JSON.stringify(m.tool_calls).length;
  }
  const tools = chatTools(ctx.body.tools);
  if (tools.length > 0) chars += JSON.stringify(ctx.body.tools).length;
  const stream = ctx.body.stream === true;
  return {
    model,
    stream,
    includeUsage: stream && ctx.body.stream_options?.include_usage === true,
    promptTokens: estimateTokens(chars) + PER_MESSAGE_TOKENS * messages.length,
    maxTokens: maxTokensOf(ctx.body),
    defaultText: defaultReply(model, lastUser),
    tools,
  };
}

function usageOf(a: Answer): Record<string, unknown> {
  return {
    prompt_tokens: a.promptTokens,
    completion_tokens: a.completionTokens,
    total_tokens: a.promptTokens + a.completionTokens,
    prompt_tokens_details: { cached_tokens: a.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function streamErrorFrame(): string {
  return sseFrame({ error: openAiErrorObject({ status: 500 }) });
}

export async function respondChat(ctx: MockContext, a: Answer, info: RequestInfo): Promise<void> {
  const id = `chatcmpl-mock${ctx.record.seq.toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  if (!info.stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: a.toolCalls.length > 0 && a.text === '' ? null : a.text,
      refusal: null,
      annotations: [],
    };
    if (a.toolCalls.length > 0) {
      message.tool_calls = a.toolCalls.map((c, i) => ({
        id: toolCallId(c, 'call_mock', ctx.record.seq, i),
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      }));
    }
    send(ctx, {
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: a.model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: a.finishReason }],
        usage: usageOf(a),
        service_tier: 'default',
        system_fingerprint: 'fp_mock',
      }),
    });
    return;
  }
  const size = a.stream.chunkChars ?? DEFAULT_CHUNK;
  const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(a.model)},"system_fingerprint":"fp_mock","choices":[{"index":0,"delta":`;
  const tail = info.includeUsage
    ? ',"logprobs":null,"finish_reason":null}],"usage":null}'
    : ',"logprobs":null,"finish_reason":null}]}';
  const chunk = (delta: unknown): string => `data: ${head}${JSON.stringify(delta)}${tail}\n\n`;
  const frames: string[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of splitText(a.text, size)) frames.push(chunk({ content: piece }));
  a.toolCalls.forEach((c, index) => {
    const tcId = toolCallId(c, 'call_mock', ctx.record.seq, index);
    frames.push(
      chunk({
        tool_calls: [{ index, id: tcId, type: 'function', function: { name: c.name, arguments: '' } }],
      }),
    );
    for (const piece of splitArguments(c.arguments, size)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  const finish = `"finish_reason":${JSON.stringify(a.finishReason)}}]`;
  frames.push(`data: ${head}{},"logprobs":null,${finish}${info.includeUsage ? ',"usage":null' : ''}}\n\n`);
  if (info.includeUsage) {
    frames.push(
      sseFrame({
        id,
        object: 'chat.completion.chunk',
        created,
        model: a.model,
        system_fingerprint: 'fp_mock',
        choices: [],
        usage: usageOf(a),
      }),
    );
  }
  frames.push('data: [DONE]\n\n');
  await writeStream(ctx, SSE_TYPE, frames, a.stream, streamErrorFrame);
}

export function inspectCompletion(
  ctx: MockContext,
  dialect: Dialect,
  deployment?: string,
): RequestInfo | HttpAnswer {
  const model = modelOf(ctx, deployment, dialect);
  if (typeof model !== 'string') return model;
  const raw: unknown = ctx.body.prompt;
  const prompt = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw.map(String).join('\n') : undefined;
  if (prompt === undefined)
    return validationError(dialect, "Missing required parameter: 'prompt'.", 'prompt');
  const suffix = typeof ctx.body.suffix === 'string' ? (ctx.body.suffix as string) : undefined;
  const stream = ctx.body.stream === true;
  return {
    model,
    stream,
    includeUsage: stream && ctx.body.stream_options?.include_usage === true,
    promptTokens: Math.max(1, estimateTokens(prompt.length + (suffix?.length ?? 0))),
    maxTokens: maxTokensOf(ctx.body),
    defaultText: defaultCompletion(model, prompt, suffix),
    tools: [],
  };
}

export async function respondCompletion(ctx: MockContext, a: Answer, info: RequestInfo): Promise<void> {
  const id = `cmpl-mock${ctx.record.seq.toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  const finish = a.finishReason === 'length' ? 'length' : 'stop';
  const usage = {
    prompt_tokens: a.promptTokens,
    completion_tokens: a.completionTokens,
    total_tokens: a.promptTokens + a.completionTokens,
  };
  const base = { id, object: 'text_completion', created, model: a.model };
  if (!info.stream) {
    send(ctx, {
      status: 200,
      headers: JSON_HEADERS,
      body: JSON.stringify({
        ...base,
        choices: [{ text: a.text, index: 0, logprobs: null, finish_reason: finish }],
        usage,
      }),
    });
    return;
  }
  const frames: string[] = [];
  const pieces = splitText(a.text, a.stream.chunkChars ?? DEFAULT_CHUNK);
  pieces.forEach((text, i) => {
    const finishReason = i === pieces.length - 1 ? finish : null;
    frames.push(
      sseFrame({ ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }] }),
    );
  });
  if (pieces.length === 0) {
    frames.push(
      sseFrame({ ...base, choices: [{ text: '', index: 0, logprobs: null, finish_reason: finish }] }),
    );
  }
  if (info.includeUsage) frames.push(sseFrame({ ...base, choices: [], usage }));
  frames.push('data: [DONE]\n\n');
  await writeStream(ctx, SSE_TYPE, frames, a.stream, streamErrorFrame);
}
