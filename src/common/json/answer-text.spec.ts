import { appendJsonMembers } from './answer-text';

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
});
