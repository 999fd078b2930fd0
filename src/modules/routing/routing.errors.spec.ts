import { InvalidRuleSetError } from './routing.errors';

describe('InvalidRuleSetError', () => {
  it('groups engine field errors like the validation pipe (field + messages)', () => {
    const error = new InvalidRuleSetError([
      { path: 'keywordRules[0].keywords[0]', message: 'regex may backtrack catastrophically' },
      { path: 'keywordRules[0].keywords[0]', message: 'too long' },
      { path: 'tierBoost', message: 'must be between -2 and 2' },
    ]);
    expect(error.getStatus()).toBe(400);
    const body = error.getResponse() as { message: string; details: unknown };
    expect(body.details).toEqual([
      {
        field: 'keywordRules[0].keywords[0]',
        messages: ['regex may backtrack catastrophically', 'too long'],
      },
      { field: 'tierBoost', messages: ['must be between -2 and 2'] },
    ]);
    expect(body.message).toContain('Invalid rule set: keywordRules[0].keywords[0]');
  });
});
