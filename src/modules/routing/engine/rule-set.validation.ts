/**
 * Semantic validation of a rule set, independent of any HTTP layer: the admin DTO layer calls
 * {@link validateRuleSet} and turns the field errors into a 400. The engine only ever sees rule sets
 * that passed here (it still compiles defensively).
 */
import { compareTiers, isTier, type Tier } from '../../../common/tiers';
import {
  CLASSIFIER_STRATEGIES,
  COST_MODES,
  DOMAINS,
  KEYWORD_SEARCH_SCOPES,
  type Domain,
  type KeywordRule,
  type RoleRule,
  type RuleSet,
  type SignalWeights,
  type TokenThresholds,
} from './routing.types';
import { checkRegexSafety } from './safe-regex';
import { RULE_REGEX_MAX_LENGTH } from './text-match';

export interface FieldError {
  /** Dotted path with array indexes, e.g. `keywordRules[2].keywords[0]`. */
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export const RULE_SET_LIMITS = {
  nameLength: 100,
  keywordRules: 100,
  keywordsPerRule: 100,
  keywordLength: 100,
  keywordRegexLength: RULE_REGEX_MAX_LENGTH,
  roleRules: 50,
  rolePatternLength: 300,
  maxTokenThreshold: 10_000_000,
  minContextLimitTokens: 500,
  maxContextLimitTokens: 2_000_000,
  maxTierBoost: 2,
} as const;

const THRESHOLD_KEYS = [
  'minimal',
  'low',
  'medium',
  'advanced',
  'high',
] as const satisfies readonly (keyof TokenThresholds)[];
const WEIGHT_KEYS = [
  'tokenCount',
  'systemPromptRole',
  'contentKeywords',
  'codeLanguage',
  'conversationTurns',
] as const satisfies readonly (keyof SignalWeights)[];

export interface RuleSetValidationOptions {
  /** When given, rule categories must be one of these keys. */
  categoryKeys?: Iterable<string>;
}

class Collector {
  readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
}

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readName(value: unknown, path: string, errors: Collector): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    errors.add(path, 'must be a non-empty string');
    return '';
  }
  if (value.length > RULE_SET_LIMITS.nameLength)
    errors.add(path, `must be at most ${RULE_SET_LIMITS.nameLength} characters`);
  return value.trim();
}

function readNumber(
  value: unknown,
  path: string,
  errors: Collector,
  min: number,
  max: number,
  integer = false,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    errors.add(path, 'must be a number');
    return min;
  }
  if (integer && !Number.isInteger(value)) errors.add(path, 'must be an integer');
  if (value < min || value > max) errors.add(path, `must be between ${min} and ${max}`);
  return value;
}

function readEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  path: string,
  errors: Collector,
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    errors.add(path, `must be one of: ${allowed.join(', ')}`);
    return allowed[0] as T;
  }
  return value as T;
}

interface RuleTargets {
  category?: string;
  tierMin?: Tier;
  tierMax?: Tier;
  domain?: Domain;
  confidence?: number;
  enabled?: boolean;
}

function readTargets(
  raw: Bag,
  path: string,
  errors: Collector,
  categoryKeys: Set<string> | null,
): RuleTargets {
  const targets: RuleTargets = {};
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') errors.add(`${path}.enabled`, 'must be a boolean');
    else targets.enabled = raw.enabled;
  }
  if (raw.category !== undefined && raw.category !== null) {
    if (typeof raw.category !== 'string' || raw.category.length === 0) {
      errors.add(`${path}.category`, 'must be a category key');
    } else if (categoryKeys && !categoryKeys.has(raw.category)) {
      errors.add(`${path}.category`, `unknown category '${raw.category}'`);
    } else {
      targets.category = raw.category;
    }
  }
  for (const key of ['tierMin', 'tierMax'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (!isTier(value)) errors.add(`${path}.${key}`, 'must be a tier (micro … critical)');
    else targets[key] = value;
  }
  if (targets.tierMin && targets.tierMax && compareTiers(targets.tierMin, targets.tierMax) > 0) {
    errors.add(`${path}.tierMax`, 'must not be below tierMin');
  }
  if (raw.domain !== undefined && raw.domain !== null)
    targets.domain = readEnum(raw.domain, DOMAINS, `${path}.domain`, errors);
  if (raw.confidence !== undefined && raw.confidence !== null) {
    targets.confidence = readNumber(raw.confidence, `${path}.confidence`, errors, 0, 1);
  }
  if (!targets.category && !targets.tierMin && !targets.tierMax && !targets.domain) {
    errors.add(path, 'must set at least one of category, tierMin, tierMax or domain');
  }
  return targets;
}

function readKeywordRule(
  raw: unknown,
  path: string,
  errors: Collector,
  categoryKeys: Set<string> | null,
): KeywordRule {
  if (!isBag(raw)) {
    errors.add(path, 'must be an object');
    return { name: '', keywords: [], match: 'any', minMatches: 1, searchIn: 'user' };
  }
  const name = readName(raw.name, `${path}.name`, errors);
  const regex = raw.regex === true;
  if (raw.regex !== undefined && typeof raw.regex !== 'boolean')
    errors.add(`${path}.regex`, 'must be a boolean');
  const keywords: string[] = [];
  if (!Array.isArray(raw.keywords) || raw.keywords.length === 0) {
    errors.add(`${path}.keywords`, 'must be a non-empty array');
  } else if (raw.keywords.length > RULE_SET_LIMITS.keywordsPerRule) {
    errors.add(`${path}.keywords`, `must have at most ${RULE_SET_LIMITS.keywordsPerRule} entries`);
  } else {
    (raw.keywords as unknown[]).forEach((keyword, index) => {
      const keywordPath = `${path}.keywords[${index}]`;
      if (typeof keyword !== 'string' || keyword.trim().length === 0) {
        errors.add(keywordPath, 'must be a non-empty string');
        return;
      }
      if (regex) {
        const problem = checkRegexSafety(keyword, RULE_SET_LIMITS.keywordRegexLength);
        if (problem) errors.add(keywordPath, problem);
      } else if (keyword.length > RULE_SET_LIMITS.keywordLength) {
        errors.add(keywordPath, `must be at most ${RULE_SET_LIMITS.keywordLength} characters`);
      }
      keywords.push(regex ? keyword : keyword.trim());
    });
  }
  const match = readEnum(raw.match ?? 'any', ['any', 'all'] as const, `${path}.match`, errors);
  const minMatches =
    raw.minMatches === undefined
      ? 1
      : readNumber(raw.minMatches, `${path}.minMatches`, errors, 1, RULE_SET_LIMITS.keywordsPerRule, true);
  if (match === 'any' && keywords.length > 0 && minMatches > keywords.length) {
    errors.add(`${path}.minMatches`, 'must not exceed the number of keywords');
  }
  const searchIn = readEnum(raw.searchIn ?? 'user', KEYWORD_SEARCH_SCOPES, `${path}.searchIn`, errors);
  return {
    name,
    keywords,
    regex,
    match,
    minMatches,
    searchIn,
    ...readTargets(raw, path, errors, categoryKeys),
  };
}

function readRoleRule(
  raw: unknown,
  path: string,
  errors: Collector,
  categoryKeys: Set<string> | null,
): RoleRule {
  if (!isBag(raw)) {
    errors.add(path, 'must be an object');
    return { name: '', pattern: '' };
  }
  const name = readName(raw.name, `${path}.name`, errors);
  let pattern = '';
  if (typeof raw.pattern !== 'string') {
    errors.add(`${path}.pattern`, 'must be a string');
  } else {
    const problem = checkRegexSafety(raw.pattern, RULE_SET_LIMITS.rolePatternLength);
    if (problem) errors.add(`${path}.pattern`, problem);
    pattern = raw.pattern;
  }
  return { name, pattern, ...readTargets(raw, path, errors, categoryKeys) };
}

function readArray<T>(
  value: unknown,
  path: string,
  max: number,
  errors: Collector,
  read: (item: unknown, itemPath: string) => T,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.add(path, 'must be an array');
    return [];
  }
  if (value.length > max) {
    errors.add(path, `must have at most ${max} entries`);
    return [];
  }
  return (value as unknown[]).map((item, index) => read(item, `${path}[${index}]`));
}

/**
 * Checks a complete rule set and returns a clean copy (unknown fields dropped) or every problem found,
 * each with its field path.
 */
export function validateRuleSet(
  raw: unknown,
  options: RuleSetValidationOptions = {},
): ValidationResult<RuleSet> {
  const errors = new Collector();
  if (!isBag(raw)) return { ok: false, errors: [{ path: '', message: 'must be an object' }] };
  const categoryKeys = options.categoryKeys ? new Set(options.categoryKeys) : null;

  const name = readName(raw.name, 'name', errors);

  const thresholds = {} as TokenThresholds;
  if (!isBag(raw.tokenThresholds)) {
    errors.add('tokenThresholds', 'must be an object');
  } else {
    let previous = -1;
    for (const key of THRESHOLD_KEYS) {
      const value = readNumber(
        raw.tokenThresholds[key],
        `tokenThresholds.${key}`,
        errors,
        0,
        RULE_SET_LIMITS.maxTokenThreshold,
        true,
      );
      if (value <= previous)
        errors.add(`tokenThresholds.${key}`, 'must be greater than the previous threshold');
      thresholds[key] = value;
      previous = value;
    }
  }

  const keywordRules = readArray(
    raw.keywordRules,
    'keywordRules',
    RULE_SET_LIMITS.keywordRules,
    errors,
    (item, path) => readKeywordRule(item, path, errors, categoryKeys),
  );
  const systemPromptRoles = readArray(
    raw.systemPromptRoles,
    'systemPromptRoles',
    RULE_SET_LIMITS.roleRules,
    errors,
    (item, path) => readRoleRule(item, path, errors, categoryKeys),
  );

  const weights = {} as SignalWeights;
  if (!isBag(raw.weights)) {
    errors.add('weights', 'must be an object');
  } else {
    for (const key of WEIGHT_KEYS)
      weights[key] = readNumber(raw.weights[key], `weights.${key}`, errors, 0, 1);
  }

  let classifier: RuleSet['classifier'] = {
    confidenceThreshold: 0,
    strategy: 'truncate',
    contextLimitTokens: 0,
  };
  if (!isBag(raw.classifier)) {
    errors.add('classifier', 'must be an object');
  } else {
    classifier = {
      confidenceThreshold: readNumber(
        raw.classifier.confidenceThreshold,
        'classifier.confidenceThreshold',
        errors,
        0,
        1,
      ),
      strategy: readEnum(raw.classifier.strategy, CLASSIFIER_STRATEGIES, 'classifier.strategy', errors),
      contextLimitTokens: readNumber(
        raw.classifier.contextLimitTokens,
        'classifier.contextLimitTokens',
        errors,
        RULE_SET_LIMITS.minContextLimitTokens,
        RULE_SET_LIMITS.maxContextLimitTokens,
        true,
      ),
    };
  }

  const costMode = readEnum(raw.costMode, COST_MODES, 'costMode', errors);
  const tierBoost = readNumber(
    raw.tierBoost ?? 0,
    'tierBoost',
    errors,
    -RULE_SET_LIMITS.maxTierBoost,
    RULE_SET_LIMITS.maxTierBoost,
    true,
  );

  if (errors.errors.length > 0) return { ok: false, errors: errors.errors };
  const value: RuleSet = {
    name,
    tokenThresholds: thresholds,
    keywordRules,
    systemPromptRoles,
    weights,
    classifier,
    costMode,
    tierBoost,
  };
  if (typeof raw.id === 'string') value.id = raw.id;
  return { ok: true, value };
}
