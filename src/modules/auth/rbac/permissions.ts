/**
 * Every permission an admin route can require. String values are shared with the Angular app
 * through the OpenAPI spec (`x-required-permission` on each operation).
 */
export enum Permission {
  ProvidersRead = 'providers.read',
  ProvidersWrite = 'providers.write',
  ModelsRead = 'models.read',
  ModelsWrite = 'models.write',
  TenantsRead = 'tenants.read',
  TenantsWrite = 'tenants.write',
  KeysRead = 'keys.read',
  KeysWrite = 'keys.write',
  RoutingRead = 'routing.read',
  RoutingWrite = 'routing.write',
  AnalyticsRead = 'analytics.read',
  RequestsRead = 'requests.read',
  PromptsRead = 'prompts.read',
  UsersRead = 'users.read',
  UsersWrite = 'users.write',
  SettingsRead = 'settings.read',
  SettingsWrite = 'settings.write',
  AuditRead = 'audit.read',
  SystemRead = 'system.read',
  SystemWrite = 'system.write',
  PortalRead = 'portal.read',
  PortalWrite = 'portal.write',
  /** Chat through the gateway from the console (spends the tenant's budget). */
  PlaygroundUse = 'playground.use',
}

export const ROLES = ['admin', 'maintainer', 'finops', 'auditor', 'tenant-admin', 'tenant-viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose every read and write is limited to the user's assigned tenants. */
export const TENANT_SCOPED_ROLES: readonly Role[] = ['tenant-admin', 'tenant-viewer'];

const ALL = Object.values(Permission);
const READS = ALL.filter((p) => p.endsWith('.read') && p !== Permission.PromptsRead);

/** The one role → permissions map (DESIGN.md §5). */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ALL,
  maintainer: [
    ...READS.filter((p) => p !== Permission.UsersRead && p !== Permission.AuditRead),
    Permission.ProvidersWrite,
    Permission.ModelsWrite,
    Permission.TenantsWrite,
    Permission.KeysWrite,
    Permission.RoutingWrite,
    Permission.PortalWrite,
    Permission.PlaygroundUse,
  ],
  // FinOps reads spend and the configuration that explains it (tenants, models, routing).
  finops: [
    Permission.AnalyticsRead,
    Permission.RequestsRead,
    Permission.TenantsRead,
    Permission.ModelsRead,
    Permission.ProvidersRead,
    Permission.RoutingRead,
    Permission.PortalRead,
  ],
  auditor: [...READS],
  // Tenant roles read the dashboard, the request log and routing traces too, always limited to
  // their own tenants (analytics-admin scopes every query; the trace route checks the tenant).
  // Tenant admins may try their own tenants in the playground; read-only roles may not spend.
  'tenant-admin': [
    Permission.PortalRead,
    Permission.PortalWrite,
    Permission.AnalyticsRead,
    Permission.RequestsRead,
    Permission.PlaygroundUse,
  ],
  'tenant-viewer': [Permission.PortalRead, Permission.AnalyticsRead, Permission.RequestsRead],
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isTenantScoped(role: Role): boolean {
  return TENANT_SCOPED_ROLES.includes(role);
}
