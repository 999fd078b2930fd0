import { SseReader } from './sse-reader';

describe('SseReader', () => {
  it('returns each complete event once and keeps a partial one for later', () => {
    const reader = new SseReader();
    let text = 'data: {"a":1}\n\ndata: {"b"';
    expect(reader.feed(text)).toEqual([{ event: 'message', data: '{"a":1}' }]);
    text += ':2}\n\nevent: prism\ndata: {"c":3}\n\ndata: [DONE]\n\n';
    expect(reader.feed(text)).toEqual([
      { event: 'message', data: '{"b":2}' },
      { event: 'prism', data: '{"c":3}' },
      { event: 'message', data: '[DONE]' },
    ]);
    expect(reader.feed(text)).toEqual([]);
  });
});
