import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { type Role, ROLES } from '../../rbac/permissions';
import { IsTenantIdList } from '../../users/dto/users.dto';
import { filterTemplateProblem } from '../ldap-filter';

const DEFAULT_ROLES = ROLES.filter((r) => r !== 'admin');

function IsFilterTemplate(placeholder?: string): PropertyDecorator {
  return ValidateBy({
    name: 'ldapFilterTemplate',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && filterTemplateProblem(value, placeholder) === null,
      defaultMessage: (args) =>
        `$property ${typeof args?.value === 'string' ? filterTemplateProblem(args.value, placeholder) : 'must be a string'}`,
    },
  });
}

export class LdapGroupMappingDto {
  /** Group DN, or just the group name (its first RDN value, e.g. the cn). */
  @IsString()
  @Length(1, 1024)
  group!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  /** Tenants members of this group may see (for tenant-admin / tenant-viewer). */
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsTenantIdList()
  tenantIds?: string[];
}

/** Any subset of the LDAP settings; omitted fields keep their value. */
export class UpdateLdapSettingsDto {
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** `ldap://host:389` or `ldaps://host:636`. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^(ldaps?:\/\/\S+)?$/, { message: 'url must start with ldap:// or ldaps://' })
  url?: string;

  /** Service account used to search for users; empty for anonymous search. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  bindDn?: string;

  /** Write-only: responses show `********`; sending `********` back keeps the stored password, '' removes it. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  bindPassword?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  searchBase?: string;

  /** Must contain `{{username}}`, which is replaced by the escaped login name (RFC 4515). */
  @ApiPropertyOptional({ example: '(uid={{username}})' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @IsFilterTemplate('username')
  searchFilter?: string;

  /** Where to look for groups; empty means the search base. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  groupSearchBase?: string;

  /** `{{dn}}` = the user's DN, `{{username}}` = the login name (both escaped). */
  @ApiPropertyOptional({ example: '(|(member={{dn}})(uniqueMember={{dn}}))' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @IsFilterTemplate()
  groupSearchFilter?: string;

  @ApiPropertyOptional({ type: [LdapGroupMappingDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LdapGroupMappingDto)
  groupMappings?: LdapGroupMappingDto[];

  /** Role for directory users in no mapped group; null refuses them. Never admin. */
  @ApiPropertyOptional({ enum: DEFAULT_ROLES, nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsIn(DEFAULT_ROLES, { message: 'defaultRole must be a non-admin role or null' })
  defaultRole?: Role | null;

  @IsOptional()
  @IsBoolean()
  startTls?: boolean;

  /** PEM certificate(s) to trust for ldaps:// and StartTLS. */
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  @Matches(/^(\s*|[\s\S]*-----BEGIN CERTIFICATE-----[\s\S]*)$/, {
    message: 'tlsCaCert must be PEM certificates',
  })
  tlsCaCert?: string;

  /** Accept any server certificate. For testing only. */
  @IsOptional()
  @IsBoolean()
  tlsSkipVerify?: boolean;

  @IsOptional()
  @IsInt()
  @Min(500)
  @Max(60_000)
  timeoutMs?: number;
}

export class TestLdapSettingsDto {
  /** Unsaved settings to try (merged over the stored ones); omit to test what is stored. */
  @ApiPropertyOptional({ type: UpdateLdapSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateLdapSettingsDto)
  settings?: UpdateLdapSettingsDto;

  /** Look this user up (and map their groups to a role). */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  username?: string;

  /** Also try this user's password through the real login path. */
  @IsOptional()
  @IsString()
  @Length(1, 256)
  password?: string;
}

export class LdapGroupMappingResponseDto {
  group!: string;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  tenantIds!: string[];
}

export class LdapSettingsResponseDto {
  enabled!: boolean;
  url!: string;
  bindDn!: string;
  /** `********` when a password is stored, else ''. */
  bindPassword!: string;
  searchBase!: string;
  searchFilter!: string;
  groupSearchBase!: string;
  groupSearchFilter!: string;
  @ApiProperty({ type: [LdapGroupMappingResponseDto] })
  groupMappings!: LdapGroupMappingResponseDto[];
  @ApiProperty({ enum: ROLES, nullable: true })
  defaultRole!: Role | null;
  startTls!: boolean;
  tlsCaCert!: string;
  tlsSkipVerify!: boolean;
  timeoutMs!: number;
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  updatedAt?: string;
}

export class LdapTestStepDto {
  @ApiProperty({ enum: ['connect', 'starttls', 'bind', 'search', 'authenticate', 'groups', 'role'] })
  step!: string;
  ok!: boolean;
  message!: string;
  durationMs!: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;
}

export class LdapTestReportDto {
  ok!: boolean;
  @ApiProperty({ type: [LdapTestStepDto] })
  steps!: LdapTestStepDto[];
}
