import type { Role } from '../rbac/permissions';

/** One directory group → role (and tenants, for tenant-scoped roles). */
export interface LdapGroupMapping {
  /** Group DN (`cn=ops,ou=groups,dc=example,dc=org`) or just its CN (`ops`); case-insensitive. */
  group: string;
  role: Role;
  tenantIds: string[];
}

/**
 * The LDAP configuration, one settings document (`auth_settings`, `_id: 'ldap'`, see
 * LdapSettingsRepository); the bind password is stored encrypted (`enc:`).
 */
export interface LdapSettings {
  enabled: boolean;
  url: string;
  bindDn: string;
  /** `enc:<iv>:<tag>:<ct>` or empty. */
  bindPassword: string;
  searchBase: string;
  searchFilter: string;
  /** Where groups are searched; empty = searchBase. */
  groupSearchBase: string;
  /** `{{dn}}` is the user's DN, `{{username}}` the login name (both escaped). */
  groupSearchFilter: string;
  groupMappings: LdapGroupMapping[];
  /** Role of users in no mapped group; null refuses them. */
  defaultRole: Role | null;
  startTls: boolean;
  /** PEM bundle trusted for ldaps:// and StartTLS, in addition to the system CAs. */
  tlsCaCert: string;
  /** Accept any server certificate (testing only; shown as a warning in the console). */
  tlsSkipVerify: boolean;
  timeoutMs: number;
}

export function defaultLdapSettings(): LdapSettings {
  return {
    enabled: false,
    url: '',
    bindDn: '',
    bindPassword: '',
    searchBase: '',
    searchFilter: '(uid={{username}})',
    groupSearchBase: '',
    groupSearchFilter: '(|(member={{dn}})(uniqueMember={{dn}}))',
    groupMappings: [],
    defaultRole: 'tenant-viewer',
    startTls: false,
    tlsCaCert: '',
    tlsSkipVerify: false,
    timeoutMs: 5000,
  };
}
