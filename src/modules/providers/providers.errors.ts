import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

export class ProviderNotFoundError extends NotFoundException {
  constructor(idOrSlug: string) {
    super(`Provider ${idOrSlug} not found`);
  }
}

export class ProviderSlugTakenError extends ConflictException {
  constructor(slug: string) {
    super({ message: `A provider with slug ${slug} already exists`, details: { field: 'slug' } });
  }
}

export class InvalidProviderConfigError extends BadRequestException {
  constructor(message: string, field?: string) {
    super({ message, details: field ? { field } : undefined });
  }
}

export class ModelNotFoundError extends NotFoundException {
  constructor(id: string) {
    super(`Model ${id} not found`);
  }
}

export class ModelExistsError extends ConflictException {
  constructor(providerSlug: string, modelId: string) {
    super(`Model ${modelId} already exists on provider ${providerSlug}`);
  }
}
