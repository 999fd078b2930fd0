import { inject, Injectable, signal } from '@angular/core';

import { Api } from '../../api/api';
import { categoriesApplyPreset } from '../../api/fn/categories/categories-apply-preset';
import { categoriesPresets } from '../../api/fn/categories/categories-presets';
import { apiKeysCreate } from '../../api/fn/tenant-keys/api-keys-create';
import { providersCheck } from '../../api/fn/providers/providers-check';
import { providersCreate } from '../../api/fn/providers/providers-create';
import { providersDiscover } from '../../api/fn/providers/providers-discover';
import { providersUpdate } from '../../api/fn/providers/providers-update';
import { tenantsCreate } from '../../api/fn/tenants/tenants-create';
import { type CreateProviderDto } from '../../api/models/create-provider-dto';
import { type CreatedApiKeyResponseDto } from '../../api/models/created-api-key-response-dto';
import { type PresetApplyResponseDto } from '../../api/models/preset-apply-response-dto';
import { type PresetResponseDto } from '../../api/models/preset-response-dto';
import { type ProviderCheckResponseDto } from '../../api/models/provider-check-response-dto';
import { type ProviderDiscoverResponseDto } from '../../api/models/provider-discover-response-dto';
import { type ProviderResponseDto } from '../../api/models/provider-response-dto';
import { type TenantResponseDto } from '../../api/models/tenant-response-dto';
import { AuthClient } from '../../core/auth/auth.client';
import { AuthStore } from '../../core/auth/auth.store';
import { type ApiProblem, toApiProblem } from '../../core/http/api-problem';
import { SetupStatusStore } from '../../core/setup/setup-status.store';
import { AsyncTask } from '../../core/state/async-task';

/**
 * State of the first-run wizard: creates the first admin and signs in as it, then the first
 * provider (checked and discovered), the first tenant and its first key (shown once), and an
 * optional preset profile that fills the categories with that provider's models.
 */
@Injectable()
export class SetupWizardStore {
  private readonly client = inject(AuthClient);
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly setupStatus = inject(SetupStatusStore);

  readonly busy = signal(false);
  readonly problem = signal<ApiProblem | null>(null);
  readonly adminUsername = signal<string | null>(null);

  readonly provider$ = new AsyncTask();
  readonly provider = signal<ProviderResponseDto | null>(null);
  readonly check = signal<ProviderCheckResponseDto | null>(null);
  readonly discovery = signal<ProviderDiscoverResponseDto | null>(null);

  readonly tenant$ = new AsyncTask();
  readonly tenant = signal<TenantResponseDto | null>(null);
  readonly key = signal<CreatedApiKeyResponseDto | null>(null);

  readonly preset$ = new AsyncTask();
  readonly presets = signal<PresetResponseDto[]>([]);
  readonly presetResult = signal<PresetApplyResponseDto | null>(null);

  /** Creates the admin and signs in; returns the failure (for field errors) or null. */
  async createAdmin(username: string, password: string): Promise<ApiProblem | null> {
    this.busy.set(true);
    this.problem.set(null);
    this.setupStatus.startWizard();
    try {
      await this.client.createFirstAdmin(username, password);
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.problem.set(
        problem.status === 409
          ? { ...problem, message: 'An administrator already exists. Sign in instead.' }
          : problem,
      );
      this.busy.set(false);
      return problem;
    }
    const signedIn = await this.auth.login(username, password);
    this.busy.set(false);
    if (!signedIn) {
      const problem = this.auth.error() ?? toApiProblem(new Error('Signing in as the new admin failed'));
      this.problem.set(problem);
      return problem;
    }
    this.adminUsername.set(username);
    return null;
  }

  /**
   * Saves the provider (creates it, or updates the one created before when the admin corrects the
   * form), then runs the connection check and, when it passes, discovery.
   */
  async saveProvider(body: CreateProviderDto): Promise<boolean> {
    const existing = this.provider();
    const saved = await this.provider$.run(() =>
      existing
        ? this.api.invoke(providersUpdate, { id: existing.id, body })
        : this.api.invoke(providersCreate, { body }),
    );
    if (!saved.ok) return false;
    this.provider.set(saved.value);
    this.check.set(null);
    this.discovery.set(null);
    const check = await this.provider$.run(() => this.api.invoke(providersCheck, { id: saved.value.id }));
    if (!check.ok) return false;
    this.check.set(check.value);
    if (!check.value.ok) return false;
    const discovery = await this.provider$.run(() =>
      this.api.invoke(providersDiscover, { id: saved.value.id }),
    );
    if (discovery.ok) this.discovery.set(discovery.value);
    return discovery.ok && discovery.value.ok;
  }

  /** Creates the tenant (with the wizard's provider) and its first key. */
  async createTenant(name: string, slug: string): Promise<boolean> {
    const provider = this.provider();
    let tenant = this.tenant();
    if (!tenant) {
      const created = await this.tenant$.run(() =>
        this.api.invoke(tenantsCreate, {
          body: { name, slug, ...(provider ? { providerIds: [provider.id] } : {}) },
        }),
      );
      if (!created.ok) return false;
      tenant = created.value;
      this.tenant.set(tenant);
    }
    const tenantId = tenant.id;
    const key = await this.tenant$.run(() =>
      this.api.invoke(apiKeysCreate, { id: tenantId, body: { label: 'first key' } }),
    );
    if (key.ok) this.key.set(key.value);
    return key.ok;
  }

  /** The preset profiles (once per wizard; the step offers a retry when this fails). */
  async loadPresets(): Promise<void> {
    if (this.presets().length > 0) return;
    const result = await this.preset$.run(() => this.api.invoke(categoriesPresets));
    if (result.ok) this.presets.set(result.value);
  }

  /** Applies a preset with the wizard's provider; the assignments are kept to show them. */
  async applyPreset(preset: string): Promise<boolean> {
    const provider = this.provider();
    if (!provider) return false;
    const result = await this.preset$.run(() =>
      this.api.invoke(categoriesApplyPreset, { preset, body: { providerId: provider.id } }),
    );
    this.presetResult.set(result.ok ? result.value : null);
    return result.ok;
  }

  /** Marks setup as finished on the server; the wizard does not show again. */
  async finish(): Promise<ApiProblem | null> {
    this.busy.set(true);
    try {
      await this.client.completeSetup();
      this.setupStatus.finishWizard();
      this.key.set(null);
      return null;
    } catch (error: unknown) {
      const problem = toApiProblem(error);
      this.problem.set(problem);
      return problem;
    } finally {
      this.busy.set(false);
    }
  }
}
