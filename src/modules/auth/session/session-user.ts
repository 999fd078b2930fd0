import type { AuthenticatedUser } from '../rbac/authenticated-user';
import type { UserRecord } from '../users/user.schema';

/** How the caller proved its identity; a password change answers with the same kind of credential. */
export type CredentialKind = 'bearer' | 'cookie';

export function toAuthenticatedUser(user: UserRecord): AuthenticatedUser {
  return {
    id: user._id.toString(),
    username: user.username,
    role: user.role,
    tenantIds: [...user.tenantIds],
    source: user.source,
    mustChangePassword: user.mustChangePassword,
  };
}
