/** The Responses API (`/openai/responses` on Azure, `/v1/responses` on OpenAI): JSON and event stream. */
import { type Answer, type RequestInfo, type ToolDecl, toolCallId } from './answer';
import { type MockContext, send, SSE_TYPE, sseFrame, writeStream } from './context';
import { type HttpAnswer, validationError } from './errors';
import { contentText, defaultReply, estimateTokens, splitArguments, splitText } from './text';
import type { Dialect } from './types';

const DEFAULT_CHUNK = 10;

function responsesTools(tools: unknown): ToolDecl[] {
  if (!Array.isArray(tools)) return [];
  const out: ToolDecl[] = [];
  for (const t of tools as { type?: unknown; name?: unknown; parameters?: unknown }[]) {
    if (t?.type === 'function' && typeof t.name === 'string')
      out.push({ name: t.name, parameters: t.parameters });
  }
  return out;
}

export function inspectResponses(ctx: MockContext, dialect: Dialect): RequestInfo | HttpAnswer {
  const model: unknown = ctx.body.model;
  if (typeof model !== 'string' || !model)
    return validationError(dialect, "Missing required parameter: 'model'.", 'model');
  const input: unknown = ctx.body.input;
  let chars = typeof ctx.body.instructions === 'string' ? (ctx.body.instructions as string).length : 0;
  let lastUser = '';
  let items = 1;
  if (typeof input === 'string') {
    chars += input.length;
    lastUser = input;
  } else if (Array.isArray(input) && input.length > 0) {
    items = input.length;
    for (const item of input as {
      role?: unknown;
      content?: unknown;
      output?: unknown;
      arguments?: unknown;
    }[]) {
      const text = contentText(item?.content) + (typeof item?.output === 'string' ? item.output : '');
      chars += text.length + (typeof item?.arguments === 'string' ? item.arguments.length : 0);
      if (item?.role === 'user') lastUser = text;
    }
  } else {
    return validationError(dialect, "Missing required parameter: 'input'.", 'input');
  }
  const tools = responsesTools(ctx.body.tools);
  if (tools.length > 0) chars += JSON.stringify(ctx.body.tools).length;
  const max: unknown = ctx.body.max_output_tokens;
  return {
    model,
    stream: ctx.body.stream === true,
    includeUsage: true,
    promptTokens: estimateTokens(chars) + 3 * items,
    maxTokens: typeof max === 'number' ? max : undefined,
    defaultText: defaultReply(model, lastUser),
    tools,
  };
}

interface OutputItem {
  id: string;
  type: 'message' | 'function_call';
  [key: string]: unknown;
}

function outputItems(ctx: MockContext, a: Answer): OutputItem[] {
  const seq = ctx.record.seq.toString(36);
  const items: OutputItem[] = [];
  if (a.text !== '' || a.toolCalls.length === 0) {
    items.push({
      id: `msg_mock${seq}`,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: a.text, annotations: [], logprobs: [] }],
    });
  }
  a.toolCalls.forEach((c, i) => {
    items.push({
      id: `fc_mock${seq}x${i}`,
      type: 'function_call',
      status: 'completed',
      call_id: toolCallId(c, 'call_mock', ctx.record.seq, i),
      name: c.name,
      arguments: c.arguments,
    });
  });
  return items;
}

function responseObject(
  ctx: MockContext,
  a: Answer,
  output: OutputItem[],
  done: boolean,
): Record<string, unknown> {
  const incomplete = a.finishReason === 'length';
  return {
    id: `resp_mock${ctx.record.seq.toString(36)}`,
    object: 'response',
    created_at: Math.floor(ctx.record.timestamp / 1000),
    status: done ? (incomplete ? 'incomplete' : 'completed') : 'in_progress',
    error: null,
    incomplete_details: done && incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: ctx.body.instructions ?? null,
    max_output_tokens: ctx.body.max_output_tokens ?? null,
    model: a.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: ctx.body.tool_choice ?? 'auto',
    tools: ctx.body.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: done
      ? {
          input_tokens: a.promptTokens,
          input_tokens_details: { cached_tokens: a.cachedTokens },
          output_tokens: a.completionTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: a.promptTokens + a.completionTokens,
        }
      : null,
    metadata: {},
  };
}

export async function respondResponses(ctx: MockContext, a: Answer, info: RequestInfo): Promise<void> {
  const items = outputItems(ctx, a);
  if (!info.stream) {
    send(ctx, {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(responseObject(ctx, a, items, true)),
    });
    return;
  }
  const size = a.stream.chunkChars ?? DEFAULT_CHUNK;
  let sequence = 0;
  const frames: string[] = [];
  const event = (type: string, data: Record<string, unknown>): void => {
    frames.push(sseFrame({ type, sequence_number: sequence++, ...data }, type));
  };
  event('response.created', { response: responseObject(ctx, a, [], false) });
  event('response.in_progress', { response: responseObject(ctx, a, [], false) });
  items.forEach((item, output_index) => {
    if (item.type === 'message') {
      const item_id = item.id;
      const part = { type: 'output_text', text: '', annotations: [] };
      event('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', content: [] },
      });
      event('response.content_part.added', { item_id, output_index, content_index: 0, part });
      for (const delta of splitText(a.text, size)) {
        event('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
      }
      event('response.output_text.done', {
        item_id,
        output_index,
        content_index: 0,
        text: a.text,
        logprobs: [],
      });
      event('response.content_part.done', {
        item_id,
        output_index,
        content_index: 0,
        part: { ...part, text: a.text },
      });
    } else {
      const args = String(item.arguments);
      event('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of splitArguments(args, size)) {
        event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta });
      }
      event('response.function_call_arguments.done', { item_id: item.id, output_index, arguments: args });
    }
    event('response.output_item.done', { output_index, item });
  });
  const final = responseObject(ctx, a, items, true);
  event(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  await writeStream(ctx, SSE_TYPE, frames, a.stream, () =>
    sseFrame(
      {
        type: 'error',
        sequence_number: sequence,
        code: 'server_error',
        message: 'The server had an error processing your request.',
        param: null,
      },
      'error',
    ),
  );
}
