import type { ModelAccess } from './tenant.types';

/**
 * A tenant's model access rule, compiled once: true when the tenant may use the model. The one
 * matcher behind the gateway (per config version, in its tenant model index) and the portal.
 *
 * Entries name a model id (`gpt-4o`), a provider-prefixed id (`openai/gpt-4o`) or a pattern where
 * `*` stands for any run of characters (`gpt-4o*`, `azure/*`); every other character is literal.
 * Matching ignores case, for exact entries and patterns alike: providers spell the same model in
 * different cases (`Meta-Llama-3` vs `meta-llama-3`), and an allow-list that silently misses a
 * model over its capitalisation is worse than one that matches it.
 */
export type ModelAccessMatcher = (modelId: string, prefixedId?: string) => boolean;

const ALLOW_ALL: ModelAccessMatcher = () => true;

export function compileModelAccess(access: ModelAccess): ModelAccessMatcher {
  const { mode, list } = access;
  if (mode === 'all' || (mode === 'blacklist' && list.length === 0)) return ALLOW_ALL;
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of list) {
    if (entry.includes('*')) patterns.push(wildcardRegExp(entry));
    else exact.add(entry.toLowerCase());
  }
  const named = (id: string): boolean =>
    exact.has(id.toLowerCase()) || patterns.some((pattern) => pattern.test(id));
  const listed = (modelId: string, prefixedId?: string): boolean =>
    named(modelId) || (prefixedId !== undefined && named(prefixedId));
  return mode === 'whitelist' ? listed : (modelId, prefixedId) => !listed(modelId, prefixedId);
}

function wildcardRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}
