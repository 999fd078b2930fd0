import { GatewayHttpError } from '../../../core/http/gateway-http.error';
import { SseProcessor } from '../streaming/sse-processor';
import { chatContext, tenantView } from '../testing/gateway-fixtures';
import { PlaygroundIngress } from './playground.ingress';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('PlaygroundIngress', () => {
  const ingress = new PlaygroundIngress();

  it('passes the stream through and adds the routing summary before [DONE]', () => {
    const ctx = chatContext({ model: 'auto', stream: true }, { tenant: tenantView() });
    ctx.route = {
      category: 'smalltalk',
      tier: 'minimal',
      modelId: 'small',
      confidence: 0.9,
      reason: 'classifier',
      overrides: [],
      routingMs: 0.123,
    };
    ctx.attempts.push({ provider: 'mock', model: 'small', outcome: 'ok', ms: 12.345 });
    const stream = ingress.wrapStream(new SseProcessor({ clientWantsUsage: true }), ctx);
    const chunk = 'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n';
    expect(stream.push(encode(chunk))).toBe(chunk);
    const tail = stream.finish(() => ({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }));
    expect(tail.indexOf('event: prism')).toBeLessThan(tail.indexOf('data: [DONE]'));
    expect(tail.endsWith('data: [DONE]\n\n')).toBe(true);
    const summary = JSON.parse(tail.split('event: prism\ndata: ')[1]!.split('\n\n')[0]!) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({
      requestId: 'r1',
      model: 'small',
      provider: 'mock',
      routing: { category: 'smalltalk', tier: 'minimal', confidence: 0.9, routingMs: 0.12, traceId: 'r1' },
      attempts: [{ provider: 'mock', model: 'small', outcome: 'ok', ms: 12.35 }],
    });
  });

  it("renders the gateway's errors in the admin API's shape", () => {
    const error = new GatewayHttpError(429, 'rate_limit_error', 'rate_limit_exceeded', 'Slow down');
    expect(ingress.errorResponse(error)).toEqual({
      status: 429,
      body: { statusCode: 429, error: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Slow down' },
    });
  });
});
