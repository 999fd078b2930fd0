import { AUTO_MODELS } from '../../../common/reserved-names';
import { compareTiers } from '../../../common/tiers';
import type { ModelView } from '../../providers/provider.types';
import { compileModelAccess } from '../../tenants/model-access';
import type { TenantView } from '../../tenants/tenant.types';
import { GatewayErrors } from '../gateway.errors';
import type { GatewayConfigSource } from './gateway-config.source';

export type ModelResolution =
  | { kind: 'auto'; requested: string }
  | {
      kind: 'model';
      requested: string;
      /** Upstream model id. */
      modelId: string;
      /** Every provider row serving it for this tenant (one when a provider prefix pinned it). */
      deployments: readonly ModelView[];
      /** The client named the provider (`slug/model`). */
      pinned: boolean;
    };

/**
 * What one tenant may use, precomputed once per config version: the visible models of its enabled
 * providers, by model id and by `provider/model`, its aliases and its allow/deny list. Lookups on
 * the hot path are Map reads.
 */
export class TenantModelIndex {
  /** Visible models on the tenant's enabled providers, allowed or not. */
  private readonly byModelId = new Map<string, ModelView[]>();
  private readonly byPrefixedId = new Map<string, ModelView>();
  private readonly providerSlugs = new Set<string>();
  private readonly aliases: ReadonlyMap<string, string>;
  private readonly policy: (model: ModelView) => boolean;
  /** Allowed, visible models in catalog priority order. */
  readonly allowed: readonly ModelView[];

  constructor(
    readonly tenant: TenantView,
    source: Pick<GatewayConfigSource, 'provider' | 'modelsOf'>,
  ) {
    this.aliases = new Map(tenant.aliases.map((a) => [a.alias, a.model]));
    const matcher = compileModelAccess(tenant.modelAccess);
    // Answers are kept per model row: the index lives for one config version, so after the first
    // request for a model its access check is a Map read, with no string work.
    const answers = new Map<ModelView, boolean>();
    this.policy = (model) => {
      let allowed = answers.get(model);
      if (allowed === undefined) {
        allowed = matcher(model.modelId, model.prefixedId);
        answers.set(model, allowed);
      }
      return allowed;
    };
    const allowed: ModelView[] = [];
    for (const providerId of tenant.providerIds) {
      const provider = source.provider(providerId);
      if (!provider || !provider.enabled) continue;
      this.providerSlugs.add(provider.slug);
      for (const model of source.modelsOf(provider.id)) {
        if (!model.visible) continue;
        const list = this.byModelId.get(model.modelId);
        if (list) list.push(model);
        else this.byModelId.set(model.modelId, [model]);
        this.byPrefixedId.set(model.prefixedId, model);
        if (this.policy(model)) allowed.push(model);
      }
    }
    this.allowed = allowed.sort((a, b) => b.priority - a.priority);
  }

  isAllowed(model: ModelView): boolean {
    return this.policy(model);
  }

  /**
   * Turns the `model` a client sent into what to call: alias (once), then `provider/model` when the
   * prefix is one of the tenant's providers, else the bare model id on every provider serving it.
   * Throws 403 `model_not_allowed` or 404 `model_not_found`.
   */
  resolve(requested: string): ModelResolution {
    const name = this.aliases.get(requested) ?? requested;
    if (AUTO_MODELS.has(name)) return { kind: 'auto', requested };
    const pinned = this.byPrefixedId.get(name);
    let deployments: readonly ModelView[];
    if (pinned) {
      deployments = [pinned];
    } else {
      deployments = this.byModelId.get(name) ?? [];
      if (deployments.length === 0 && name.includes('/')) {
        const slug = name.slice(0, name.indexOf('/'));
        if (this.providerSlugs.has(slug)) throw GatewayErrors.modelNotFound(requested);
      }
    }
    if (deployments.length === 0)
      throw GatewayErrors.modelNotFound(requested, ' Use model "auto" to let the gateway choose.');
    const usable = deployments.filter(this.policy);
    if (usable.length === 0) throw GatewayErrors.modelNotAllowed(requested);
    return {
      kind: 'model',
      requested,
      modelId: (usable[0] as ModelView).modelId,
      deployments: usable,
      pinned: pinned !== undefined,
    };
  }

  /** Allowed deployments of a model id (used after routing picked one). */
  deploymentsOf(modelId: string, providerId?: string): readonly ModelView[] {
    const prefixed = this.byPrefixedId.get(modelId);
    if (prefixed) return this.policy(prefixed) ? [prefixed] : [];
    const all = (this.byModelId.get(modelId) ?? []).filter(this.policy);
    if (!providerId) return all;
    const pinned = all.filter((m) => m.providerId === providerId);
    return pinned.length > 0 ? pinned : all;
  }

  /** Model ids a client may name in `/models` (chat and embeddings), deduplicated, priority order. */
  clientModelIds(): string[] {
    return [...new Set(this.allowed.map((m) => m.modelId))];
  }

  /**
   * The allowed chat model with the smallest window that still holds `neededTokens`: same tier
   * first, then one tier down, one up, then any tier. Undefined when none is large enough.
   */
  largerWindowModel(current: ModelView, neededTokens: number): ModelView | undefined {
    const fits = this.allowed.filter(
      (m) =>
        m.modelId !== current.modelId &&
        !m.capabilities.embeddings &&
        m.apiType !== 'embeddings' &&
        (m.contextWindow ?? 0) >= neededTokens,
    );
    if (fits.length === 0) return undefined;
    const smallest = (list: ModelView[]): ModelView | undefined =>
      list.sort((a, b) => (a.contextWindow ?? 0) - (b.contextWindow ?? 0) || b.priority - a.priority)[0];
    const tier = current.tier;
    if (tier) {
      for (const distance of [0, -1, 1]) {
        const match = smallest(
          fits.filter((m) => m.tier !== null && compareTiers(m.tier, tier) === distance),
        );
        if (match) return match;
      }
    }
    return smallest(fits);
  }
}
