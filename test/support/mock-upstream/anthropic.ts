/** Anthropic Messages API: JSON answers and the named-event SSE stream. */
import { type Answer, type RequestInfo, type ToolDecl, toolCallId } from './answer';
import { type MockContext, send, SSE_TYPE, sseFrame, writeStream } from './context';
import { type HttpAnswer, validationError } from './errors';
import { PromptWalker } from './prompt-cache';
import { contentText, defaultReply, estimateTokens, splitArguments, splitText } from './text';
import type { FinishReason } from './types';

const DEFAULT_CHUNK = 10;

const STOP_REASONS: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

interface Block {
  type?: unknown;
  text?: unknown;
  content?: unknown;
  input?: unknown;
  cache_control?: unknown;
}

export function inspectMessages(ctx: MockContext): RequestInfo | HttpAnswer {
  const b = ctx.body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return validationError('anthropic', 'model: Field required');
  if (typeof b.max_tokens !== 'number') return validationError('anthropic', 'max_tokens: Field required');
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return validationError('anthropic', 'messages: at least one message is required');
  }
  const walker = new PromptWalker();
  const tools: ToolDecl[] = [];
  if (Array.isArray(b.tools)) {
    for (const t of b.tools as { name?: unknown; input_schema?: unknown; cache_control?: unknown }[]) {
      if (typeof t?.name !== 'string') continue;
      tools.push({ name: t.name, parameters: t.input_schema });
      walker.add(JSON.stringify(t), t.cache_control);
    }
  }
  if (typeof b.system === 'string') walker.add(b.system, undefined);
  else if (Array.isArray(b.system))
    for (const s of b.system as Block[]) walker.add(contentText([s]), s?.cache_control);
  let lastUser = '';
  for (const m of b.messages as { role?: unknown; content?: unknown }[]) {
    if (Array.isArray(m?.content)) {
      for (const block of m.content as Block[]) {
        const text = block?.type === 'tool_use' ? JSON.stringify(block.input ?? {}) : contentText([block]);
        walker.add(text, block?.cache_control);
      }
    } else {
      walker.add(contentText(m?.content), undefined);
    }
    if (m?.role === 'user') lastUser = contentText(m.content);
  }
  return {
    model: b.model,
    stream: b.stream === true,
    includeUsage: true,
    promptTokens: estimateTokens(walker.chars) + 3 * b.messages.length,
    maxTokens: b.max_tokens,
    defaultText: defaultReply(b.model, lastUser),
    tools,
    cachePrefix: walker.cachePrefix(),
  };
}

function parseInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}

function usageOf(a: Answer): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, a.promptTokens - a.cacheCreationTokens - a.cacheReadTokens),
    cache_creation_input_tokens: a.cacheCreationTokens,
    cache_read_input_tokens: a.cacheReadTokens,
    output_tokens: a.completionTokens,
    service_tier: 'standard',
  };
}

export async function respondMessages(ctx: MockContext, a: Answer, info: RequestInfo): Promise<void> {
  const id = `msg_mock${ctx.record.seq.toString(36)}`;
  const withText = a.text !== '' || a.toolCalls.length === 0;
  const toolIds = a.toolCalls.map((c, i) => toolCallId(c, 'toolu_mock', ctx.record.seq, i));
  const stopReason = STOP_REASONS[a.finishReason];
  if (!info.stream) {
    const content: unknown[] = withText ? [{ type: 'text', text: a.text }] : [];
    a.toolCalls.forEach((c, i) =>
      content.push({ type: 'tool_use', id: toolIds[i], name: c.name, input: parseInput(c.arguments) }),
    );
    send(ctx, {
      status: 200,
      headers: { 'content-type': 'application/json', 'request-id': `req_mock${ctx.record.seq}` },
      body: JSON.stringify({
        id,
        type: 'message',
        role: 'assistant',
        model: a.model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: usageOf(a),
      }),
    });
    return;
  }
  const size = a.stream.chunkChars ?? DEFAULT_CHUNK;
  const frames: string[] = [];
  const event = (type: string, data: Record<string, unknown>): void => {
    frames.push(sseFrame({ type, ...data }, type));
  };
  event('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: a.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usageOf(a), output_tokens: 1 },
    },
  });
  event('ping', {});
  let index = 0;
  if (withText) {
    event('content_block_start', { index, content_block: { type: 'text', text: '' } });
    for (const text of splitText(a.text, size)) {
      event('content_block_delta', { index, delta: { type: 'text_delta', text } });
    }
    event('content_block_stop', { index });
    index++;
  }
  a.toolCalls.forEach((c, i) => {
    event('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: toolIds[i], name: c.name, input: {} },
    });
    for (const partial_json of splitArguments(c.arguments, size)) {
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
    }
    event('content_block_stop', { index });
    index++;
  });
  event('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: a.completionTokens },
  });
  event('message_stop', {});
  await writeStream(ctx, SSE_TYPE, frames, a.stream, () =>
    sseFrame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error'),
  );
}
