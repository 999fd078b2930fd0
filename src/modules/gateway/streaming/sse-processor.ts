import { StringDecoder } from 'node:string_decoder';

import { openAIErrorBody } from '../../../core/http/error-shapes';
import type { UpstreamUsage } from '../../providers/adapters/provider-adapter';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const ERROR_EVENT = /^data:\s*\{\s*"error"/m;
const TEXT_FIELD = /"(?:content|text|arguments|reasoning_content|reasoning)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export interface SseProcessorOptions {
  /** The client asked for `stream_options.include_usage`: keep (and decorate) the usage chunk. */
  clientWantsUsage: boolean;
  /** Extra fields for the final usage chunk (e.g. `cost_info`), computed from the usage. */
  decorateUsage?: (usage: UpstreamUsage) => Record<string, unknown> | undefined;
}

/**
 * Passes an upstream's OpenAI SSE stream through event by event. Complete events go out as they
 * arrive; only the final usage chunk, error events and `[DONE]` are looked at closely. It captures
 * the usage (requested upstream with `include_usage`), drops the usage-only chunk when the client
 * did not ask for it, adds `cost_info` to it when the client did, counts streamed text for an
 * estimate when the provider reports no usage, and always ends the stream with `[DONE]`.
 */
export class SseProcessor {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private textChars = 0;
  private template: Record<string, unknown> | undefined;
  usage: UpstreamUsage | undefined;
  /** Message of an error event the upstream sent inside the stream. */
  upstreamError: string | undefined;
  sawDone = false;

  constructor(private readonly options: SseProcessorOptions) {}

  /** Text to send for this upstream chunk (possibly empty while an event is incomplete). */
  push(chunk: Uint8Array): string {
    let text = this.decoder.write(chunk);
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    this.pending += text;
    const end = this.pending.lastIndexOf('\n\n');
    if (end < 0) return '';
    const complete = this.pending.slice(0, end + 2);
    this.pending = this.pending.slice(end + 2);
    return this.process(complete);
  }

  /** What is left after the upstream ended normally, a synthesised usage chunk if needed, and `[DONE]`. */
  finish(estimate: () => UpstreamUsage): string {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    let out = rest.trim() ? this.process(rest.replace(/\n*$/, '\n\n')) : '';
    if (!this.usage) {
      this.usage = estimate();
      if (this.options.clientWantsUsage) {
        const chunk = {
          ...this.template,
          choices: [],
          usage: this.usage,
          ...this.options.decorateUsage?.(this.usage),
        };
        out += `data: ${JSON.stringify(chunk)}\n\n`;
      }
    }
    return out + 'data: [DONE]\n\n';
  }

  /** Completion tokens estimated from the streamed text (when the upstream sent no usage). */
  estimatedCompletionTokens(): number {
    return Math.ceil(this.textChars / 4);
  }

  private process(block: string): string {
    TEXT_FIELD.lastIndex = 0;
    for (let m = TEXT_FIELD.exec(block); m; m = TEXT_FIELD.exec(block))
      this.textChars += (m[1] as string).length;
    if (!this.template) this.captureTemplate(block);
    if (!USAGE_OBJECT.test(block) && !block.includes('[DONE]') && !ERROR_EVENT.test(block)) return block;
    let out = '';
    for (const event of block.split('\n\n')) {
      if (!event.trim()) continue;
      const data = dataOf(event);
      if (data === '[DONE]') {
        this.sawDone = true;
        continue;
      }
      if (data !== undefined && ERROR_EVENT.test(event)) this.captureError(data);
      if (data !== undefined && USAGE_OBJECT.test(data)) {
        const replaced = this.handleUsage(data);
        if (replaced !== undefined) {
          out += replaced;
          continue;
        }
      }
      out += event + '\n\n';
    }
    return out;
  }

  /** Returns the text to send instead of the event ('' = drop), or undefined to pass it on. */
  private handleUsage(data: string): string | undefined {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const usage = parsed.usage as Partial<UpstreamUsage> | null | undefined;
    if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
    this.usage = {
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0,
      total_tokens:
        typeof usage.total_tokens === 'number'
          ? usage.total_tokens
          : usage.prompt_tokens + (typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0),
    };
    const usageOnly = !Array.isArray(parsed.choices) || parsed.choices.length === 0;
    if (!usageOnly) return undefined;
    if (!this.options.clientWantsUsage) return '';
    const extra = this.options.decorateUsage?.(this.usage);
    return extra ? `data: ${JSON.stringify({ ...parsed, ...extra })}\n\n` : undefined;
  }

  private captureError(data: string): void {
    try {
      const parsed = JSON.parse(data) as { error?: { message?: unknown } | string };
      const error = parsed.error;
      const message = typeof error === 'string' ? error : error?.message;
      this.upstreamError = typeof message === 'string' ? message : 'upstream error';
    } catch {
      this.upstreamError = 'upstream error';
    }
  }

  /** id/object/created/model of the first chunk, reused for a synthesised usage chunk. */
  private captureTemplate(block: string): void {
    const first = block.split('\n\n')[0];
    const data = first === undefined ? undefined : dataOf(first);
    if (!data || data === '[DONE]') return;
    try {
      const parsed = JSON.parse(data) as Record<string, unknown>;
      this.template = { id: parsed.id, object: parsed.object, created: parsed.created, model: parsed.model };
    } catch {
      // Not JSON: no template; a synthesised chunk then carries only choices and usage.
    }
  }
}

/** The joined `data:` lines of one SSE event, or undefined when it has none (comments, pings). */
export function dataOf(event: string): string | undefined {
  let data: string | undefined;
  for (const line of event.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}

/** An OpenAI-style error event ending a stream the gateway could not finish. */
export function errorEvent(message: string, code = 'stream_interrupted'): string {
  return `data: ${JSON.stringify(openAIErrorBody(message, 'upstream_error', code))}\n\n`;
}
