import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class ImportSettingsQueryDto {
  /** `true`: validate and return the diff without changing anything. */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportSettingsDto {
  /** A document from `GET admin/system/export`. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  document!: Record<string, unknown>;

  /** The passphrase given at export (needed when the export holds encrypted secrets). */
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  passphrase?: string;
}

export class SettingsExportDto {
  @ApiProperty({ enum: ['model-prism-settings'] })
  format!: 'model-prism-settings';
  version!: number;
  exportedAt!: string;
  /** `encrypted` under the passphrase (scrypt + AES-256-GCM), or `omitted`. */
  @ApiProperty({ enum: ['encrypted', 'omitted'] })
  secrets!: 'encrypted' | 'omitted';
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  kdf!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true })
  passphraseCheck!: string | null;
  /** Section → entries in MongoDB extended JSON (providers, models, tenants, categories, ruleSets, ldap, keyPolicy, runtimeSettings). */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'object' } } })
  sections!: Record<string, unknown[]>;
}

export class SectionChangeDto {
  id!: string;
  label!: string;
  fields!: string[];
}

export class SectionDiffDto {
  /** Labels (slug, key or name) of the entries the import adds. */
  added!: string[];
  @ApiProperty({ type: [SectionChangeDto] })
  changed!: SectionChangeDto[];
  unchanged!: number;
}

export class ImportResultDto {
  dryRun!: boolean;
  applied!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/SectionDiffDto' } })
  diff!: Record<string, SectionDiffDto>;
}
