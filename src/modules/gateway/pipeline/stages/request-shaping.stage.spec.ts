import { GatewayHttpError } from '../../../../core/http/gateway-http.error';
import type { RoutingDecision } from '../../../routing/router.interface';
import { TenantModelIndexes } from '../../config/tenant-model-indexes';
import {
  chatContext,
  FakeConfigSource,
  modelView,
  providerView,
  tenantView,
} from '../../testing/gateway-fixtures';
import { BudgetGuardStage } from './budget-guard.stage';
import { ContextPreflightStage } from './context-preflight.stage';
import { MaxTokensStage } from './max-tokens.stage';
import { ModelResolutionStage } from './model-resolution.stage';
import { type GatewayRouter, RoutingStage } from './routing.stage';
import { StrictnessStage, stripOptOutToken } from './strictness.stage';
import { injectSystemPrompt, SystemPromptStage } from './system-prompt.stage';

const source = new FakeConfigSource(
  [providerView('p1')],
  [
    modelView('small', { tier: 'low', contextWindow: 4_000, maxOutputTokens: 1_000 }),
    modelView('large', { tier: 'low', contextWindow: 100_000, maxOutputTokens: 8_000 }),
    modelView('premium', { tier: 'high' }),
  ],
);
const routing = { ...tenantView().routing, defaultModel: 'small' };
const user = (content: string): Record<string, unknown> => ({
  model: 'small',
  messages: [{ role: 'user', content }],
});

function resolved(body: Record<string, unknown>, tenant = tenantView({ routing })) {
  const ctx = chatContext(body, { tenant, source });
  new ModelResolutionStage(new TenantModelIndexes(source)).run(ctx);
  return ctx;
}

describe('ModelResolutionStage', () => {
  it('sets the deployments and the upstream model id, or marks auto', () => {
    const ctx = resolved(user('hi'));
    expect(ctx.deployments.map((d) => d.modelId)).toEqual(['small']);
    expect(ctx.userModel).toBe('small');
    expect(resolved({ ...user('hi'), model: 'auto' }).auto).toBe(true);
  });
});

describe('StrictnessStage and the opt-out token', () => {
  it('removes the token from the last user message, in strings and text parts', () => {
    const body = { messages: [{ role: 'user', content: 'keep --x-- this' }] };
    expect(stripOptOutToken(body, '--x--')).toBe(true);
    expect(body.messages[0]?.content).toBe('keep this');
    const parts = { messages: [{ role: 'user', content: [{ type: 'text', text: '--x-- go' }] }] };
    expect(stripOptOutToken(parts, '--x--')).toBe(true);
    expect(parts.messages[0]?.content[0]).toEqual({ type: 'text', text: 'go' });
    expect(stripOptOutToken({ messages: [{ role: 'user', content: 'nothing' }] }, '--x--')).toBe(false);
  });

  it('forces routing of concrete models unless opted out or provider-pinned', () => {
    const tenant = tenantView({ routing: { ...routing, strictness: 'all' } });
    const forced = resolved(user('hi'), tenant);
    new StrictnessStage().run(forced);
    expect(forced.auto).toBe(true);
    const optedOut = resolved(user(`hi ${routing.optOutToken}`), tenant);
    new StrictnessStage().run(optedOut);
    expect(optedOut).toMatchObject({ auto: false, optedOut: true });
    const pinned = resolved({ ...user('hi'), model: 'p1/small' }, tenant);
    new StrictnessStage().run(pinned);
    expect(pinned.auto).toBe(false);
  });
});

describe('RoutingStage', () => {
  const decision = (model: string | null): RoutingDecision =>
    ({
      routed: true,
      category: 'chat',
      tier: 'low',
      model: model ? { id: model, providerId: 'p1' } : null,
      confidence: 0.9,
      reason: 'rule:chat',
      overrides: [{ code: 'tier_boost', from: 'minimal', to: 'low' }],
      systemPrompt: null,
      routingMs: 0.2,
      classifier: { costUsd: 0 },
    }) as unknown as RoutingDecision;
  const routerTo = (model: string | null): GatewayRouter => ({
    route: () => Promise.resolve({ decision: decision(model), traceId: 'trace-1' }),
  });

  it('takes the routed model and records the decision with its trace id', async () => {
    const ctx = resolved({ ...user('hi'), model: 'auto' });
    await new RoutingStage(routerTo('small')).run(ctx);
    expect(ctx.route).toMatchObject({
      modelId: 'small',
      providerId: 'p1',
      category: 'chat',
      overrides: ['tier_boost:minimal->low'],
      traceId: 'trace-1',
    });
    expect(ctx.body.model).toBe('small');
  });

  it('answers 404 when no candidate fits', async () => {
    const ctx = resolved({ ...user('hi'), model: 'auto' });
    await expect(new RoutingStage(routerTo(null)).run(ctx)).rejects.toThrow(GatewayHttpError);
  });

  it('refuses auto when routing is off and no default model is set', () => {
    const tenant = tenantView({ routing: { ...routing, enabled: false, defaultModel: null } });
    const ctx = resolved({ ...user('hi'), model: 'auto' }, tenant);
    expect(() => new RoutingStage(routerTo('small')).run(ctx)).toThrow(GatewayHttpError);
  });
});

describe('SystemPromptStage', () => {
  it('appends to the first system message once, or adds one in front', () => {
    const body = {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'x' },
      ],
    };
    expect(injectSystemPrompt(body, ['Answer in English.'])).toBe(true);
    expect(body.messages[0]?.content).toBe('Be brief.\n\nAnswer in English.');
    expect(injectSystemPrompt(body, ['Answer in English.'])).toBe(false);
    const none: Record<string, unknown> = { model: 'small', messages: [{ role: 'user', content: 'x' }] };
    const ctx = resolved(none, tenantView({ routing, defaultSystemPrompt: 'House rules.' }));
    new SystemPromptStage().run(ctx);
    expect((ctx.body.messages as unknown[])[0]).toEqual({ role: 'system', content: 'House rules.' });
  });

  it('keeps a list of system parts and their cache_control, adding the prompt as a last part (issue 15.8)', () => {
    const cached = { type: 'text', text: 'Repository notes', cache_control: { type: 'ephemeral' } };
    const original = { role: 'system', content: [{ type: 'text', text: 'You are Claude Code.' }, cached] };
    const body = { messages: [original, { role: 'user', content: 'x' }] };
    expect(injectSystemPrompt(body, ['Category prompt.'])).toBe(true);
    expect(body.messages[0]).toEqual({
      role: 'system',
      content: [...original.content, { type: 'text', text: 'Category prompt.' }],
    });
    expect(original.content).toHaveLength(2); // the client's objects are not edited in place
    expect(injectSystemPrompt(body, ['Category prompt.'])).toBe(false);
  });
});

describe('ContextPreflightStage', () => {
  it('moves to the smallest larger window and reports context_fallback', () => {
    const ctx = resolved(user('x'.repeat(20_000)));
    new ContextPreflightStage().run(ctx);
    expect(ctx.body.model).toBe('large');
    expect(ctx.contextFallback).toEqual({
      original_model: 'small',
      fallback_model: 'large',
      reason: 'context_preflight',
    });
  });

  it('keeps a fitting prompt, and refuses one no model can hold', () => {
    const fits = resolved(user('hello'));
    new ContextPreflightStage().run(fits);
    expect(fits.body.model).toBe('small');
    const huge = resolved(user('x'.repeat(2_000_000)));
    expect(() => new ContextPreflightStage().run(huge)).toThrow(/context window|window/);
  });

  it('never swaps an opted-out model', () => {
    const ctx = resolved(user('x'.repeat(20_000)));
    ctx.optedOut = true;
    expect(() => new ContextPreflightStage().run(ctx)).toThrow(GatewayHttpError);
  });
});

describe('MaxTokensStage', () => {
  it('clamps to the output limit and to the room left in the window', () => {
    const ctx = resolved({ ...user('hi'), max_tokens: 50_000 });
    new MaxTokensStage().run(ctx);
    expect(ctx.body.max_tokens).toBe(1_000);
    const full = resolved({ ...user('x'.repeat(15_000)), max_completion_tokens: 900 });
    new MaxTokensStage().run(full);
    expect(full.body.max_completion_tokens).toBeLessThan(900);
    expect(full.body.max_completion_tokens).toBeGreaterThan(0);
    const untouched = resolved(user('hi'));
    new MaxTokensStage().run(untouched);
    expect(untouched.body.max_tokens).toBeUndefined();
  });
});

describe('BudgetGuardStage', () => {
  it('refuses a blocked tier only while the guard is active', () => {
    const ctx = resolved({ ...user('hi'), model: 'premium' });
    new BudgetGuardStage().run(ctx);
    ctx.blockedTiers = ['high'];
    expect(() => new BudgetGuardStage().run(ctx)).toThrow(/blocked/);
  });
});
