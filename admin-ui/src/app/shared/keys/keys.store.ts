import { Injectable, signal } from '@angular/core';

import { type ApiKeyResponseDto } from '../../api/models/api-key-response-dto';
import { type CreateApiKeyDto } from '../../api/models/create-api-key-dto';
import { type CreatedApiKeyResponseDto } from '../../api/models/created-api-key-response-dto';
import { type UpdateApiKeyDto } from '../../api/models/update-api-key-dto';
import { AsyncTask, type TaskResult } from '../../core/state/async-task';
import { type TenantKeysApi } from './keys-api';

/** The keys of one tenant. Created and rotated keys are returned once and never kept here. */
@Injectable()
export class KeysStore {
  private api: TenantKeysApi | null = null;
  private tenantId = '';

  readonly load$ = new AsyncTask();
  readonly save$ = new AsyncTask();
  readonly action$ = new AsyncTask();
  readonly edit$ = new AsyncTask();
  readonly keys = signal<ApiKeyResponseDto[]>([]);
  readonly loaded = signal(false);

  async init(api: TenantKeysApi, tenantId: string): Promise<void> {
    this.api = api;
    this.tenantId = tenantId;
    this.loaded.set(false);
    await this.load();
  }

  async load(): Promise<void> {
    const api = this.requireApi();
    const result = await this.load$.run(() => api.list(this.tenantId));
    if (result.ok) {
      this.keys.set(result.value);
      this.loaded.set(true);
    }
  }

  async create(body: CreateApiKeyDto): Promise<TaskResult<CreatedApiKeyResponseDto>> {
    const api = this.requireApi();
    const result = await this.save$.run(() => api.create(this.tenantId, body));
    if (result.ok) await this.load();
    return result;
  }

  async rotate(key: ApiKeyResponseDto): Promise<TaskResult<CreatedApiKeyResponseDto>> {
    const api = this.requireApi();
    const result = await this.action$.run(() => api.rotate(this.tenantId, key.id));
    if (result.ok) await this.load();
    return result;
  }

  async setEnabled(key: ApiKeyResponseDto, enabled: boolean): Promise<TaskResult<ApiKeyResponseDto>> {
    const api = this.requireApi();
    const result = await this.action$.run(() => api.setEnabled(this.tenantId, key.id, enabled));
    if (result.ok) this.keys.update((keys) => keys.map((k) => (k.id === key.id ? result.value : k)));
    return result;
  }

  /** Whether keys can be relabelled and their expiry moved through this API (admin, not portal). */
  canUpdate(): boolean {
    return this.api?.update !== undefined;
  }

  async update(key: ApiKeyResponseDto, body: UpdateApiKeyDto): Promise<TaskResult<ApiKeyResponseDto>> {
    const api = this.requireApi();
    const result = await this.edit$.run(() => {
      if (!api.update) throw new Error('This key API cannot update keys');
      return api.update(this.tenantId, key.id, body);
    });
    if (result.ok) this.keys.update((keys) => keys.map((k) => (k.id === key.id ? result.value : k)));
    return result;
  }

  async revoke(key: ApiKeyResponseDto): Promise<TaskResult<void>> {
    const api = this.requireApi();
    const result = await this.action$.run(() => api.revoke(this.tenantId, key.id));
    if (result.ok) this.keys.update((keys) => keys.filter((k) => k.id !== key.id));
    return result;
  }

  private requireApi(): TenantKeysApi {
    if (!this.api) throw new Error('KeysStore used before init()');
    return this.api;
  }
}
