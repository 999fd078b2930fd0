import { inject, Injectable } from '@angular/core';

import { Api } from '../../api/api';
import { portalCreateKey } from '../../api/fn/portal/portal-create-key';
import { portalDisableKey } from '../../api/fn/portal/portal-disable-key';
import { portalEnableKey } from '../../api/fn/portal/portal-enable-key';
import { portalListKeys } from '../../api/fn/portal/portal-list-keys';
import { portalRevokeKey } from '../../api/fn/portal/portal-revoke-key';
import { portalRotateKey } from '../../api/fn/portal/portal-rotate-key';
import { apiKeysCreate } from '../../api/fn/tenant-keys/api-keys-create';
import { apiKeysDisable } from '../../api/fn/tenant-keys/api-keys-disable';
import { apiKeysEnable } from '../../api/fn/tenant-keys/api-keys-enable';
import { apiKeysList } from '../../api/fn/tenant-keys/api-keys-list';
import { apiKeysRevoke } from '../../api/fn/tenant-keys/api-keys-revoke';
import { apiKeysRotate } from '../../api/fn/tenant-keys/api-keys-rotate';
import { apiKeysUpdate } from '../../api/fn/tenant-keys/api-keys-update';
import { type ApiKeyResponseDto } from '../../api/models/api-key-response-dto';
import { type CreateApiKeyDto } from '../../api/models/create-api-key-dto';
import { type CreatedApiKeyResponseDto } from '../../api/models/created-api-key-response-dto';
import { type UpdateApiKeyDto } from '../../api/models/update-api-key-dto';

/** The key calls of one tenant; the admin API and the self-service portal offer the same set. */
export interface TenantKeysApi {
  list(tenantId: string): Promise<ApiKeyResponseDto[]>;
  create(tenantId: string, body: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto>;
  rotate(tenantId: string, keyId: string): Promise<CreatedApiKeyResponseDto>;
  setEnabled(tenantId: string, keyId: string, enabled: boolean): Promise<ApiKeyResponseDto>;
  revoke(tenantId: string, keyId: string): Promise<void>;
  /** Relabel or move the expiry; only admins (the portal cannot). */
  update?(tenantId: string, keyId: string, body: UpdateApiKeyDto): Promise<ApiKeyResponseDto>;
}

@Injectable({ providedIn: 'root' })
export class AdminKeysApi implements TenantKeysApi {
  private readonly api = inject(Api);
  list(id: string): Promise<ApiKeyResponseDto[]> {
    return this.api.invoke(apiKeysList, { id });
  }
  create(id: string, body: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    return this.api.invoke(apiKeysCreate, { id, body });
  }
  rotate(id: string, keyId: string): Promise<CreatedApiKeyResponseDto> {
    return this.api.invoke(apiKeysRotate, { id, keyId });
  }
  setEnabled(id: string, keyId: string, enabled: boolean): Promise<ApiKeyResponseDto> {
    return enabled
      ? this.api.invoke(apiKeysEnable, { id, keyId })
      : this.api.invoke(apiKeysDisable, { id, keyId });
  }
  revoke(id: string, keyId: string): Promise<void> {
    return this.api.invoke(apiKeysRevoke, { id, keyId });
  }
  update(id: string, keyId: string, body: UpdateApiKeyDto): Promise<ApiKeyResponseDto> {
    return this.api.invoke(apiKeysUpdate, { id, keyId, body });
  }
}

@Injectable({ providedIn: 'root' })
export class PortalKeysApi implements TenantKeysApi {
  private readonly api = inject(Api);
  list(id: string): Promise<ApiKeyResponseDto[]> {
    return this.api.invoke(portalListKeys, { id });
  }
  create(id: string, body: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    return this.api.invoke(portalCreateKey, { id, body });
  }
  rotate(id: string, keyId: string): Promise<CreatedApiKeyResponseDto> {
    return this.api.invoke(portalRotateKey, { id, keyId });
  }
  setEnabled(id: string, keyId: string, enabled: boolean): Promise<ApiKeyResponseDto> {
    return enabled
      ? this.api.invoke(portalEnableKey, { id, keyId })
      : this.api.invoke(portalDisableKey, { id, keyId });
  }
  revoke(id: string, keyId: string): Promise<void> {
    return this.api.invoke(portalRevokeKey, { id, keyId });
  }
}
