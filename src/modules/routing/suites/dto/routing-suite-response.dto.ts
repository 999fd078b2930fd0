import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';

import { TIERS } from '../../../../common/tiers';
import { RoutingDecisionSummaryDto } from '../../dto/routing-decision.dto';

/** What a case expects; both bounds are inclusive. */
export class RoutingCaseExpectationDto {
  expectedCategory?: string;
  @ApiPropertyOptional({ enum: TIERS })
  expectedTierMin?: string;
  @ApiPropertyOptional({ enum: TIERS })
  expectedTierMax?: string;
}

export class RoutingTestCaseResponseDto extends RoutingCaseExpectationDto {
  prompt!: string;
  systemPrompt?: string;
}

export class RoutingSuiteResponseDto {
  id!: string;
  name!: string;
  description!: string;
  @ApiProperty({ type: String, nullable: true })
  tenantId!: string | null;
  cases!: RoutingTestCaseResponseDto[];
  createdAt!: string;
  updatedAt!: string;
}

export class RoutingGenerateResponseDto {
  /** Cases added to the suite. */
  added!: number;
  /** Entries of the model's answer that were not usable cases. */
  rejected!: number;
  suite!: RoutingSuiteResponseDto;
}

/** One case of a run: what it expected, how it was routed and whether that matched. */
export class RoutingCaseResultDto extends IntersectionType(
  RoutingCaseExpectationDto,
  RoutingDecisionSummaryDto,
) {
  index!: number;
  prompt!: string;
  @ApiProperty({ type: Boolean, nullable: true })
  categoryMatch!: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true })
  tierMatch!: boolean | null;
  underRouted!: boolean;
  routingMs!: number;
}

export class RoutingTierCountDto {
  @ApiProperty({ enum: TIERS })
  tier!: string;
  count!: number;
}

export class RoutingRunSummaryDto {
  total!: number;
  categoryChecked!: number;
  categoryMatches!: number;
  @ApiProperty({ type: Number, nullable: true })
  categoryAccuracy!: number | null;
  tierChecked!: number;
  tierMatches!: number;
  @ApiProperty({ type: Number, nullable: true })
  tierAccuracy!: number | null;
  underRouted!: number;
  @ApiProperty({ type: Number, nullable: true })
  accuracy!: number | null;
  tierDistribution!: RoutingTierCountDto[];
  avgRoutingMs!: number;
}

export class RoutingRunEvaluationDto {
  provider!: string;
  model!: string;
  /** 0–100. */
  score!: number;
  summary!: string;
  qualitySuggestions!: string[];
  costSuggestions!: string[];
  evaluatedAt!: string;
}

export class RoutingRunResponseDto {
  id!: string;
  suiteId!: string;
  tenantId!: string;
  createdAt!: string;
  llmClassifier!: boolean;
  summary!: RoutingRunSummaryDto;
  /** Absent in run lists. */
  results?: RoutingCaseResultDto[];
  @ApiProperty({ type: RoutingRunEvaluationDto, nullable: true })
  evaluation!: RoutingRunEvaluationDto | null;
}
