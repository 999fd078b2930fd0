import { appendJsonMembers, MIN_BYTES_SPLICE } from './answer-text';

const MEMBERS = '"cost_info":{"cost_usd":0.5},"auto_routing":{"tier":"low"}';

/** What the gateway sent before: the parsed answer with the members added, serialised again. */
function serialisedAgain(text: string, members: string): string {
  return JSON.stringify({ ...(JSON.parse(text) as object), ...(JSON.parse(`{${members}}`) as object) });
}

describe('appendJsonMembers', () => {
  it('appends the members before the closing brace of a compact answer, as serialising it again would', () => {
    const text = '{"id":"c1","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3}}';
    const sent = appendJsonMembers(text, MEMBERS);
    expect(sent).toBe(
      '{"id":"c1","choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3},' + MEMBERS + '}',
    );
    expect(sent).toBe(serialisedAgain(text, MEMBERS));
  });

  it.each([
    ['braces and brackets inside strings', '{"a":"}","b":"{","c":"]}"}'],
    ['escaped quotes and backslashes', '{"a":"say \\"}\\"","b":"\\\\","c":"\\\\\\"}"}'],
    ['a string ending in an escaped quote', '{"a":"\\""}'],
    ['unicode text and escapes', '{"a":"héllo ✓ 😀","b":"\\u00e9\\ud83d\\ude00","c":"\\u007d"}'],
    ['a nested object last', '{"a":{"b":{"c":{}}}}'],
    ['an empty array last', '{"a":[]}'],
    ['a number last', '{"a":-1.5e-7}'],
    ['a literal last', '{"a":null,"b":true,"c":false}'],
    ['an empty object value last', '{"a":{}}'],
    ['usage missing', '{"id":"c1","choices":[{"message":{"content":"{}"}}]}'],
  ])('keeps the answer intact with %s', (_name, text) => {
    const sent = appendJsonMembers(text, MEMBERS) as string;
    // The upstream's own text (escapes as it wrote them), the members after it.
    expect(sent).toBe(`${text.slice(0, -1)},${MEMBERS}}`);
    expect(JSON.parse(sent)).toEqual(JSON.parse(serialisedAgain(text, MEMBERS)));
    expect(Object.keys(JSON.parse(sent) as object).slice(-2)).toEqual(['cost_info', 'auto_routing']);
  });

  it('keeps the upstream formatting and drops the blanks after the closing brace', () => {
    const text = '\n { "id" : "c1",\r\n\t"usage": { "prompt_tokens": 3 }\n}\n\t \r\n';
    const sent = appendJsonMembers(text, '"cost_info":{"cost_usd":0.5}');
    expect(sent).toBe(
      '\n { "id" : "c1",\r\n\t"usage": { "prompt_tokens": 3 }\n,"cost_info":{"cost_usd":0.5}}',
    );
    expect(JSON.parse(sent as string)).toEqual(
      JSON.parse(serialisedAgain(text, '"cost_info":{"cost_usd":0.5}')),
    );
  });

  it('adds no comma to an empty object, with or without blanks inside', () => {
    expect(appendJsonMembers('{}', MEMBERS)).toBe(`{${MEMBERS}}`);
    expect(appendJsonMembers('{ \n }  ', MEMBERS)).toBe(`{ \n ${MEMBERS}}`);
    expect(JSON.parse(appendJsonMembers('{ \n }', MEMBERS) as string)).toEqual(JSON.parse(`{${MEMBERS}}`));
  });

  it('returns the text (without trailing blanks) when there is nothing to append', () => {
    const text = '{"object":"list","data":[{"embedding":[0.1,-0.2]}]}';
    expect(appendJsonMembers(text, '')).toBe(text);
    expect(appendJsonMembers(`${text}\n`, '')).toBe(text);
  });

  it('refuses text that does not end like an object', () => {
    expect(appendJsonMembers('[1,2]', MEMBERS)).toBeUndefined();
    expect(appendJsonMembers('"}"', MEMBERS)).toBeUndefined();
    expect(appendJsonMembers('}', MEMBERS)).toBeUndefined();
    expect(appendJsonMembers('', MEMBERS)).toBeUndefined();
    expect(appendJsonMembers('   ', '')).toBeUndefined();
  });

  describe('large answers, spliced as bytes', () => {
    const pad = 'é ✓ } { \\" '.repeat(Math.ceil(MIN_BYTES_SPLICE / 10));
    const text = `{"id":"c1","choices":[{"message":{"content":"${pad}"}}]}\r\n`;

    it('gives the same JSON as the text splice, as bytes', () => {
      const sent = appendJsonMembers(text, MEMBERS, Buffer.from(text));
      expect(Buffer.isBuffer(sent)).toBe(true);
      expect((sent as Buffer).toString('utf8')).toBe(appendJsonMembers(text, MEMBERS));
      expect(JSON.parse((sent as Buffer).toString('utf8'))).toEqual(
        JSON.parse(serialisedAgain(text, MEMBERS)),
      );
    });

    it('sends the bytes themselves (without trailing blanks) when there is nothing to append', () => {
      const bytes = Buffer.from(text);
      const sent = appendJsonMembers(text, '', bytes) as Buffer;
      expect(sent.buffer).toBe(bytes.buffer);
      expect(sent.toString('utf8')).toBe(text.trimEnd());
      expect(appendJsonMembers('{}', '', Buffer.from('{}'))).toBe('{}');
    });

    it('splices the text instead when the bytes are not the text: a byte-order mark, invalid UTF-8', () => {
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      expect(appendJsonMembers(text, MEMBERS, bom)).toBe(appendJsonMembers(text, MEMBERS));
      const invalid = Buffer.from(text);
      invalid[60] = 0xff; // inside the content
      const decoded = invalid.toString('utf8');
      const sent = appendJsonMembers(decoded, MEMBERS, invalid);
      expect(typeof sent).toBe('string');
      // What serialising the parsed answer again gave: the replacement character, as text.
      expect(JSON.parse(sent as string)).toEqual(JSON.parse(serialisedAgain(decoded, MEMBERS)));
    });
  });
});
