import { isTier, type Tier } from '../../../common/tiers';
import registryFile from '../data/model-registry.json';
import type { ModelBenchmarks, ModelCapabilities, ModelPricing } from '../provider.types';

/** One model of the bundled registry (src/modules/providers/data/model-registry.json). */
export interface RegistryEntry {
  id: string;
  name: string;
  vendor: string;
  patterns: string[];
  tier: Tier | null;
  contextWindow: number;
  maxOutputTokens: number | null;
  pricing: ModelPricing;
  capabilities: ModelCapabilities;
  benchmarks: ModelBenchmarks;
  priority: number;
}

interface RegistryFile {
  pricesAsOf: string;
  models: (Omit<RegistryEntry, 'tier'> & { tier: string | null })[];
}

const file = registryFile as RegistryFile;

export const REGISTRY_PRICES_AS_OF = file.pricesAsOf;
export const REGISTRY_ENTRIES: readonly RegistryEntry[] = file.models.map((m) => ({
  ...m,
  tier: m.tier !== null && isTier(m.tier) ? m.tier : null,
}));

const REGION_PREFIX = /^(us|eu|apac|ap|global|jp|au|ca|us-gov)\./;
const VENDOR_PREFIX =
  /^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|google|writer|xai|microsoft)\./;

/**
 * Reduces a provider's model id to a comparable name: lowercase, no vendor or region prefix
 * (`openai/`, `eu.anthropic.`), no date stamp, version suffix (`-v1:0`) or `-latest`, `:` and `_`
 * as `-`. `eu.anthropic.claude-3-5-sonnet-20240620-v1:0` → `claude-3-5-sonnet`.
 */
export function normalizeModelName(raw: string): string {
  let name = raw.trim().toLowerCase();
  name = name.slice(name.lastIndexOf('/') + 1);
  name = name.replace(REGION_PREFIX, '').replace(VENDOR_PREFIX, '');
  name = name.replace(/[:_\s]+/g, '-');
  let previous = '';
  while (previous !== name) {
    previous = name;
    name = name
      .replace(/-v\d+(-\d+)?$/, '')
      .replace(/-\d{8}$/, '')
      .replace(/-\d{4}-\d{2}-\d{2}$/, '')
      .replace(/-(latest|preview)$/, '');
  }
  return name;
}

interface IndexedPattern {
  pattern: string;
  entry: RegistryEntry;
}

const PATTERNS: readonly IndexedPattern[] = REGISTRY_ENTRIES.flatMap((entry) =>
  [entry.id, ...entry.patterns].map((p) => ({ pattern: normalizeModelName(p), entry })),
).sort((a, b) => b.pattern.length - a.pattern.length);

const EXACT = new Map<string, RegistryEntry>();
for (const { pattern, entry } of [...PATTERNS].reverse()) EXACT.set(pattern, entry);

/** True when `pattern` occurs in `name` at `-` boundaries (so `o1` does not match `gpt-4o1x`). */
function containsAtBoundary(name: string, pattern: string): boolean {
  if (name === pattern) return true;
  const index = name.indexOf(pattern);
  if (index < 0) return false;
  for (let at = index; at >= 0; at = name.indexOf(pattern, at + 1)) {
    const before = at === 0 || name[at - 1] === '-';
    const end = at + pattern.length;
    const after = end === name.length || name[end] === '-';
    if (before && after) return true;
  }
  return false;
}

/**
 * The registry entry for a provider's model id (or the underlying model name of an Azure
 * deployment): exact normalised match first, then the longest pattern contained at `-` boundaries.
 */
export function findRegistryEntry(...names: (string | undefined)[]): RegistryEntry | undefined {
  for (const raw of names) {
    if (!raw) continue;
    const name = normalizeModelName(raw);
    const exact = EXACT.get(name);
    if (exact) return exact;
    const contained = PATTERNS.find((p) => p.pattern.length >= 2 && containsAtBoundary(name, p.pattern));
    if (contained) return contained.entry;
  }
  return undefined;
}
