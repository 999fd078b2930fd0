import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

import { IsNewPassword } from '../../users/dto/password.validator';
import { USERNAME_PATTERN } from '../../users/dto/users.dto';

export class CreateFirstAdminDto {
  @IsString()
  @Length(3, 64)
  @Matches(USERNAME_PATTERN, { message: 'username may contain letters, digits and . _ @ - only' })
  username!: string;

  @ApiProperty({ minLength: 12, maxLength: 72 })
  @IsNewPassword()
  password!: string;
}

export class SetupStatusDto {
  /** True until the first admin exists: the console shows the setup wizard. */
  needsSetup!: boolean;
  /** True once an admin finished the wizard (`setup/complete`). */
  setupComplete!: boolean;
  /** Whether the login page should mention directory (LDAP) accounts. */
  ldapEnabled!: boolean;
}
