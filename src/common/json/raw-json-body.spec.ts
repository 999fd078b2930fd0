import { randomBytes } from 'node:crypto';

import { arrayElements, topLevelMembers } from './json-spans';
import { attachRawJson, encodeJsonBody, RawJsonBody, rawJsonOf } from './raw-json-body';
import { parseRequestJson } from './request-json-parser';

const secure = (text: string): unknown => {
  if (/__proto__|constructor|\\u00/.test(text))
    throw Object.assign(new Error('poisoned'), { statusCode: 400 });
  return JSON.parse(text) as unknown;
};

function parsedWithRaw(text: string): Record<string, unknown> {
  const bytes = Buffer.from(text);
  const body = parseRequestJson(text, secure) as Record<string, unknown>;
  attachRawJson(body, new RawJsonBody(bytes, 'openai', body));
  return body;
}

const image = randomBytes(30_000).toString('base64');
const text =
  '{ "model" : "auto", "messages": [ {"role":"system","content":"Be \\"brief\\"\\n"},' +
  ` {"role":"user","content":[{"type":"text","text":"what is {this}?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,${image}"}}]} ],` +
  '"max_tokens":4096, "stream" :true,"temperature":0.2 }';

describe('json spans', () => {
  it('finds the top-level members and the elements of an array, across escapes and whitespace', () => {
    const bytes = Buffer.from(text);
    const members = topLevelMembers(bytes)!;
    expect(members.map((m) => m.key)).toEqual(['model', 'messages', 'max_tokens', 'stream', 'temperature']);
    for (const m of members) {
      const value: unknown = JSON.parse(bytes.toString('utf8', m.valueStart, m.end));
      expect(value).toEqual((JSON.parse(text) as Record<string, unknown>)[m.key]);
    }
    const messages = members[1]!;
    const spans = arrayElements(bytes, messages.valueStart, messages.end)!;
    expect(spans.map(([s, e]) => JSON.parse(bytes.toString('utf8', s, e)) as unknown)).toEqual(
      (JSON.parse(text) as { messages: unknown[] }).messages,
    );
  });

  it('gives up on what is not one object', () => {
    expect(topLevelMembers(Buffer.from('[1,2]'))).toBeUndefined();
    expect(topLevelMembers(Buffer.from('{"a":1'))).toBeUndefined();
    expect(topLevelMembers(Buffer.from('{"a":"x}'))).toBeUndefined();
    expect(topLevelMembers(Buffer.from(' {} '))).toEqual([]);
  });
});

describe('parseRequestJson', () => {
  it('gives exactly what JSON.parse gives, base64 payloads included', () => {
    expect(parseRequestJson(text, secure)).toEqual(JSON.parse(text));
    const anthropic = JSON.stringify({
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: image } }] }],
      data: 'short',
    });
    expect(parseRequestJson(anthropic, secure)).toEqual(JSON.parse(anthropic));
    const spaced = `{"data" : "${image}", "x": ["data:a;base64,${image}"]}`;
    expect(parseRequestJson(spaced, secure)).toEqual(JSON.parse(spaced));
  });

  it('leaves prototype keys, escapes and invalid JSON to the secure parser', () => {
    expect(() => parseRequestJson('{"__proto__": {"x": 1}}', secure)).toThrow('poisoned');
    expect(() => parseRequestJson('{"\\u005f_proto__": {}}', secure)).toThrow('poisoned');
    expect(() =>
      parseRequestJson(`{"constructor": {"prototype": {}}, "d": "data:x;base64,${image}"}`, secure),
    ).toThrow('poisoned');
    expect(() => parseRequestJson(`{"a": "data:x;base64,${image}"`, secure)).toThrow(SyntaxError);
    expect(() => parseRequestJson('', secure)).toThrow();
  });

  it('cuts only data-URL and "data" payloads, wherever they are quoted', () => {
    const mixed =
      `{"content":"see \\"data:image/png;base64,${image}","t":"data:text/plain,${'x'.repeat(5000)}",` +
      `"datax":"${image}","k":"\\"data\\": \\"x\\"","a":["data:;base64,${image}"],"data":{"data":"${image}"}}`;
    expect(parseRequestJson(mixed, secure)).toEqual(JSON.parse(mixed));
  });

  it('keeps UTF-8 text around and inside payloads, and payloads over a megabyte', () => {
    const big = randomBytes(1_600_000).toString('base64');
    const json = `{"t":"Grüße 😀","a":"data:image/png;base64,${big}","data":"ü${image}ß","z":"€"}`;
    const parsed = parseRequestJson(json, secure) as Record<string, string>;
    expect(parsed).toEqual(JSON.parse(json));
    expect(parsed.a!.length).toBe(big.length + 'data:image/png;base64,'.length);
  });

  it('does not cut strings with escapes', () => {
    const escaped = `{"url": "data:x;base64,${image.slice(0, 5000)}\\/${image.slice(5000)}"}`;
    expect(parseRequestJson(escaped, secure)).toEqual(JSON.parse(escaped));
  });
});

describe('RawJsonBody', () => {
  it('forwards the very same bytes when nothing changed, also through spreads', () => {
    const body = parsedWithRaw(text);
    const out = encodeJsonBody({ ...body, model: 'auto' });
    expect(Buffer.isBuffer(out) && out.equals(Buffer.from(text))).toBe(true);
    expect(rawJsonOf({ ...body }, 'anthropic')).toBeUndefined();
    expect(JSON.stringify(body)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('rewrites only what changed: model, clamp, added fields, a new system message', () => {
    const body = parsedWithRaw(text);
    body.max_tokens = 100;
    const messages = body.messages as unknown[];
    const edited = {
      ...body,
      model: 'gpt-4o',
      messages: [{ role: 'system', content: 'Category prompt' }, ...messages.slice(1)],
      stream_options: { include_usage: true },
    };
    const out = encodeJsonBody(edited);
    expect(JSON.parse(out.toString())).toEqual(JSON.parse(JSON.stringify(edited)));
    expect(out.toString()).toContain('"temperature":0.2');
    expect(out.toString()).toContain('"stream" :true'); // unchanged members keep their bytes
  });

  it('sees a message replaced in place and a removed member', () => {
    const body = parsedWithRaw(text);
    (body.messages as unknown[])[0] = { role: 'system', content: 'other' };
    delete body.temperature;
    const out = encodeJsonBody(body).toString();
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(body)));
    expect(out).not.toContain('temperature');
  });

  it('appends added members after the original bytes (a stream asking for usage)', () => {
    const body = parsedWithRaw(text + ' \n');
    const out = encodeJsonBody({ ...body, stream_options: { include_usage: true }, skipped: undefined });
    expect(out.toString()).toBe(text.slice(0, -1) + ',"stream_options":{"include_usage":true}}');
    const empty = parsedWithRaw(' { } ');
    expect(encodeJsonBody({ ...empty, a: 1, b: [2] }).toString()).toBe(' { "a":1,"b":[2]}');
    // A repeated key stays repeated: the addition does not touch it.
    const repeated = parsedWithRaw('{"model":"a","model":"b"}');
    expect(encodeJsonBody({ ...repeated, stream: true }).toString()).toBe(
      '{"model":"a","model":"b","stream":true}',
    );
  });

  it('serialises the parsed body when a changed body repeats a key', () => {
    const body = parsedWithRaw('{"model":"a","messages":[],"model":"b"}');
    expect(encodeJsonBody({ ...body, model: 'c' })).toBe('{"model":"c","messages":[]}');
  });

  it('replaces, adds and removes members of the original bytes', () => {
    const body = parsedWithRaw(text);
    const raw = rawJsonOf(body, 'openai')!;
    const out = raw.withMembers({ model: 'claude', temperature: undefined, top_k: 5 })!.toString();
    const expected: Record<string, unknown> = { ...(JSON.parse(text) as object), model: 'claude', top_k: 5 };
    delete expected.temperature;
    expect(JSON.parse(out)).toEqual(expected);
  });
});
