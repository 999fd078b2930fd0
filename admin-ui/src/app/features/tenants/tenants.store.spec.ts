import { slugify, TENANT_SLUG_PATTERN } from './tenants.store';

describe('slugify', () => {
  it.each([
    ['My Team', 'my-team'],
    ['  Data  Science!! ', 'data-science'],
    ['Équipe Réseau', 'equipe-reseau'],
    ['---', ''],
    ['a'.repeat(80), 'a'.repeat(63)],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('produces slugs the server accepts', () => {
    for (const name of ['My Team', 'x', 'Platform 2026', `${'ab-'.repeat(30)}z`]) {
      expect(slugify(name)).toMatch(TENANT_SLUG_PATTERN);
    }
  });
});
