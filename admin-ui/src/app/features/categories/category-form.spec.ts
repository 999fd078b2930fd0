import { TestBed } from '@angular/core/testing';
import { NonNullableFormBuilder } from '@angular/forms';

import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import {
  addExample,
  categoryForm,
  removeExample,
  toCreateCategoryDto,
  toUpdateCategoryDto,
} from './category-form';

const CODING: CategoryResponseDto = {
  key: 'coding',
  name: 'Coding',
  description: 'Writing code',
  tier: 'medium',
  examples: ['write a function', 'fix this bug'],
  addedExamples: ['refactor this class'],
  defaultModel: 'openai/gpt-4o',
  fallbackModel: null,
  requiresVision: false,
  systemPrompt: null,
  scoringProfile: null,
  builtIn: true,
  enabled: true,
  order: 1,
  updatedAt: null,
};

describe('category form', () => {
  let fb: NonNullableFormBuilder;

  beforeEach(() => {
    fb = TestBed.inject(NonNullableFormBuilder);
  });

  it('edits examples: removes shipped ones, adds admin ones once, ignores blanks', () => {
    const form = categoryForm(fb, CODING);
    removeExample(form, 'examples', 1);
    expect(addExample(form, '  explain this stack trace ', true)).toBe(true);
    expect(addExample(form, 'explain this stack trace', true)).toBe(false);
    expect(addExample(form, 'write a function', true)).toBe(false);
    expect(addExample(form, '   ', true)).toBe(false);
    form.controls.tier.setValue('high');
    form.controls.fallbackModel.setValue('  ');
    expect(toUpdateCategoryDto(form)).toEqual({
      name: 'Coding',
      description: 'Writing code',
      tier: 'high',
      defaultModel: 'openai/gpt-4o',
      fallbackModel: null,
      requiresVision: false,
      enabled: true,
      systemPrompt: null,
      examples: ['write a function'],
      addedExamples: ['refactor this class', 'explain this stack trace'],
    });
  });

  it('validates the key and model references like the server', () => {
    const form = categoryForm(fb);
    form.patchValue({ key: 'Bad Key', name: 'Legal review', defaultModel: 'has space' });
    expect(form.controls.key.hasError('pattern')).toBe(true);
    expect(form.controls.defaultModel.hasError('pattern')).toBe(true);
    form.patchValue({ key: 'legal_review', defaultModel: 'azure/gpt-4o' });
    expect(form.valid).toBe(true);
    addExample(form, 'review this contract', false);
    expect(toCreateCategoryDto(form)).toMatchObject({
      key: 'legal_review',
      tier: 'medium',
      examples: ['review this contract'],
      defaultModel: 'azure/gpt-4o',
    });
  });
});
