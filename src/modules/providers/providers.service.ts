import { Injectable } from '@nestjs/common';

import { SecretBox } from '../../common/crypto/secret-box';
import { outboundGuard } from '../../core/http/outbound-guard';
import { AuditService } from '../audit/audit.service';
import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import { TenantsRepository } from '../tenants/tenants.repository';
import { ProviderCheckService } from './check/provider-check.service';
import type {
  ProviderCheckResponseDto,
  ProviderDiscoverResponseDto,
  ProviderResponseDto,
  ProviderTryResponseDto,
} from './dto/provider-response.dto';
import type { CreateProviderDto, TryProviderDto, UpdateProviderDto } from './dto/provider.dto';
import { ModelsRepository } from './models.repository';
import {
  credentialPresence,
  mergeCredentials,
  mergeExtraHeaders,
  publicOptions,
  SECRET_MASK,
} from './provider-secrets';
import { toResolvedProvider } from './provider-views';
import type { ProviderRecord, StoredProviderAuth } from './provider.schema';
import type { ProviderOptions, ProviderType } from './provider.types';
import {
  InvalidProviderConfigError,
  ProviderNotFoundError,
  ProviderSlugTakenError,
} from './providers.errors';
import { ProvidersRepository } from './providers.repository';
import { discoveredModelFields } from './registry/discovery-merge';
import { findRegistryEntry } from './registry/model-registry';
import { slugify, uniqueSlug } from './slug';

const DEFAULT_BASE_URLS: Partial<Record<ProviderType, string>> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  openrouter: 'https://openrouter.ai/api',
  ollama: 'http://localhost:11434',
};

/** Admin rules for providers: CRUD with encrypted secrets, connection check, discovery, try. */
@Injectable()
export class ProvidersService {
  constructor(
    private readonly providers: ProvidersRepository,
    private readonly models: ModelsRepository,
    private readonly tenants: TenantsRepository,
    private readonly checks: ProviderCheckService,
    private readonly box: SecretBox,
    private readonly bus: ConfigChangeBus,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<ProviderResponseDto[]> {
    const [records, models] = await Promise.all([this.providers.findAll(), this.models.findAll()]);
    const counts = new Map<string, number>();
    for (const m of models)
      counts.set(m.providerId.toString(), (counts.get(m.providerId.toString()) ?? 0) + 1);
    return records.map((r) => this.toResponse(r, counts.get(r._id.toString()) ?? 0));
  }

  async get(idOrSlug: string): Promise<ProviderResponseDto> {
    const record = await this.require(idOrSlug);
    return this.toResponse(record, (await this.models.findByProvider(record._id.toString())).length);
  }

  async create(dto: CreateProviderDto): Promise<ProviderResponseDto> {
    const baseUrl = (dto.baseUrl ?? DEFAULT_BASE_URLS[dto.type] ?? '').replace(/\/+$/, '');
    const auth = this.buildAuth(dto.type, { type: 'none' }, dto.auth);
    const options = this.buildOptions({}, dto.options ?? {});
    this.validate(dto.type, baseUrl, auth, options);
    await this.assertReachableUrls(baseUrl, options);
    let slug: string;
    if (dto.slug) {
      if (await this.providers.findBySlug(dto.slug)) throw new ProviderSlugTakenError(dto.slug);
      slug = dto.slug;
    } else {
      const base = slugify(dto.name) || dto.type;
      slug = uniqueSlug(base, await this.providers.slugsStartingWith(base));
    }
    let record: ProviderRecord;
    try {
      record = await this.providers.create({
        name: dto.name.trim(),
        slug,
        type: dto.type,
        baseUrl,
        auth,
        options,
        enabled: dto.enabled ?? true,
      });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new ProviderSlugTakenError(slug);
      throw error;
    }
    await this.bus.publish(ConfigScope.Providers);
    const response = this.toResponse(record, 0);
    await this.audit.record({
      action: 'provider.create',
      target: { type: 'provider', id: response.id, label: response.slug },
      after: response,
    });
    return response;
  }

  async update(idOrSlug: string, dto: UpdateProviderDto): Promise<ProviderResponseDto> {
    const existing = await this.require(idOrSlug);
    const type = dto.type ?? existing.type;
    const baseUrl = dto.baseUrl !== undefined ? dto.baseUrl.replace(/\/+$/, '') : existing.baseUrl;
    const auth = dto.auth ? this.buildAuth(type, existing.auth, dto.auth) : existing.auth;
    const options = dto.options
      ? this.buildOptions(existing.options ?? {}, dto.options)
      : (existing.options ?? {});
    this.validate(type, baseUrl, auth, options);
    await this.assertReachableUrls(baseUrl, options);
    const id = existing._id.toString();
    const updated = await this.providers.update(id, {
      ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
      ...(dto.enabled !== undefined ? { enabled: dto.enabled } : {}),
      type,
      baseUrl,
      auth,
      options,
    });
    if (!updated) throw new ProviderNotFoundError(idOrSlug);
    await this.bus.publish(ConfigScope.Providers);
    const count = (await this.models.findByProvider(id)).length;
    const response = this.toResponse(updated, count);
    await this.audit.record({
      action: 'provider.update',
      target: { type: 'provider', id, label: updated.slug },
      before: this.toResponse(existing, count),
      after: response,
    });
    return response;
  }

  /** Deletes the provider and its models, and removes it from every tenant. */
  async delete(idOrSlug: string): Promise<void> {
    const existing = await this.require(idOrSlug);
    const id = existing._id.toString();
    await this.providers.delete(id);
    await this.models.deleteByProvider(id);
    await this.tenants.detachProvider(id);
    await this.bus.publish(ConfigScope.Providers, ConfigScope.Models, ConfigScope.Tenants);
    await this.audit.record({
      action: 'provider.delete',
      target: { type: 'provider', id, label: existing.slug },
      before: this.toResponse(existing, 0),
    });
  }

  async check(idOrSlug: string): Promise<ProviderCheckResponseDto> {
    const record = await this.require(idOrSlug);
    const result = await this.checks.check(toResolvedProvider(this.box, record));
    await this.saveStatus(record, result.ok, result.message, result.apiPath);
    return result;
  }

  /** Lists the provider's models and merges them into the registry (admin edits are kept). */
  async discover(idOrSlug: string): Promise<ProviderDiscoverResponseDto> {
    const record = await this.require(idOrSlug);
    const id = record._id.toString();
    const result = await this.checks.listModels(toResolvedProvider(this.box, record));
    await this.saveStatus(record, result.ok, result.message, result.apiPath);
    if (!result.ok) {
      return { ok: false, message: result.message, added: [], updated: [], missing: [], steps: result.steps };
    }
    const existing = new Map((await this.models.findByProvider(id)).map((m) => [m.modelId, m]));
    const now = new Date();
    const added: string[] = [];
    const updated: string[] = [];
    const seen = new Set<string>();
    for (const discovered of result.models) {
      if (seen.has(discovered.modelId)) continue;
      seen.add(discovered.modelId);
      const current = existing.get(discovered.modelId);
      const entry = findRegistryEntry(discovered.baseModel, discovered.modelId);
      const fields = discoveredModelFields(
        discovered,
        current,
        entry,
        record.type,
        now,
        record.options?.apiType,
      );
      await this.models.upsert(id, discovered.modelId, fields);
      (current ? updated : added).push(discovered.modelId);
    }
    const missing = [...existing.keys()].filter((modelId) => !seen.has(modelId));
    await this.bus.publish(ConfigScope.Models, ConfigScope.Providers);
    await this.audit.record({
      action: 'provider.discover',
      target: { type: 'provider', id, label: record.slug },
      details: { added: added.length, updated: updated.length, missing: missing.length },
    });
    return {
      ok: true,
      message: `${added.length} added, ${updated.length} refreshed, ${missing.length} no longer listed`,
      added,
      updated,
      missing,
      steps: result.steps,
    };
  }

  async tryChat(idOrSlug: string, dto: TryProviderDto): Promise<ProviderTryResponseDto> {
    const record = await this.require(idOrSlug);
    return this.checks.tryChat(toResolvedProvider(this.box, record), {
      model: dto.model,
      messages: dto.messages,
      maxTokens: dto.maxTokens ?? 256,
    });
  }

  private async require(idOrSlug: string): Promise<ProviderRecord> {
    const record = await this.providers.findByIdOrSlug(idOrSlug);
    if (!record) throw new ProviderNotFoundError(idOrSlug);
    return record;
  }

  private async saveStatus(
    record: ProviderRecord,
    ok: boolean,
    message: string,
    apiPath: string | undefined,
  ): Promise<void> {
    const options =
      apiPath !== undefined && apiPath !== record.options?.apiPath
        ? { ...record.options, apiPath }
        : undefined;
    await this.providers.update(record._id.toString(), {
      status: ok ? 'connected' : 'error',
      statusMessage: message,
      lastCheckedAt: new Date(),
      ...(options ? { options } : {}),
    });
    await this.bus.publish(ConfigScope.Providers);
  }

  private buildAuth(
    type: ProviderType,
    stored: StoredProviderAuth,
    submitted: CreateProviderDto['auth'],
  ): StoredProviderAuth {
    if (!submitted) return type === 'bedrock' ? { type: 'aws_credentials' } : { type: 'none' };
    const keepStored = submitted.type === stored.type ? stored : {};
    const credentials = mergeCredentials(this.box, keepStored, submitted);
    return { type: submitted.type, ...credentials };
  }

  private buildOptions(
    stored: ProviderOptions,
    submitted: NonNullable<CreateProviderDto['options']>,
  ): ProviderOptions {
    const options: ProviderOptions = {};
    if (submitted.apiVersion !== undefined) options.apiVersion = submitted.apiVersion;
    if (submitted.apiPath !== undefined) options.apiPath = submitted.apiPath;
    else if (stored.apiPath !== undefined) options.apiPath = stored.apiPath;
    if (submitted.deployments !== undefined) options.deployments = [...new Set(submitted.deployments)];
    if (submitted.apiType !== undefined) options.apiType = submitted.apiType;
    if (submitted.region !== undefined) options.region = submitted.region;
    if (submitted.httpProxy !== undefined) options.httpProxy = submitted.httpProxy;
    if (submitted.skipTlsVerify !== undefined) options.skipTlsVerify = submitted.skipTlsVerify;
    if (submitted.timeoutMs !== undefined) options.timeoutMs = submitted.timeoutMs;
    const headers = mergeExtraHeaders(this.box, stored.extraHeaders, submitted.extraHeaders);
    if (headers && Object.keys(headers).length > 0) options.extraHeaders = headers;
    return options;
  }

  /** The SSRF guard (PROVIDER_URL_ALLOW): a clear 400 now; connections are checked again later. */
  private async assertReachableUrls(baseUrl: string, options: ProviderOptions): Promise<void> {
    const guard = outboundGuard();
    for (const [field, url] of [
      ['baseUrl', baseUrl],
      ['options.httpProxy', options.httpProxy],
    ] as const) {
      if (!url) continue;
      const refusal = await guard.checkUrl(url);
      if (refusal) throw new InvalidProviderConfigError(`${field} refused: ${refusal}`, field);
    }
  }

  private validate(
    type: ProviderType,
    baseUrl: string,
    auth: StoredProviderAuth,
    options: ProviderOptions,
  ): void {
    if (!baseUrl && type !== 'bedrock') {
      throw new InvalidProviderConfigError(`baseUrl is required for ${type} providers`, 'baseUrl');
    }
    if (type === 'bedrock' && auth.type !== 'aws_credentials' && auth.type !== 'none') {
      throw new InvalidProviderConfigError(
        'Bedrock providers use auth type aws_credentials (or none for the default AWS credential chain)',
        'auth.type',
      );
    }
    if (type !== 'bedrock' && auth.type === 'aws_credentials') {
      throw new InvalidProviderConfigError(
        'auth type aws_credentials is only for Bedrock providers',
        'auth.type',
      );
    }
    if ((auth.type === 'api_key' || auth.type === 'bearer') && !auth.apiKey) {
      throw new InvalidProviderConfigError(`auth type ${auth.type} needs an apiKey`, 'auth.apiKey');
    }
    if (auth.type === 'aws_credentials' && Boolean(auth.accessKeyId) !== Boolean(auth.secretAccessKey)) {
      throw new InvalidProviderConfigError(
        'Set both accessKeyId and secretAccessKey, or neither (default AWS credential chain)',
        'auth',
      );
    }
    if (type !== 'azure' && options.apiType !== undefined) {
      throw new InvalidProviderConfigError('apiType only applies to Azure providers', 'options.apiType');
    }
    if (type !== 'azure' && options.deployments?.length) {
      throw new InvalidProviderConfigError(
        'deployments only apply to Azure providers',
        'options.deployments',
      );
    }
  }

  private toResponse(record: ProviderRecord, modelCount: number): ProviderResponseDto {
    const presence = credentialPresence(record.auth);
    const auth: ProviderResponseDto['auth'] = { type: record.auth.type };
    for (const [field, present] of Object.entries(presence)) {
      if (present) auth[field as keyof typeof presence] = SECRET_MASK;
    }
    return {
      id: record._id.toString(),
      name: record.name,
      slug: record.slug,
      type: record.type,
      baseUrl: record.baseUrl,
      auth,
      hasCredentials: Object.values(presence).some(Boolean),
      options: publicOptions(record.options ?? {}),
      enabled: record.enabled,
      status: record.status,
      statusMessage: record.statusMessage ?? null,
      lastCheckedAt: record.lastCheckedAt ?? null,
      modelCount,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  }
}
