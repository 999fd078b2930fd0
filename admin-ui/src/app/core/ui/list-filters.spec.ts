import { filterOptions, TIER_FILTER } from './list-filters';

describe('filterOptions', () => {
  it('puts the "any" choice first, then the choices in their order', () => {
    expect(filterOptions({ local: 'Local', ldap: 'LDAP' })).toEqual([
      { value: '', label: 'Any' },
      { value: 'local', label: 'Local' },
      { value: 'ldap', label: 'LDAP' },
    ]);
    expect(filterOptions({ active: 'Active' }, 'Any', 'any')[0]).toEqual({ value: 'any', label: 'Any' });
  });

  it('uses plain values as their own labels', () => {
    expect(filterOptions(['vision', 'tools'], 'All')).toEqual([
      { value: '', label: 'All' },
      { value: 'vision', label: 'vision' },
      { value: 'tools', label: 'tools' },
    ]);
    expect(TIER_FILTER.options.slice(0, 2)).toEqual([
      { value: '', label: 'All' },
      { value: 'micro', label: 'micro' },
    ]);
  });
});
