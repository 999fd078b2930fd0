export { RoutingModule } from './routing.module';
export {
  ROUTING_CONFIG_SCOPE,
  RoutingCatalog,
  type RoutingCatalogSnapshot,
  type RoutingCatalogSource,
  type RuleSetTenant,
} from './catalog/routing-catalog';
export { toModelCandidate, toModelCandidates } from './catalog/model-candidates';
