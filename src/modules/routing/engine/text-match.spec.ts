import { compileKeywords } from './text-match';

describe('compileKeywords: remembered results', () => {
  it('answers a repeated long text from memory with the same hits, and a returned list cannot change it', () => {
    const matcher = compileKeywords(['kubernetes', 'deploy*', 'nda']);
    const text = `${'We run a cluster. '.repeat(60)} Please deploy it on Kubernetes, see the agenda.`;
    const first = matcher.hits(text);
    expect(first).toEqual(['kubernetes', 'deploy*']);
    first.push('changed');
    expect(matcher.hits(text)).toEqual(['kubernetes', 'deploy*']);
    expect(matcher.hits(`${text} Under NDA.`)).toEqual(['kubernetes', 'deploy*', 'nda']);
  });

  it('keeps only a few texts', () => {
    const matcher = compileKeywords(['needle']);
    for (let i = 0; i < 20; i++)
      expect(matcher.hits(`${i} ${'hay '.repeat(200)} needle`)).toEqual(['needle']);
    expect(matcher.hits('short needle')).toEqual(['needle']);
  });
});
