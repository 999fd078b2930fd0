import { TIERS } from '../../../common/tiers';
import {
  findRegistryEntry,
  normalizeModelName,
  REGISTRY_ENTRIES,
  REGISTRY_PRICES_AS_OF,
} from './model-registry';

describe('bundled model registry', () => {
  it('is dated and every entry is complete and sane', () => {
    expect(REGISTRY_PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(REGISTRY_ENTRIES.length).toBeGreaterThan(60);
    for (const entry of REGISTRY_ENTRIES) {
      expect(entry.contextWindow).toBeGreaterThan(0);
      expect(entry.pricing.inputPer1M).toBeGreaterThanOrEqual(0);
      expect(entry.pricing.outputPer1M).toBeGreaterThanOrEqual(0);
      if (entry.capabilities.embeddings) expect(entry.tier).toBeNull();
      else expect(TIERS).toContain(entry.tier);
    }
  });

  it('covers all eight tiers, including micro and critical', () => {
    const tiers = new Set(REGISTRY_ENTRIES.map((e) => e.tier));
    for (const tier of TIERS) expect(tiers).toContain(tier);
  });

  it('normalises vendor, region, date and version decorations', () => {
    expect(normalizeModelName('eu.anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe('claude-3-5-sonnet');
    expect(normalizeModelName('openai/gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(normalizeModelName('llama3.1:8b')).toBe('llama3.1-8b');
    expect(normalizeModelName('claude-3-5-haiku-latest')).toBe('claude-3-5-haiku');
  });

  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['openai/gpt-4.1-mini', 'gpt-4.1-mini'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4.5'],
    ['claude-opus-4-1-20250805', 'claude-opus-4.1'],
    ['meta.llama3-3-70b-instruct-v1:0', 'llama-3.3-70b'],
    ['amazon.nova-pro-v1:0', 'nova-pro'],
    ['llama3.1:8b', 'llama-3.1-8b'],
    ['qwen2.5-coder:7b', 'qwen2.5-coder-7b'],
    ['qwen2.5-coder:1.5b', 'qwen2.5-coder-1.5b'],
    ['o3-mini', 'o3-mini'],
    ['o3', 'o3'],
    ['deepseek-chat', 'deepseek-v3'],
    ['text-embedding-3-small', 'text-embedding-3-small'],
    ['nomic-embed-text:latest', 'nomic-embed-text'],
  ])('matches %s to %s', (modelId, expected) => {
    expect(findRegistryEntry(modelId)?.id).toBe(expected);
  });

  it('does not guess for unknown models or match short patterns inside other words', () => {
    expect(findRegistryEntry('my-finetune-xyz')).toBeUndefined();
    expect(findRegistryEntry('foo1')).toBeUndefined();
  });

  it('uses the underlying model of an Azure deployment when the deployment name is custom', () => {
    expect(findRegistryEntry('prod-chat', 'gpt-4o')?.id).toBe('gpt-4o');
  });
});
