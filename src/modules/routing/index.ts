export { RoutingModule } from './routing.module';
export {
  ROUTING_CONFIG_SCOPE,
  RoutingCatalog,
  type RoutingCatalogSnapshot,
  type RoutingCatalogSource,
  type RuleSetTenant,
} from './catalog/routing-catalog';
export { toModelCandidate, toModelCandidates } from './catalog/model-candidates';
export {
  EngineRouter,
  type DecideOptions,
  type RouteRequest,
  type RoutedRequest,
} from './router/engine-router';
export { TENANT_MODEL_SOURCE, type TenantModelSource, type TenantModels } from './router/tenant-models';
