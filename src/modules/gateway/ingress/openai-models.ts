import type { TenantModelIndex } from '../config/tenant-model-index';
import type { GatewayContext } from '../pipeline/gateway-context';

export interface OpenAIModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** The model list answer's `created`: stable per process so clients can cache it. */
const MODELS_CREATED = Math.floor(Date.now() / 1000);

/** `GET …/models`: what the authenticated key's tenant may use, `auto` first when it auto-routes. */
export function clientModelList(
  ctx: GatewayContext,
  indexFor: (tenant: NonNullable<GatewayContext['tenant']>) => TenantModelIndex,
): OpenAIModelEntry[] {
  const tenant = ctx.tenant;
  if (!tenant) return [];
  const index = indexFor(tenant);
  const data: OpenAIModelEntry[] = [];
  if (tenant.routing.enabled || tenant.routing.defaultModel) {
    data.push({ id: 'auto', object: 'model', created: MODELS_CREATED, owned_by: 'model-prism' });
  }
  const seen = new Set<string>();
  for (const model of index.allowed) {
    if (seen.has(model.modelId)) continue;
    seen.add(model.modelId);
    data.push({ id: model.modelId, object: 'model', created: MODELS_CREATED, owned_by: model.providerSlug });
  }
  return data;
}
