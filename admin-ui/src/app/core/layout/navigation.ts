import { type Permission } from '../auth/permissions';

export interface NavItem {
  label: string;
  path: string;
  icon: string;
  permission: Permission;
  /** Hidden from tenant-scoped roles even when they hold the permission (staff-only pages). */
  staffOnly?: boolean;
}

export interface NavSection {
  label: string;
  items: readonly NavItem[];
}

/** The sidebar; each entry is shown only to roles holding its permission. */
export const NAVIGATION: readonly NavSection[] = [
  {
    label: 'Overview',
    items: [
      { label: 'Dashboard', path: '/dashboard', icon: 'insights', permission: 'analytics.read' },
      {
        label: 'Request log',
        path: '/requests',
        icon: 'view_list',
        permission: 'requests.read',
        staffOnly: true,
      },
      { label: 'Playground', path: '/playground', icon: 'chat', permission: 'playground.use' },
    ],
  },
  {
    label: 'Configuration',
    items: [
      { label: 'Providers', path: '/providers', icon: 'dns', permission: 'providers.read' },
      { label: 'Models', path: '/models', icon: 'view_list', permission: 'models.read' },
      { label: 'Tenants', path: '/tenants', icon: 'apartment', permission: 'tenants.read' },
      { label: 'Categories', path: '/categories', icon: 'category', permission: 'routing.read' },
      { label: 'Routing', path: '/routing', icon: 'alt_route', permission: 'routing.read' },
    ],
  },
  {
    label: 'Administration',
    items: [
      { label: 'Users', path: '/users', icon: 'group', permission: 'users.read' },
      { label: 'LDAP', path: '/settings/ldap', icon: 'account_tree', permission: 'users.read' },
      { label: 'Audit log', path: '/audit', icon: 'history', permission: 'audit.read' },
      { label: 'System', path: '/system', icon: 'settings', permission: 'system.read' },
    ],
  },
  {
    label: 'Self-service',
    items: [{ label: 'My tenants', path: '/portal', icon: 'key', permission: 'portal.read' }],
  },
];

/** The sections and items a user with these permissions may see (empty sections dropped). */
export function visibleNavigation(permissions: ReadonlySet<Permission>, tenantScoped: boolean): NavSection[] {
  return NAVIGATION.map((section) => ({
    label: section.label,
    items: section.items.filter(
      (item) => permissions.has(item.permission) && !(tenantScoped && item.staffOnly === true),
    ),
  })).filter((section) => section.items.length > 0);
}
