/** AWS Bedrock runtime (Converse, ConverseStream, InvokeModel embeddings) and control plane lists. */
import { type Answer, type RequestInfo, type ToolDecl, toolCallId } from './answer';
import { type MockContext, send, sendJson, writeStream } from './context';
import { type HttpAnswer, validationError } from './errors';
import { encodeEvent, encodeException, EVENT_STREAM_TYPE } from './eventstream';
import { PromptWalker } from './prompt-cache';
import { contentText, defaultReply, embeddingFor, estimateTokens, splitArguments, splitText } from './text';
import type { FinishReason } from './types';

const DEFAULT_CHUNK = 10;

const STOP_REASONS: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'content_filtered',
};

export function modelIdOf(ctx: MockContext): string {
  const raw = ctx.params[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

interface ContentBlock {
  text?: unknown;
  toolUse?: { input?: unknown };
  toolResult?: { content?: { text?: unknown; json?: unknown }[] };
  cachePoint?: unknown;
}

function blockText(block: ContentBlock): string {
  if (typeof block.text === 'string') return block.text;
  if (block.toolUse) return JSON.stringify(block.toolUse.input ?? {});
  if (Array.isArray(block.toolResult?.content)) {
    return block.toolResult.content
      .map((c) => (typeof c.text === 'string' ? c.text : JSON.stringify(c.json ?? '')))
      .join('');
  }
  return '';
}

export function inspectConverse(ctx: MockContext, stream: boolean): RequestInfo | HttpAnswer {
  const model = modelIdOf(ctx);
  const b = ctx.body as Record<string, unknown>;
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return validationError(
      'bedrock',
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  const walker = new PromptWalker();
  const tools: ToolDecl[] = [];
  const toolConfig = b.toolConfig as
    { tools?: { toolSpec?: { name?: unknown; inputSchema?: { json?: unknown } } }[] } | undefined;
  for (const t of toolConfig?.tools ?? []) {
    if (typeof t.toolSpec?.name === 'string') {
      tools.push({ name: t.toolSpec.name, parameters: t.toolSpec.inputSchema?.json });
      walker.add(JSON.stringify(t.toolSpec));
    }
  }
  const addBlocks = (blocks: unknown): void => {
    if (!Array.isArray(blocks)) return;
    for (const block of blocks as ContentBlock[]) {
      if (block?.cachePoint) walker.mark();
      else if (block) walker.add(blockText(block));
    }
  };
  addBlocks(b.system);
  let lastUser = '';
  for (const m of b.messages as { role?: unknown; content?: unknown }[]) {
    addBlocks(m?.content);
    if (m?.role === 'user') lastUser = contentText(m.content);
  }
  const maxTokens = (b.inferenceConfig as { maxTokens?: unknown } | undefined)?.maxTokens;
  return {
    model,
    stream,
    includeUsage: true,
    promptTokens: estimateTokens(walker.chars) + 3 * b.messages.length,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    defaultText: defaultReply(model, lastUser),
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

function usageOf(a: Answer): Record<string, number> {
  const input = Math.max(0, a.promptTokens - a.cacheCreationTokens - a.cacheReadTokens);
  const usage: Record<string, number> = {
    inputTokens: input,
    outputTokens: a.completionTokens,
    totalTokens: input + a.completionTokens + a.cacheCreationTokens + a.cacheReadTokens,
  };
  if (a.cacheReadTokens > 0) usage.cacheReadInputTokens = a.cacheReadTokens;
  if (a.cacheCreationTokens > 0) usage.cacheWriteInputTokens = a.cacheCreationTokens;
  return usage;
}

export async function respondConverse(ctx: MockContext, a: Answer, info: RequestInfo): Promise<void> {
  const withText = a.text !== '' || a.toolCalls.length === 0;
  const ids = a.toolCalls.map((c, i) => toolCallId(c, 'tooluse_mock', ctx.record.seq, i));
  const latencyMs = Math.max(1, Date.now() - ctx.record.timestamp);
  if (!info.stream) {
    const content: unknown[] = withText ? [{ text: a.text }] : [];
    a.toolCalls.forEach((c, i) =>
      content.push({ toolUse: { toolUseId: ids[i], name: c.name, input: parseInput(c.arguments) } }),
    );
    sendJson(ctx, 200, {
      output: { message: { role: 'assistant', content } },
      stopReason: STOP_REASONS[a.finishReason],
      usage: usageOf(a),
      metrics: { latencyMs },
    });
    return;
  }
  const size = a.stream.chunkChars ?? DEFAULT_CHUNK;
  const frames: Buffer[] = [encodeEvent('messageStart', { role: 'assistant' })];
  let index = 0;
  if (withText) {
    for (const text of splitText(a.text, size)) {
      frames.push(encodeEvent('contentBlockDelta', { contentBlockIndex: index, delta: { text } }));
    }
    frames.push(encodeEvent('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  a.toolCalls.forEach((c, i) => {
    frames.push(
      encodeEvent('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: ids[i], name: c.name } },
      }),
    );
    for (const input of splitArguments(c.arguments, size)) {
      frames.push(
        encodeEvent('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }),
      );
    }
    frames.push(encodeEvent('contentBlockStop', { contentBlockIndex: index }));
    index++;
  });
  frames.push(encodeEvent('messageStop', { stopReason: STOP_REASONS[a.finishReason] }));
  frames.push(encodeEvent('metadata', { usage: usageOf(a), metrics: { latencyMs } }));
  await writeStream(ctx, EVENT_STREAM_TYPE, frames, a.stream, () =>
    encodeException('modelStreamErrorException', 'The model stream failed. Please try again.'),
  );
}

/** InvokeModel for embedding models: Titan (`inputText`) and Cohere (`texts`). */
export function inspectInvoke(ctx: MockContext): RequestInfo | HttpAnswer {
  const model = modelIdOf(ctx);
  const b = ctx.body as Record<string, unknown>;
  let texts: string[];
  if (typeof b.inputText === 'string') texts = [b.inputText];
  else if (Array.isArray(b.texts)) texts = (b.texts as unknown[]).map(String);
  else
    return validationError(
      'bedrock',
      'Malformed input request: the mock supports Titan (inputText) and Cohere (texts) embeddings.',
    );
  const chars = texts.reduce((n, t) => n + t.length, 0);
  return {
    model,
    stream: false,
    includeUsage: false,
    promptTokens: Math.max(1, estimateTokens(chars)),
    maxTokens: undefined,
    defaultText: '',
    tools: [],
  };
}

export function respondInvoke(ctx: MockContext, info: RequestInfo): void {
  const b = ctx.body as Record<string, unknown>;
  const dims = typeof b.dimensions === 'number' ? b.dimensions : ctx.state.options.embeddingDimensions;
  if (Array.isArray(b.texts)) {
    const texts = (b.texts as unknown[]).map(String);
    const vectors = texts.map((t) => embeddingFor(t, dims));
    const byType = Array.isArray(b.embedding_types);
    sendJson(ctx, 200, {
      id: `mock-${ctx.record.seq}`,
      embeddings: byType ? { float: vectors } : vectors,
      texts,
      response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
    });
    return;
  }
  send(ctx, {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'x-amzn-bedrock-input-token-count': String(info.promptTokens),
    },
    body: JSON.stringify({
      embedding: embeddingFor(String(b.inputText), dims),
      inputTextTokenCount: info.promptTokens,
    }),
  });
}

/** `GET /foundation-models` (ListFoundationModels). */
export function foundationModelsBody(models: readonly string[]): string {
  return JSON.stringify({
    modelSummaries: models.map((modelId) => {
      const embed = /embed/i.test(modelId);
      return {
        modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`,
        modelId,
        modelName: modelId,
        providerName: modelId.split('.')[0] ?? 'mock',
        inputModalities: ['TEXT'],
        outputModalities: [embed ? 'EMBEDDING' : 'TEXT'],
        responseStreamingSupported: !embed,
        customizationsSupported: [],
        inferenceTypesSupported: ['ON_DEMAND'],
        modelLifecycle: { status: 'ACTIVE' },
      };
    }),
  });
}

/** `GET /inference-profiles` (ListInferenceProfiles): a cross-region profile per text model. */
export function inferenceProfilesBody(models: readonly string[]): string {
  const created = '2024-08-01T00:00:00Z';
  return JSON.stringify({
    inferenceProfileSummaries: models
      .filter((m) => !/embed/i.test(m))
      .map((modelId) => ({
        inferenceProfileName: `US ${modelId}`,
        inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${modelId}`,
        inferenceProfileId: `us.${modelId}`,
        description: `Routes requests to ${modelId} in US regions`,
        createdAt: created,
        updatedAt: created,
        status: 'ACTIVE',
        type: 'SYSTEM_DEFINED',
        models: [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}` }],
      })),
  });
}
