import { dataOf, errorEvent, SseProcessor } from './sse-processor';

const enc = (text: string): Buffer => Buffer.from(text);
const chunk = (content: string): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const usageChunk = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } })}\n\n`;

describe('SseProcessor', () => {
  it('passes complete events through unchanged and holds partial ones', () => {
    const p = new SseProcessor({ clientWantsUsage: true });
    const event = chunk('Hello');
    expect(p.push(enc(event.slice(0, 20)))).toBe('');
    expect(p.push(enc(event.slice(20)))).toBe(event);
  });

  it('handles multi-byte characters split across chunks', () => {
    const p = new SseProcessor({ clientWantsUsage: true });
    const bytes = enc(chunk('héllo wörld'));
    const cut = bytes.indexOf(0xc3) + 1;
    expect(p.push(bytes.subarray(0, cut)) + p.push(bytes.subarray(cut))).toBe(chunk('héllo wörld'));
  });

  it('captures usage, decorates the usage chunk for clients that asked, and ends with one [DONE]', () => {
    const p = new SseProcessor({
      clientWantsUsage: true,
      decorateUsage: (u) => ({ cost_info: { input_tokens: u.prompt_tokens } }),
    });
    const out = p.push(enc(chunk('a') + usageChunk + 'data: [DONE]\n\n'));
    expect(p.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(out).toContain('"cost_info":{"input_tokens":7}');
    expect(out).not.toContain('[DONE]');
    expect(p.finish(() => ({ prompt_tokens: 0, completion_tokens: 0 }))).toBe('data: [DONE]\n\n');
  });

  it('drops the usage-only chunk for clients that did not ask for it', () => {
    const p = new SseProcessor({ clientWantsUsage: false });
    expect(p.push(enc(chunk('a') + usageChunk))).toBe(chunk('a'));
    expect(p.usage?.completion_tokens).toBe(3);
  });

  it('estimates usage from the streamed text when the upstream sends none', () => {
    const p = new SseProcessor({ clientWantsUsage: true });
    p.push(enc(chunk('12345678') + chunk('abcd')));
    expect(p.estimatedCompletionTokens()).toBe(3);
    const tail = p.finish(() => ({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }));
    expect(tail).toMatch(/"usage":\{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8\}/);
    expect(tail).toMatch(/"model":"m"/);
    expect(tail.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('notices error events from the upstream and normalises CRLF framing', () => {
    const p = new SseProcessor({ clientWantsUsage: false });
    const out = p.push(enc('data: {"error":{"message":"overloaded"}}\r\n\r\n'));
    expect(out).toBe('data: {"error":{"message":"overloaded"}}\n\n');
    expect(p.upstreamError).toBe('overloaded');
  });

  it('reads multi-line data and renders OpenAI-style error events', () => {
    expect(dataOf('event: x\ndata: a\ndata: b')).toBe('a\nb');
    expect(dataOf(': ping')).toBeUndefined();
    expect(JSON.parse(dataOf(errorEvent('broke'))!)).toEqual({
      error: { message: 'broke', type: 'upstream_error', code: 'stream_interrupted', param: null },
    });
  });
});
