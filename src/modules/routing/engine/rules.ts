/**
 * Stage 2: the tenant's rule set (or the global default). Keyword rules read the capped latest user
 * message and/or system prompt, role rules read the head of the system prompt, token thresholds
 * turn the size of the request into a minimum tier.
 */
import type { Tier } from '../../../common/tiers';
import type { RoutingSignals } from '../router.interface';
import type { Domain, KeywordRule, RoleRule, RuleSet, TokenThresholds } from './routing.types';
import { compileSafe } from './safe-regex';
import type { SignalTexts } from './signals';
import { compileKeywords, type KeywordMatcher } from './text-match';

const ROLE_SCAN_CHARS = 2000;

export interface CompiledKeywordRule {
  rule: KeywordRule;
  matcher: KeywordMatcher;
}

export interface CompiledRoleRule {
  rule: RoleRule;
  pattern: RegExp;
}

export interface CompiledRuleSet {
  ruleSet: RuleSet;
  keywordRules: readonly CompiledKeywordRule[];
  roleRules: readonly CompiledRoleRule[];
  /** Rules that could not be compiled (only possible for unvalidated data); they never match. */
  skipped: readonly string[];
}

const compiledCache = new WeakMap<RuleSet, CompiledRuleSet>();

/** Compiles a rule set once per object (the caller's cache hands the same object to every request). */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const cached = compiledCache.get(ruleSet);
  if (cached) return cached;
  const skipped: string[] = [];
  const keywordRules: CompiledKeywordRule[] = [];
  for (const rule of ruleSet.keywordRules) {
    if (rule.enabled === false) continue;
    try {
      keywordRules.push({ rule, matcher: compileKeywords(rule.keywords, rule.regex === true) });
    } catch {
      skipped.push(rule.name);
    }
  }
  const roleRules: CompiledRoleRule[] = [];
  for (const rule of ruleSet.systemPromptRoles) {
    if (rule.enabled === false) continue;
    const pattern = compileSafe(rule.pattern);
    if (pattern) roleRules.push({ rule, pattern });
    else skipped.push(rule.name);
  }
  const compiled: CompiledRuleSet = { ruleSet, keywordRules, roleRules, skipped };
  compiledCache.set(ruleSet, compiled);
  return compiled;
}

export interface RuleHit {
  kind: 'keyword' | 'role';
  name: string;
  category?: string;
  tierMin?: Tier;
  tierMax?: Tier;
  domain?: Domain;
  confidence: number;
  /** Keywords that matched (empty for role rules). */
  matched: readonly string[];
}

export interface RuleOutcome {
  hits: readonly RuleHit[];
  /** Minimum tier implied by the request size. */
  tokenTier: Tier;
  /** Confidence of a decision made from the token count alone. */
  tokenConfidence: number;
  /** First domain from a rule, else the first detected one. */
  domain: Domain | null;
}

/** The tier the size of a request calls for: the highest threshold it reaches. */
export function tierForTokens(tokens: number, thresholds: TokenThresholds): Tier {
  if (tokens >= thresholds.high) return 'high';
  if (tokens >= thresholds.advanced) return 'advanced';
  if (tokens >= thresholds.medium) return 'medium';
  if (tokens >= thresholds.low) return 'low';
  if (tokens >= thresholds.minimal) return 'minimal';
  return 'micro';
}

function keywordRuleHits(compiled: CompiledKeywordRule, texts: SignalTexts): string[] | null {
  const { rule, matcher } = compiled;
  let matched: string[];
  if (rule.searchIn === 'user') matched = matcher.hits(texts.lastUser);
  else if (rule.searchIn === 'system') matched = matcher.hits(texts.system);
  else matched = [...new Set([...matcher.hits(texts.lastUser), ...matcher.hits(texts.system)])];
  const needed = rule.match === 'all' ? matcher.size : Math.max(1, rule.minMatches);
  return matched.length >= needed ? matched : null;
}

export function applyRules(
  signals: RoutingSignals,
  texts: SignalTexts,
  compiled: CompiledRuleSet,
): RuleOutcome {
  const { ruleSet } = compiled;
  const hits: RuleHit[] = [];
  const systemHead =
    texts.system.length > ROLE_SCAN_CHARS ? texts.system.slice(0, ROLE_SCAN_CHARS) : texts.system;

  if (systemHead.length > 0) {
    for (const { rule, pattern } of compiled.roleRules) {
      if (!pattern.test(systemHead)) continue;
      hits.push(ruleHit('role', rule, ruleSet, []));
    }
  }
  for (const keywordRule of compiled.keywordRules) {
    const matched = keywordRuleHits(keywordRule, texts);
    if (!matched) continue;
    hits.push(ruleHit('keyword', keywordRule.rule, ruleSet, matched));
  }
  return ruleOutcome(hits, signals, ruleSet);
}

/** A matched rule as the later stages see it; the confidence defaults to the rule kind's weight. */
export function ruleHit(
  kind: RuleHit['kind'],
  rule: KeywordRule | RoleRule,
  ruleSet: RuleSet,
  matched: string[],
): RuleHit {
  return {
    kind,
    name: rule.name,
    category: rule.category,
    tierMin: rule.tierMin,
    tierMax: rule.tierMax,
    domain: rule.domain,
    confidence:
      rule.confidence ??
      (kind === 'role' ? ruleSet.weights.systemPromptRole : ruleSet.weights.contentKeywords),
    matched,
  };
}

/** The rule stage's result: the hits plus the token tier and the domain (a rule's, else the signals'). */
export function ruleOutcome(hits: RuleHit[], signals: RoutingSignals, ruleSet: RuleSet): RuleOutcome {
  const ruleDomain = hits.find((hit) => hit.domain !== undefined)?.domain;
  return {
    hits,
    tokenTier: tierForTokens(signals.tokens.total, ruleSet.tokenThresholds),
    tokenConfidence: ruleSet.weights.tokenCount * 0.35,
    domain: ruleDomain ?? signals.domains[0] ?? null,
  };
}
