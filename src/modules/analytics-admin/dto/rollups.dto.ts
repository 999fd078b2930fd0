import { ApiProperty } from '@nestjs/swagger';

import { IsIsoDate } from '../../../common/dto/iso-date';

export class RebuildRollupsDto {
  /** Start; widened to the start of its UTC day. */
  @ApiProperty({ type: String, format: 'date-time' })
  @IsIsoDate()
  from!: Date;

  /** End; widened to the end of its UTC day, which must lie at least an hour in the past. */
  @ApiProperty({ type: String, format: 'date-time' })
  @IsIsoDate()
  to!: Date;
}

export class RebuildRollupsResponseDto {
  /** The whole days recomputed. */
  from!: string;
  to!: string;
  /** Request-log rows read. */
  logs!: number;
  /** Rollup rows deleted before recomputing. */
  deletedRows!: number;
}
