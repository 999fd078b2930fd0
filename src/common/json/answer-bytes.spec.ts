import { encodeAnswer, keepAnswerBytes, MIN_KEPT_ANSWER_BYTES } from './answer-bytes';

/** Padding that makes an answer big enough to keep its bytes. */
const PAD = 'x'.repeat(MIN_KEPT_ANSWER_BYTES);

function answerFrom(text: string | Buffer): Record<string, unknown> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const answer = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
  keepAnswerBytes(answer, bytes);
  return answer;
}

describe('answer bytes', () => {
  const upstream = `{ "id": "c1", "choices": [{"message": {"content": "h\\u00e9llo ✓ ${PAD}"}}],\n "usage": {"prompt_tokens": 3} }\n`;

  it('sends the upstream bytes with the added members appended, parsing to the same answer', () => {
    const answer = answerFrom(upstream);
    answer.cost_info = { cost_usd: 0.5 };
    answer.auto_routing = { tier: 'low' };
    const sent = encodeAnswer(answer);
    expect(Buffer.isBuffer(sent)).toBe(true);
    expect(sent.toString()).toBe(
      `{ "id": "c1", "choices": [{"message": {"content": "h\\u00e9llo ✓ ${PAD}"}}],\n "usage": {"prompt_tokens": 3} ,"cost_info":{"cost_usd":0.5},"auto_routing":{"tier":"low"}}`,
    );
    expect(JSON.parse(sent.toString())).toEqual(answer);
  });

  it('replaces a member the upstream sent itself instead of repeating its key', () => {
    const answer = answerFrom(`{"id":"${PAD}","cost_info":{"cost_usd":9}}`);
    answer.cost_info = { cost_usd: 0.5 };
    const sent = encodeAnswer(answer);
    expect(Buffer.isBuffer(sent)).toBe(true);
    expect(sent.toString()).toBe(`{"id":"${PAD}","cost_info":{"cost_usd":0.5}}`);
  });

  it('serialises answers without kept bytes: small, with a byte-order mark or invalid UTF-8', () => {
    expect(encodeAnswer({ a: 1 })).toBe('{"a":1}');
    const small = answerFrom('{ "a": 1 }');
    small.cost_info = { cost_usd: 0.5 };
    expect(encodeAnswer(small)).toBe('{"a":1,"cost_info":{"cost_usd":0.5}}');
    const bom = answerFrom(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"a":"${PAD}"}`)]));
    expect(encodeAnswer(bom)).toBe(`{"a":"${PAD}"}`);
    const invalid = Buffer.from(`{"a":"x${PAD}"}`);
    invalid[6] = 0xff;
    const broken = JSON.parse(invalid.toString('utf8')) as Record<string, unknown>;
    keepAnswerBytes(broken, invalid);
    expect(encodeAnswer(broken)).toBe(JSON.stringify(broken));
  });

  it('keeps the bytes out of spreads and JSON', () => {
    const answer = answerFrom(`{"id":"${PAD}"}`);
    expect(Object.getOwnPropertySymbols(answer)).toHaveLength(1);
    expect(Object.getOwnPropertySymbols({ ...answer })).toEqual([]);
    expect(JSON.stringify(answer)).toBe(`{"id":"${PAD}"}`);
  });
});
