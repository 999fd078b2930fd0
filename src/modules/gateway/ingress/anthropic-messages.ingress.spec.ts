import { GatewayErrors } from '../gateway.errors';
import { SseProcessor } from '../streaming/sse-processor';
import { ANTHROPIC_MESSAGES_INGRESS, AnthropicStreamProcessor } from './anthropic-messages.ingress';

const encoder = new TextEncoder();
const sse = (...items: unknown[]): Uint8Array =>
  encoder.encode(
    items.map((item) => `data: ${typeof item === 'string' ? item : JSON.stringify(item)}\n\n`).join(''),
  );

const chunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
  id: 'chatcmpl-abc',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function events(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return {
        event: eventLine!.replace(/^event: /, ''),
        data: JSON.parse(dataLine!.replace(/^data: /, '')) as Record<string, unknown>,
      };
    });
}

function processor(): AnthropicStreamProcessor {
  return new AnthropicStreamProcessor(new SseProcessor({ clientWantsUsage: true }), {
    estimatedInputTokens: 42,
  });
}

describe('ANTHROPIC_MESSAGES_INGRESS.prepare', () => {
  const valid = { model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

  it('translates a valid request to an OpenAI chat body with usage requested for streams', () => {
    const { body, error } = ANTHROPIC_MESSAGES_INGRESS.prepare(
      {
        ...valid,
        system: 'Be brief.',
        stream: true,
      },
      'chat',
    );
    expect(error).toBeUndefined();
    expect(body).toEqual({
      model: 'claude-x',
      max_tokens: 100,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it.each([
    [{ model: 'm', messages: valid.messages }, 'max_tokens'],
    [{ ...valid, max_tokens: 1.5 }, 'max_tokens'],
    [{ ...valid, messages: {} }, 'messages'],
    [{ ...valid, messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role'],
    [{ ...valid, messages: [{ role: 'user', content: 5 }] }, 'messages.0.content'],
    [{ ...valid, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages.0.content.0.text'],
    [
      { ...valid, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f' }] }] },
      'messages.0.content.0.input',
    ],
    [
      {
        ...valid,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'x' } }],
          },
        ],
      },
      'messages.0.content.0.source.media_type',
    ],
    [{ ...valid, tool_choice: { type: 'sometimes' } }, 'tool_choice'],
    [{ ...valid, temperature: 'hot' }, 'temperature'],
  ])(
    'refuses invalid request %# with a 400 naming the field, keeping model and stream for analytics',
    (raw, param) => {
      const { body, error } = ANTHROPIC_MESSAGES_INGRESS.prepare(raw, 'chat');
      expect(error).toMatchObject({ status: 400, code: 'invalid_request', param });
      expect(error?.message.startsWith(`${param}: `)).toBe(true);
      expect(body.stream).toBe(false);
      expect(body.model).toBe(raw.model);
    },
  );

  it('refuses a body that is not an object', () => {
    expect(ANTHROPIC_MESSAGES_INGRESS.prepare([1, 2], 'chat').error).toMatchObject({ status: 400 });
    expect(ANTHROPIC_MESSAGES_INGRESS.prepare(undefined, 'chat').body).toEqual({ stream: false });
  });
});

describe('ANTHROPIC_MESSAGES_INGRESS answers', () => {
  it('renders a chat completion as a message, keeping the gateway extensions and filling missing usage', () => {
    const message = ANTHROPIC_MESSAGES_INGRESS.renderJson(
      {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        cost_info: { cost_usd: 0.1 },
      },
      { input: 12, output: 3 },
    );
    expect(message).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content: [{ type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 3 },
      cost_info: { cost_usd: 0.1 },
    });
  });

  it.each([
    [401, 'authentication_error', GatewayErrors.invalidApiKey()],
    [403, 'permission_error', GatewayErrors.modelNotAllowed('m')],
    [404, 'not_found_error', GatewayErrors.modelNotFound('m')],
    [429, 'rate_limit_error', GatewayErrors.budgetExceeded('spent', { 'retry-after': '60' })],
    [502, 'api_error', GatewayErrors.upstreamError('down')],
    [529, 'overloaded_error', GatewayErrors.overloaded()],
    [504, 'timeout_error', GatewayErrors.upstreamTimeout('slow')],
  ])('answers %i %s', (status, type, error) => {
    expect(ANTHROPIC_MESSAGES_INGRESS.errorResponse(error)).toEqual({
      status,
      body: { type: 'error', error: { type, message: error.message } },
    });
  });

  it('ends a broken stream with an error event', () => {
    expect(events(ANTHROPIC_MESSAGES_INGRESS.streamError('gone'))).toEqual([
      { event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'gone' } } },
    ]);
  });
});

describe('AnthropicStreamProcessor', () => {
  it('turns an OpenAI text stream into the Anthropic event sequence, usage included', () => {
    const p = processor();
    let out = p.push(sse(chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' })));
    out += p.push(sse(chunk({ content: 'lo' })).subarray(0, 20));
    out += p.push(sse(chunk({ content: 'lo' })).subarray(20));
    out += p.push(
      sse(chunk({}, 'stop'), {
        ...chunk({}),
        choices: [],
        usage: { prompt_tokens: 9, completion_tokens: 2 },
      }),
    );
    out += p.finish(() => ({ prompt_tokens: 0, completion_tokens: 0 }));
    const seen = events(out);
    expect(seen.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(seen[0]!.data).toMatchObject({ message: { id: 'msg_abc', usage: { input_tokens: 42 } } });
    expect(seen[6]!.data).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: 9, output_tokens: 2 },
    });
    expect(p.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2 });
  });

  it('gives interleaved parallel tool calls their own block indexes', () => {
    const p = processor();
    const call = (index: number, fn: Record<string, unknown>, id?: string): Record<string, unknown> =>
      chunk({ tool_calls: [{ index, ...(id ? { id, type: 'function' } : {}), function: fn }] });
    let out = p.push(
      sse(
        chunk({ role: 'assistant', content: null }),
        call(0, { name: 'a', arguments: '' }, 'c0'),
        call(1, { name: 'b', arguments: '{"y"' }, 'c1'),
        call(0, { arguments: '{"x":1}' }),
        call(1, { arguments: ':2}' }),
        chunk({}, 'tool_calls'),
      ),
    );
    out += p.finish(() => ({ prompt_tokens: 5, completion_tokens: 5 }));
    const seen = events(out);
    const starts = seen.filter((e) => e.event === 'content_block_start').map((e) => e.data);
    expect(starts).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'c0', name: 'a', input: {} },
      },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'c1', name: 'b', input: {} },
      },
    ]);
    const json = (index: number): string =>
      seen
        .filter((e) => e.event === 'content_block_delta' && e.data.index === index)
        .map((e) => (e.data.delta as { partial_json: string }).partial_json)
        .join('');
    expect(JSON.parse(json(0))).toEqual({ x: 1 });
    expect(JSON.parse(json(1))).toEqual({ y: 2 });
    expect(seen.at(-2)!.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: 5 },
    });
    expect(seen.at(-1)!.event).toBe('message_stop');
  });

  it('turns an upstream error event into an Anthropic error event and stops there', () => {
    const p = processor();
    let out = p.push(sse(chunk({ role: 'assistant', content: 'x' })));
    out += p.push(sse({ error: { message: 'overloaded', type: 'service_unavailable' } }));
    out += p.finish(() => ({ prompt_tokens: 1, completion_tokens: 1 }));
    const seen = events(out);
    expect(seen.at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'overloaded_error', message: 'overloaded' } },
    });
    expect(seen.map((e) => e.event)).not.toContain('message_stop');
    expect(p.upstreamError).toBe('overloaded');
  });

  it('reports a stream that ended without a finish reason as an error', () => {
    const p = processor();
    let out = p.push(sse(chunk({ role: 'assistant', content: 'half' })));
    out += p.finish(() => ({ prompt_tokens: 1, completion_tokens: 1 }));
    expect(events(out).at(-1)).toMatchObject({ event: 'error', data: { error: { type: 'api_error' } } });
  });
});
