import { type LoginResponseDto } from '../app/api/models/login-response-dto';
import { type Permission } from '../app/api/models/permission';
import { type SessionUserDto } from '../app/api/models/session-user-dto';

/** A session user as the server sends it; permissions default to a small admin-like set. */
export function sessionUser(overrides: Partial<SessionUserDto> = {}): SessionUserDto {
  return {
    id: 'u1',
    username: 'alice',
    role: 'admin',
    tenantIds: [],
    mustChangePassword: false,
    source: 'local',
    permissions: ['analytics.read', 'providers.read', 'users.read', 'portal.read'] satisfies Permission[],
    ...overrides,
  };
}

export function loginResponse(
  user: SessionUserDto = sessionUser(),
  expiresAt = new Date(Date.now() + 3_600_000).toISOString(),
): LoginResponseDto {
  return { session: 'cookie', expiresAt, user };
}
