import { mapGroupsToAccess } from './ldap-role-mapping';

describe('LDAP group → role mapping', () => {
  const mappings = [
    { group: 'cn=Prism-Admins,ou=groups,dc=example,dc=org', role: 'admin' as const, tenantIds: [] },
    { group: 'finance', role: 'finops' as const, tenantIds: [] },
    { group: 'team-a', role: 'tenant-admin' as const, tenantIds: ['a'] },
    { group: 'team-b', role: 'tenant-viewer' as const, tenantIds: ['b'] },
  ];

  it('matches by DN (case and spacing insensitive) or by group name', () => {
    expect(mapGroupsToAccess(['cn=prism-admins, ou=Groups,dc=example,dc=org'], mappings, null)?.role).toBe(
      'admin',
    );
    expect(mapGroupsToAccess(['cn=Finance,ou=groups,dc=example,dc=org'], mappings, null)?.role).toBe(
      'finops',
    );
  });

  it('gives the strongest role and the union of tenants when several groups match', () => {
    const access = mapGroupsToAccess(['cn=team-b,ou=g', 'cn=team-a,ou=g'], mappings, null);
    expect(access).toEqual({
      role: 'tenant-admin',
      tenantIds: ['a', 'b'],
      matchedGroups: ['team-a', 'team-b'],
    });
  });

  it('falls back to the default role, or refuses when there is none', () => {
    expect(mapGroupsToAccess(['cn=other,ou=g'], mappings, 'tenant-viewer')).toEqual({
      role: 'tenant-viewer',
      tenantIds: [],
      matchedGroups: [],
    });
    expect(mapGroupsToAccess([], mappings, null)).toBeNull();
  });
});
