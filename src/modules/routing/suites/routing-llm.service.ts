import { Injectable } from '@nestjs/common';

import { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import { ProviderCatalog } from '../../providers/provider-catalog.service';
import { RoutingInputError, RoutingLlmError } from '../dry-run/routing-tools.errors';

const CALL_TIMEOUT_MS = 90_000;

/** One admin-initiated LLM call (case generation, run evaluation) through the provider adapters. */
@Injectable()
export class RoutingLlm {
  constructor(
    private readonly providers: ProviderCatalog,
    private readonly adapters: ProviderAdapterRegistry,
  ) {}

  async complete(options: {
    provider: string;
    model: string;
    system: string;
    user: string;
    maxTokens: number;
  }): Promise<string> {
    const provider = this.providers.resolveProvider(options.provider);
    if (!provider)
      throw new RoutingInputError(`Provider ${options.provider} not found`, { field: 'provider' });
    let answer;
    try {
      answer = await this.adapters.get(provider.type).chat(
        provider,
        {
          model: options.model,
          messages: [
            { role: 'system', content: options.system },
            { role: 'user', content: options.user },
          ],
          max_tokens: options.maxTokens,
          temperature: 0.2,
        },
        { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
      );
    } catch (error) {
      throw new RoutingLlmError(`The model call failed: ${(error as Error).message}`.slice(0, 500));
    }
    if (answer.status >= 400) {
      throw new RoutingLlmError(`The provider answered with HTTP ${answer.status}`);
    }
    const choices = answer.body.choices as { message?: { content?: unknown } }[] | undefined;
    const text = choices?.[0]?.message?.content;
    if (typeof text !== 'string' || text.trim() === '')
      throw new RoutingLlmError('The model gave an empty answer');
    return text;
  }
}

/**
 * The JSON value of a model's answer: a fenced block, else the outermost `{…}` or `[…]` (whichever opens first);
 * trailing commas are forgiven. Undefined when nothing parses.
 */
export function parseLlmJson(text: string): unknown {
  const candidates: string[] = [];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1]);
  candidates.push(text);
  for (const candidate of candidates) {
    // The outer value is whichever bracket opens first (an object may contain arrays and vice versa).
    const brace = candidate.indexOf('{');
    const bracket = candidate.indexOf('[');
    const pairs: (readonly [string, string])[] =
      bracket !== -1 && (brace === -1 || bracket < brace)
        ? [
            ['[', ']'],
            ['{', '}'],
          ]
        : [
            ['{', '}'],
            ['[', ']'],
          ];
    for (const [open, close] of pairs) {
      const start = candidate.indexOf(open);
      const end = candidate.lastIndexOf(close);
      if (start === -1 || end <= start) continue;
      const slice = candidate.slice(start, end + 1);
      for (const attempt of [slice, slice.replace(/,\s*([}\]])/g, '$1')]) {
        try {
          return JSON.parse(attempt) as unknown;
        } catch {
          // next
        }
      }
    }
  }
  return undefined;
}
