import { type KeywordRuleDto } from '../app/api/models/keyword-rule-dto';
import { type RuleSetDto } from '../app/api/models/rule-set-dto';

/** A rule set's settings without rules, as the server sends them (tests add their own rules). */
export const RULE_SET_SETTINGS: Omit<RuleSetDto, 'keywordRules' | 'systemPromptRoles'> & {
  tierBoost: number;
} = {
  name: 'Default',
  costMode: 'balanced',
  tierBoost: 1,
  tokenThresholds: { minimal: 0, low: 500, medium: 2000, advanced: 8000, high: 32000 },
  weights: {
    tokenCount: 0.3,
    systemPromptRole: 0.6,
    contentKeywords: 0.7,
    codeLanguage: 0.5,
    conversationTurns: 0.2,
  },
  classifier: { confidenceThreshold: 0.55, strategy: 'truncate', contextLimitTokens: 4000 },
};

/** A keyword rule with every field set. */
export const SQL_RULE: KeywordRuleDto = {
  name: 'SQL',
  enabled: true,
  keywords: ['select', 'join*'],
  regex: false,
  match: 'any',
  minMatches: 1,
  searchIn: 'user',
  category: 'sql_generation',
};
