export { RoutingModule } from './routing.module';
export {
  RoutingCatalog,
  type RoutingCatalogSnapshot,
  type RoutingCatalogSource,
  type RuleSetTenant,
} from './catalog/routing-catalog';
