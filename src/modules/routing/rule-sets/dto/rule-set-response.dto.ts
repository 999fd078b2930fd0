import { ApiProperty } from '@nestjs/swagger';

import { RuleSetDto } from './rule-set.dto';

export class RuleSetResponseDto extends RuleSetDto {
  id!: string;
  /** `default` (the global rule set) or `tenant` (one tenant's override). */
  @ApiProperty({ enum: ['default', 'tenant'] })
  scope!: 'default' | 'tenant';
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  tenantSlug!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt!: string | null;
}

export class RuleSetListResponseDto {
  /** The global default first, then tenant overrides. */
  @ApiProperty({ type: [RuleSetResponseDto] })
  items!: RuleSetResponseDto[];
}
