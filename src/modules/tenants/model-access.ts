import type { ModelAccess } from './tenant.types';

const patternCache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let regex = patternCache.get(pattern);
  if (!regex) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${source}$`, 'i');
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(pattern, regex);
  }
  return regex;
}

/** True when an entry of the access list names the model (`gpt-4o`, `openai/gpt-4o`, `gpt-4o*`). */
export function modelListMatches(list: readonly string[], modelId: string, prefixedId?: string): boolean {
  return list.some((entry) => {
    if (entry === modelId || entry === prefixedId) return true;
    if (!entry.includes('*')) return false;
    const regex = toRegExp(entry);
    return regex.test(modelId) || (prefixedId !== undefined && regex.test(prefixedId));
  });
}

/** The tenant's whitelist/blacklist rule (DESIGN.md §3 step 4: 403 `model_not_allowed` when false). */
export function isModelAllowed(access: ModelAccess, modelId: string, prefixedId?: string): boolean {
  switch (access.mode) {
    case 'all':
      return true;
    case 'whitelist':
      return modelListMatches(access.list, modelId, prefixedId);
    case 'blacklist':
      return !modelListMatches(access.list, modelId, prefixedId);
  }
}
