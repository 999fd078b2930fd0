import { TestBed } from '@angular/core/testing';
import { NonNullableFormBuilder } from '@angular/forms';

import { type RuleSetDto } from '../../api/models/rule-set-dto';
import { applyServerErrors, controlError } from '../../core/http/form-errors';
import { RULE_SET_SETTINGS, SQL_RULE } from '../../../testing/rule-set';
import { fillRuleSetForm, keywordRuleGroup, ruleSetForm, toRuleSetDto } from './rule-set-form';

const RULE_SET: RuleSetDto & { tierBoost: number } = {
  ...RULE_SET_SETTINGS,
  keywordRules: [SQL_RULE],
  systemPromptRoles: [{ name: 'Reviewer', pattern: '^you are a code reviewer', tierMin: 'medium' }],
};

describe('rule set form', () => {
  let fb: NonNullableFormBuilder;

  beforeEach(() => {
    fb = TestBed.inject(NonNullableFormBuilder);
  });

  it('round-trips a rule set: keywords one per line, unset targets left out', () => {
    const form = ruleSetForm(fb);
    fillRuleSetForm(fb, form, RULE_SET);
    expect(form.controls.keywordRules.at(0).controls.keywords.value).toBe('select\njoin*');
    expect(form.valid).toBe(true);
    expect(toRuleSetDto(form)).toEqual({
      ...RULE_SET,
      systemPromptRoles: [
        { name: 'Reviewer', enabled: true, pattern: '^you are a code reviewer', tierMin: 'medium' },
      ],
    });
  });

  it('drops blank keyword lines and keeps the spaces of regular expressions', () => {
    const form = ruleSetForm(fb);
    fillRuleSetForm(fb, form, { ...RULE_SET, keywordRules: [] });
    const rule = keywordRuleGroup(fb);
    rule.patchValue({
      name: 'Regex',
      keywords: ' a b \n\n  \nfoo',
      regex: true,
      domain: 'legal',
      confidence: 0.9,
    });
    form.controls.keywordRules.push(rule);
    expect(toRuleSetDto(form).keywordRules).toEqual([
      {
        name: 'Regex',
        enabled: true,
        keywords: [' a b ', 'foo'],
        regex: true,
        match: 'any',
        minMatches: 1,
        searchIn: 'user',
        domain: 'legal',
        confidence: 0.9,
      },
    ]);
  });

  it('checks the server ranges before sending and shows server errors next to nested fields', () => {
    const form = ruleSetForm(fb);
    fillRuleSetForm(fb, form, RULE_SET);
    form.controls.weights.controls.tokenCount.setValue(1.5);
    form.controls.tierBoost.setValue(3);
    expect(form.invalid).toBe(true);
    expect(controlError(form.controls.tierBoost, 'Tier boost')).toBe('Tier boost must be at most 2.');

    const unmatched = applyServerErrors(form, {
      status: 400,
      message: 'Please correct the highlighted fields.',
      fieldErrors: {
        'tokenThresholds.low': ['must not be below minimal'],
        'keywordRules[0].category': ["unknown category 'sql_generation'"],
        'keywordRules[0].keywords[1]': ['is not a safe regular expression'],
      },
    });
    expect(unmatched).toEqual([]);
    expect(controlError(form.controls.tokenThresholds.controls.low, 'low')).toBe(
      'Must not be below minimal.',
    );
    const rule = form.controls.keywordRules.at(0).controls;
    expect(controlError(rule.category, 'Category')).toBe("Unknown category 'sql_generation'.");
    expect(controlError(rule.keywords, 'Keywords')).toBe('Is not a safe regular expression.');
  });
});
