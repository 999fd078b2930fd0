import { type NonNullableFormBuilder, Validators } from '@angular/forms';

import { type KeywordRuleDto } from '../../api/models/keyword-rule-dto';
import { type RoleRuleDto } from '../../api/models/role-rule-dto';
import { type RuleSetDto } from '../../api/models/rule-set-dto';
import { type Tier } from '../../core/routing/tiers';

export type CostMode = RuleSetDto['costMode'];
export type ClassifierStrategy = RuleSetDto['classifier']['strategy'];
export type Domain = NonNullable<KeywordRuleDto['domain']>;
export type SearchScope = KeywordRuleDto['searchIn'];

export const COST_MODES: readonly CostMode[] = ['economy', 'balanced', 'quality'];
export const CLASSIFIER_STRATEGIES: readonly ClassifierStrategy[] = ['metadata_only', 'truncate', 'summary'];
export const DOMAINS: readonly Domain[] = ['security', 'legal', 'medical', 'finance'];
export const SEARCH_SCOPES: readonly SearchScope[] = ['user', 'system', 'all'];
export const THRESHOLD_KEYS = ['minimal', 'low', 'medium', 'advanced', 'high'] as const;
export const WEIGHT_KEYS = [
  'tokenCount',
  'systemPromptRole',
  'contentKeywords',
  'codeLanguage',
  'conversationTurns',
] as const;

/** The server's limits (src/modules/routing/engine/rule-set.validation.ts). */
export const RULE_SET_LIMITS = {
  nameLength: 100,
  keywordRules: 100,
  keywordsPerRule: 100,
  roleRules: 50,
  rolePatternLength: 300,
  regexLength: 200,
  maxTokenThreshold: 10_000_000,
  minContextLimitTokens: 500,
  maxContextLimitTokens: 2_000_000,
  maxTierBoost: 2,
} as const;

const UNIT = [Validators.required, Validators.min(0), Validators.max(1)];
const TOKENS = [Validators.required, Validators.min(0), Validators.max(RULE_SET_LIMITS.maxTokenThreshold)];

/** What a keyword or role rule routes to; empty strings and null mean "not set". */
function targetControls(fb: NonNullableFormBuilder, rule?: KeywordRuleDto | RoleRuleDto) {
  return {
    category: [rule?.category ?? '', [Validators.maxLength(64)]],
    tierMin: fb.control<Tier | ''>(rule?.tierMin ?? ''),
    tierMax: fb.control<Tier | ''>(rule?.tierMax ?? ''),
    domain: fb.control<Domain | ''>(rule?.domain ?? ''),
    confidence: fb.control<number | null>(rule?.confidence ?? null, [Validators.min(0), Validators.max(1)]),
  };
}

export function keywordRuleGroup(fb: NonNullableFormBuilder, rule?: KeywordRuleDto) {
  return fb.group({
    name: [rule?.name ?? '', [Validators.required, Validators.maxLength(RULE_SET_LIMITS.nameLength)]],
    enabled: [rule?.enabled ?? true],
    /** One keyword (or regex) per line. */
    keywords: [(rule?.keywords ?? []).join('\n'), [Validators.required]],
    regex: [rule?.regex ?? false],
    match: fb.control<'any' | 'all'>(rule?.match ?? 'any'),
    minMatches: fb.control<number>(rule?.minMatches ?? 1, [
      Validators.required,
      Validators.min(1),
      Validators.max(RULE_SET_LIMITS.keywordsPerRule),
    ]),
    searchIn: fb.control<SearchScope>(rule?.searchIn ?? 'user'),
    ...targetControls(fb, rule),
  });
}

export function roleRuleGroup(fb: NonNullableFormBuilder, rule?: RoleRuleDto) {
  return fb.group({
    name: [rule?.name ?? '', [Validators.required, Validators.maxLength(RULE_SET_LIMITS.nameLength)]],
    enabled: [rule?.enabled ?? true],
    pattern: [
      rule?.pattern ?? '',
      [Validators.required, Validators.maxLength(RULE_SET_LIMITS.rolePatternLength)],
    ],
    ...targetControls(fb, rule),
  });
}

export type KeywordRuleGroup = ReturnType<typeof keywordRuleGroup>;
export type RoleRuleGroup = ReturnType<typeof roleRuleGroup>;

export function ruleSetForm(fb: NonNullableFormBuilder) {
  return fb.group({
    name: ['', [Validators.required, Validators.maxLength(RULE_SET_LIMITS.nameLength)]],
    costMode: fb.control<CostMode>('balanced'),
    tierBoost: fb.control<number>(0, [
      Validators.required,
      Validators.min(-RULE_SET_LIMITS.maxTierBoost),
      Validators.max(RULE_SET_LIMITS.maxTierBoost),
    ]),
    tokenThresholds: fb.group({
      minimal: fb.control<number>(0, TOKENS),
      low: fb.control<number>(0, TOKENS),
      medium: fb.control<number>(0, TOKENS),
      advanced: fb.control<number>(0, TOKENS),
      high: fb.control<number>(0, TOKENS),
    }),
    weights: fb.group({
      tokenCount: fb.control<number>(0, UNIT),
      systemPromptRole: fb.control<number>(0, UNIT),
      contentKeywords: fb.control<number>(0, UNIT),
      codeLanguage: fb.control<number>(0, UNIT),
      conversationTurns: fb.control<number>(0, UNIT),
    }),
    classifier: fb.group({
      confidenceThreshold: fb.control<number>(0.5, UNIT),
      strategy: fb.control<ClassifierStrategy>('metadata_only'),
      contextLimitTokens: fb.control<number>(4000, [
        Validators.required,
        Validators.min(RULE_SET_LIMITS.minContextLimitTokens),
        Validators.max(RULE_SET_LIMITS.maxContextLimitTokens),
      ]),
    }),
    keywordRules: fb.array<KeywordRuleGroup>([]),
    systemPromptRoles: fb.array<RoleRuleGroup>([]),
  });
}

export type RuleSetForm = ReturnType<typeof ruleSetForm>;

/** Loads a rule set into the form (rebuilding the rule lists). */
export function fillRuleSetForm(
  fb: NonNullableFormBuilder,
  form: RuleSetForm,
  ruleSet: RuleSetDto & { tierBoost?: number },
): void {
  const keywordRules = form.controls.keywordRules;
  const roleRules = form.controls.systemPromptRoles;
  keywordRules.clear({ emitEvent: false });
  roleRules.clear({ emitEvent: false });
  for (const rule of ruleSet.keywordRules)
    keywordRules.push(keywordRuleGroup(fb, rule), { emitEvent: false });
  for (const rule of ruleSet.systemPromptRoles) roleRules.push(roleRuleGroup(fb, rule), { emitEvent: false });
  form.reset({
    name: ruleSet.name,
    costMode: ruleSet.costMode,
    tierBoost: ruleSet.tierBoost,
    tokenThresholds: ruleSet.tokenThresholds,
    weights: ruleSet.weights,
    classifier: ruleSet.classifier,
  });
}

interface TargetValue {
  category: string;
  tierMin: Tier | '';
  tierMax: Tier | '';
  domain: Domain | '';
  confidence: number | null;
}

function targets(value: TargetValue) {
  return {
    ...(value.category.trim() ? { category: value.category.trim() } : {}),
    ...(value.tierMin ? { tierMin: value.tierMin } : {}),
    ...(value.tierMax ? { tierMax: value.tierMax } : {}),
    ...(value.domain ? { domain: value.domain } : {}),
    ...(value.confidence !== null ? { confidence: value.confidence } : {}),
  };
}

/** The PUT body: keywords one per line, blank targets left out. */
export function toRuleSetDto(form: RuleSetForm): RuleSetDto {
  const v = form.getRawValue();
  return {
    name: v.name.trim(),
    costMode: v.costMode,
    tierBoost: v.tierBoost,
    tokenThresholds: v.tokenThresholds,
    weights: v.weights,
    classifier: v.classifier,
    keywordRules: v.keywordRules.map((rule) => ({
      name: rule.name.trim(),
      enabled: rule.enabled,
      keywords: rule.keywords
        .split('\n')
        .map((k) => (rule.regex ? k : k.trim()))
        .filter((k) => k.trim() !== ''),
      regex: rule.regex,
      match: rule.match,
      minMatches: rule.minMatches,
      searchIn: rule.searchIn,
      ...targets(rule),
    })),
    systemPromptRoles: v.systemPromptRoles.map((rule) => ({
      name: rule.name.trim(),
      enabled: rule.enabled,
      pattern: rule.pattern,
      ...targets(rule),
    })),
  };
}
