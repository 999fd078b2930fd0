import { isRole, type Permission, type Role } from './permissions';

/** The signed-in user as the console sees it (from `auth/login` and `auth/me`). */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  tenantIds: readonly string[];
  mustChangePassword: boolean;
  source: 'local' | 'ldap';
  /** Present when the server sends the role's permissions; otherwise derived from ROLE_PERMISSIONS. */
  permissions?: readonly Permission[];
}

/** Reads a user object from an auth response; null when it is not one (never trusts the shape blindly). */
export function parseSessionUser(value: unknown): SessionUser | null {
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as Record<string, unknown>;
  const id = raw['id'];
  const username = raw['username'];
  const role = raw['role'];
  if (typeof id !== 'string' || typeof username !== 'string' || !isRole(role)) return null;
  const tenantIds = Array.isArray(raw['tenantIds'])
    ? raw['tenantIds'].filter((t): t is string => typeof t === 'string')
    : [];
  const permissions = Array.isArray(raw['permissions'])
    ? raw['permissions'].filter((p): p is Permission => typeof p === 'string')
    : undefined;
  return {
    id,
    username,
    role,
    tenantIds,
    mustChangePassword: raw['mustChangePassword'] === true,
    source: raw['source'] === 'ldap' ? 'ldap' : 'local',
    ...(permissions ? { permissions } : {}),
  };
}
