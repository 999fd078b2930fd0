import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';

import { TIERS } from '../../../../common/tiers';

export const REPLAY_MAX_REQUESTS = 1000;

export class RoutingReplayDto {
  /** Tenant id or slug; default: every tenant's requests (each with its own settings and models). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  tenant?: string;

  /** How many of the newest auto-routed requests to replay (1–1000, default 100). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(REPLAY_MAX_REQUESTS)
  limit?: number;

  /** The proposed rule set (same shape and validation as rule sets); default: the current ones. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  ruleSet?: Record<string, unknown>;
}

export class RoutingTierShiftDto {
  @ApiProperty({ enum: TIERS })
  from!: string;
  @ApiProperty({ enum: TIERS })
  to!: string;
  count!: number;
}

export class RoutingCategoryChangeDto {
  @ApiProperty({ type: String, nullable: true })
  from!: string | null;
  @ApiProperty({ type: String, nullable: true })
  to!: string | null;
  count!: number;
}

export class RoutingReplayChangeDto {
  requestId!: string;
  timestamp!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  @ApiProperty({ enum: TIERS })
  fromTier!: string;
  @ApiProperty({ enum: TIERS })
  toTier!: string;
  @ApiProperty({ type: String, nullable: true })
  fromCategory!: string | null;
  @ApiProperty({ type: String, nullable: true })
  toCategory!: string | null;
  @ApiProperty({ type: String, nullable: true })
  fromModel!: string | null;
  @ApiProperty({ type: String, nullable: true })
  toModel!: string | null;
}

export class RoutingReplayCostDto {
  /** The logged requests' tokens at the originally routed models' current prices. */
  originalUsd!: number;
  /** The same tokens at the prices of the models the proposed rule set picks. */
  proposedUsd!: number;
  changeUsd!: number;
  /** Null when the original cost is zero. */
  @ApiProperty({ type: Number, nullable: true })
  changePct!: number | null;
}

export class RoutingReplayResponseDto {
  /** Requests replayed. */
  replayed!: number;
  /** Logged requests without a stored trace or whose tenant no longer exists. */
  skipped!: number;
  tierUp!: number;
  tierDown!: number;
  tierSame!: number;
  /** Tier transition matrix (original → proposed), non-zero cells only. */
  tierMatrix!: RoutingTierShiftDto[];
  categoryChanged!: number;
  /** Most frequent category changes (at most 50). */
  categoryChanges!: RoutingCategoryChangeDto[];
  modelChanged!: number;
  cost!: RoutingReplayCostDto;
  /** Requests whose tier, category or model changed (at most 100). */
  changes!: RoutingReplayChangeDto[];
  /** What a replay without the prompt cannot know (see docs/routing.md). */
  notes!: string[];
}
