import { openAIReply } from './provider-check.service';

describe('try chat replies', () => {
  it('extracts text and usage from the OpenAI-shaped answer every adapter returns', () => {
    expect(
      openAIReply({
        model: 'm',
        choices: [{ message: { content: 'hi' } }],
        usage: { prompt_tokens: 3, completion_tokens: 1 },
      }),
    ).toEqual({ model: 'm', content: 'hi', inputTokens: 3, outputTokens: 1 });
    expect(openAIReply({ choices: [] })).toEqual({
      model: undefined,
      content: null,
      inputTokens: null,
      outputTokens: null,
    });
  });
});
