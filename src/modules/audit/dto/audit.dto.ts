import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

import { IsIsoDate } from '../../../common/dto/iso-date';
import { PageQueryDto } from '../../../common/dto/page-query.dto';

export class ListAuditQueryDto extends PageQueryDto {
  /** Username of the actor (case-insensitive). */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  actor?: string;

  /** Exact action (`user.update`) or a prefix ending in `.*` (`user.*`). */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9_.-]+(\.\*)?$/, { message: 'action must look like user.update or user.*' })
  action?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  targetType?: string;

  @IsOptional()
  @IsString()
  @Length(1, 128)
  targetId?: string;

  @IsOptional()
  @IsIn(['success', 'failure'])
  outcome?: 'success' | 'failure';

  /** ISO date-time, inclusive. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoDate()
  from?: Date;

  /** ISO date-time, inclusive. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsIsoDate()
  to?: Date;
}

export class AuditActorDto {
  @ApiProperty({ type: String, nullable: true })
  id!: string | null;
  username!: string;
  @ApiProperty({ type: String, nullable: true })
  role!: string | null;
}

const ANY_JSON = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object' },
    { type: 'array', items: {} },
  ],
};

export class AuditChangeDto {
  // Any JSON value (a string, number, list or object): `{}` is OpenAPI's "anything" schema.
  @ApiProperty({ description: 'Previous value (secrets masked)', nullable: true, ...ANY_JSON })
  from!: unknown;
  @ApiProperty({ description: 'New value (secrets masked)', nullable: true, ...ANY_JSON })
  to!: unknown;
}

export class AuditEventResponseDto {
  id!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;
  actor!: AuditActorDto;
  action!: string;
  targetType!: string;
  @ApiProperty({ type: String, nullable: true })
  targetId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  targetLabel!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/AuditChangeDto' },
    nullable: true,
  })
  changes!: Record<string, AuditChangeDto> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  details!: Record<string, unknown> | null;
  @ApiProperty({ enum: ['success', 'failure'] })
  outcome!: 'success' | 'failure';
  @ApiProperty({ type: String, nullable: true })
  ip!: string | null;
  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventResponseDto] })
  items!: AuditEventResponseDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}
