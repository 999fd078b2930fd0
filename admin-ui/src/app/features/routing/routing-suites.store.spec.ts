import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { type RoutingRunResponseDto } from '../../api/models/routing-run-response-dto';
import { comparisonRows } from './routing-suites';
import { RoutingSuitesStore } from './routing-suites.store';

const URL = '/api/prism/admin/routing/suites';

function run(id: string, accuracy: number | null, underRouted: number): RoutingRunResponseDto {
  return {
    id,
    suiteId: 's1',
    tenantId: 't1',
    createdAt: '2026-12-06T08:00:00.000Z',
    llmClassifier: false,
    evaluation: null,
    summary: {
      total: 4,
      accuracy,
      tierAccuracy: accuracy,
      categoryAccuracy: null,
      categoryChecked: 0,
      categoryMatches: 0,
      tierChecked: 4,
      tierMatches: 3,
      tierDistribution: [],
      underRouted,
      avgRoutingMs: 0.4,
    },
  };
}

describe('RoutingSuitesStore', () => {
  let store: RoutingSuitesStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [RoutingSuitesStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(RoutingSuitesStore);
    http = TestBed.inject(HttpTestingController);
  });

  it('selects the first suite and loads its runs; a third ticked run drops the oldest tick', async () => {
    const loading = store.load(false);
    http
      .expectOne(URL)
      .flush([
        { id: 's1', name: 'Smoke', description: '', tenantId: 't1', cases: [], createdAt: '', updatedAt: '' },
      ]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    http.expectOne(`${URL}/s1/runs`).flush([run('r1', 0.5, 1), run('r2', 0.75, 0), run('r3', 1, 0)]);
    await loading;
    expect(store.selected()?.name).toBe('Smoke');
    expect(store.runs()).toHaveLength(3);

    store.toggleCompared('r1');
    store.toggleCompared('r2');
    store.toggleCompared('r3');
    expect(store.compared()).toEqual(['r2', 'r3']);
    store.toggleCompared('r2');
    expect(store.compared()).toEqual(['r3']);
    http.verify();
  });

  it('compares two runs figure by figure, knowing which direction is better', () => {
    const rows = comparisonRows([run('a', 0.5, 2), run('b', 0.75, 1)]);
    expect(rows.find((r) => r.label === 'Accuracy')).toMatchObject({ values: [0.5, 0.75], better: 'higher' });
    expect(rows.find((r) => r.label === 'Under-routed cases')).toMatchObject({
      values: [2, 1],
      better: 'lower',
    });
    expect(rows.find((r) => r.label === 'Evaluation score')?.values).toEqual([null, null]);
  });
});
