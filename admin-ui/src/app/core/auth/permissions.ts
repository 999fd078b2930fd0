/**
 * Roles and permissions as the server defines them (src/modules/auth/rbac/permissions.ts). The UI
 * only uses them to hide what a role cannot use; the server still enforces every route. When the
 * session carries its own `permissions` list, that list wins over this map.
 */
export const ROLES = ['admin', 'maintainer', 'finops', 'auditor', 'tenant-admin', 'tenant-viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'providers.read',
  'providers.write',
  'models.read',
  'models.write',
  'tenants.read',
  'tenants.write',
  'keys.read',
  'keys.write',
  'routing.read',
  'routing.write',
  'analytics.read',
  'requests.read',
  'prompts.read',
  'users.read',
  'users.write',
  'settings.read',
  'settings.write',
  'audit.read',
  'system.read',
  'system.write',
  'portal.read',
  'portal.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READS = PERMISSIONS.filter((p) => p.endsWith('.read') && p !== 'prompts.read');

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  maintainer: [
    ...READS.filter((p) => p !== 'users.read' && p !== 'audit.read'),
    'providers.write',
    'models.write',
    'tenants.write',
    'keys.write',
    'routing.write',
    'portal.write',
  ],
  finops: ['analytics.read', 'requests.read', 'tenants.read', 'models.read', 'providers.read', 'portal.read'],
  auditor: READS,
  'tenant-admin': ['portal.read', 'portal.write'],
  'tenant-viewer': ['portal.read'],
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  maintainer: 'Maintainer',
  finops: 'FinOps',
  auditor: 'Auditor',
  'tenant-admin': 'Tenant admin',
  'tenant-viewer': 'Tenant viewer',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isTenantScopedRole(role: Role): boolean {
  return role === 'tenant-admin' || role === 'tenant-viewer';
}
