import { join } from 'node:path';

import type { AnthropicMessagesResponse, AnthropicStreamEvent } from '../../wire/anthropic.types';
import { OpenAIStreamAccumulator } from '../../wire/openai-stream.accumulator';
import type { OpenAIChatCompletionChunk, OpenAIStreamItem } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { AnthropicStreamAccumulator } from './anthropic-stream.accumulator';
import { openAIResponseToAnthropic } from './openai-response-to-anthropic';
import {
  type AnthropicStreamTranslationOptions,
  OpenAIToAnthropicStreamTranslator,
} from './openai-stream-to-anthropic';

interface Fixture {
  description: string;
  options: AnthropicStreamTranslationOptions;
  chunks: OpenAIStreamItem[];
  expected: AnthropicStreamEvent[];
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'stream-to-anthropic'));

function translate(chunks: OpenAIStreamItem[], options: AnthropicStreamTranslationOptions = {}) {
  const translator = new OpenAIToAnthropicStreamTranslator(options);
  return [...chunks.flatMap((chunk) => translator.push(chunk)), ...translator.end()];
}

function assemble(events: AnthropicStreamEvent[]): AnthropicStreamAccumulator {
  const accumulator = new AnthropicStreamAccumulator();
  events.forEach((event) => accumulator.push(event));
  return accumulator;
}

/** What the ingress would answer for the same upstream output without streaming. */
function nonStreamEquivalent(chunks: OpenAIStreamItem[], options: AnthropicStreamTranslationOptions) {
  const accumulator = new OpenAIStreamAccumulator();
  chunks.forEach((chunk) => accumulator.push(chunk));
  return openAIResponseToAnthropic(accumulator.response(), options);
}

describe('OpenAIToAnthropicStreamTranslator (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(translate(fixture.chunks, fixture.options)).toEqual(fixture.expected);
  });
});

describe('OpenAIToAnthropicStreamTranslator (stream properties on every fixture)', () => {
  it.each(cases)('$name: a well-formed event sequence', ({ fixture }) => {
    const events = translate(fixture.chunks, fixture.options);
    expect(events[0]?.type).toBe('message_start');
    const accumulator = assemble(events);
    accumulator.response();
    expect(accumulator.violations).toEqual([]);
    if (accumulator.errors.length === 0)
      expect(events.slice(-2).map((e) => e.type)).toEqual(['message_delta', 'message_stop']);
  });

  it.each(cases)('$name: the assembled stream equals the non-stream translation', ({ fixture }) => {
    const accumulator = assemble(translate(fixture.chunks, fixture.options));
    if (!accumulator.complete) return; // errors and truncation have no non-stream equivalent
    const expected = nonStreamEquivalent(fixture.chunks, fixture.options);
    const assembled = accumulator.response();
    if (fixture.options.inputTokens !== undefined && !fixture.chunks.some((c) => 'usage' in c && c.usage)) {
      expected.usage.input_tokens = fixture.options.inputTokens;
    }
    expect(mergeTextBlocks(assembled)).toEqual(mergeTextBlocks(expected));
  });
});

/** A non-stream OpenAI body has one content string, so text around tool calls can only be compared merged. */
function mergeTextBlocks(response: AnthropicMessagesResponse | undefined) {
  if (!response) return response;
  const text = response.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const others = response.content.filter((block) => block.type !== 'text');
  const thinking = others.filter((block) => block.type === 'thinking');
  const rest = others.filter((block) => block.type !== 'thinking');
  return { ...response, content: [...thinking, ...(text ? [{ type: 'text', text }] : []), ...rest] };
}

describe('OpenAIToAnthropicStreamTranslator (random fragmentation and interleaving)', () => {
  const calls = [
    { id: 'call_a', name: 'read_file', args: { path: 'src/a.ts', range: [1, 40] } },
    { id: 'call_b', name: 'grep', args: { pattern: 'he said "hi"', paths: ['src', 'test'] } },
    { id: 'call_c', name: 'noop', args: {} },
    { id: 'call_d', name: 'write', args: { text: 'ünïcödé ✓\nline' } },
  ];

  function rng(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  function chunk(
    delta: OpenAIChatCompletionChunk['choices'][number]['delta'],
    finish: 'tool_calls' | null = null,
  ): OpenAIChatCompletionChunk {
    return {
      id: 'chatcmpl-r',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-x',
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
  }

  /** Every call's arguments split into random pieces; pieces of different calls interleave at random. */
  function chunksFor(random: () => number): OpenAIChatCompletionChunk[] {
    const queues = calls.map((call, index) => {
      const json = JSON.stringify(call.args);
      const pieces: string[] = [];
      for (let at = 0; at < json.length;) {
        const size = 1 + Math.floor(random() * 6);
        pieces.push(json.slice(at, at + size));
        at += size;
      }
      return { index, started: false, pieces };
    });
    const result = [chunk({ role: 'assistant', content: 'Working on it.' })];
    let active = queues.filter((q) => q.pieces.length > 0 || !q.started);
    while (active.length > 0) {
      // Calls start in order, but once started their fragments may interleave.
      const startedOrNext = active.filter((q, i) => q.started || i === active.findIndex((a) => !a.started));
      const queue = startedOrNext[Math.floor(random() * startedOrNext.length)]!;
      const call = calls[queue.index]!;
      const args = queue.pieces.shift() ?? '';
      result.push(
        chunk({
          tool_calls: [
            queue.started
              ? { index: queue.index, function: { arguments: args } }
              : {
                  index: queue.index,
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: args },
                },
          ],
        }),
      );
      queue.started = true;
      active = queues.filter((q) => q.pieces.length > 0 || !q.started);
    }
    result.push(chunk({}, 'tool_calls'), {
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
    });
    return result;
  }

  it.each(Array.from({ length: 30 }, (_, seed) => seed + 1))('seed %i', (seed) => {
    const accumulator = assemble(translate(chunksFor(rng(seed))));
    const response = accumulator.response() as AnthropicMessagesResponse;
    expect(accumulator.violations).toEqual([]);
    expect(response.stop_reason).toBe('tool_use');
    expect(response.content).toEqual([
      { type: 'text', text: 'Working on it.' },
      ...calls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.args })),
    ]);
  });
});
