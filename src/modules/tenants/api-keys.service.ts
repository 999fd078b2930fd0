import { Injectable } from '@nestjs/common';

import { AuditService } from '../audit/audit.service';
import type { AuthenticatedUser } from '../auth/rbac';
import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import type { ApiKeyRecord } from './api-key.schema';
import { displayPrefix, generateApiKey, hashApiKey, isKeyExpired } from './api-key.util';
import { type ApiKeyChanges, ApiKeysRepository } from './api-keys.repository';
import type {
  ApiKeyResponseDto,
  CreateApiKeyDto,
  CreatedApiKeyResponseDto,
  UpdateApiKeyDto,
} from './dto/api-key.dto';
import type { RateLimitDto } from './dto/tenant.dto';
import { type KeyPolicy, KeyPolicyRepository } from './key-policy.repository';
import type { TenantRecord } from './tenant.schema';
import { ApiKeyNotFoundError, InvalidKeyExpiryError } from './tenants.errors';
import { TenantsService } from './tenants.service';

const DAY_MS = 86_400_000;

/**
 * Tenant API keys: `omp-` + 64 hex from the CSPRNG, stored as SHA-256 + display prefix only. The
 * plaintext exists in exactly two responses (create, rotate) and nowhere else, logs included.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly tenants: TenantsService,
    private readonly policy: KeyPolicyRepository,
    private readonly bus: ConfigChangeBus,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, tenantIdOrSlug: string): Promise<ApiKeyResponseDto[]> {
    const tenant = await this.tenants.requireTenant(user, tenantIdOrSlug);
    return (await this.keys.findByTenant(tenant._id.toString())).map((k) => toKeyResponse(k));
  }

  async create(
    user: AuthenticatedUser,
    tenantIdOrSlug: string,
    dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    const tenant = await this.tenants.requireTenant(user, tenantIdOrSlug);
    const expiresAt = this.expiryFor(tenant, await this.policy.get(), dto);
    const plaintext = generateApiKey();
    const record = await this.keys.create(tenant._id.toString(), {
      hash: hashApiKey(plaintext),
      prefix: displayPrefix(plaintext),
      label: dto.label?.trim() ?? '',
      enabled: true,
      expiresAt,
      createdBy: user.username,
      rateLimit: keyLimitOf(dto.rateLimit),
    });
    await this.bus.publish(ConfigScope.ApiKeys);
    const response = toKeyResponse(record);
    await this.audit.record({
      action: 'key.create',
      target: { type: 'api-key', id: response.id, label: `${tenant.slug}:${response.prefix}` },
      after: response,
    });
    return { ...response, apiKey: plaintext };
  }

  async update(
    user: AuthenticatedUser,
    tenantIdOrSlug: string,
    keyId: string,
    dto: UpdateApiKeyDto,
  ): Promise<ApiKeyResponseDto> {
    const tenant = await this.tenants.requireTenant(user, tenantIdOrSlug);
    const changes: ApiKeyChanges = {};
    if (dto.label !== undefined) changes.label = dto.label.trim();
    if (dto.enabled !== undefined) changes.enabled = dto.enabled;
    if (dto.rateLimit !== undefined) changes.rateLimit = keyLimitOf(dto.rateLimit);
    if (dto.expiresAt !== undefined) {
      changes.expiresAt = this.checkExpiry(dto.expiresAt, await this.policy.get());
    }
    return this.change(tenant, keyId, changes, 'key.update');
  }

  setEnabled(
    user: AuthenticatedUser,
    tenantIdOrSlug: string,
    keyId: string,
    enabled: boolean,
  ): Promise<ApiKeyResponseDto> {
    return this.update(user, tenantIdOrSlug, keyId, { enabled });
  }

  /** Replaces the secret of a key (same id and label); the old key stops working at once. */
  async rotate(
    user: AuthenticatedUser,
    tenantIdOrSlug: string,
    keyId: string,
  ): Promise<CreatedApiKeyResponseDto> {
    const tenant = await this.tenants.requireTenant(user, tenantIdOrSlug);
    const plaintext = generateApiKey();
    const expiresAt = this.expiryFor(tenant, await this.policy.get(), {});
    const response = await this.change(
      tenant,
      keyId,
      { hash: hashApiKey(plaintext), prefix: displayPrefix(plaintext), expiresAt },
      'key.rotate',
    );
    return { ...response, apiKey: plaintext };
  }

  async revoke(user: AuthenticatedUser, tenantIdOrSlug: string, keyId: string): Promise<void> {
    const tenant = await this.tenants.requireTenant(user, tenantIdOrSlug);
    const tenantId = tenant._id.toString();
    const existing = await this.keys.findOne(tenantId, keyId);
    if (!existing || !(await this.keys.delete(tenantId, keyId))) throw new ApiKeyNotFoundError(keyId);
    await this.bus.publish(ConfigScope.ApiKeys);
    await this.audit.record({
      action: 'key.revoke',
      target: { type: 'api-key', id: keyId, label: `${tenant.slug}:${existing.prefix}` },
      before: toKeyResponse(existing),
    });
  }

  getPolicy(): Promise<KeyPolicy> {
    return this.policy.get();
  }

  async setPolicy(policy: KeyPolicy): Promise<KeyPolicy> {
    const before = await this.policy.get();
    const after = await this.policy.set(policy);
    await this.audit.record({
      action: 'key_policy.update',
      target: { type: 'settings', id: 'key-policy' },
      before,
      after,
    });
    return after;
  }

  private async change(
    tenant: TenantRecord,
    keyId: string,
    changes: ApiKeyChanges,
    action: string,
  ): Promise<ApiKeyResponseDto> {
    const tenantId = tenant._id.toString();
    const existing = await this.keys.findOne(tenantId, keyId);
    if (!existing) throw new ApiKeyNotFoundError(keyId);
    const updated = await this.keys.update(tenantId, keyId, changes);
    if (!updated) throw new ApiKeyNotFoundError(keyId);
    await this.bus.publish(ConfigScope.ApiKeys);
    const response = toKeyResponse(updated);
    await this.audit.record({
      action,
      target: { type: 'api-key', id: keyId, label: `${tenant.slug}:${response.prefix}` },
      before: toKeyResponse(existing),
      after: response,
    });
    return response;
  }

  /** Explicit expiry, else lifetime, else the tenant default; capped by the global maximum. */
  private expiryFor(
    tenant: TenantRecord,
    policy: KeyPolicy,
    dto: Pick<CreateApiKeyDto, 'expiresAt' | 'lifetimeDays'>,
  ): Date | null {
    if (dto.expiresAt) return this.checkExpiry(dto.expiresAt, policy);
    const days = dto.lifetimeDays ?? tenant.keyLifetimeDays ?? 0;
    if (
      dto.lifetimeDays !== undefined &&
      policy.maxLifetimeDays > 0 &&
      (days === 0 || days > policy.maxLifetimeDays)
    ) {
      throw new InvalidKeyExpiryError(
        `Keys may live at most ${policy.maxLifetimeDays} days (global key policy)`,
      );
    }
    const effective =
      policy.maxLifetimeDays > 0 && (days === 0 || days > policy.maxLifetimeDays)
        ? policy.maxLifetimeDays
        : days;
    return effective > 0 ? new Date(Date.now() + effective * DAY_MS) : null;
  }

  private checkExpiry(expiresAt: Date | null, policy: KeyPolicy): Date | null {
    const now = Date.now();
    if (expiresAt === null) {
      if (policy.maxLifetimeDays > 0) {
        throw new InvalidKeyExpiryError(
          `Keys must expire within ${policy.maxLifetimeDays} days (global key policy)`,
        );
      }
      return null;
    }
    if (expiresAt.getTime() <= now) throw new InvalidKeyExpiryError('expiresAt must be in the future');
    if (policy.maxLifetimeDays > 0 && expiresAt.getTime() > now + policy.maxLifetimeDays * DAY_MS) {
      throw new InvalidKeyExpiryError(
        `Keys may live at most ${policy.maxLifetimeDays} days (global key policy)`,
      );
    }
    return expiresAt;
  }
}

export function toKeyResponse(record: ApiKeyRecord, now = Date.now()): ApiKeyResponseDto {
  return {
    id: record._id.toString(),
    tenantId: record.tenantId.toString(),
    prefix: record.prefix,
    label: record.label ?? '',
    enabled: record.enabled,
    expiresAt: record.expiresAt ?? null,
    expired: isKeyExpired(record.expiresAt, now),
    lastUsedAt: record.lastUsedAt ?? null,
    createdAt: record.createdAt,
    rateLimit: record.rateLimit ?? null,
  };
}

/** Stored form of a key limit: both fields present (0 = unlimited), or null for none. */
function keyLimitOf(dto: RateLimitDto | null | undefined): ApiKeyRecord['rateLimit'] {
  if (!dto) return null;
  return { requestsPerMinute: dto.requestsPerMinute ?? 0, tokensPerMinute: dto.tokensPerMinute ?? 0 };
}
