import { type NonNullableFormBuilder, Validators } from '@angular/forms';

import { type CategoryResponseDto } from '../../api/models/category-response-dto';
import { type CreateCategoryDto } from '../../api/models/create-category-dto';
import { type UpdateCategoryDto } from '../../api/models/update-category-dto';
import { type Tier } from '../../core/routing/tiers';

/** The server's rules (src/modules/routing/categories/dto/category.dto.ts). */
export const CATEGORY_KEY_PATTERN = /^[a-z][a-z0-9_]{1,63}$/;
export const MODEL_REF_PATTERN = /^\S{1,200}$/;
export const CATEGORY_LIMITS = {
  name: 100,
  description: 1000,
  examples: 100,
  exampleLength: 2000,
  addedExamples: 500,
  systemPrompt: 8000,
} as const;

export function categoryForm(fb: NonNullableFormBuilder, category?: CategoryResponseDto) {
  return fb.group({
    key: [category?.key ?? '', [Validators.required, Validators.pattern(CATEGORY_KEY_PATTERN)]],
    name: [category?.name ?? '', [Validators.required, Validators.maxLength(CATEGORY_LIMITS.name)]],
    description: [category?.description ?? '', [Validators.maxLength(CATEGORY_LIMITS.description)]],
    tier: fb.control<Tier>(category?.tier ?? 'medium', [Validators.required]),
    defaultModel: [category?.defaultModel ?? '', [Validators.pattern(MODEL_REF_PATTERN)]],
    fallbackModel: [category?.fallbackModel ?? '', [Validators.pattern(MODEL_REF_PATTERN)]],
    requiresVision: [category?.requiresVision ?? false],
    enabled: [category?.enabled ?? true],
    systemPrompt: [category?.systemPrompt ?? '', [Validators.maxLength(CATEGORY_LIMITS.systemPrompt)]],
    /** Shipped (built-in) or initial examples. */
    examples: fb.control<string[]>([...(category?.examples ?? [])]),
    /** Added by admins; "restore built-ins" keeps them. */
    addedExamples: fb.control<string[]>([...(category?.addedExamples ?? [])]),
  });
}

export type CategoryForm = ReturnType<typeof categoryForm>;
type CategoryValue = ReturnType<CategoryForm['getRawValue']>;

const orNull = (value: string): string | null => (value.trim() ? value.trim() : null);

/** Adds a trimmed example once; returns false for blanks, duplicates and over-long text. */
export function addExample(form: CategoryForm, text: string, asAdded: boolean): boolean {
  const example = text.trim();
  const { examples, addedExamples } = form.getRawValue();
  if (!example || example.length > CATEGORY_LIMITS.exampleLength) return false;
  if (examples.includes(example) || addedExamples.includes(example)) return false;
  const control = asAdded ? form.controls.addedExamples : form.controls.examples;
  control.setValue([...control.value, example]);
  control.markAsDirty();
  return true;
}

export function removeExample(form: CategoryForm, list: 'examples' | 'addedExamples', index: number): void {
  const control = form.controls[list];
  control.setValue(control.value.filter((_, i) => i !== index));
  control.markAsDirty();
}

function common(v: CategoryValue) {
  return {
    name: v.name.trim(),
    description: v.description.trim(),
    tier: v.tier,
    defaultModel: orNull(v.defaultModel),
    fallbackModel: orNull(v.fallbackModel),
    requiresVision: v.requiresVision,
    enabled: v.enabled,
    systemPrompt: orNull(v.systemPrompt),
  };
}

export function toCreateCategoryDto(form: CategoryForm): CreateCategoryDto {
  const v = form.getRawValue();
  return { key: v.key.trim(), ...common(v), examples: [...v.examples, ...v.addedExamples] };
}

export function toUpdateCategoryDto(form: CategoryForm): UpdateCategoryDto {
  const v = form.getRawValue();
  return { ...common(v), examples: v.examples, addedExamples: v.addedExamples };
}
