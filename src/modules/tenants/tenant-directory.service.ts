import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import { ApiKeysRepository } from './api-keys.repository';
import { hashApiKey } from './api-key.util';
import { TenantsRepository } from './tenants.repository';
import { toApiKeyView, toTenantView } from './tenant-views';
import type { ApiKeyView, KeyResolution, TenantView } from './tenant.types';

interface DirectoryState {
  tenants: readonly TenantView[];
  byId: ReadonlyMap<string, TenantView>;
  bySlug: ReadonlyMap<string, TenantView>;
  defaultTenant: TenantView | undefined;
  keysByHash: ReadonlyMap<string, ApiKeyView>;
}

const EMPTY: DirectoryState = {
  tenants: [],
  byId: new Map(),
  bySlug: new Map(),
  defaultTenant: undefined,
  keysByHash: new Map(),
};

/** Unknown hashes are remembered this long, so a flood of bad keys cannot hammer MongoDB. */
const NEGATIVE_TTL_MS = 5_000;
const NEGATIVE_MAX_ENTRIES = 10_000;

/**
 * In-memory read model of tenants and their keys for the gateway (DESIGN.md §2, §3 step 1). Loaded at
 * boot and swapped on `tenants`/`api-keys` ConfigChanged signals. Key resolution is a hash + Map
 * lookup; only a key this pod has never seen (created on another pod moments ago) costs one
 * database read, and unknown keys are negatively cached.
 */
@Injectable()
export class TenantDirectory implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantDirectory.name);
  private state: DirectoryState = EMPTY;
  private readonly unknownHashes = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;
  private reloading: Promise<void> | undefined;
  private generation = 0;

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly bus: ConfigChangeBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tenants.ensureDefaultTenant();
    this.unsubscribe = this.bus.subscribe([ConfigScope.Tenants, ConfigScope.ApiKeys], () => this.reload());
    await this.reload();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  get version(): number {
    return this.generation;
  }

  listTenants(): readonly TenantView[] {
    return this.state.tenants;
  }

  /** By id or slug. */
  getTenant(idOrSlug: string): TenantView | undefined {
    return this.state.byId.get(idOrSlug) ?? this.state.bySlug.get(idOrSlug);
  }

  /** The tenant behind `/api/v1` and `/v1`. */
  getDefaultTenant(): TenantView | undefined {
    return this.state.defaultTenant;
  }

  /**
   * Resolves a presented key (the text after `Bearer `). The caller still checks that the tenant
   * matches the URL on `/api/:tenant/v1`. Keys not of the `omp-` form resolve to `invalid_api_key`.
   */
  async resolveApiKey(presentedKey: string, now = new Date()): Promise<KeyResolution> {
    return this.resolveKeyHash(hashApiKey(presentedKey), now);
  }

  /** Like resolveApiKey, for callers that already hold the SHA-256 hex of the key. */
  async resolveKeyHash(hash: string, now = new Date()): Promise<KeyResolution> {
    const cached = this.judge(hash, now);
    if (cached) return cached;
    const unknownUntil = this.unknownHashes.get(hash);
    if (unknownUntil !== undefined && unknownUntil > now.getTime())
      return { ok: false, reason: 'invalid_api_key' };
    const stored = await this.keys.findByHash(hash);
    if (!stored) {
      this.rememberUnknown(hash, now);
      return { ok: false, reason: 'invalid_api_key' };
    }
    // Created on another pod after our last reload: catch up now rather than at the next poll.
    await this.reload();
    return this.judge(hash, now) ?? { ok: false, reason: 'invalid_api_key' };
  }

  /** Re-reads tenants and keys and swaps the state in one assignment (concurrent calls share one read). */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private judge(hash: string, now: Date): KeyResolution | undefined {
    const key = this.state.keysByHash.get(hash);
    if (!key) return undefined;
    const tenant = this.state.byId.get(key.tenantId);
    if (!tenant) return { ok: false, reason: 'invalid_api_key' };
    if (!tenant.active) return { ok: false, reason: 'tenant_disabled' };
    if (!key.enabled) return { ok: false, reason: 'key_disabled' };
    if (key.expiresAt && key.expiresAt.getTime() <= now.getTime())
      return { ok: false, reason: 'key_expired' };
    return { ok: true, tenant, key };
  }

  private rememberUnknown(hash: string, now: Date): void {
    if (this.unknownHashes.size >= NEGATIVE_MAX_ENTRIES) {
      const oldest = this.unknownHashes.keys().next();
      if (!oldest.done) this.unknownHashes.delete(oldest.value);
    }
    this.unknownHashes.set(hash, now.getTime() + NEGATIVE_TTL_MS);
  }

  private async load(): Promise<void> {
    const [tenantRecords, keyRecords] = await Promise.all([this.tenants.findAll(), this.keys.findAll()]);
    const tenants = tenantRecords.map(toTenantView).sort((a, b) => a.slug.localeCompare(b.slug));
    const byId = new Map(tenants.map((t) => [t.id, t]));
    const bySlug = new Map(tenants.map((t) => [t.slug, t]));
    const keysByHash = new Map<string, ApiKeyView>();
    for (const record of keyRecords) keysByHash.set(record.hash, toApiKeyView(record));
    this.state = {
      tenants,
      byId,
      bySlug,
      defaultTenant: tenants.find((t) => t.isDefault),
      keysByHash,
    };
    this.unknownHashes.clear();
    this.generation += 1;
    this.logger.debug(`Loaded ${tenants.length} tenants and ${keysByHash.size} keys`);
  }
}
