import { type Permission } from '../../api/models/permission';
import { type SessionUserDto } from '../../api/models/session-user-dto';

export type { Permission };
export type Role = SessionUserDto['role'];

/**
 * Role names for display. What a role may do is not decided here: the server sends the role's
 * permissions with the session, and enforces them on every call.
 */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  maintainer: 'Maintainer',
  finops: 'FinOps',
  auditor: 'Auditor',
  'tenant-admin': 'Tenant admin',
  'tenant-viewer': 'Tenant viewer',
};

export function isTenantScopedRole(role: Role): boolean {
  return role === 'tenant-admin' || role === 'tenant-viewer';
}
