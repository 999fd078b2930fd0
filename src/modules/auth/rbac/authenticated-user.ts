import type { Role } from './permissions';

/** Who is calling an admin route; set on the request by PermissionGuard (Passport session strategy). */
export interface AuthenticatedUser {
  id: string;
  username: string;
  role: Role;
  /** Tenants a tenant-scoped role may see; empty for global roles. */
  tenantIds: string[];
  source: 'local' | 'ldap';
  mustChangePassword: boolean;
  /** When the credentials of this request stop working (absent for callers without a session). */
  sessionExpiresAt?: Date;
}
