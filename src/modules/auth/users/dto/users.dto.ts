import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';

import { PageQueryDto } from '../../../../common/dto/page-query.dto';
import { type Role, ROLES } from '../../rbac/permissions';
import { USER_SOURCES, type UserSource } from '../user.schema';
import { IsNewPassword } from './password.validator';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const TENANT_ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** Tenant ids as assigned to tenant-scoped users (validated shape only; up to 200 per user). */
export function IsTenantIdList(): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMaxSize(200)(target, key);
    IsString({ each: true })(target, key);
    Length(1, 64, { each: true })(target, key);
    Matches(TENANT_ID_PATTERN, { each: true, message: 'each value in $property must be a tenant id' })(
      target,
      key,
    );
  };
}

export class CreateUserDto {
  /** Case-insensitive and stored lower-cased. */
  @IsString()
  @Length(3, 64)
  @Matches(USERNAME_PATTERN, { message: 'username may contain letters, digits and . _ @ - only' })
  username!: string;

  @ApiProperty({ minLength: 12, maxLength: 72 })
  @IsNewPassword()
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsTenantIdList()
  tenantIds?: string[];

  /** Force a password change at first login (default true: the admin chose this password). */
  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateUserDto {
  /** Changing the role of an LDAP user pins it (group sync leaves it alone) unless rolePinned is false. */
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsTenantIdList()
  tenantIds?: string[];

  /** false disables the account and ends its sessions at once. */
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** Keep the role across LDAP logins (true) or derive it from LDAP groups again (false). */
  @IsOptional()
  @IsBoolean()
  rolePinned?: boolean;

  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 12, maxLength: 72 })
  @IsNewPassword()
  password!: string;

  /** Default true: the user must choose their own password at next login. */
  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;
}

export class UserResponseDto {
  id!: string;
  username!: string;
  @ApiProperty({ enum: USER_SOURCES })
  source!: UserSource;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  rolePinned!: boolean;
  tenantIds!: string[];
  active!: boolean;
  mustChangePassword!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: string | null;
  @ApiProperty({ type: String, nullable: true })
  ldapDn!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListUsersQueryDto extends PageQueryDto {
  /** Case-insensitive substring of the username. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  search?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: USER_SOURCES })
  @IsOptional()
  @IsIn(USER_SOURCES)
  source?: UserSource;

  /** true = enabled accounts only, false = disabled ones only. */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;
}

export class UserPageDto {
  /** Sorted by username. */
  @ApiProperty({ type: [UserResponseDto] })
  items!: UserResponseDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}
