/**
 * Names with a fixed meaning across the gateway, the routing engine and the admin side. Defined
 * here, below every module, so each layer reads the same list.
 */

/** Model names that ask for auto-routing instead of naming a model. */
export const AUTO_MODELS: ReadonlySet<string> = new Set(['auto', 'auto-prism']);

/**
 * Slugs that are not tenants: they would collide with routes under `/api/<slug>/` (`/api/prism/*`
 * is the admin API) or at the root. Tenant creation refuses them; the gateway answers 404 for them.
 */
export const RESERVED_TENANT_SLUGS: ReadonlySet<string> = new Set([
  'prism',
  'v1',
  'api',
  'admin',
  'health',
  'metrics',
  'docs',
]);
