import type { UpstreamJsonResponse } from '../../providers/adapters/provider-adapter';
import type { CostInfo } from '../cost/cost-calculator';
import type { GatewayContext } from '../pipeline/gateway-context';
import { chatContext } from '../testing/gateway-fixtures';
import { ResponseEnricher, usageFrom } from './response-enricher';

describe('ResponseEnricher.enrichText', () => {
  const enricher = new ResponseEnricher({ modelsById: () => [] });
  const cost = {
    model: 'gpt-4o-mini',
    input_tokens: 10,
    output_tokens: 15,
    cost_usd: 0.0000036,
    baseline_model: 'gpt-4o',
    baseline_cost_usd: 0.00006,
    saved_usd: 0.0000564,
  } as CostInfo;
  const text =
    '{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",' +
    '"content":"a } and a \\\\ and a \\" in \\u00e9 text"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":15}}';
  const answer = (t: string): UpstreamJsonResponse & { text: string } => ({
    status: 200,
    body: JSON.parse(t) as Record<string, unknown>,
    headers: {},
    text: t,
  });

  /** What the gateway sends on the other path: the parsed answer enriched in place and serialised. */
  function enrichedAndSerialised(ctx: GatewayContext, t: string): string {
    const body = JSON.parse(t) as Record<string, unknown>;
    enricher.enrichJson(ctx, body, cost);
    return JSON.stringify(body);
  }

  it('appends cost_info to the upstream text: the same answer as enriching and serialising it', () => {
    const ctx = chatContext({ model: 'gpt-4o-mini' });
    const sent = enricher.enrichText(ctx, answer(text), cost) as string;
    expect(sent.startsWith(text.slice(0, -1))).toBe(true);
    expect(JSON.parse(sent)).toEqual(JSON.parse(enrichedAndSerialised(ctx, text)));
    expect(Object.keys(JSON.parse(sent) as object)).toEqual([
      'id',
      'object',
      'choices',
      'usage',
      'cost_info',
    ]);
  });

  it('gives the bytes of serialising again for a compact upstream, auto_routing and context_fallback included', () => {
    const ctx = chatContext({ model: 'auto' });
    ctx.route = {
      category: 'smalltalk_simple',
      tier: 'minimal',
      modelId: 'gpt-4o-mini',
      confidence: 0.9,
      reason: 'rule "hi"',
      overrides: [],
      routingMs: 0.4321,
    };
    ctx.contextFallback = { original_model: 'a', fallback_model: 'b', reason: 'context_preflight' };
    const compact = '{"id":"c1","choices":[],"usage":{"prompt_tokens":1}}';
    expect(enricher.enrichText(ctx, answer(compact), cost)).toBe(enrichedAndSerialised(ctx, compact));
  });

  it('leaves embeddings as they came, and answers without usage too', () => {
    const embeddings = '{"object":"list","data":[{"embedding":[0.1,-2e-7]}],"usage":{"prompt_tokens":2}}\n';
    const ctx = chatContext({ model: 'e' }, { endpoint: 'embeddings' });
    expect(enricher.enrichText(ctx, answer(embeddings), cost)).toBe(embeddings.trimEnd());
    const noUsage = '{"id":"c1","choices":[{"message":{"content":"{}"}}]}';
    const chat = chatContext({ model: 'm' });
    expect(enricher.enrichText(chat, answer(noUsage), cost)).toBe(enrichedAndSerialised(chat, noUsage));
  });

  it('gives nothing (the answer is serialised instead) without text or when the upstream sent a member of its own', () => {
    const ctx = chatContext({ model: 'm' });
    expect(enricher.enrichText(ctx, { ...answer(text), text: undefined }, cost)).toBeUndefined();
    expect(enricher.enrichText(ctx, answer('{"id":"c1","cost_info":{"cost_usd":9}}'), cost)).toBeUndefined();
    expect(enricher.enrichText(ctx, answer('{"id":"c1","auto_routing":null}'), cost)).toBeUndefined();
  });
});

describe('usageFrom', () => {
  const ctx = { estimatedInputTokens: 7 } as GatewayContext;

  it('carries prompt-cache reads from prompt_tokens_details.cached_tokens', () => {
    const usage = usageFrom(
      { prompt_tokens: 1200, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 1024 } },
      ctx,
      () => 0,
    );
    expect(usage).toEqual({ input: 1200, output: 30, cachedInput: 1024, estimated: false });
  });

  it('reports 0 cached tokens when the upstream sends none, and never more than the prompt', () => {
    expect(usageFrom({ prompt_tokens: 10, completion_tokens: 2 }, ctx, () => 0).cachedInput).toBe(0);
    const odd = { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 50 } };
    expect(usageFrom(odd, ctx, () => 0).cachedInput).toBe(10);
    const junk = { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: '5' } };
    expect(usageFrom(junk, ctx, () => 0).cachedInput).toBe(0);
  });

  it('estimates without cache reads when the upstream reports no usage', () => {
    expect(usageFrom(undefined, ctx, () => 3)).toEqual({
      input: 7,
      output: 3,
      cachedInput: 0,
      estimated: true,
    });
  });
});
