import { Types } from 'mongoose';

import type { ProviderModelRecord } from '../provider-model.schema';
import { discoveredModelFields } from './discovery-merge';
import { findRegistryEntry } from './model-registry';

const now = new Date('2026-01-01T00:00:00Z');

function existingRecord(overrides: Partial<ProviderModelRecord>): ProviderModelRecord {
  return {
    _id: new Types.ObjectId(),
    providerId: new Types.ObjectId(),
    modelId: 'gpt-4o',
    name: 'My GPT',
    tier: 'high',
    categories: ['coding'],
    contextWindow: 1000,
    maxOutputTokens: 100,
    pricing: { inputPer1M: 9, outputPer1M: 9, cachedInputPer1M: null },
    capabilities: { vision: false, tools: false, fim: false, embeddings: false, reasoning: false },
    benchmarks: { intelligence: null, coding: null, math: null, speed: null },
    visible: false,
    priority: 10,
    notes: 'keep me',
    apiType: 'chat',
    manualFields: [],
    source: 'discovered',
    registryId: null,
    lastSeenAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('discoveredModelFields', () => {
  it('fills a new model from the bundled registry: price, window, tier, capabilities', () => {
    const fields = discoveredModelFields(
      { modelId: 'gpt-4o-2024-08-06' },
      undefined,
      findRegistryEntry('gpt-4o'),
      'openai',
      now,
    );
    expect(fields).toMatchObject({
      tier: 'medium',
      contextWindow: 128000,
      maxOutputTokens: 16384,
      pricing: { inputPer1M: 2.5, outputPer1M: 10 },
      visible: true,
      registryId: 'gpt-4o',
      manualFields: [],
    });
    expect(fields.capabilities).toMatchObject({ vision: true, tools: true });
  });

  it('prices self-hosted providers at zero and prefers values the provider reports', () => {
    const fields = discoveredModelFields(
      { modelId: 'llama3.1:8b', contextWindow: 32768 },
      undefined,
      findRegistryEntry('llama3.1:8b'),
      'ollama',
      now,
    );
    expect(fields.pricing).toEqual({ inputPer1M: 0, outputPer1M: 0, cachedInputPer1M: null });
    expect(fields.contextWindow).toBe(32768);
    expect(fields.tier).toBe('minimal');
  });

  it('leaves an unknown model without tier or price but listed', () => {
    const fields = discoveredModelFields({ modelId: 'house-model' }, undefined, undefined, 'custom', now);
    expect(fields).toMatchObject({
      tier: null,
      name: 'house-model',
      visible: true,
      pricing: { inputPer1M: 0 },
    });
  });

  it('never overwrites fields an admin pinned, nor visibility, categories or notes', () => {
    const existing = existingRecord({ manualFields: ['tier', 'pricing', 'name'] });
    const fields = discoveredModelFields(
      { modelId: 'gpt-4o' },
      existing,
      findRegistryEntry('gpt-4o'),
      'openai',
      now,
    );
    expect(fields).not.toHaveProperty('tier');
    expect(fields).not.toHaveProperty('pricing');
    expect(fields).not.toHaveProperty('name');
    expect(fields).not.toHaveProperty('visible');
    expect(fields).not.toHaveProperty('categories');
    expect(fields).not.toHaveProperty('notes');
    expect(fields.contextWindow).toBe(128000); // not pinned: refreshed
    expect(fields.lastSeenAt).toBe(now);
  });

  it("gives new Azure chat deployments the provider's API type; existing and embeddings models keep theirs", () => {
    const fresh = discoveredModelFields(
      { modelId: 'gpt-5' },
      undefined,
      undefined,
      'azure',
      now,
      'responses',
    );
    expect(fresh.apiType).toBe('responses');
    const embeddings = discoveredModelFields(
      { modelId: 'text-embedding-3-small' },
      undefined,
      findRegistryEntry('text-embedding-3-small'),
      'azure',
      now,
      'responses',
    );
    expect(embeddings.apiType).toBe('embeddings');
    const kept = discoveredModelFields(
      { modelId: 'gpt-4o' },
      existingRecord({}),
      undefined,
      'azure',
      now,
      'responses',
    );
    expect(kept.apiType).toBe('chat');
  });

  it('does not replace known values with unknowns', () => {
    const existing = existingRecord({ modelId: 'house-model' });
    const fields = discoveredModelFields({ modelId: 'house-model' }, existing, undefined, 'custom', now);
    expect(fields).not.toHaveProperty('tier');
    expect(fields).not.toHaveProperty('contextWindow');
  });
});
