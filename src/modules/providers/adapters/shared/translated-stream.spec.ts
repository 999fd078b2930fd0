import { UpstreamError } from '../provider-adapter';
import type { OpenAIStreamItem } from '../wire/openai.types';
import { jsonEvents, parseSse, type StreamTranslator, translatedStream } from './translated-stream';

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** Emits a text chunk per event, an error item for `{fail: true}`, nothing for `{skip: true}`. */
function echo(): StreamTranslator<{ text?: string; fail?: boolean; skip?: boolean }> {
  return {
    push: (event): OpenAIStreamItem[] => {
      if (event.skip) return [];
      if (event.fail)
        return [{ error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limited' } }];
      return [
        {
          id: 'c',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices: [{ index: 0, delta: { content: event.text ?? '' }, finish_reason: null }],
        },
      ];
    },
    end: () => [],
  };
}

describe('parseSse', () => {
  it('splits events across chunk boundaries, CRLF, multi-line data and comments', async () => {
    const events = await all(
      parseSse(
        bytes('event: a\r\ndata: {"x"', ':1}\r\n\r\n: ping\n\n', 'data: line1\ndata: line2\n\ndata: [DONE]'),
      ),
    );
    expect(events).toEqual([
      { event: 'a', data: '{"x":1}' },
      { event: undefined, data: 'line1\nline2' },
      { event: undefined, data: '[DONE]' },
    ]);
    expect(await all(jsonEvents(parseSse(bytes('data: {"a":1}\n\ndata: [DONE]\n\n'))))).toEqual([{ a: 1 }]);
  });
});

describe('translatedStream', () => {
  const open = (
    events: AsyncIterable<{ text?: string; fail?: boolean; skip?: boolean }>,
    abort = jest.fn(),
  ) => translatedStream({ providerSlug: 'p', events, translator: echo(), status: 200, headers: {}, abort });

  it('writes OpenAI SSE bytes and ends with [DONE]', async () => {
    async function* events() {
      yield { skip: true };
      yield { text: 'a' };
      yield { text: 'b' };
    }
    const stream = await open(events());
    const text = Buffer.concat((await all(stream.body)).map((b) => Buffer.from(b))).toString();
    expect(text.match(/"content":"(\w)"/g)).toEqual(['"content":"a"', '"content":"b"']);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('throws an UpstreamError when the first output is an error, so the call can be retried', async () => {
    const abort = jest.fn();
    async function* events() {
      yield { fail: true };
    }
    await expect(open(events(), abort)).rejects.toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(abort).toHaveBeenCalled();
  });

  it('classifies a transport failure before the first output', async () => {
    async function* events(): AsyncGenerator<{ text: string }> {
      yield* [];
      throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    }
    const failure = await open(events()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ kind: 'connect' });
  });

  it('stops reading after a mid-stream error event', async () => {
    let pulled = 0;
    async function* events() {
      for (const event of [{ text: 'a' }, { fail: true }, { text: 'never' }]) {
        pulled++;
        yield event;
      }
    }
    const stream = await open(events());
    const text = Buffer.concat((await all(stream.body)).map((b) => Buffer.from(b))).toString();
    expect(text).toContain('"error"');
    expect(text).not.toContain('never');
    expect(pulled).toBe(2);
  });
});
