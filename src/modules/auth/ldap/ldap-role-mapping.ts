import { type Role, ROLES } from '../rbac/permissions';
import type { LdapGroupMapping } from './ldap-settings.types';

export interface MappedAccess {
  role: Role;
  tenantIds: string[];
  /** The mapping entries that matched (for the test endpoint and the audit log). */
  matchedGroups: string[];
}

/** Most privileged first: when a user is in several mapped groups, the strongest role wins. */
const ROLE_RANK: readonly Role[] = ROLES;

function normalizeDn(dn: string): string {
  return dn
    .split(',')
    .map((part) => part.trim())
    .join(',')
    .toLowerCase();
}

function firstRdnValue(dn: string): string {
  const first = dn.split(',')[0] ?? '';
  const eq = first.indexOf('=');
  return (eq >= 0 ? first.slice(eq + 1) : first).trim().toLowerCase();
}

/**
 * Derives role and tenants from the user's group DNs. A mapping matches a group by full DN or by
 * its first RDN value (`ops` matches `cn=ops,ou=groups,...`), case-insensitively. Tenants are the
 * union of all matching mappings. No match → the default role with no tenants, or null (refused).
 */
export function mapGroupsToAccess(
  groups: readonly string[],
  mappings: readonly LdapGroupMapping[],
  defaultRole: Role | null,
): MappedAccess | null {
  const dns = new Set(groups.map(normalizeDn));
  const names = new Set(groups.map(firstRdnValue));
  const matched = mappings.filter((m) => {
    const wanted = m.group.trim().toLowerCase();
    return wanted.includes('=') ? dns.has(normalizeDn(wanted)) : names.has(wanted);
  });
  if (matched.length === 0) {
    return defaultRole ? { role: defaultRole, tenantIds: [], matchedGroups: [] } : null;
  }
  const role = ROLE_RANK.find((r) => matched.some((m) => m.role === r)) ?? matched[0]!.role;
  const tenantIds = [...new Set(matched.flatMap((m) => m.tenantIds))];
  return { role, tenantIds, matchedGroups: matched.map((m) => m.group) };
}
