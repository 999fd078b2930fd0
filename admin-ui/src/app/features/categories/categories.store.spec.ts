import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { type CategoryListResponseDto } from '../../api/models/category-list-response-dto';
import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { CategoriesStore, categoryQuery, EMPTY_CATEGORY_FILTER, groupByTier } from './categories.store';

const BASE = '/api/prism/admin/categories';

function category(key: string, tier: CategoryResponseDto['tier'], builtIn = true): CategoryResponseDto {
  return {
    key,
    name: key.replace('_', ' '),
    description: '',
    tier,
    examples: ['an example'],
    addedExamples: [],
    defaultModel: null,
    fallbackModel: null,
    requiresVision: false,
    systemPrompt: null,
    scoringProfile: null,
    builtIn,
    enabled: true,
    order: 0,
    updatedAt: null,
  };
}

function list(...items: CategoryResponseDto[]): CategoryListResponseDto {
  const tiers = [...new Set(items.map((c) => c.tier))].map((tier) => ({
    tier,
    keys: items.filter((c) => c.tier === tier).map((c) => c.key),
  }));
  return { items, total: items.length, tiers };
}

describe('categoryQuery and groupByTier', () => {
  it('sends only the filters that are set', () => {
    expect(categoryQuery(EMPTY_CATEGORY_FILTER)).toEqual({});
    expect(categoryQuery({ search: ' sql ', tier: 'low', state: 'disabled', origin: 'custom' })).toEqual({
      search: 'sql',
      tier: 'low',
      enabled: false,
      builtIn: false,
    });
  });

  it('keeps the server order of tiers and of the keys within them', () => {
    const groups = groupByTier({
      items: [category('b', 'low'), category('a', 'low'), category('c', 'high')],
      total: 3,
      tiers: [
        { tier: 'low', keys: ['a', 'b'] },
        { tier: 'high', keys: ['c'] },
      ],
    });
    expect(groups.map((g) => [g.tier, g.categories.map((c) => c.key)])).toEqual([
      ['low', ['a', 'b']],
      ['high', ['c']],
    ]);
  });
});

describe('CategoriesStore', () => {
  let store: CategoriesStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [CategoriesStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(CategoriesStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
  });

  const flushList = async (value: CategoryListResponseDto) => {
    await new Promise((resolve) => setTimeout(resolve));
    http.expectOne((r) => r.url === BASE && r.method === 'GET').flush(value);
  };

  it('reloads the grouped list after an edit so a new tier moves the category', async () => {
    const saving = store.update('coding', { tier: 'high', addedExamples: ['write a parser'] });
    const patch = http.expectOne(`${BASE}/coding`);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ tier: 'high', addedExamples: ['write a parser'] });
    patch.flush(category('coding', 'high'));
    await flushList(list(category('coding', 'high')));
    const result = await saving;
    expect(result.ok).toBe(true);
    expect(store.groups().map((g) => g.tier)).toEqual(['high']);
  });

  it('applies a preset with the provider and keeps the assignments to show them', async () => {
    const applying = store.applyPreset('balanced', 'prov-1', true);
    const post = http.expectOne(`${BASE}/presets/balanced/apply`);
    expect(post.request.body).toEqual({ providerId: 'prov-1', keepExisting: true });
    post.flush({
      preset: 'balanced',
      providerId: 'prov-1',
      updated: 1,
      assignments: [
        { category: 'coding', defaultModel: 'openai/gpt-4o', fallbackModel: null, applied: true },
      ],
    });
    await flushList(list(category('coding', 'medium')));
    await applying;
    expect(store.lastPreset()?.assignments[0]?.defaultModel).toBe('openai/gpt-4o');
  });

  it('restores the built-ins and shows a refused restore as a problem without reloading', async () => {
    const restoring = store.restoreBuiltIns();
    http
      .expectOne(`${BASE}/restore-built-ins`)
      .flush(
        { statusCode: 403, message: 'Your role lacks routing.write' },
        { status: 403, statusText: 'Forbidden' },
      );
    const result = await restoring;
    expect(result.ok).toBe(false);
    expect(store.action$.problem()?.message).toContain('routing.write');
  });

  it('offers visible registry models by their routing reference, searched on the server', async () => {
    const searching = store.searchModels(' gpt ');
    const request = http.expectOne((r) => r.url === '/api/prism/admin/models');
    expect(request.request.params.get('search')).toBe('gpt');
    expect(request.request.params.get('visible')).toBe('true');
    request.flush({
      items: [{ prefixedId: 'openai/gpt-4o', name: 'GPT-4o', tier: 'high', providerName: 'OpenAI' }],
      total: 1,
      page: 1,
      pageSize: 20,
    });
    expect(await searching).toEqual([
      { ref: 'openai/gpt-4o', name: 'GPT-4o', tier: 'high', provider: 'OpenAI' },
    ]);
  });

  it('searches a typed provider/model reference within that provider (the server matches ids and names)', async () => {
    const params = async (text: string): Promise<Record<string, string | null>> => {
      const searching = store.searchModels(text);
      const request = http.expectOne((r) => r.url === '/api/prism/admin/models');
      const { params: p } = request.request;
      request.flush({ items: [], total: 0, page: 1, pageSize: 20 });
      await searching;
      return { provider: p.get('provider'), search: p.get('search') };
    };
    expect(await params('mockai/mid')).toEqual({ provider: 'mockai', search: 'mid' });
    expect(await params('mockai/')).toEqual({ provider: 'mockai', search: null });
    expect(await params(' mini ')).toEqual({ provider: null, search: 'mini' });
  });
});
