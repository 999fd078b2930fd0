import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

import { Permission, type Role, ROLES } from '../../rbac/permissions';
import { IsNewPassword } from '../../users/dto/password.validator';
import { USER_SOURCES, type UserSource } from '../../users/user.schema';

export const SESSION_MODES = ['bearer', 'cookie'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export class LoginDto {
  @IsString()
  @Length(1, 128)
  username!: string;

  @IsString()
  @Length(1, 256)
  password!: string;

  /**
   * `bearer` (default): the token is returned in the body. `cookie`: the token is set as the
   * httpOnly `prism_session` cookie and not returned; mutating requests must then send `x-prism-csrf: 1`.
   */
  @ApiPropertyOptional({ enum: SESSION_MODES, default: 'bearer' })
  @IsOptional()
  @IsIn(SESSION_MODES)
  session?: SessionMode;
}

export class ChangePasswordDto {
  @IsString()
  @Length(1, 256)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: 72 })
  @IsNewPassword()
  newPassword!: string;
}

export class SessionUserDto {
  id!: string;
  username!: string;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  /** Tenants a tenant-scoped role may see; empty for global roles. */
  tenantIds!: string[];
  /** While true, every route except auth/me, auth/password and auth/logout answers 403. */
  mustChangePassword!: boolean;
  @ApiProperty({ enum: USER_SOURCES })
  source!: UserSource;
  /** The permissions of the role, for the console to hide what the user cannot do. */
  @ApiProperty({ enum: Permission, isArray: true, enumName: 'Permission' })
  permissions!: Permission[];
  /** When the current session ends (ISO 8601), so the console can warn before it expires. */
  @ApiPropertyOptional({ format: 'date-time' })
  expiresAt?: string;
}

export class LoginResponseDto {
  /** The JWT for `Authorization: Bearer`; absent in cookie mode. */
  @ApiPropertyOptional()
  accessToken?: string;
  @ApiProperty({ enum: SESSION_MODES })
  session!: SessionMode;
  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: string;
  user!: SessionUserDto;
}
