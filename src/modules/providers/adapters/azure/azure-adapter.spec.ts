import { filterReasoningParameters, isReasoningModel } from './azure-parameters';
import {
  chatToResponsesRequest,
  responsesToChatCompletion,
  ResponsesToChatStreamTranslator,
} from './responses-translate';

describe('Azure reasoning-model parameters', () => {
  it('recognises reasoning deployments by name', () => {
    for (const name of ['o1', 'o3-mini', 'prod-o4-mini', 'gpt-5', 'gpt5-mini', 'my_o1_preview'])
      expect(isReasoningModel(name)).toBe(true);
    for (const name of ['gpt-4o', 'gpt-4o1x', 'gpt-5-chat', 'text-embedding-3-small', 'foo3'])
      expect(isReasoningModel(name)).toBe(false);
  });

  it('drops sampling parameters and renames max_tokens for reasoning models only', () => {
    const body = { model: 'o3', messages: [], temperature: 0.2, top_p: 0.9, max_tokens: 50, logprobs: true };
    expect(filterReasoningParameters(body, true)).toEqual({
      model: 'o3',
      messages: [],
      max_completion_tokens: 50,
    });
    expect(filterReasoningParameters(body, false)).toBe(body);
    expect(filterReasoningParameters({ model: 'o3', max_tokens: 5, max_completion_tokens: 9 }, true)).toEqual(
      { model: 'o3', max_completion_tokens: 9 },
    );
  });
});

describe('chat ⇄ Responses API translation', () => {
  it('turns messages, tools and options into Responses input items', () => {
    const request = chatToResponsesRequest(
      {
        model: 'ignored',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'https://x/cat.png', detail: 'low' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"a":1}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        ],
        tools: [{ type: 'function', function: { name: 'look', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'look' } },
        max_tokens: 100,
        temperature: 0.5,
        response_format: { type: 'json_object' },
      },
      { model: 'gpt41', stream: true },
    );
    expect(request).toEqual({
      model: 'gpt41',
      input: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'https://x/cat.png', detail: 'low' },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'look', arguments: '{"a":1}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a cat' },
      ],
      store: false,
      max_output_tokens: 100,
      temperature: 0.5,
      tools: [{ type: 'function', name: 'look', parameters: { type: 'object' } }],
      tool_choice: { type: 'function', name: 'look' },
      text: { format: { type: 'json_object' } },
      stream: true,
    });
  });

  it('leaves out sampling parameters for reasoning deployments and rejects n > 1', () => {
    const request = chatToResponsesRequest(
      { model: 'x', messages: [{ role: 'user', content: 'hi' }], temperature: 1, reasoning_effort: 'low' },
      { model: 'o4-mini', stream: false },
    );
    expect(request).not.toHaveProperty('temperature');
    expect(request.reasoning).toEqual({ effort: 'low' });
    expect(() =>
      chatToResponsesRequest(
        { model: 'x', messages: [{ role: 'user', content: 'hi' }], n: 2 },
        { model: 'gpt41', stream: false },
      ),
    ).toThrow(/n must be 1/);
  });

  it('turns a Responses object into a chat completion (tool calls, incomplete, cached usage)', () => {
    const completion = responsesToChatCompletion(
      {
        id: 'resp_1',
        created_at: 10,
        model: 'gpt-4.1',
        status: 'completed',
        output: [
          { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }] },
          { type: 'message', content: [{ type: 'output_text', text: 'Calling.' }] },
          { type: 'function_call', call_id: 'call_1', name: 'look', arguments: '{"a":1}' },
        ],
        usage: {
          input_tokens: 20,
          output_tokens: 5,
          total_tokens: 25,
          input_tokens_details: { cached_tokens: 8 },
          output_tokens_details: { reasoning_tokens: 2 },
        },
      },
      { model: 'gpt41' },
    );
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'Calling.',
        reasoning_content: 'thinking',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"a":1}' } }],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 20,
      completion_tokens: 5,
      total_tokens: 25,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
    const truncated = responsesToChatCompletion(
      { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] },
      { model: 'gpt41' },
    );
    expect(truncated.choices[0]?.finish_reason).toBe('length');
    expect(truncated.model).toBe('gpt41');
  });

  it('streams: role first, tool calls indexed in start order, finish then usage', () => {
    const translator = new ResponsesToChatStreamTranslator({ model: 'gpt41', includeUsage: true });
    const events = [
      { type: 'response.created', response: { id: 'resp_1', model: 'gpt-4.1' } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'message' } },
      { type: 'response.output_text.delta', output_index: 0, delta: 'Hi' },
      {
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', call_id: 'c1', name: 'a' },
      },
      {
        type: 'response.output_item.added',
        output_index: 2,
        item: { type: 'function_call', call_id: 'c2', name: 'b' },
      },
      { type: 'response.function_call_arguments.delta', output_index: 2, delta: '{"y":' },
      { type: 'response.function_call_arguments.delta', output_index: 1, delta: '{"x":1}' },
      { type: 'response.function_call_arguments.delta', output_index: 2, delta: '2}' },
      {
        type: 'response.output_item.done',
        output_index: 1,
        item: { type: 'function_call', arguments: '{"x":1}' },
      },
      {
        type: 'response.output_item.done',
        output_index: 2,
        item: { type: 'function_call', arguments: '{"y":2}' },
      },
      {
        type: 'response.completed',
        response: { status: 'completed', usage: { input_tokens: 3, output_tokens: 4 } },
      },
    ];
    const items = [...events.flatMap((event) => translator.push(event)), ...translator.end()];
    const deltas = items.map((item) => ('choices' in item ? item.choices[0]?.delta : undefined));
    expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
    expect(deltas.filter((delta) => delta?.role !== undefined)).toHaveLength(1);
    const args = new Map<number, string>();
    for (const delta of deltas)
      for (const call of delta?.tool_calls ?? [])
        args.set(call.index, (args.get(call.index) ?? '') + (call.function?.arguments ?? ''));
    expect(Object.fromEntries(args)).toEqual({ 0: '{"x":1}', 1: '{"y":2}' });
    const finish = items.at(-2);
    expect(finish && 'choices' in finish ? finish.choices[0]?.finish_reason : undefined).toBe('tool_calls');
    expect(items.at(-1)).toMatchObject({
      id: 'resp_1',
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 4 },
    });
  });

  it('reports a stream that ends before response.completed, and error events', () => {
    const cut = new ResponsesToChatStreamTranslator({ model: 'm' });
    cut.push({ type: 'response.created', response: { id: 'r' } });
    expect(cut.end()).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: 'stream_truncated' }) }),
    ]);
    const failed = new ResponsesToChatStreamTranslator({ model: 'm' });
    expect(failed.push({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down' })).toEqual([
      { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' } },
    ]);
    expect(failed.end()).toEqual([]);
  });
});
