import { Types } from 'mongoose';

import { BUILT_IN_CATEGORIES } from '../data';
import { builtInDocument } from '../persistence/category-mapping';
import type { RoutingCategoryRecord } from '../persistence/routing-category.schema';
import { matchesQuery, newExamples, toCategoryList, toCategoryResponse } from './category-views';

function record(
  key: string,
  tier: RoutingCategoryRecord['tier'],
  changes: Partial<RoutingCategoryRecord> = {},
) {
  return {
    ...builtInDocument(BUILT_IN_CATEGORIES[0]!),
    _id: new Types.ObjectId(),
    key,
    name: key.toUpperCase(),
    tier,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...changes,
  } as RoutingCategoryRecord;
}

describe('category views', () => {
  it('answers with every field, nulls for missing optional ones', () => {
    const view = toCategoryResponse(record('x', 'low', { systemPrompt: undefined as unknown as null }));
    expect(view).toMatchObject({
      key: 'x',
      tier: 'low',
      systemPrompt: null,
      updatedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('sorts by tier, then order and key, and groups by tier', () => {
    const list = toCategoryList(
      [
        record('b_high', 'high'),
        record('z_micro', 'micro', { order: 1 }),
        record('a_micro', 'micro', { order: 2 }),
        record('c_high', 'high'),
      ].map(toCategoryResponse),
    );
    expect(list.items.map((c) => c.key)).toEqual(['z_micro', 'a_micro', 'b_high', 'c_high']);
    expect(list.tiers).toEqual([
      { tier: 'micro', keys: ['z_micro', 'a_micro'] },
      { tier: 'high', keys: ['b_high', 'c_high'] },
    ]);
    expect(list.total).toBe(4);
  });

  it('filters by tier, origin, state and text', () => {
    const custom = toCategoryResponse(
      record('poems', 'low', { builtIn: false, enabled: false, description: 'Verse feedback' }),
    );
    expect(matchesQuery(custom, { tier: 'low', builtIn: false, enabled: false })).toBe(true);
    expect(matchesQuery(custom, { tier: 'medium' })).toBe(false);
    expect(matchesQuery(custom, { builtIn: true })).toBe(false);
    expect(matchesQuery(custom, { search: 'VERSE' })).toBe(true);
    expect(matchesQuery(custom, { search: 'prose' })).toBe(false);
  });

  it('keeps only new, non-empty examples (trimmed, case-insensitive)', () => {
    expect(newExamples(['Hello there'], [' hello there ', 'New one', 'new ONE', '  ', 'Other'])).toEqual([
      'New one',
      'Other',
    ]);
  });
});
