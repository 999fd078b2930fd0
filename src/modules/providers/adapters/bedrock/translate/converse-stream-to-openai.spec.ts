import { join } from 'node:path';

import type { ConverseContentBlock, ConverseResponse, ConverseStreamEvent } from '../../wire/bedrock.types';
import type { JsonValue } from '../../wire/json.types';
import type { OpenAIStreamItem } from '../../wire/openai.types';
import { loadGoldenCases } from '../../wire/testing/golden-fixtures';
import { accumulate, roleFlags, runTranslator } from '../../wire/testing/stream-translation';
import { converseResponseToOpenAI } from './converse-response-to-openai';
import {
  type ConverseStreamTranslationOptions,
  ConverseToOpenAIStreamTranslator,
} from './converse-stream-to-openai';

interface Fixture {
  description: string;
  options: ConverseStreamTranslationOptions;
  events: ConverseStreamEvent[];
  expected: OpenAIStreamItem[];
}

const cases = loadGoldenCases<Fixture>(join(__dirname, '__golden__', 'stream-to-openai'));

function translate(
  events: ConverseStreamEvent[],
  options: ConverseStreamTranslationOptions,
): OpenAIStreamItem[] {
  return runTranslator(new ConverseToOpenAIStreamTranslator(options), events);
}

/** What `Converse` (non-stream) would have returned for the same events; undefined when incomplete. */
function nonStreamEquivalent(events: ConverseStreamEvent[]): ConverseResponse | undefined {
  const blocks = new Map<
    number,
    { text?: string; reasoning?: string; tool?: { id: string; name: string; json: string } }
  >();
  let response: ConverseResponse | undefined;
  for (const event of events) {
    if ('contentBlockStart' in event && event.contentBlockStart.start.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse;
      blocks.set(event.contentBlockStart.contentBlockIndex, { tool: { id: toolUseId, name, json: '' } });
    } else if ('contentBlockDelta' in event) {
      const { contentBlockIndex, delta } = event.contentBlockDelta;
      const block = blocks.get(contentBlockIndex) ?? {};
      blocks.set(contentBlockIndex, block);
      if (delta.text !== undefined) block.text = (block.text ?? '') + delta.text;
      if (delta.toolUse && block.tool) block.tool.json += delta.toolUse.input;
      if (delta.reasoningContent?.text)
        block.reasoning = (block.reasoning ?? '') + delta.reasoningContent.text;
    } else if ('messageStop' in event) {
      const content = [...blocks.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, block]): ConverseContentBlock => {
          if (block.tool) {
            const input = (block.tool.json === '' ? {} : JSON.parse(block.tool.json)) as JsonValue;
            return { toolUse: { toolUseId: block.tool.id, name: block.tool.name, input } };
          }
          if (block.reasoning !== undefined)
            return { reasoningContent: { reasoningText: { text: block.reasoning } } };
          return { text: block.text ?? '' };
        });
      response = {
        output: { message: { role: 'assistant', content } },
        stopReason: event.messageStop.stopReason,
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      };
    } else if ('metadata' in event && response) {
      response.usage = event.metadata.usage;
    } else if (!('messageStart' in event) && !('contentBlockStop' in event)) {
      return undefined; // an exception
    }
  }
  return response;
}

describe('ConverseToOpenAIStreamTranslator (golden)', () => {
  it.each(cases)('$name', ({ fixture }) => {
    expect(translate(fixture.events, fixture.options)).toEqual(fixture.expected);
  });
});

describe('ConverseToOpenAIStreamTranslator (stream properties on every fixture)', () => {
  it.each(cases)('$name: exactly one chunk, the first, carries the role', ({ fixture }) => {
    const withRole = roleFlags(translate(fixture.events, fixture.options));
    expect(withRole.filter(Boolean)).toHaveLength(1);
    expect(withRole[0]).toBe(true);
  });

  it.each(cases)('$name: tool indexes are contiguous from 0', ({ fixture }) => {
    const starts = fixture.events.filter((event) => 'contentBlockStart' in event);
    expect(accumulate(translate(fixture.events, fixture.options)).toolIndexOrder).toEqual(
      starts.map((_, i) => i),
    );
  });

  it.each(cases)('$name: the assembled stream equals the translated non-stream response', ({ fixture }) => {
    const upstream = nonStreamEquivalent(fixture.events);
    if (!upstream) return; // exceptions and truncation have no non-stream equivalent
    const assembled = accumulate(translate(fixture.events, fixture.options)).response();
    const expected = converseResponseToOpenAI(upstream, fixture.options);
    const hasMetadata = fixture.events.some((event) => 'metadata' in event);
    if (!fixture.options.includeUsage || !hasMetadata) delete expected.usage;
    const parsed = (response: typeof assembled) =>
      (response.choices[0]?.message.tool_calls ?? []).map(
        (call) => JSON.parse(call.function.arguments) as unknown,
      );
    expect(parsed(assembled)).toEqual(parsed(expected));
    for (const response of [assembled, expected]) {
      for (const call of response.choices[0]?.message.tool_calls ?? []) call.function.arguments = '<parsed>';
    }
    expect(assembled).toEqual(expected);
  });
});

describe('ConverseToOpenAIStreamTranslator (random fragmentation)', () => {
  const upstream: ConverseResponse = {
    output: {
      message: {
        role: 'assistant',
        content: [
          { text: 'Reading "both" files: ' },
          { toolUse: { toolUseId: 'tooluse_a', name: 'read_file', input: { path: 'a.ts', lines: [1, 9] } } },
          { toolUse: { toolUseId: 'tooluse_b', name: 'noop', input: {} } },
          { toolUse: { toolUseId: 'tooluse_c', name: 'write', input: { text: 'ünïcödé ✓\n"quoted"' } } },
        ],
      },
    },
    stopReason: 'tool_use',
    usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30 },
  };

  function rng(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  function pieces(text: string, random: () => number): string[] {
    const result: string[] = [];
    for (let at = 0; at < text.length;) {
      const size = 1 + Math.floor(random() * 6);
      result.push(text.slice(at, at + size));
      at += size;
    }
    return result;
  }

  function eventsFor(random: () => number): ConverseStreamEvent[] {
    const events: ConverseStreamEvent[] = [{ messageStart: { role: 'assistant' } }];
    (upstream.output.message?.content ?? []).forEach((block, contentBlockIndex) => {
      if ('text' in block) {
        for (const text of pieces(block.text, random)) {
          events.push({ contentBlockDelta: { contentBlockIndex, delta: { text } } });
        }
      } else if ('toolUse' in block) {
        const { toolUseId, name, input } = block.toolUse;
        events.push({ contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId, name } } } });
        const json = JSON.stringify(input);
        for (const fragment of json === '{}' && random() < 0.5 ? [] : pieces(json, random)) {
          events.push({ contentBlockDelta: { contentBlockIndex, delta: { toolUse: { input: fragment } } } });
        }
      }
      events.push({ contentBlockStop: { contentBlockIndex } });
    });
    events.push({ messageStop: { stopReason: 'tool_use' } }, { metadata: { usage: upstream.usage } });
    return events;
  }

  it.each(Array.from({ length: 25 }, (_, seed) => seed + 1))('seed %i', (seed) => {
    const options = { model: 'm', id: 'chatcmpl-r', created: 1, includeUsage: true };
    const assembled = accumulate(translate(eventsFor(rng(seed)), options));
    expect(assembled.roleChunks).toBe(1);
    expect(assembled.toolIndexOrder).toEqual([0, 1, 2]);
    expect(assembled.response()).toEqual(converseResponseToOpenAI(upstream, options));
  });
});
