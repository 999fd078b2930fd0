import { promptExcerpt } from './prompt-excerpt';

describe('promptExcerpt', () => {
  it('takes the last user message of a chat, its text parts, or a plain prompt', () => {
    const chat = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'an answer' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'second' },
          { type: 'image_url' },
          { type: 'text', text: 'question' },
        ],
      },
    ];
    expect(promptExcerpt(chat, 100)).toBe('second\nquestion');
    expect(promptExcerpt('  a completion prompt ', 100)).toBe('a completion prompt');
    expect(promptExcerpt([{ role: 'system', content: 'only system' }], 100)).toBe('');
    expect(promptExcerpt(null, 100)).toBe('');
  });

  it('cuts to the example length', () => {
    expect(promptExcerpt([{ role: 'user', content: 'x'.repeat(50) }], 10)).toBe('x'.repeat(10));
  });
});
