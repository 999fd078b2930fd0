import { openAIReply, upstreamErrorMessage } from './provider-probe';

describe('upstream replies', () => {
  it('extracts the error message of each vendor shape, shortened', () => {
    expect(upstreamErrorMessage({ error: { message: 'bad key' } }, '')).toBe('bad key');
    expect(upstreamErrorMessage({ type: 'error', error: { type: 'x', message: 'overloaded' } }, '')).toBe(
      'overloaded',
    );
    expect(upstreamErrorMessage({ message: 'AccessDenied' }, '')).toBe('AccessDenied');
    expect(upstreamErrorMessage(undefined, 'x'.repeat(1000))).toHaveLength(300);
  });

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
