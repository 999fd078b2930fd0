import type { Role } from './permissions';

/** Who is calling an admin route; set on the request by the authentication guard. */
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

/**
 * Resolves the caller of a request from its credentials (Bearer JWT or session cookie), checking
 * revocation and the account state on every request. Implemented by the auth module.
 */
export abstract class AuthenticatedUserResolver {
  /**
   * Null when the request carries no valid credentials (→ 401). May throw an HttpException for a
   * more specific refusal (e.g. 403 when a cookie-authenticated mutation lacks the CSRF header).
   */
  abstract resolve(request: {
    headers: Record<string, string | string[] | undefined>;
    /** HTTP method; cookie sessions need it for the CSRF check. */
    method?: string;
  }): Promise<AuthenticatedUser | null>;
}
