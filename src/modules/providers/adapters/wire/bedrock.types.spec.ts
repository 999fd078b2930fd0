import type {
  ConverseCommandInput,
  ConverseCommandOutput,
  ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';

import { openAIRequestToConverse } from '../bedrock/translate/openai-request-to-converse';
import type { ConverseRequest, ConverseResponse, ConverseStreamEvent } from './bedrock.types';

/** Compile-time contract with the AWS SDK (checked by `npm run typecheck`), plus a runtime smoke test. */
describe('Bedrock wire types and the AWS SDK', () => {
  it('a translated request can be passed to ConverseCommand as is', () => {
    const request: ConverseRequest = openAIRequestToConverse({
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      max_tokens: 10,
    });
    const input: ConverseCommandInput = request;
    expect(input.modelId).toBe('anthropic.claude-3-5-sonnet-20240620-v1:0');
  });

  it('SDK responses and stream events are read through the plain shapes', () => {
    const fromSdk = (output: ConverseCommandOutput): ConverseResponse => output as ConverseResponse;
    const eventFromSdk = (event: ConverseStreamOutput): ConverseStreamEvent => event as ConverseStreamEvent;
    expect(eventFromSdk({ messageStart: { role: 'assistant' } })).toEqual({
      messageStart: { role: 'assistant' },
    });
    expect(typeof fromSdk).toBe('function');
  });
});
