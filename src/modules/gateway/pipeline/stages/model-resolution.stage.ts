import type { TenantModelIndexes } from '../../config/tenant-model-indexes';
import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/**
 * Model resolution (DESIGN.md §3 step 4): alias, `provider/model` prefix, allow/deny list (403
 * `model_not_allowed`), unknown model (404 `model_not_found`); `auto`/`auto-prism` mean auto-route.
 */
export class ModelResolutionStage implements GatewayStage {
  readonly name = 'model_resolution';

  constructor(private readonly indexes: TenantModelIndexes) {}

  run(ctx: GatewayContext): void {
    const tenant = ctx.tenant;
    if (!tenant) return;
    if (!ctx.requestedModel) throw GatewayErrors.invalidRequest("'model' is required", 'model');
    const models = this.indexes.for(tenant);
    ctx.models = models;
    const resolution = models.resolve(ctx.requestedModel);
    if (resolution.kind === 'auto') {
      if (ctx.endpoint === 'embeddings') {
        throw GatewayErrors.invalidRequest(
          'Embeddings need a concrete model; "auto" routes chat requests only.',
          'model',
        );
      }
      ctx.auto = true;
      return;
    }
    ctx.userModel = resolution.modelId;
    ctx.deployments = resolution.deployments;
    ctx.pinned = resolution.pinned;
    ctx.body.model = resolution.modelId;
  }
}
