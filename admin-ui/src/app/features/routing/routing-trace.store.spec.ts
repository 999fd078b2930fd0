import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { type RoutingTraceResponseDto } from '../../api/models/routing-trace-response-dto';
import { RoutingTraceStore, traceDecisionView } from './routing-trace.store';

const URL = '/api/prism/admin/routing/traces/';

function storedTrace(): RoutingTraceResponseDto {
  return {
    id: 'trace-1',
    requestId: 'req-abc',
    tenantId: 't1',
    timestamp: '2026-12-06T08:00:00.000Z',
    routed: true,
    category: 'coding',
    tier: 'medium',
    model: 'mid-model',
    providerId: 'p1',
    confidence: 0.82,
    source: 'local_classifier',
    selectionMethod: 'category_default',
    domain: null,
    reason: 'coding prompt',
    overrides: [{ code: 'vision', from: 'low', to: 'medium' }],
    classifier: { model: null, attempts: 0, costUsd: 0 },
    evidence: {},
    routingMs: 1.2,
    truncated: false,
    steps: [{ name: 'signals', input: { messages: 1 }, output: { tokens: 12 }, durationUs: 80 }],
  };
}

describe('RoutingTraceStore', () => {
  let store: RoutingTraceStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [RoutingTraceStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(RoutingTraceStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
  });

  it('looks up the trimmed id, is busy meanwhile and keeps the trace', async () => {
    const done = store.lookup('  req/abc ');
    expect(store.lookup$.busy()).toBe(true);
    const request = http.expectOne(`${URL}req%2Fabc`);
    expect(request.request.method).toBe('GET');
    request.flush(storedTrace());
    const result = await done;
    expect(result?.ok).toBe(true);
    expect(store.lookup$.busy()).toBe(false);
    expect(store.id()).toBe('req/abc');
    expect(store.trace()?.model).toBe('mid-model');
    expect(store.notFound()).toBe(false);
    expect(store.problem()).toBeNull();
  });

  it('sends nothing for a blank id', async () => {
    expect(await store.lookup('   ')).toBeNull();
    expect(store.id()).toBeNull();
  });

  it('answers a 404 with "not found" instead of an error and drops the previous trace', async () => {
    store.trace.set(storedTrace());
    const done = store.lookup('unknown');
    http
      .expectOne(`${URL}unknown`)
      .flush({ statusCode: 404, message: 'No trace for this id' }, { status: 404, statusText: 'Not Found' });
    await done;
    expect(store.notFound()).toBe(true);
    expect(store.problem()).toBeNull();
    expect(store.trace()).toBeNull();
  });

  it('reports other failures as a problem', async () => {
    const done = store.lookup('req-1');
    http
      .expectOne(`${URL}req-1`)
      .flush({ statusCode: 403, message: 'Forbidden' }, { status: 403, statusText: 'Forbidden' });
    await done;
    expect(store.notFound()).toBe(false);
    expect(store.problem()?.status).toBe(403);
    expect(store.trace()).toBeNull();

    const again = store.lookup('req-1');
    http.expectOne(`${URL}req-1`).flush(storedTrace());
    await again;
    expect(store.problem()).toBeNull();
    expect(store.trace()?.id).toBe('trace-1');
  });
});

describe('traceDecisionView', () => {
  it('fills the shared decision view and adds the facts only a stored trace has', () => {
    const view = traceDecisionView({
      ...storedTrace(),
      classifier: { model: 'judge', attempts: 1, costUsd: 0 },
    });
    expect(view).toMatchObject({
      model: 'mid-model',
      provider: 'p1',
      tier: 'medium',
      category: 'coding',
      classifier: 'judge',
      overrides: [{ code: 'vision', from: 'low', to: 'medium' }],
    });
    expect(view.extra).toContainEqual({ label: 'Request', value: 'req-abc' });
    expect(view.extra).toContainEqual({ label: 'Trace', value: 'trace-1' });
  });
});
