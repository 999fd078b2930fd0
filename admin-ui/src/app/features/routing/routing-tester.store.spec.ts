import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { type RoutingDryRunResponseDto } from '../../api/models/routing-dry-run-response-dto';
import { describeRecord } from '../../shared/routing-decision/routing-steps';
import { RoutingTesterStore, toDryRunDto } from './routing-tester.store';

const URL = '/api/prism/admin/routing/test';

function decision(): RoutingDryRunResponseDto {
  return {
    tenantId: 't1',
    tenantSlug: 'acme',
    dryRun: true,
    routed: true,
    category: 'coding',
    categoryName: 'Coding',
    tier: 'medium',
    model: { id: 'gpt-4o-mini', providerId: 'p1', providerSlug: 'openai', tier: 'medium' },
    confidence: 0.82,
    source: 'local_classifier',
    selectionMethod: 'category_default',
    domain: null,
    reason: 'coding prompt',
    overrides: [],
    systemPrompt: null,
    signals: {},
    classifier: { model: null, attempts: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    routingMs: 1.2,
    steps: [
      { name: 'signals', input: { messages: 1 }, output: { tokens: 12 }, durationUs: 80 },
      { name: 'selection', input: {}, output: { model: 'gpt-4o-mini' }, confidence: 0.82, durationUs: 40 },
    ],
  };
}

describe('RoutingTesterStore', () => {
  let store: RoutingTesterStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [RoutingTesterStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(RoutingTesterStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
  });

  it('leaves a blank system prompt out and always says whether to ask the LLM classifier', () => {
    expect(
      toDryRunDto({ tenant: ' acme ', prompt: 'hi', systemPrompt: '  ', useLlmClassifier: false }),
    ).toEqual({
      tenant: 'acme',
      prompt: 'hi',
      useLlmClassifier: false,
    });
    expect(
      toDryRunDto({ tenant: 'acme', prompt: 'hi', systemPrompt: 'You are a bot', useLlmClassifier: true }),
    ).toEqual({ tenant: 'acme', prompt: 'hi', systemPrompt: 'You are a bot', useLlmClassifier: true });
  });

  it('posts the dry run and keeps the decision with its steps', async () => {
    const done = store.run({
      tenant: 'acme',
      prompt: 'Fix this bug',
      systemPrompt: '',
      useLlmClassifier: false,
    });
    const request = http.expectOne(URL);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ tenant: 'acme', prompt: 'Fix this bug', useLlmClassifier: false });
    request.flush(decision());
    const result = await done;
    expect(result.ok).toBe(true);
    expect(store.result()?.steps.map((s) => s.name)).toEqual(['signals', 'selection']);
  });

  it('drops an old decision and reports the field errors of a rejected run', async () => {
    store.result.set(decision());
    const done = store.run({ tenant: 'nope', prompt: 'x', systemPrompt: '', useLlmClassifier: false });
    http.expectOne(URL).flush(
      {
        statusCode: 400,
        message: 'Validation failed',
        details: [{ field: 'tenant', messages: ['unknown'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    const result = await done;
    expect(result.ok).toBe(false);
    expect(store.result()).toBeNull();
    expect(store.run$.problem()?.fieldErrors).toEqual({ tenant: ['unknown'] });
  });
});

describe('describeRecord', () => {
  it('shows strings as they are and everything else as compact JSON', () => {
    expect(describeRecord({ tier: 'low', hits: ['sql', 'join'], score: 0.5, none: null })).toEqual([
      { key: 'tier', value: 'low' },
      { key: 'hits', value: '["sql","join"]' },
      { key: 'score', value: '0.5' },
      { key: 'none', value: 'null' },
    ]);
  });
});
