import { analyseRegex, checkRegexSafety, compileSafe } from './safe-regex';

describe('checkRegexSafety', () => {
  it.each([
    ['\\bcoding agent\\b'],
    ['(?:foo|bar) baz'],
    ['\\b(?:title|heading)\\b[^.\\n]{0,60}\\bchat\\b'],
    ['you are (?:claude code|opencode)'],
    ['(?<![a-z])nda(?![a-z])'],
    ['https?://\\S+'],
    ['(?:ab){3}'],
  ])('accepts %s', (pattern) => {
    expect(checkRegexSafety(pattern)).toBeNull();
  });

  it.each([
    ['(a+)+$', 'catastrophic'],
    ['(a*)*b', 'catastrophic'],
    ['(a|aa)+$', 'catastrophic'],
    ['(\\w+\\s?)*$', 'catastrophic'],
    ['(?:x+y?)+', 'catastrophic'],
    ['(ab?){2,}', 'catastrophic'],
    ['\\w*\\w*x', 'too much backtracking'],
    ['.*a.*b', 'too much backtracking'],
    ['you\\s+are\\s+an\\s+agent', 'too much backtracking'],
    ['(a)\\1', 'backreferences'],
    ['(?<w>a)\\k<w>', 'backreferences'],
    ['(unclosed', 'not a valid'],
    ['', 'empty'],
    ['a'.repeat(301), 'at most 300'],
  ])('rejects %s', (pattern, message) => {
    expect(checkRegexSafety(pattern)).toContain(message);
  });

  it('caps unbounded repetition when compiling', () => {
    expect(analyseRegex('a+b*c{2,}?')).toEqual({
      ok: false,
      reason: expect.stringContaining('backtracking') as string,
    });
    expect(analyseRegex('title.*chat')).toEqual({ ok: true, source: 'title.{0,50}chat' });
    expect(compileSafe('^x+$')?.test('x'.repeat(50))).toBe(true);
    expect(compileSafe('^x+$')?.test('x'.repeat(51))).toBe(false);
  });

  it('keeps escapes, classes and group modifiers intact', () => {
    expect(analyseRegex('(?<!\\w)[*+](?:a|b)\\+')).toEqual({ ok: true, source: '(?<!\\w)[*+](?:a|b)\\+' });
  });

  it('compiles case-insensitively and returns null for invalid or unsafe sources', () => {
    expect(compileSafe('Agent')?.test('coding AGENT')).toBe(true);
    expect(compileSafe('(')).toBeNull();
    expect(compileSafe('(a+)+')).toBeNull();
  });

  it('bounds the work of an accepted pattern on hostile input', () => {
    for (const source of ['\\w+x', '.*ab', '[^.]{0,60}z?y?']) {
      const pattern = compileSafe(source) as RegExp;
      const started = performance.now();
      pattern.test('a'.repeat(6000));
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});
