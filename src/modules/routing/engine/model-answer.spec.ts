import { firstChoiceText, jsonFromAnswer, LENIENT_VALUE, STRICT_OBJECT } from './model-answer';

describe('model answers', () => {
  it('reads the first choice text, nothing else', () => {
    expect(
      firstChoiceText({ choices: [{ message: { content: 'hi' } }, { message: { content: 'x' } }] }),
    ).toBe('hi');
    expect(firstChoiceText({ choices: [{ message: { content: null } }] })).toBeUndefined();
    expect(firstChoiceText({ choices: [] })).toBeUndefined();
    expect(firstChoiceText({ error: 'x' })).toBeUndefined();
    expect(firstChoiceText(null)).toBeUndefined();
  });

  it('strict mode takes one object only, never repaired', () => {
    expect(jsonFromAnswer('```json\n{"a":1}\n``` and {"b":2}', STRICT_OBJECT)).toEqual({ a: 1 });
    expect(jsonFromAnswer('{"a": 1,}', STRICT_OBJECT)).toBeUndefined();
    expect(jsonFromAnswer('[{"a": 1}]', STRICT_OBJECT)).toEqual({ a: 1 });
    expect(jsonFromAnswer('[1, 2]', STRICT_OBJECT)).toBeUndefined();
  });

  it('lenient mode takes the outer object or array and forgives trailing commas', () => {
    expect(jsonFromAnswer('{"a": [1, 2,],}', LENIENT_VALUE)).toEqual({ a: [1, 2] });
    expect(jsonFromAnswer('Here: [{"a": 1}, {"b": 2},]', LENIENT_VALUE)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(jsonFromAnswer('{"list": [1]}', LENIENT_VALUE)).toEqual({ list: [1] });
    expect(jsonFromAnswer('no json', LENIENT_VALUE)).toBeUndefined();
  });
});
