import { Injectable } from '@nestjs/common';

import { ProviderAdapterRegistry } from '../../providers/adapters/provider-adapter';
import { ProviderCatalog } from '../../providers/provider-catalog.service';
import { RoutingInputError, RoutingLlmError } from '../dry-run/routing-tools.errors';
import { firstChoiceText } from '../engine/model-answer';

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
    const text = firstChoiceText(answer.body);
    if (text === undefined || text.trim() === '') throw new RoutingLlmError('The model gave an empty answer');
    return text;
  }
}
