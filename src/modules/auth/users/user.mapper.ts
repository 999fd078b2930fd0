import type { UserResponseDto } from './dto/users.dto';
import type { UserRecord } from './user.schema';

export function toUserResponse(user: UserRecord): UserResponseDto {
  return {
    id: user._id.toString(),
    username: user.username,
    source: user.source,
    role: user.role,
    rolePinned: user.rolePinned,
    tenantIds: [...user.tenantIds],
    active: user.active,
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    ldapDn: user.ldapDn ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
