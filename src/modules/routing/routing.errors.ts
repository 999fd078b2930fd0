import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

import type { FieldError } from './engine/rule-set.validation';

export class CategoryNotFoundError extends NotFoundException {
  constructor(key: string) {
    super(`Category ${key} not found`);
  }
}

export class CategoryKeyTakenError extends ConflictException {
  constructor(key: string, builtIn: boolean) {
    super({
      message: builtIn
        ? `${key} is the key of a built-in category; choose another key`
        : `A category with key ${key} already exists`,
      details: { field: 'key' },
    });
  }
}

export class BuiltInCategoryProtectedError extends ConflictException {
  constructor(key: string) {
    super(`${key} is a built-in category: disable it instead of deleting it`);
  }
}

export class CategoryInUseError extends ConflictException {
  constructor(key: string, usedBy: readonly { ruleSet: string; rule: string }[]) {
    super({
      message: `${key} is named by ${usedBy.length} routing rule(s); change or remove them first`,
      details: { usedBy },
    });
  }
}

export class TooManyExamplesError extends BadRequestException {
  constructor(limit: number) {
    super({ message: `A category can hold at most ${limit} added examples`, details: { field: 'examples' } });
  }
}

export class PresetNotFoundError extends NotFoundException {
  constructor(preset: string) {
    super(`Preset ${preset} not found`);
  }
}

export class PresetProviderNotFoundError extends BadRequestException {
  constructor(provider: string) {
    super({ message: `Provider ${provider} not found`, details: { field: 'providerId' } });
  }
}

export class RuleSetTenantNotFoundError extends NotFoundException {
  constructor(tenant: string) {
    super(`Tenant ${tenant} not found`);
  }
}

export class TenantRuleSetNotFoundError extends NotFoundException {
  constructor(tenant: string) {
    super(`Tenant ${tenant} has no rule set of its own (it uses the default)`);
  }
}

/** The engine's semantic checks failed; `details` lists each field like the global validation pipe. */
export class InvalidRuleSetError extends BadRequestException {
  constructor(errors: readonly FieldError[]) {
    const byField = new Map<string, string[]>();
    for (const error of errors) byField.set(error.path, [...(byField.get(error.path) ?? []), error.message]);
    const details = [...byField].map(([field, messages]) => ({ field, messages }));
    const summary = details
      .slice(0, 5)
      .map((d) => `${d.field} ${d.messages.join(', ')}`)
      .join('; ');
    super({ message: `Invalid rule set: ${summary}${details.length > 5 ? '; …' : ''}`, details });
  }
}
