import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import OpenAI from 'openai';

import { listenOnRandomPort, startTestApp } from './support/app';
import { publishConfig, seedProvider, seedTenant, type SeededTenant } from './support/gateway';
import { type MockUpstream, replies, startMockUpstream } from './support/mock-upstream';

describe('gateway: chat completions through the OpenAI SDK', () => {
  let app: NestFastifyApplication;
  let mock: MockUpstream;
  let baseUrl: string;
  let tenant: SeededTenant;

  beforeAll(async () => {
    mock = await startMockUpstream();
    app = await startTestApp({ NODE_ROLE: 'worker' });
    baseUrl = await listenOnRandomPort(app);
    const provider = await seedProvider(app, mock.url, [
      { id: 'gpt-4o-mini', inputPer1M: 0.15, outputPer1M: 0.6 },
    ]);
    tenant = await seedTenant(app, [provider.id]);
    await publishConfig(app);
  });
  afterAll(async () => {
    await app.close();
    await mock.close();
  });
  beforeEach(() => mock.reset());

  const client = (path = `/api/${tenant.slug}/v1`): OpenAI =>
    new OpenAI({ apiKey: tenant.key, baseURL: baseUrl + path, maxRetries: 0 });

  it('answers a non-streamed chat completion with usage and cost_info', async () => {
    mock.script({ reply: replies.text('Hello there', { usage: { promptTokens: 12, completionTokens: 3 } }) });
    const completion = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello there');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    const costInfo = (completion as unknown as { cost_info: Record<string, unknown> }).cost_info;
    expect(costInfo).toMatchObject({ model: 'gpt-4o-mini', input_tokens: 12, output_tokens: 3 });
    expect(costInfo.cost_usd).toBeCloseTo((12 * 0.15 + 3 * 0.6) / 1e6, 10);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer sk-upstream-test');
  });

  it('streams chunk by chunk', async () => {
    mock.script({
      reply: replies.text('one two three four five six', { usage: { promptTokens: 5, completionTokens: 6 } }),
    });
    const stream = await client('/v1').chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three four five six');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });
  });
});
