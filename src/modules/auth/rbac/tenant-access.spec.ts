import type { AuthenticatedUser } from './authenticated-user';
import type { Role } from './permissions';
import { assertTenantAccess, canAccessTenant, scopeTenantQuery, tenantFilterFor } from './tenant-access';

const user = (role: Role, tenantIds: string[] = []): AuthenticatedUser => ({
  id: 'u',
  username: 'u',
  role,
  tenantIds,
  source: 'local',
  mustChangePassword: false,
});

describe('tenant access', () => {
  it('global roles see every tenant', () => {
    for (const role of ['admin', 'maintainer', 'finops', 'auditor'] as const) {
      expect(canAccessTenant(user(role), 'any')).toBe(true);
      expect(tenantFilterFor(user(role))).toBeUndefined();
      expect(scopeTenantQuery(user(role), undefined)).toBeUndefined();
      expect(scopeTenantQuery(user(role), 'x')).toEqual(['x']);
    }
  });

  it('tenant roles see only their assigned tenants', () => {
    for (const role of ['tenant-admin', 'tenant-viewer'] as const) {
      const scoped = user(role, ['a', 'b']);
      expect(canAccessTenant(scoped, 'a')).toBe(true);
      expect(canAccessTenant(scoped, 'c')).toBe(false);
      expect(() => assertTenantAccess(scoped, 'c')).toThrow(/no access to tenant c/);
      expect(tenantFilterFor(scoped)).toEqual(['a', 'b']);
      expect(scopeTenantQuery(scoped, undefined)).toEqual(['a', 'b']);
      expect(scopeTenantQuery(scoped, 'b')).toEqual(['b']);
      expect(() => scopeTenantQuery(scoped, 'c')).toThrow();
      // No tenants assigned means no data, never all data.
      expect(tenantFilterFor(user(role))).toEqual([]);
    }
  });
});
