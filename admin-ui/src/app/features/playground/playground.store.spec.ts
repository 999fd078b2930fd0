import { HttpEventType, HttpHeaders, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { PlaygroundStore } from './playground.store';

const URL = '/api/prism/admin/playground/chat';
const SETTINGS = { tenantId: 't1', model: 'auto', systemPrompt: '', temperature: null, maxTokens: null };

describe('PlaygroundStore', () => {
  let store: PlaygroundStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), PlaygroundStore],
    });
    store = TestBed.inject(PlaygroundStore);
    http = TestBed.inject(HttpTestingController);
  });

  it('streams the answer in and keeps the cost and routing summary under it', () => {
    store.send(SETTINGS, 'hi');
    const request = http.expectOne(URL);
    expect(request.request.body).toMatchObject({ tenantId: 't1', model: 'auto', stream: true });
    expect(request.request.reportProgress).toBe(true);
    request.event({
      type: HttpEventType.ResponseHeader,
      headers: new HttpHeaders({ 'x-request-id': 'req-1', 'x-prism-model': 'small' }),
      status: 200,
      statusText: 'OK',
      url: URL,
    } as never);
    let text = 'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n';
    request.event({ type: HttpEventType.DownloadProgress, loaded: text.length, partialText: text });
    expect(store.turns().at(-1)).toMatchObject({ role: 'assistant', content: 'Hel', streaming: true });
    text +=
      'data: {"choices":[{"delta":{"content":"lo"}}]}\n\n' +
      'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2},"cost_info":{"cost_usd":0.0001}}\n\n' +
      'event: prism\ndata: {"requestId":"req-1","model":"small","provider":"mock","routing":{"category":"chat","tier":"minimal","confidence":0.9,"reason":"r","overrides":[],"routingMs":1,"traceId":"req-1"},"contextFallback":null,"attempts":[{"provider":"mock","model":"small","outcome":"ok","ms":5}],"totalMs":9}\n\n' +
      'data: [DONE]\n\n';
    request.flush(text);
    const answer = store.turns().at(-1);
    expect(answer).toMatchObject({ content: 'Hello', streaming: false });
    expect(answer?.meta).toMatchObject({
      requestId: 'req-1',
      model: 'small',
      provider: 'mock',
      costUsd: 0.0001,
      inputTokens: 3,
      outputTokens: 2,
      attempts: 1,
      routing: { category: 'chat', tier: 'minimal' },
    });
    expect(store.streaming()).toBe(false);
  });

  it("shows the gateway's refusal under the answer and sends the history with the next turn", () => {
    store.send(SETTINGS, 'first');
    http
      .expectOne(URL)
      .flush(
        JSON.stringify({ statusCode: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached' }),
        {
          status: 429,
          statusText: 'Too Many Requests',
        },
      );
    expect(store.turns().at(-1)?.problem).toMatchObject({ status: 429, message: 'Rate limit reached' });

    store.send(SETTINGS, 'second');
    const next = http.expectOne(URL);
    // The refused answer is left out; the user's first message stays in the conversation.
    expect((next.request.body as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'first' },
      { role: 'user', content: 'second' },
    ]);
  });
});
