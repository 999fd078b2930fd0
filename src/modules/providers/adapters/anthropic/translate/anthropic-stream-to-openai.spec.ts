import { join } from 'node:path';

import type { AnthropicMessagesResponse, AnthropicStreamEvent } from '../../wire/anthropic.types';
import type { OpenAIChatCompletionResponse, OpenAIStreamItem } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { accumulate, roleFlags, runTranslator } from '../../wire/testing/stream-translation';
import { anthropicResponseToOpenAI } from './anthropic-response-to-openai';
import {
  AnthropicToOpenAIStreamTranslator,
  type OpenAIStreamTranslationOptions,
} from './anthropic-stream-to-openai';
import { AnthropicStreamAccumulator } from './anthropic-stream.accumulator';

interface Fixture {
  description: string;
  options: OpenAIStreamTranslationOptions;
  events: AnthropicStreamEvent[];
  expected: OpenAIStreamItem[];
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'stream-to-openai'));

function translate(
  events: AnthropicStreamEvent[],
  options: OpenAIStreamTranslationOptions,
): OpenAIStreamItem[] {
  return runTranslator(new AnthropicToOpenAIStreamTranslator(options), events);
}

/** Tool arguments as parsed JSON (throws if a concatenation is not valid JSON), so spacing does not matter. */
function withParsedArguments(response: OpenAIChatCompletionResponse): unknown {
  const copy = structuredClone(response) as OpenAIChatCompletionResponse & { parsed?: unknown[] };
  copy.parsed = (copy.choices[0]?.message.tool_calls ?? []).map((call) => {
    const parsed = JSON.parse(call.function.arguments) as unknown;
    call.function.arguments = '<parsed>';
    return parsed;
  });
  return copy;
}

/** The non-stream response Anthropic would have returned for these events (undefined if incomplete). */
function nonStreamEquivalent(events: AnthropicStreamEvent[]): AnthropicMessagesResponse | undefined {
  const accumulator = new AnthropicStreamAccumulator();
  events.forEach((event) => accumulator.push(event));
  const response = accumulator.response();
  return accumulator.complete && accumulator.violations.length === 0 ? response : undefined;
}

describe('AnthropicToOpenAIStreamTranslator (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(translate(fixture.events, fixture.options)).toEqual(fixture.expected);
  });
});

describe('AnthropicToOpenAIStreamTranslator (stream properties on every fixture)', () => {
  it.each(cases)('$name: exactly one chunk, the first, carries the role', ({ fixture }) => {
    const withRole = roleFlags(translate(fixture.events, fixture.options));
    expect(withRole.filter(Boolean)).toHaveLength(1);
    expect(withRole[0]).toBe(true);
  });

  it.each(cases)('$name: tool-call indexes are contiguous from 0 in block order', ({ fixture }) => {
    const accumulator = accumulate(translate(fixture.events, fixture.options));
    const toolBlocks = fixture.events.filter(
      (event) => event.type === 'content_block_start' && event.content_block.type === 'tool_use',
    );
    expect(accumulator.toolIndexOrder).toEqual(toolBlocks.map((_, i) => i));
  });

  it.each(cases)('$name: the assembled stream equals the translated non-stream response', ({ fixture }) => {
    const upstream = nonStreamEquivalent(fixture.events);
    if (!upstream) return; // errors, truncation and cut tool input have no non-stream equivalent
    const assembled = accumulate(translate(fixture.events, fixture.options)).response();
    const expected = anthropicResponseToOpenAI(upstream, { ...fixture.options, created: assembled.created });
    if (!fixture.options.includeUsage) delete expected.usage;
    expect(withParsedArguments(assembled)).toEqual(withParsedArguments(expected));
  });
});

describe('AnthropicToOpenAIStreamTranslator (random fragmentation)', () => {
  const upstream: AnthropicMessagesResponse = {
    id: 'msg_random',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [
      { type: 'text', text: 'Running three tools "in parallel": ' },
      { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: 'src/a.ts', lines: [1, 20] } },
      { type: 'text', text: 'and ' },
      {
        type: 'tool_use',
        id: 'toolu_b',
        name: 'grep',
        input: { pattern: '"quoted" \\ back\\slash', flags: {} },
      },
      { type: 'tool_use', id: 'toolu_c', name: 'list', input: {} },
      { type: 'tool_use', id: 'toolu_d', name: 'write', input: { text: 'ünïcödé ✓ \n new line' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 20 },
  };

  /** Deterministic PRNG so a failure can be reproduced. */
  function rng(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  function split(text: string, random: () => number): string[] {
    const pieces: string[] = [];
    let rest = text;
    while (rest.length > 0) {
      const size = 1 + Math.floor(random() * 7);
      pieces.push(rest.slice(0, size));
      rest = rest.slice(size);
    }
    return pieces;
  }

  function eventsFor(response: AnthropicMessagesResponse, random: () => number): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [
      {
        type: 'message_start',
        message: { ...response, content: [], stop_reason: null, usage: response.usage },
      },
    ];
    response.content.forEach((block, index) => {
      if (block.type === 'text') {
        events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const text of split(block.text, random)) {
          events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
        }
      } else if (block.type === 'tool_use') {
        events.push({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
        const json = JSON.stringify(block.input);
        for (const partial_json of json === '{}' && random() < 0.5 ? [] : ['', ...split(json, random)]) {
          events.push({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json },
          });
        }
      }
      if (random() < 0.3) events.push({ type: 'ping' });
      events.push({ type: 'content_block_stop', index });
    });
    events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 50 },
      },
      { type: 'message_stop' },
    );
    return events;
  }

  it.each(Array.from({ length: 25 }, (_, seed) => seed + 1))('seed %i', (seed) => {
    const items = translate(eventsFor(upstream, rng(seed)), { created: 1, includeUsage: true });
    const assembled = accumulate(items);
    expect(assembled.roleChunks).toBe(1);
    expect(assembled.toolIndexOrder).toEqual([0, 1, 2, 3]);
    expect(assembled.response()).toEqual(anthropicResponseToOpenAI(upstream, { created: 1 }));
  });
});
