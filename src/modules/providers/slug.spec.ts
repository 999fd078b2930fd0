import { slugify, uniqueSlug } from './slug';

describe('slugs', () => {
  it('makes URL-safe slugs from names', () => {
    expect(slugify('My Azure (EU)')).toBe('my-azure-eu');
    expect(slugify('  Ölfeld Café  ')).toBe('olfeld-cafe');
    expect(slugify('***')).toBe('');
  });

  it('appends a counter when taken', () => {
    expect(uniqueSlug('openai', [])).toBe('openai');
    expect(uniqueSlug('openai', ['openai', 'openai-2'])).toBe('openai-3');
  });
});
