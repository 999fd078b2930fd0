import { DEFAULT_RULE_SET } from '../data/default-rule-set.data';
import type { RoutingMessage } from '../router.interface';
import type { RuleSet } from './routing.types';
import { applyRules, compileRuleSet, tierForTokens } from './rules';
import { extractSignals } from './signals';

function run(messages: RoutingMessage[], ruleSet: RuleSet = DEFAULT_RULE_SET) {
  const { signals, texts } = extractSignals({ model: 'auto', messages });
  return applyRules(signals, texts, compileRuleSet(ruleSet));
}

describe('rules', () => {
  it('maps token counts to tiers with the 500/2k/8k/15k/50k thresholds', () => {
    const thresholds = DEFAULT_RULE_SET.tokenThresholds;
    expect(tierForTokens(499, thresholds)).toBe('micro');
    expect(tierForTokens(500, thresholds)).toBe('minimal');
    expect(tierForTokens(2000, thresholds)).toBe('low');
    expect(tierForTokens(8000, thresholds)).toBe('medium');
    expect(tierForTokens(15000, thresholds)).toBe('advanced');
    expect(tierForTokens(50000, thresholds)).toBe('high');
    expect(tierForTokens(5_000_000, thresholds)).toBe('high');
  });

  it('needs two security keywords for the security rule', () => {
    expect(run([{ role: 'user', content: 'How do I prevent XSS?' }]).hits).toEqual([]);
    const outcome = run([{ role: 'user', content: 'Audit this form for XSS and CSRF problems' }]);
    expect(outcome.hits).toEqual([
      expect.objectContaining({
        kind: 'keyword',
        name: 'Security review',
        category: 'security_review',
        tierMin: 'high',
        matched: ['xss', 'csrf'],
      }),
    ]);
    expect(outcome.domain).toBe('security');
  });

  it('recognises a coding agent from its system prompt', () => {
    const outcome = run([
      {
        role: 'system',
        content: 'You are an interactive CLI tool that helps users with software engineering tasks.',
      },
      { role: 'user', content: 'Fix the build' },
    ]);
    expect(outcome.hits).toEqual([
      expect.objectContaining({
        kind: 'role',
        name: 'Coding agent',
        category: 'agentic_swe',
        confidence: 0.6,
      }),
    ]);
  });

  it('honours match=all, searchIn and default confidences', () => {
    const ruleSet: RuleSet = {
      ...DEFAULT_RULE_SET,
      keywordRules: [
        {
          name: 'Both words',
          keywords: ['invoice', 'overdue'],
          match: 'all',
          minMatches: 1,
          searchIn: 'user',
          tierMin: 'low',
        },
        {
          name: 'System only',
          keywords: ['pirate'],
          match: 'any',
          minMatches: 1,
          searchIn: 'system',
          category: 'roleplay',
        },
        {
          name: 'Disabled',
          enabled: false,
          keywords: ['invoice'],
          match: 'any',
          minMatches: 1,
          searchIn: 'all',
          tierMin: 'high',
        },
      ],
      systemPromptRoles: [],
    };
    expect(run([{ role: 'user', content: 'The invoice is late' }], ruleSet).hits).toEqual([]);
    const both = run(
      [
        { role: 'system', content: 'Talk like a pirate' },
        { role: 'user', content: 'This invoice is overdue, pirate' },
      ],
      ruleSet,
    );
    expect(both.hits.map((hit) => [hit.name, hit.confidence])).toEqual([
      ['Both words', DEFAULT_RULE_SET.weights.contentKeywords],
      ['System only', DEFAULT_RULE_SET.weights.contentKeywords],
    ]);
  });

  it('matches keywords on whole words only and is case-insensitive', () => {
    const ruleSet: RuleSet = {
      ...DEFAULT_RULE_SET,
      keywordRules: [
        { name: 'NDA', keywords: ['nda'], match: 'any', minMatches: 1, searchIn: 'user', domain: 'legal' },
      ],
      systemPromptRoles: [],
    };
    expect(run([{ role: 'user', content: 'Put it on the agenda' }], ruleSet).hits).toEqual([]);
    expect(run([{ role: 'user', content: 'Draft an NDA please' }], ruleSet).hits).toHaveLength(1);
  });

  it('skips rules that cannot compile instead of failing the request', () => {
    const ruleSet: RuleSet = {
      ...DEFAULT_RULE_SET,
      keywordRules: [],
      systemPromptRoles: [{ name: 'Broken', pattern: '(', category: 'smalltalk' }],
    };
    const compiled = compileRuleSet(ruleSet);
    expect(compiled.skipped).toEqual(['Broken']);
    expect(compileRuleSet(ruleSet)).toBe(compiled);
  });
});
