import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

import { IsIsoDate } from '../../../common/dto/iso-date';

/** `from`/`to` (ISO 8601; default the last 24 h) of every analytics read. */
export class UsageRangeQueryDto {
  /** Start (inclusive), ISO 8601. Rollup reads widen it to the whole hour (or day). */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoDate()
  from?: Date;

  /** End (exclusive), ISO 8601; default now. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoDate()
  to?: Date;
}

/** Range plus the optional tenant (id or slug); tenant roles are always limited to their tenants. */
export class TenantUsageQueryDto extends UsageRangeQueryDto {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tenant?: string;
}
