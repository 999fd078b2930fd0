import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { ConfigChangeBus, ConfigScope } from '../config-sync/config-change.bus';
import { hashApiKey, keyRejection } from './api-key.util';
import { ApiKeysRepository } from './api-keys.repository';
import { toApiKeyView, toTenantView } from './tenant-views';
import type { KeyRejection, KeyResolution, TenantView } from './tenant.types';
import { TenantsRepository } from './tenants.repository';

interface DirectoryState {
  tenants: readonly TenantView[];
  byId: ReadonlyMap<string, TenantView>;
  bySlug: ReadonlyMap<string, TenantView>;
  defaultTenant: TenantView | undefined;
  /** Every stored key by hash: its tenant and key, or `invalid_api_key` when the tenant is gone. */
  keysByHash: ReadonlyMap<string, KeyResolution>;
}

/** Shared answers, so judging a known key allocates nothing. */
const REJECTED: Readonly<Record<KeyRejection, KeyResolution>> = {
  invalid_api_key: { ok: false, reason: 'invalid_api_key' },
  key_disabled: { ok: false, reason: 'key_disabled' },
  key_expired: { ok: false, reason: 'key_expired' },
  tenant_disabled: { ok: false, reason: 'tenant_disabled' },
};

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
    const known = this.knownKey(hash, now.getTime());
    if (known) return known;
    const unknownUntil = this.unknownHashes.get(hash);
    if (unknownUntil !== undefined && unknownUntil > now.getTime()) return REJECTED.invalid_api_key;
    const stored = await this.keys.findByHash(hash);
    if (!stored) {
      this.rememberUnknown(hash, now);
      return REJECTED.invalid_api_key;
    }
    // Created on another pod after our last reload: catch up now rather than at the next poll.
    await this.reload();
    return this.knownKey(hash, now.getTime()) ?? REJECTED.invalid_api_key;
  }

  /**
   * The resolution of a key hash this pod holds in memory (synchronous, allocation-free), judged at
   * `nowMs`; undefined for a hash it has not loaded (then resolveKeyHash asks the database).
   * This map is the one key cache: it is swapped whenever tenants or keys change.
   */
  knownKey(hash: string, nowMs: number): KeyResolution | undefined {
    const entry = this.state.keysByHash.get(hash);
    if (entry === undefined || !entry.ok) return entry;
    const reason = keyRejection(entry.tenant, entry.key, nowMs);
    return reason === undefined ? entry : REJECTED[reason];
  }

  /** Re-reads tenants and keys and swaps the state in one assignment (concurrent calls share one read). */
  reload(): Promise<void> {
    this.reloading ??= this.load().finally(() => (this.reloading = undefined));
    return this.reloading;
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
    const keysByHash = new Map<string, KeyResolution>();
    for (const record of keyRecords) {
      const key = toApiKeyView(record);
      const tenant = byId.get(key.tenantId);
      keysByHash.set(record.hash, tenant ? { ok: true, tenant, key } : REJECTED.invalid_api_key);
    }
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
