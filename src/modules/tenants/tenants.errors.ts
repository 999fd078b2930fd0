import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

export class TenantNotFoundError extends NotFoundException {
  constructor(idOrSlug: string) {
    super(`Tenant ${idOrSlug} not found`);
  }
}

export class TenantSlugTakenError extends ConflictException {
  constructor(slug: string) {
    super({ message: `A tenant with slug ${slug} already exists`, details: { field: 'slug' } });
  }
}

export class ReservedTenantSlugError extends BadRequestException {
  constructor(slug: string) {
    super({ message: `Slug ${slug} is reserved (it collides with a route)`, details: { field: 'slug' } });
  }
}

export class DefaultTenantProtectedError extends ConflictException {
  constructor() {
    super('The default tenant serves /api/v1 and /v1 and cannot be deleted');
  }
}

export class InvalidTenantConfigError extends BadRequestException {
  constructor(message: string, field?: string) {
    super({ message, details: field ? { field } : undefined });
  }
}

export class ApiKeyNotFoundError extends NotFoundException {
  constructor(keyId: string) {
    super(`API key ${keyId} not found`);
  }
}

export class InvalidKeyExpiryError extends BadRequestException {
  constructor(message: string) {
    super({ message, details: { field: 'expiresAt' } });
  }
}
